"""Door-to-door visits (上门服务, R-HALL-6): requested, assigned, visited, result mailed."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from onewindow.catalog.models import Matter
from onewindow.core import clock
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.hall import home_visit_states as hv
from onewindow.hall.access import require_center_admin
from onewindow.hall.appointments.common import (
    CONTACT_PHONE_RE,
    TRACKING_RE,
    clean_name,
)
from onewindow.hall.limits import rate_limit_hit
from onewindow.hall.models import (
    HomeVisit,
)
from onewindow.org.models import Center

# --- home visits -------------------------------------------------------------------------------


def _visit_require(action: str, visit: HomeVisit) -> None:
    transition = hv.TRANSITIONS[action]
    if visit.state not in transition.sources:
        raise Conflict(
            "home_visit.wrong_state",
            f"该上门服务当前为“{visit.get_state_display()}”，不能{transition.label}。",
        )


def _lock_visit(visit: HomeVisit) -> HomeVisit:
    found = for_update(HomeVisit.objects).filter(pk=visit.pk).first()
    if found is None:
        raise NotFound("home_visit.not_found", "未找到该上门服务。")
    return found


def _require_admin_or_assignee(actor, visit: HomeVisit) -> None:
    if visit.staff_id is not None and visit.staff_id == getattr(actor, "pk", None):
        return
    require_center_admin(actor, visit.center)


@transaction.atomic
def home_visit_request(
    *,
    center: Center,
    matter: Matter,
    name: str,
    phone: str,
    address: str,
    note: str = "",
    actor=None,
    client_key: str = "",
) -> HomeVisit:
    """A request for door-to-door service: from the portal (no actor) or taken by staff."""
    name = clean_name(name, "home_visit.name", "联系人")
    phone = re.sub(r"\s", "", phone or "")
    if not CONTACT_PHONE_RE.match(phone):
        msg = "请填写11位手机号码或带区号的固定电话。"
        raise InvalidInput("home_visit.phone", msg, {"phone": msg})
    address = (address or "").replace("\x00", "").strip()
    if len(address) < 5 or len(address) > 200:
        msg = "请填写详细的上门地址（乡镇、村、门牌号）。"
        raise InvalidInput("home_visit.address", msg, {"address": msg})
    note = (note or "").replace("\x00", "").strip()[:1000]
    if not center.is_active:
        raise NotFound("center.not_found", "未找到该服务中心。")
    if matter.current_version_id is None or matter.status != Matter.Status.ACTIVE:
        raise NotFound("matter.not_found", "未找到该事项。")
    if actor is None:
        rate_limit_hit("client", client_key)
        rate_limit_hit("phone", phone)
    visit = HomeVisit.objects.create(
        center=center, matter=matter, name=name, phone=phone, address=address, note=note
    )
    audit_record(
        actor=actor or f"上门服务申请（电话尾号{phone[-4:]}）",
        action="home_visit.request",
        target=visit,
        center=center,
        after={"state": visit.state, "matter": matter.pk},
    )
    return visit


@transaction.atomic
def home_visit_assign(
    *, actor, visit: HomeVisit, staff, visit_on: date, now: datetime | None = None
) -> HomeVisit:
    visit = _lock_visit(visit)
    require_center_admin(actor, visit.center)
    _visit_require("assign", visit)
    profile = getattr(staff, "staff_profile", None)
    if profile is None or not profile.active or profile.center_id != visit.center_id:
        msg = "上门人员须为本中心在岗工作人员。"
        raise InvalidInput("home_visit.staff", msg, {"staff": msg})
    if visit_on is None or visit_on < timezone.localdate(clock.now(now)):
        msg = "上门日期不能早于今天。"
        raise InvalidInput("home_visit.visit_on", msg, {"visit_on": msg})
    before = {"state": visit.state, "staff": visit.staff_id, "visit_on": visit.visit_on}
    visit.state, visit.staff, visit.visit_on = hv.ASSIGNED, staff, visit_on
    visit.save(update_fields=["state", "staff", "visit_on"])
    audit_record(
        actor=actor,
        action="home_visit.assign",
        target=visit,
        center=visit.center,
        before=before,
        after={"state": visit.state, "staff": staff.pk, "visit_on": visit_on},
    )
    return visit


@transaction.atomic
def home_visit_mark_visited(
    *, actor, visit: HomeVisit, note: str = "", now: datetime | None = None
) -> HomeVisit:
    visit = _lock_visit(visit)
    _require_admin_or_assignee(actor, visit)
    _visit_require("visit", visit)
    visit.state, visit.visited_at = hv.VISITED, clock.now(now)
    visit.save(update_fields=["state", "visited_at"])
    audit_record(
        actor=actor,
        action="home_visit.visit",
        target=visit,
        center=visit.center,
        before={"state": hv.ASSIGNED},
        after={"state": visit.state},
        note=(note or "").strip()[:500],
    )
    return visit


@transaction.atomic
def home_visit_mark_mailed(
    *, actor, visit: HomeVisit, tracking_number: str, now: datetime | None = None
) -> HomeVisit:
    number = re.sub(r"\s", "", tracking_number or "").upper()
    if not TRACKING_RE.match(number):
        msg = "请填写邮寄单号（6-40位字母、数字或短横线）。"
        raise InvalidInput("home_visit.tracking_number", msg, {"tracking_number": msg})
    visit = _lock_visit(visit)
    _require_admin_or_assignee(actor, visit)
    _visit_require("mail", visit)
    visit.state, visit.tracking_number, visit.mailed_at = hv.MAILED, number, clock.now(now)
    visit.save(update_fields=["state", "tracking_number", "mailed_at"])
    audit_record(
        actor=actor,
        action="home_visit.mail",
        target=visit,
        center=visit.center,
        before={"state": hv.VISITED},
        after={"state": visit.state, "tracking_number": number},
    )
    return visit


@transaction.atomic
def home_visit_cancel(
    *, actor, visit: HomeVisit, reason: str, now: datetime | None = None
) -> HomeVisit:
    reason = (reason or "").replace("\x00", "").strip()
    if not reason:
        raise InvalidInput("home_visit.reason", "请填写取消原因。", {"reason": "请填写取消原因。"})
    visit = _lock_visit(visit)
    require_center_admin(actor, visit.center)
    _visit_require("cancel", visit)
    before = visit.state
    visit.state, visit.cancelled_at, visit.cancel_reason = (
        hv.CANCELLED,
        clock.now(now),
        reason[:200],
    )
    visit.save(update_fields=["state", "cancelled_at", "cancel_reason"])
    audit_record(
        actor=actor,
        action="home_visit.cancel",
        target=visit,
        center=visit.center,
        before={"state": before},
        after={"state": visit.state},
        note=visit.cancel_reason,
    )
    return visit
