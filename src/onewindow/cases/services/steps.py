"""What every step of a case shares: the case row locked before its state is checked,
the check that the step's activity (``cases/states.py``) is the actor's on this case, and
the event the step leaves (a ``CaseEvent`` and an audit row).

When a part of a "one thing" application moves, the application follows once the step
commits: the hooks registered with ``when_part_moves`` (the bundles' refresh) run in
``transaction.on_commit``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from onewindow.cases import rollups, states
from onewindow.cases.models import Case, CaseEvent
from onewindow.cases.selectors.actions import BACK, FRONT, in_scope, is_back_for, is_front_at
from onewindow.cases.selectors.queues import standing_in
from onewindow.cases.signals import case_stepped
from onewindow.core.audit import TerminalActor, audit_record
from onewindow.core.clock import now as clock_now
from onewindow.core.errors import Conflict, Forbidden, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import may

# Called with a bundle application's id after a step on one of its parts commits.
PartMovedHook = Callable[[int], None]
_part_moved_hooks: list[PartMovedHook] = []


def when_part_moves(hook: PartMovedHook) -> PartMovedHook:
    """Register ``hook`` to run after a step on a part of a bundle application commits."""
    if hook not in _part_moved_hooks:
        _part_moved_hooks.append(hook)
    return hook


def _part_moved(app_id: int) -> None:
    for hook in list(_part_moved_hooks):
        hook(app_id)


def event(case: Case, action: str, actor, *, before: str, note: str = "", at=None, **data) -> None:
    """Record a step of the case: its event (who, what they wrote, states before and
    after; a backup handler's step says whom they stand in for) and its audit row."""
    signed_in = getattr(actor, "is_authenticated", False)
    label = str(actor) if signed_in else "申请人"
    if isinstance(actor, TerminalActor):
        label = f"申请人（{actor}）"
    stand_in = standing_in(case, actor.pk if signed_in else None)
    if stand_in is not None:
        mark, data["backup_for"] = stand_in
        note = f"{mark}：{note}" if note else mark
    step = CaseEvent.objects.create(
        case=case,
        action=action,
        from_state=before,
        to_state=case.state,
        actor=actor if signed_in else None,
        actor_label=label[:100],
        note=note,
        data=data,
        at=clock_now(at),
    )
    audit_record(
        actor=actor,
        action=f"case.{action}",
        target=case,
        center=case.center,
        department=case.department,
        before={"state": before},
        after={"state": case.state, **data},
        note=note,
    )
    rollups.case_stepped(case, action, before)
    case_stepped.send(
        sender=Case,
        case=case,
        action=action,
        before=before,
        note=note,
        data=data,
        at=at,
        event=step,
    )
    if case.bundle_application_id:
        # A part moved: the bundle's state and longest due date follow once this commits.
        app_id = case.bundle_application_id
        transaction.on_commit(lambda: _part_moved(app_id))


def lock(case: Case) -> Case:
    """The case row, locked for the rest of the transaction."""
    locked = for_update(Case.objects).filter(pk=case.pk).first()
    if locked is None:
        raise NotFound("case.not_found", "未找到该办件。")
    return locked


def require_state(case: Case, action: str) -> None:
    spec = states.ACTIONS[action]
    if case.state not in spec.sources:
        raise Conflict("case.wrong_state", f"办件当前为“{case.state_label}”，不能{spec.label}。")


def require_front(actor, case: Case) -> None:
    """The front window of the case's center (a case out of scope is not found)."""
    if actor.is_superuser:
        return
    if not in_scope(actor, case):
        raise NotFound("case.not_found", "未找到该办件。")
    if not is_front_at(actor, case.center_id):
        raise Forbidden("case.not_front", "该操作须由本中心窗口工作人员办理。")


def require_back(actor, case: Case) -> None:
    """The back office of the case's department, or a clerk who decides on the spot."""
    if actor.is_superuser:
        return
    if not in_scope(actor, case):
        raise NotFound("case.not_found", "未找到该办件。")
    if not is_back_for(actor, case):
        raise Forbidden("case.not_back", "该操作须由承办部门审批人员办理。")


def require_actor(actor, case: Case, action: str) -> None:
    """The actor may take ``action`` on this case: the activity the life-cycle table
    names for the step (``states.ACTIONS[action].activity``)."""
    activity = states.ACTIONS[action].activity
    if activity == FRONT:
        require_front(actor, case)
    elif activity == BACK:
        require_back(actor, case)
    else:
        raise ValueError(f"step {action} is not taken by the front window or the department")


def require_activity(actor, case: Case, activity: str, message: str, code: str) -> None:
    """A role of ``activity`` (``core/roles.py``) and the case within scope."""
    if actor.is_superuser:
        return
    if not in_scope(actor, case):
        raise NotFound("case.not_found", "未找到该办件。")
    if not may(actor, activity):
        raise Forbidden(code, message)
