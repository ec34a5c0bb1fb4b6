"""The roster a center sets for window planning (R-HALL-4): clerks at the windows per
half hour. An empty field removes that half hour's figure (the plan then takes it from
the window sign-ins of the past weeks). Validated as a whole: on any bad figure
nothing is changed."""

from __future__ import annotations

from datetime import time

from django.db import transaction

from onewindow.core.audit import audit_record
from onewindow.core.errors import InvalidInput
from onewindow.oversight.models import RosterSlot
from onewindow.oversight.services.duty import center_in_scope, require

MAX_CLERKS = 200


def _clerks(value, start: time) -> int | None:
    text = str(value if value is not None else "").strip()[:6]
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_CLERKS:
        raise InvalidInput(
            "planning.bad_roster",
            f"{start:%H:%M}的在岗人数应为0到{MAX_CLERKS}之间的整数，或留空按签到记录估计。",
        )
    return int(text)


@transaction.atomic
def roster_set(*, actor, center_id, clerks_by_start: dict[time, object]) -> dict[str, int]:
    """Set the center's roster: ``clerks_by_start`` maps each half hour's start to the
    clerks at the windows (empty: none set). Returns the roster now stored."""
    require(actor, "planning.apply", "只有中心管理员可以设置窗口排班。")
    center = center_in_scope(actor, center_id)
    wanted = {start: _clerks(value, start) for start, value in clerks_by_start.items()}
    rows = RosterSlot.objects.select_for_update().filter(center=center)
    before = {f"{r.start:%H:%M}": r.clerks for r in rows}
    for start, clerks in wanted.items():
        if clerks is None:
            RosterSlot.objects.filter(center=center, start=start).delete()
        else:
            RosterSlot.objects.update_or_create(
                center=center, start=start, defaults={"clerks": clerks, "updated_by": actor}
            )
    after = {f"{r.start:%H:%M}": r.clerks for r in RosterSlot.objects.filter(center=center)}
    if after != before:
        audit_record(
            actor=actor,
            action="planning_roster.set",
            target=center,
            center=center,
            before={"roster": before},
            after={"roster": after},
        )
    return after
