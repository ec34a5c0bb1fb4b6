"""The register of departments' separate halls (只进一扇门, seed 二(二)4): recorded,
changed and closed by the center administrator who keeps its level's register."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.core import clock
from onewindow.core.audit import audit_record, snapshot
from onewindow.core.errors import Conflict, Forbidden, InvalidInput
from onewindow.core.locking import for_update
from onewindow.core.scope import scope_for
from onewindow.core.text import clean_text
from onewindow.oversight.models import SeparateHall
from onewindow.oversight.selectors.separate_halls import can_keep, hall_get, kept_departments

FIELDS = [
    "department",
    "name",
    "address",
    "matters_count",
    "matters_list",
    "reason",
    "plan",
    "planned_close",
    "closed_on",
]
MAX_MATTERS = 10_000


def _text(value, field, label, limit, required=True) -> str:
    return clean_text(
        value,
        field=field,
        label=label,
        limit=limit,
        required=required,
        code="separate_hall.invalid",
    )


def _values(data: dict) -> dict:
    count = data.get("matters_count")
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_MATTERS:
        message = f"仍在大厅办理的事项数须为0至{MAX_MATTERS}的整数。"
        raise InvalidInput("separate_hall.invalid", message, {"matters_count": message})
    planned = data.get("planned_close")
    if planned is not None and not isinstance(planned, dt.date):
        raise InvalidInput(
            "separate_hall.invalid", "计划撤并日期不正确。", {"planned_close": "日期不正确。"}
        )
    return {
        "name": _text(data.get("name"), "name", "大厅名称", 100),
        "address": _text(data.get("address"), "address", "地址", 200),
        "matters_count": count,
        "matters_list": _text(data.get("matters_list"), "matters_list", "事项", 4000, False),
        "reason": _text(data.get("reason"), "reason", "单独设立的原因", 2000),
        "plan": _text(data.get("plan"), "plan", "撤并计划", 2000, False),
        "planned_close": planned,
    }


def _save(hall: SeparateHall) -> None:
    try:
        with transaction.atomic():
            hall.save()
    except IntegrityError:
        message = f"{hall.department.name}已登记名为“{hall.name}”的大厅。"
        raise Conflict("separate_hall.exists", message) from None


@transaction.atomic
def separate_hall_record(*, actor, department_id, **data) -> SeparateHall:
    """Enter a department's separate hall in the register."""
    department = kept_departments(actor).filter(pk=_id(department_id)).first()
    if department is None:
        message = "请选择本级的部门（县市中心管理员登记本县市部门的大厅）。"
        raise InvalidInput("separate_hall.department", message, {"department": message})
    hall = SeparateHall(department=department, created_by=actor, **_values(data))
    _save(hall)
    audit_record(
        actor=actor,
        action="separate_hall.record",
        target=hall,
        department=department,
        after=snapshot(hall, FIELDS),
    )
    return hall


def _locked(actor, hall_id) -> SeparateHall:
    hall = hall_get(scope=scope_for(actor), hall_id=hall_id)
    if not can_keep(actor, hall):
        raise Forbidden("separate_hall.forbidden", "该大厅由其所在层级的中心管理员登记维护。")
    return for_update(SeparateHall.objects).select_related("department").get(pk=hall.pk)


@transaction.atomic
def separate_hall_update(*, actor, hall_id, **data) -> SeparateHall:
    hall = _locked(actor, hall_id)
    before = snapshot(hall, FIELDS)
    for key, value in _values(data).items():
        setattr(hall, key, value)
    hall.updated_at = clock.now()
    _save(hall)
    audit_record(
        actor=actor,
        action="separate_hall.update",
        target=hall,
        department=hall.department,
        before=before,
        after=snapshot(hall, FIELDS),
    )
    return hall


@transaction.atomic
def separate_hall_close(*, actor, hall_id, on: dt.date | None = None) -> SeparateHall:
    """The hall closed on ``on`` (default today), its matters moved into the center."""
    hall = _locked(actor, hall_id)
    if hall.closed_on is not None:
        raise Conflict("separate_hall.closed", f"该大厅已于{hall.closed_on.isoformat()}撤并。")
    today = timezone.localdate(clock.now())
    on = on or today
    if on > today:
        raise InvalidInput(
            "separate_hall.invalid", "实际撤并日期不能晚于今天。", {"closed_on": "不能晚于今天。"}
        )
    before = snapshot(hall, FIELDS)
    hall.closed_on, hall.updated_at = on, clock.now()
    hall.save(update_fields=["closed_on", "updated_at"])
    audit_record(
        actor=actor,
        action="separate_hall.close",
        target=hall,
        department=hall.department,
        before=before,
        after=snapshot(hall, FIELDS),
    )
    return hall


def _id(value) -> int | None:
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() and len(text) <= 12 else None
