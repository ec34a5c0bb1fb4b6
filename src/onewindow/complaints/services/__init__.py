"""Every write to a complaint: registration on any channel, dispatch to the responsible
department, the department's return or answer, the extension, the complainant's
feedback and reopening, the center's revisit and close (R-CPL-1). One transaction
each; the complaint row is locked before its state is checked; every step is a
ComplaintEvent and an audit row.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onewindow.catalog.models import Listing, Matter
from onewindow.complaints import selectors, states, topics
from onewindow.complaints.models import Complaint, ComplaintEvent, ComplaintRules
from onewindow.core import calendar as work_calendar
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.numbering import next_in_day
from onewindow.core.roles import Role, roles_of
from onewindow.core.scope import scope_for
from onewindow.core.validation import is_mobile
from onewindow.org.models import Center, Department

# Who registers, dispatches, revisits and closes: the center's complaint office.
CENTER_ROLES = frozenset({Role.CLERK, Role.CENTER_ADMIN})
DEPARTMENT_ROLES = frozenset({Role.APPROVER, Role.CHIEF_REP})
# Who sees the complainant's name and phone (never the department complained about).
IDENTITY_ROLES = frozenset({Role.CLERK, Role.CENTER_ADMIN, Role.SUPERVISOR})

MAX_SUBJECT = 200
MAX_TEXT = 4000


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# --- rules -----------------------------------------------------------------------------------


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def rules_for(center: Center) -> ComplaintRules:
    """The center's limits, or the settings' defaults (an unsaved row)."""
    found = ComplaintRules.objects.filter(center=center).first()
    if found is not None:
        return found
    return ComplaintRules(
        center=center,
        answer_days=_setting("ONEWINDOW_COMPLAINT_ANSWER_DAYS", 5),
        extension_days=_setting("ONEWINDOW_COMPLAINT_EXTENSION_DAYS", 5),
        return_days=_setting("ONEWINDOW_COMPLAINT_RETURN_DAYS", 1),
        repeat_window_days=_setting("ONEWINDOW_COMPLAINT_REPEAT_DAYS", 30),
    )


# --- helpers ---------------------------------------------------------------------------------


def _event(
    complaint: Complaint, action: str, actor, *, before: str, note: str = "", at=None, **data
) -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = str(user) if user else (actor if isinstance(actor, str) else "系统")
    ComplaintEvent.objects.create(
        complaint=complaint,
        action=action,
        from_state=before,
        to_state=complaint.state,
        actor=user,
        actor_label=label[:100],
        note=note,
        data=data,
        at=at or timezone.now(),
    )
    audit_record(
        actor=user or label,
        action=f"complaint.{action}",
        target=complaint,
        center=complaint.center,
        department=complaint.department,
        before={"state": before},
        after={"state": complaint.state, **data},
        note=note,
    )


def _lock(complaint) -> Complaint:
    pk = getattr(complaint, "pk", complaint)
    locked = for_update(Complaint.objects).filter(pk=pk).first()
    if locked is None:
        raise NotFound("complaint.not_found", "未找到该投诉。")
    return locked


def _require_state(complaint: Complaint, action: str) -> None:
    spec = states.ACTIONS[action]
    if complaint.state not in spec.sources:
        raise Conflict(
            "complaint.wrong_state",
            f"该投诉当前为“{complaint.state_label}”，不能{spec.label}。",
        )


def _in_scope(actor, complaint: Complaint) -> bool:
    return Complaint.objects.visible_to(scope_for(actor)).filter(pk=complaint.pk).exists()


def is_center_staff(actor, center_id: int) -> bool:
    if actor.is_superuser:
        return True
    profile = getattr(actor, "staff_profile", None)
    return bool(roles_of(actor) & CENTER_ROLES) and profile.center_id == center_id


def _require_center(actor, complaint: Complaint) -> None:
    if actor.is_superuser:
        return
    if not _in_scope(actor, complaint):
        raise NotFound("complaint.not_found", "未找到该投诉。")
    if not is_center_staff(actor, complaint.center_id):
        raise Forbidden("complaint.not_center", "该操作须由本中心投诉受理人员办理。")


def _require_center_admin(actor, complaint: Complaint) -> None:
    if actor.is_superuser:
        return
    if not _in_scope(actor, complaint):
        raise NotFound("complaint.not_found", "未找到该投诉。")
    if Role.CENTER_ADMIN not in roles_of(actor):
        raise Forbidden("complaint.not_center_admin", "延期须经中心管理员批准。")


def is_department_staff(actor, complaint: Complaint) -> bool:
    profile = getattr(actor, "staff_profile", None)
    return (
        profile is not None
        and bool(roles_of(actor) & DEPARTMENT_ROLES)
        and complaint.department_id is not None
        and profile.department_id == complaint.department_id
    )


def _require_department(actor, complaint: Complaint) -> None:
    if actor.is_superuser:
        return
    if not _in_scope(actor, complaint):
        raise NotFound("complaint.not_found", "未找到该投诉。")
    if not is_department_staff(actor, complaint):
        raise Forbidden("complaint.not_department", "该操作须由责任部门人员办理。")


def sees_identity(user, complaint: Complaint) -> bool:
    """The complainant's name and phone: the center's complaint office and supervisors
    in scope; never the department complained about (nor anyone in it)."""
    if getattr(user, "is_superuser", False):
        return True
    profile = getattr(user, "staff_profile", None)
    if profile is None or not profile.active:
        return False
    if profile.department_id and profile.department_id == complaint.department_id:
        return False
    return bool(roles_of(user) & IDENTITY_ROLES) and _in_scope(user, complaint)


def _text(value, field: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise InvalidInput(
            f"complaint.{field}_required", f"请填写{label}。", {field: f"请填写{label}。"}
        )
    if len(value) > limit:
        message = f"{label}不能超过{limit}字。"
        raise InvalidInput(f"complaint.{field}_too_long", message, {field: message})
    return value


def _coordinate(value, field: str, low: int, high: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not (low <= number <= high):
        message = "坐标格式不正确。"
        raise InvalidInput("complaint.bad_location", message, {field: message})
    return number


def _next_number(center: Center, day: date) -> str:
    number = next_in_day(series="complaint", key=center.pk, day=day)
    return f"T{center.region.code}{day:%Y%m%d}{number:03d}"


def _answer_clock(complaint: Complaint, actor, start: date, days: int):
    return work_calendar.deadline_start(
        actor=None if actor is None or isinstance(actor, str) else actor,
        center=complaint.center,
        purpose=f"投诉{complaint.number}答复时限",
        start=start,
        days=days,
    )


# --- routing ---------------------------------------------------------------------------------


def suggest_department(
    center: Center, text: str, places: frozenset[str] | None = None
) -> topics.Suggestion:
    """The department the text most likely concerns, among those stationed at the
    center and those whose matters are listed there (words against their names, their
    line's names and their matters' names and keywords)."""
    listings = (
        Listing.objects.active().filter(center=center).select_related("matter", "department__line")
    )
    by_department: dict[int, dict] = {}
    for department in Department.objects.filter(center=center).select_related("line"):
        by_department[department.pk] = {"department": department, "matters": []}
    for listing in listings:
        entry = by_department.setdefault(
            listing.department_id, {"department": listing.department, "matters": []}
        )
        m = listing.matter
        entry["matters"].append((m.pk, f"{m.name} {m.keywords}"))
    candidates = []
    for pk, entry in by_department.items():
        department = entry["department"]
        candidates.append(
            topics.Candidate(
                key=pk,
                texts=((department.name, 3.0), (department.line.name, 3.0)),
                matter_keys=tuple(entry["matters"]),
            )
        )
    if places is None:
        places = selectors.place_words()
    return topics.suggest(text, candidates, places=places)


# --- registration ----------------------------------------------------------------------------


def _find_repeat(center: Center, phone: str, words: list[str], matter_id, now) -> Complaint | None:
    """The first complaint by the same phone on the same subject within the window."""
    if not phone:
        return None
    window = rules_for(center).repeat_window_days
    earlier = (
        Complaint.objects.filter(
            center=center,
            phone=phone,
            related_to__isnull=True,
            received_at__gte=now - timedelta(days=window),
            received_at__lte=now,
        )
        .order_by("received_at", "id")
        .only("id", "words", "matter_id", "number")
    )
    mine = set(words)
    for other in earlier:
        if matter_id and other.matter_id == matter_id:
            return other
        theirs = set(other.words or [])
        if mine and theirs and len(mine & theirs) / len(mine | theirs) >= 0.5:
            return other
    return None


@transaction.atomic
def complaint_file(
    *,
    actor=None,
    center: Center,
    source: str,
    subject: str,
    content: str,
    kind: str = Complaint.Kind.COMPLAINT,
    anonymous: bool = False,
    name: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    lat=None,
    long=None,
    matter: Matter | None = None,
    staff_concerned: str = "",
    hotline_order: str = "",
    hotline_due: datetime | None = None,
    hotline_client=None,
    now: datetime | None = None,
) -> Complaint:
    """Register a complaint from any channel. Staff register at their own center (desk,
    box, phone); citizens file on the portal, the terminal or Open311 without signing in
    (``actor`` None). The answer clock starts today (day 0); a complaint by the same
    person on the same subject within the repeat window is linked to the first."""
    now = _now(now)
    if source not in Complaint.Source.values:
        raise InvalidInput("complaint.bad_source", "来源不正确。", {"source": "来源不正确。"})
    if kind not in Complaint.Kind.values:
        raise InvalidInput("complaint.bad_kind", "类别不正确。", {"kind": "类别不正确。"})
    user = actor if getattr(actor, "is_authenticated", False) else None
    if user is not None and not is_center_staff(user, center.pk):
        if not Center.objects.visible_to(scope_for(user)).filter(pk=center.pk).exists():
            raise NotFound("center.not_found", "未找到该服务中心。")
        raise Forbidden("complaint.not_center", "只有本中心的工作人员可以登记投诉。")
    if not center.is_active:
        raise NotFound("center.not_found", "未找到该服务中心。")
    subject = _text(subject, "subject", "主题", MAX_SUBJECT)
    content = _text(content, "content", "内容", MAX_TEXT)
    name = _text(name, "name", "姓名", 100, required=False)
    phone = re.sub(r"[\s-]", "", phone or "")
    email = _text(email, "email", "电子邮箱", 120, required=False)
    address = _text(address, "address", "地点", 200, required=False)
    staff_concerned = _text(staff_concerned, "staff_concerned", "涉及工作人员", 100, required=False)
    if anonymous:
        name, phone, email = "", "", ""
    elif phone and not is_mobile(phone) and not re.fullmatch(r"0\d{9,11}", phone):
        message = "请填写11位手机号码或带区号的固定电话。"
        raise InvalidInput("complaint.bad_phone", message, {"phone": message})
    elif not phone and source in (Complaint.Source.WEB, Complaint.Source.TERMINAL):
        message = "请留下联系电话以便答复和回访，或选择匿名。"
        raise InvalidInput("complaint.phone_required", message, {"phone": message})
    hotline_order = _text(hotline_order, "hotline_order", "12345工单号", 40, required=False)
    if source == Complaint.Source.HOTLINE and not hotline_order:
        message = "12345热线工单须有工单号。"
        raise InvalidInput("complaint.hotline_order_required", message, {"hotline_order": message})
    if hotline_order and Complaint.objects.filter(hotline_order=hotline_order).exists():
        message = f"12345工单{hotline_order}已登记。"
        raise Conflict("complaint.hotline_duplicate", message)
    text = f"{subject} {content}"
    places = selectors.place_words()
    suggestion = suggest_department(center, text, places)
    words = topics.topic_words(text, places=places)
    if matter is None and suggestion.matter:
        matter = Matter.objects.filter(pk=suggestion.matter).first()
    complaint = Complaint(
        number=_next_number(center, timezone.localdate(now)),
        token=secrets.token_urlsafe(18),
        kind=kind,
        source=source,
        center=center,
        suggested_department_id=suggestion.department,
        matter=matter,
        staff_concerned=staff_concerned,
        subject=subject,
        content=content,
        words=words,
        anonymous=bool(anonymous),
        name=name,
        phone=phone,
        email=email,
        address=address,
        lat=_coordinate(lat, "lat", -90, 90),
        long=_coordinate(long, "long", -180, 180),
        received_at=now,
        received_by=user,
        hotline_order=hotline_order,
        hotline_due=hotline_due,
        hotline_client=hotline_client,
    )
    complaint.related_to = _find_repeat(center, phone, words, matter.pk if matter else None, now)
    complaint.save()
    if kind == Complaint.Kind.COMPLAINT or kind == Complaint.Kind.SUGGESTION:
        complaint.deadline = _answer_clock(
            complaint, user, timezone.localdate(now), rules_for(center).answer_days
        )
        complaint.save(update_fields=["deadline"])
    label = Complaint.Source(source).label
    _event(
        complaint,
        "receive",
        user or label,
        before="",
        at=now,
        source=source,
        suggested=suggestion.department,
    )
    if complaint.related_to_id:
        _event(
            complaint,
            "link",
            user or label,
            before=complaint.state,
            at=now,
            note=f"同一投诉人同一事由，关联首次投诉 {complaint.related_to.number}，不重复统计",
            first=complaint.related_to.number,
        )
    return complaint


# --- the center ------------------------------------------------------------------------------


@transaction.atomic
def complaint_dispatch(
    *, actor, complaint: Complaint, department: Department, note: str = "", now=None
) -> Complaint:
    """分办: the dispatcher confirms or changes the suggested department. The
    department may return it within the return limit (default 1 working day)."""
    now = _now(now)
    complaint = _lock(complaint)
    _require_center(actor, complaint)
    _require_state(complaint, "dispatch")
    department = Department.objects.filter(pk=getattr(department, "pk", department)).first()
    if department is None:
        message = "请选择责任部门。"
        raise InvalidInput("complaint.department_required", message, {"department": message})
    if complaint.state == states.RETURNED and department.pk == complaint.department_id:
        message = "该部门已退回此投诉，请分办至其他部门。"
        raise InvalidInput("complaint.same_department", message, {"department": message})
    before = complaint.state
    complaint.state = states.DISPATCHED
    complaint.department = department
    complaint.dispatched_at = now
    cal = work_calendar.calendar_for(center=complaint.center)
    days = rules_for(complaint.center).return_days
    complaint.return_due = cal.add_working_days(timezone.localdate(now), days).date
    complaint.save()
    _event(
        complaint,
        "dispatch",
        actor,
        before=before,
        at=now,
        note=_text(note, "note", "说明", 500, required=False),
        department=department.name,
        suggested=complaint.suggested_department_id == department.pk,
    )
    return complaint


@transaction.atomic
def complaint_extension_approve(
    *, actor, complaint: Complaint, approve: bool = True, note: str = "", now=None
) -> Complaint:
    """The center approves (or refuses) the department's request; approved once, the
    answer limit grows by the extension days (default 5 working days)."""
    now = _now(now)
    complaint = _lock(complaint)
    _require_center_admin(actor, complaint)
    if complaint.extension != "requested":
        raise Conflict("complaint.no_extension_request", "没有待审批的延期申请。")
    if complaint.state not in states.CLOCK_RUNNING:
        raise Conflict("complaint.wrong_state", "该投诉已答复，无需延期。")
    complaint.extension = "approved" if approve else "refused"
    old = complaint.deadline
    if approve and old is not None:
        rules = rules_for(complaint.center)
        complaint.deadline = _answer_clock(
            complaint, actor, old.start, old.days + rules.extension_days
        )
        complaint.overdue = False
    complaint.save()
    _event(
        complaint,
        "extension_approve" if approve else "extension_refuse",
        actor,
        before=complaint.state,
        at=now,
        note=_text(note, "note", "说明", 500, required=False),
        due=complaint.deadline.due.isoformat() if complaint.deadline else None,
    )
    return complaint


@transaction.atomic
def complaint_revisit(*, actor, complaint: Complaint, note: str, now=None) -> Complaint:
    """回访: the center calls the complainant back after the answer (not anonymous)."""
    now = _now(now)
    complaint = _lock(complaint)
    _require_center(actor, complaint)
    _require_state(complaint, "revisit")
    if complaint.anonymous or not complaint.phone:
        raise Conflict("complaint.anonymous", "匿名投诉没有联系方式，无法回访，可直接办结。")
    note = _text(note, "revisit_note", "回访记录", 1000)
    before = complaint.state
    complaint.state = states.REVISITED
    complaint.revisit_note, complaint.revisited_at = note, now
    complaint.save()
    _event(complaint, "revisit", actor, before=before, at=now, note=note)
    return complaint


@transaction.atomic
def complaint_close(*, actor, complaint: Complaint, note: str = "", now=None) -> Complaint:
    """办结: after the revisit; an anonymous complaint closes after the answer."""
    now = _now(now)
    complaint = _lock(complaint)
    _require_center(actor, complaint)
    _require_state(complaint, "close")
    if complaint.state != states.REVISITED and not complaint.anonymous:
        raise Conflict("complaint.revisit_first", "实名投诉须先回访投诉人，再办结。")
    before = complaint.state
    complaint.state, complaint.closed_at = states.CLOSED, now
    complaint.save()
    _event(
        complaint,
        "close",
        actor,
        before=before,
        at=now,
        note=_text(note, "note", "说明", 500, required=False),
    )
    return complaint


# --- the department --------------------------------------------------------------------------


@transaction.atomic
def complaint_return(*, actor, complaint: Complaint, reason: str, now=None) -> Complaint:
    """退回: not this department's business; once, with a reason, within the return
    limit (default 1 working day after dispatch)."""
    now = _now(now)
    complaint = _lock(complaint)
    _require_department(actor, complaint)
    _require_state(complaint, "return")
    if complaint.returns >= 1:
        raise Conflict("complaint.returned_once", "投诉只能退回一次，请按时答复。")
    if complaint.return_due and timezone.localdate(now) > complaint.return_due:
        raise Conflict(
            "complaint.return_too_late",
            f"退回期限（{complaint.return_due:%Y年%-m月%-d日}）已过，不能再退回，请按时答复。",
        )
    reason = _text(reason, "reason", "退回理由", 500)
    before = complaint.state
    department = complaint.department
    complaint.state = states.RETURNED
    complaint.returns += 1
    complaint.return_reason = reason
    complaint.save()
    _event(
        complaint, "return", actor, before=before, at=now, note=reason, department=department.name
    )
    return complaint


@transaction.atomic
def complaint_extension_request(*, actor, complaint: Complaint, reason: str, now=None) -> Complaint:
    """申请延期: once, with a reason, while the clock runs; the center decides."""
    now = _now(now)
    complaint = _lock(complaint)
    _require_department(actor, complaint)
    if complaint.state != states.DISPATCHED:
        raise Conflict(
            "complaint.wrong_state", f"该投诉当前为“{complaint.state_label}”，不能申请延期。"
        )
    if complaint.extension:
        raise Conflict("complaint.extended_once", "答复期限只能延长一次。")
    complaint.extension = "requested"
    complaint.extension_reason = _text(reason, "reason", "延期理由", 500)
    complaint.save(update_fields=["extension", "extension_reason"])
    _event(
        complaint,
        "extension_request",
        actor,
        before=complaint.state,
        at=now,
        note=complaint.extension_reason,
    )
    return complaint


@transaction.atomic
def complaint_answer(*, actor, complaint: Complaint, answer: str, now=None) -> Complaint:
    """答复: the department's answer, given to the complainant (and to the hotline)."""
    now = _now(now)
    complaint = _lock(complaint)
    _require_department(actor, complaint)
    _require_state(complaint, "answer")
    answer = _text(answer, "answer", "答复内容", MAX_TEXT)
    before = complaint.state
    complaint.state = states.ANSWERED
    complaint.answer, complaint.answered_at, complaint.answered_by = answer, now, actor
    if complaint.extension == "requested":
        complaint.extension = ""
    complaint.save()
    late = bool(complaint.deadline and timezone.localdate(now) > complaint.deadline.due)
    _event(complaint, "answer", actor, before=before, at=now, note=answer, late=late)
    return complaint


