"""Registering a complaint from any channel (R-CPL-1): the hall's desk, the suggestion
box, the phone, the 12345 hotline, the portal, the terminal, Open311. Numbered per
center and day; routed to a suggested department; a repeat by the same person on the
same subject is linked to the first."""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from onewindow.catalog.models import Matter
from onewindow.complaints import rollups, topics
from onewindow.complaints.models import Complaint
from onewindow.complaints.selectors import (
    is_center_staff,
    place_words,
    rules_for,
    suggest_department,
)
from onewindow.complaints.services.steps import (
    MAX_SUBJECT,
    MAX_TEXT,
    answer_clock,
    checked_text,
    event,
)
from onewindow.core import clock
from onewindow.core.audit import TerminalActor
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.numbering import next_in_day
from onewindow.core.scope import scope_for
from onewindow.core.validation import is_mobile
from onewindow.org.models import Center


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
    now = clock.now(now)
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
    subject = checked_text(subject, "subject", "主题", MAX_SUBJECT)
    content = checked_text(content, "content", "内容", MAX_TEXT)
    name = checked_text(name, "name", "姓名", 100, required=False)
    phone = re.sub(r"[\s-]", "", phone or "")
    email = checked_text(email, "email", "电子邮箱", 120, required=False)
    address = checked_text(address, "address", "地点", 200, required=False)
    staff_concerned = checked_text(
        staff_concerned, "staff_concerned", "涉及工作人员", 100, required=False
    )
    if anonymous:
        name, phone, email = "", "", ""
    elif phone and not is_mobile(phone) and not re.fullmatch(r"0\d{9,11}", phone):
        message = "请填写11位手机号码或带区号的固定电话。"
        raise InvalidInput("complaint.bad_phone", message, {"phone": message})
    elif not phone and source in (Complaint.Source.WEB, Complaint.Source.TERMINAL):
        message = "请留下联系电话以便答复和回访，或选择匿名。"
        raise InvalidInput("complaint.phone_required", message, {"phone": message})
    hotline_order = checked_text(hotline_order, "hotline_order", "12345工单号", 40, required=False)
    if source == Complaint.Source.HOTLINE and not hotline_order:
        message = "12345热线工单须有工单号。"
        raise InvalidInput("complaint.hotline_order_required", message, {"hotline_order": message})
    if hotline_order and Complaint.objects.filter(hotline_order=hotline_order).exists():
        message = f"12345工单{hotline_order}已登记。"
        raise Conflict("complaint.hotline_duplicate", message)
    text = f"{subject} {content}"
    places = place_words()
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
    rollups.complaint_received(complaint)
    if kind == Complaint.Kind.COMPLAINT or kind == Complaint.Kind.SUGGESTION:
        complaint.deadline = answer_clock(
            complaint, user, timezone.localdate(now), rules_for(center).answer_days
        )
        complaint.save(update_fields=["deadline"])
    label = str(actor) if isinstance(actor, TerminalActor) else Complaint.Source(source).label
    event(
        complaint,
        "receive",
        user or label,
        before="",
        at=now,
        source=source,
        suggested=suggestion.department,
    )
    if complaint.related_to_id:
        event(
            complaint,
            "link",
            user or label,
            before=complaint.state,
            at=now,
            note=f"同一投诉人同一事由，关联首次投诉 {complaint.related_to.number}，不重复统计",
            first=complaint.related_to.number,
        )
    return complaint
