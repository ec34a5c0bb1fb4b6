"""Online consultation (网上咨询, R-CASE-8) on the consultations of the desk (R-CASE-3).

A citizen asks about a matter at a center; the question goes to the department that
handles the matter there (its listing), due within the center's working-day limit
(``ONEWINDOW_INQUIRY_ANSWER_DAYS``, default 5, counted on the center's work calendar).
Someone of that department takes it and becomes its first owner (首问负责); from then
on it is answered or handed over as at the desk (``inquiries``). If the asker agreed,
the answered question waits for the department's review and only then shows as a FAQ
of the guide.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onewindow.catalog.models import Listing, Matter
from onewindow.complaints.models import FaqState, Inquiry
from onewindow.complaints.services.inquiries import lock_inquiry, workplace
from onewindow.complaints.services.steps import checked_text
from onewindow.core import calendar as work_calendar
from onewindow.core import clock
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, Forbidden, InvalidInput
from onewindow.core.roles import has_any, roles_of
from onewindow.org.models import Center


def answer_days() -> int:
    return int(getattr(settings, "ONEWINDOW_INQUIRY_ANSWER_DAYS", 5))


def _listing(matter: Matter, center: Center | None) -> Listing:
    if center is None:
        raise InvalidInput("inquiry.center_required", "请选择中心。", {"center": "请选择中心。"})
    listing = (
        Listing.objects.filter(matter=matter, center=center, status=Listing.Status.ACTIVE)
        .select_related("department")
        .first()
    )
    if listing is None:
        message = "该中心不办理此事项，请选择办理该事项的中心。"
        raise InvalidInput("inquiry.not_listed", message, {"center": message})
    return listing


@transaction.atomic
def inquiry_ask_online(
    *,
    actor,
    matter: Matter,
    center: Center | None,
    question: str,
    asker_name: str = "",
    asker_phone: str = "",
    publish_consent: bool = False,
    now: datetime | None = None,
) -> Inquiry:
    """网上咨询: the question goes to the matter's department at the center, with its
    due date on the center's work calendar. ``actor`` is the asker (for the trail)."""
    listing = _listing(matter, center)
    now = clock.now(now)
    cal = work_calendar.calendar_for(center=center)
    inquiry = Inquiry.objects.create(
        center=center,
        department=listing.department,
        matter=matter,
        channel=Inquiry.Channel.WEB,
        question=checked_text(question, "question", "咨询内容", 2000, prefix="inquiry"),
        asker_name=checked_text(
            asker_name, "asker_name", "咨询人", 100, required=False, prefix="inquiry"
        ),
        asker_phone=checked_text(
            asker_phone, "asker_phone", "联系电话", 20, required=False, prefix="inquiry"
        ),
        asked_at=now,
        due=cal.add_working_days(timezone.localdate(now), answer_days()).date,
        publish_consent=bool(publish_consent),
    )
    audit_record(
        actor=actor,
        action="inquiry.ask_online",
        target=inquiry,
        center=center,
        department=listing.department,
        after={"department": listing.department_id, "due": inquiry.due},
    )
    return inquiry


@transaction.atomic
def inquiry_take(*, actor, inquiry: Inquiry, now: datetime | None = None) -> Inquiry:
    """Someone of the question's department (or of the center's front office) takes an
    online question nobody owns yet: they are its first owner from now on."""
    inquiry = lock_inquiry(inquiry)
    if inquiry.owner_id is not None:
        raise Conflict("inquiry.taken", "该咨询已有责任人。")
    center_id, department_id = workplace(actor)
    allowed = actor.is_superuser or (
        has_any(roles_of(actor), "inquiry.staff")
        and center_id == inquiry.center_id
        and department_id in (None, inquiry.department_id)
    )
    if not allowed:
        raise Forbidden("inquiry.not_department", "只有该事项的部门或中心工作人员可以接收该咨询。")
    inquiry.first_owner = inquiry.owner = actor
    inquiry.save(update_fields=["first_owner", "owner"])
    audit_record(
        actor=actor,
        action="inquiry.take",
        target=inquiry,
        center=inquiry.center,
        department=inquiry.department,
        after={"owner": actor.pk},
    )
    return inquiry


@transaction.atomic
def inquiry_faq_review(
    *, actor, inquiry: Inquiry, publish: bool, now: datetime | None = None
) -> Inquiry:
    """The department's head (or the center's admin) decides whether the answered
    question is published as a FAQ of the matter's guide."""
    inquiry = lock_inquiry(inquiry)
    if inquiry.faq_state != FaqState.PENDING:
        raise Conflict("inquiry.faq_not_pending", "该咨询没有待审核的公开申请。")
    center_id, department_id = workplace(actor)
    allowed = actor.is_superuser or (
        has_any(roles_of(actor), "inquiry.faq_review")
        and center_id == inquiry.center_id
        and department_id in (None, inquiry.department_id)
    )
    if not allowed:
        raise Forbidden("inquiry.not_reviewer", "只有该部门负责人或中心管理员可以审核公开。")
    inquiry.faq_state = FaqState.PUBLISHED if publish else FaqState.DECLINED
    inquiry.faq_reviewed_by, inquiry.faq_reviewed_at = actor, clock.now(now)
    inquiry.save(update_fields=["faq_state", "faq_reviewed_by", "faq_reviewed_at"])
    audit_record(
        actor=actor,
        action="inquiry.faq_publish" if publish else "inquiry.faq_decline",
        target=inquiry,
        center=inquiry.center,
        department=inquiry.department,
        after={"faq_state": inquiry.faq_state},
    )
    return inquiry