# --- the complainant (through the secret link) -----------------------------------------------


def complaint_by_token(token: str) -> Complaint:
    complaint = (
        Complaint.objects.select_related("center", "department", "deadline")
        .filter(token=(token or "")[:40])
        .first()
    )
    if complaint is None or not token:
        raise NotFound("complaint.not_found", "未找到该投诉，请核对链接。")
    return complaint


@transaction.atomic
def complaint_feedback(*, token: str, satisfied: bool, note: str = "", now=None) -> Complaint:
    """The complainant says whether the answer satisfies them."""
    now = _now(now)
    complaint = _lock(complaint_by_token(token))
    action = "satisfied" if satisfied else "unsatisfied"
    _require_state(complaint, action)
    before = complaint.state
    complaint.state = states.ACTIONS[action].target
    complaint.feedback = _text(note, "note", "意见", 1000, required=False)
    complaint.save()
    _event(complaint, action, "投诉人", before=before, at=now, note=complaint.feedback)
    return complaint


@transaction.atomic
def complaint_reopen(*, token: str, reason: str, now=None) -> Complaint:
    """Not satisfied, the complainant may ask once for the matter to be handled again:
    back to the same department with a new answer clock."""
    now = _now(now)
    complaint = _lock(complaint_by_token(token))
    _require_state(complaint, "reopen")
    if complaint.reopened:
        raise Conflict("complaint.reopened_once", "每件投诉只能申请重新办理一次。")
    reason = _text(reason, "reason", "重新办理的理由", 1000)
    before = complaint.state
    complaint.state = states.DISPATCHED
    complaint.reopened = True
    complaint.overdue = False
    complaint.deadline = _answer_clock(
        complaint, None, timezone.localdate(now), rules_for(complaint.center).answer_days
    )
    complaint.save()
    _event(complaint, "reopen", "投诉人", before=before, at=now, note=reason)
    return complaint
