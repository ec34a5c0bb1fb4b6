"""我的事务: what belongs to a citizen account, read through its scope.

An account's scope is the phones it has proved (``ClaimedPhone``) and the questions it
asked online. A record outside it is not found (404), whatever its number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from onewindow.cases import states as case_states
from onewindow.cases.models import ApplicantDocument, Case
from onewindow.cases.selectors.files import same_material, valid_on
from onewindow.cases.selectors.online import ONLINE_CHANNELS
from onewindow.complaints.models import Complaint, FaqState, Inquiry
from onewindow.core.errors import NotFound
from onewindow.evaluation.models import Review
from onewindow.evaluation.selectors import CONCLUDED
from onewindow.hall import selectors as hall_selectors
from onewindow.hall import states as ticket_states
from onewindow.hall.models import Appointment, Ticket
from onewindow.messaging.models import Refusal
from onewindow.portal.models import CitizenAccount

RECENT = 50  # the latest of each kind on the page


def phones_of(account: CitizenAccount) -> list[str]:
    return list(account.claimed_phones.values_list("phone", flat=True))


def message_choices(account: CitizenAccount) -> list[tuple[str, bool]]:
    """Each proved phone of the account and whether it refuses messages (R-MSG-1)."""
    phones = phones_of(account)
    refused = set(Refusal.objects.filter(phone__in=phones).values_list("phone", flat=True))
    return [(phone, phone in refused) for phone in phones]


def account_tickets(account: CitizenAccount) -> QuerySet[Ticket]:
    return Ticket.objects.filter(phone__in=phones_of(account)).select_related("center")


def account_appointments(account: CitizenAccount) -> QuerySet[Appointment]:
    return Appointment.objects.filter(phone__in=phones_of(account)).select_related(
        "center", "slot", "matter"
    )


def account_cases(account: CitizenAccount) -> QuerySet[Case]:
    return Case.objects.filter(applicant__phone__in=phones_of(account)).select_related(
        "matter", "center"
    )


def account_complaints(account: CitizenAccount) -> QuerySet[Complaint]:
    return Complaint.objects.filter(phone__in=phones_of(account)).select_related("center")


def account_reviews(account: CitizenAccount) -> QuerySet[Review]:
    """The reviews of the account's visits and cases."""
    phones = phones_of(account)
    return Review.objects.filter(
        Q(case__applicant__phone__in=phones) | Q(ticket__phone__in=phones)
    ).select_related("center", "matter")


def account_inquiries(account: CitizenAccount) -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(pk__in=account.inquiries.values("inquiry_id")).select_related(
        "matter", "center", "department"
    )


def case_of(account: CitizenAccount, case_id: int) -> Case:
    case = account_cases(account).filter(pk=case_id).first()
    if case is None:
        raise NotFound("case.not_found", "未找到该办件。")
    return case


def appointment_of(account: CitizenAccount, appointment_id: int) -> Appointment:
    found = account_appointments(account).filter(pk=appointment_id).first()
    if found is None:
        raise NotFound("appointment.not_found", "未找到该预约。")
    return found


def inquiry_of(account: CitizenAccount, inquiry_id: int) -> Inquiry:
    found = account_inquiries(account).filter(pk=inquiry_id).first()
    if found is None:
        raise NotFound("inquiry.not_found", "未找到该咨询。")
    return found


@dataclass
class Row:
    """One line of 我的事务: what, where, its public status, its link and what the
    person may do with it."""

    title: str
    place: str
    status: str
    when: object
    link: str = ""
    pk: int = 0
    may_withdraw: bool = False
    may_cancel: bool = False
    review_link: str = ""
    extra: str = ""


@dataclass
class Affairs:
    drafts: list[Row] = field(default_factory=list)
    running: list[Row] = field(default_factory=list)
    done: list[Row] = field(default_factory=list)
    appointments: list[Row] = field(default_factory=list)
    tickets: list[Row] = field(default_factory=list)
    reviews: list[Row] = field(default_factory=list)
    complaints: list[Row] = field(default_factory=list)
    inquiries: list[Row] = field(default_factory=list)
    documents: list[Row] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        lists = (self.drafts, self.running, self.done, self.appointments, self.tickets)
        return not any(lists) and not (self.reviews or self.complaints or self.inquiries)


def _case_row(case: Case) -> Row:
    online = case.channel in ONLINE_CHANNELS
    withdrawable = case.state in case_states.ACTIONS["applicant_withdraw"].sources
    concluded = case.state in CONCLUDED
    # A draft opens where it is edited and its materials given (or reused).
    page = "portal:apply_token" if online and case.state == case_states.DRAFT else None
    return Row(
        title=f"{case.number} {case.matter.name}",
        place=case.center.name,
        status=case.public_status,
        when=case.received_at,
        link=reverse(page or "portal:progress_token", args=[case.token]),
        pk=case.pk,
        may_withdraw=online and withdrawable,
        review_link=reverse("portal:review_by_token", args=[case.token]) if concluded else "",
    )


def _cases(affairs: Affairs, account: CitizenAccount) -> None:
    for case in account_cases(account).order_by("-id")[:RECENT]:
        row = _case_row(case)
        if case.state == case_states.DRAFT:
            affairs.drafts.append(row)
        elif case.state in case_states.OPEN:
            affairs.running.append(row)
        else:
            affairs.done.append(row)


def _hall(affairs: Affairs, account: CitizenAccount) -> None:
    now = timezone.now()
    for a in account_appointments(account).order_by("-day", "-id")[:RECENT]:
        affairs.appointments.append(
            Row(
                title=f"预约码 {a.code}" + (f" {a.matter.name}" if a.matter else ""),
                place=a.center.name,
                status=a.get_state_display(),
                when=f"{a.day:%Y-%m-%d} {a.slot.start:%H:%M}",
                pk=a.pk,
                may_cancel=a.state == Appointment.State.BOOKED and a.day >= now.date(),
            )
        )
    for t in account_tickets(account).order_by("-day", "-id")[:RECENT]:
        token = hall_selectors.ticket_token(t)
        done = t.state == ticket_states.DONE
        affairs.tickets.append(
            Row(
                title=f"{t.code} 号",
                place=t.center.name,
                status=ticket_states.STATE_LABELS.get(t.state, t.state),
                when=t.day,
                link=reverse("portal:ticket_status", args=[token]),
                review_link=reverse("portal:review_by_token", args=[token]) if done else "",
            )
        )


def _others(affairs: Affairs, account: CitizenAccount) -> None:
    for r in account_reviews(account).order_by("-created_at")[:RECENT]:
        affairs.reviews.append(
            Row(
                title=r.matter.name if r.matter else r.get_kind_display(),
                place=r.center.name,
                status=r.get_level_display(),
                when=r.created_at,
            )
        )
    for c in account_complaints(account).order_by("-received_at")[:RECENT]:
        affairs.complaints.append(
            Row(
                title=f"{c.number} {c.get_kind_display()}",
                place=c.center.name,
                status=c.public_status,
                when=c.received_at,
                link=reverse("portal:complaint_track", args=[c.token]),
            )
        )
    for i in account_inquiries(account).order_by("-asked_at")[:RECENT]:
        affairs.inquiries.append(
            Row(
                title=i.matter.name if i.matter else "咨询",
                place=i.center.name,
                status=i.get_state_display(),
                when=i.asked_at,
                link=reverse("portal:consult_detail", args=[i.pk]),
                extra=f"答复期限 {i.due:%Y-%m-%d}" if i.due else "",
            )
        )


def account_documents(account: CitizenAccount) -> QuerySet[ApplicantDocument]:
    """我的材料: the file store of the account's applicant records (the materials given
    with their earlier applications), as the cases' 材料复用 keeps it; only their own."""
    return ApplicantDocument.objects.filter(
        applicant__phone__in=phones_of(account), revoked=False
    ).select_related("file", "source_case", "material_type")


def reusable_for(account: CitizenAccount, case: Case) -> dict[int, list[ApplicantDocument]]:
    """For each material of the account's case: the valid stored documents of the same
    material (of the case's applicant, as the reuse service accepts them). Nothing for a
    case that is not the account's."""
    if not account_cases(account).filter(pk=case.pk).exists():
        return {}
    stored = list(
        account_documents(account)
        .filter(valid_on(timezone.localdate()), applicant_id=case.applicant_id)
        .order_by("-created_at", "-id")
    )
    found: dict[int, list[ApplicantDocument]] = {}
    for material in case.guide_version.materials.all():
        matching = [d for d in stored if same_material(d, material)]
        if matching:
            found[material.pk] = matching[:5]
    return found


def _documents(affairs: Affairs, account: CitizenAccount) -> None:
    today = timezone.localdate()
    for d in account_documents(account).order_by("-created_at", "-id")[:RECENT]:
        expired = d.valid_until is not None and d.valid_until < today
        affairs.documents.append(
            Row(
                title=d.name,
                place=f"{d.file.original_name}（{d.file.size // 1024 or 1} KB）",
                status="已过期" if expired else "可复用",
                when=d.created_at,
                pk=d.pk,
                extra=(f"来自申请 {d.source_case.number}" if d.source_case_id else "")
                + (f"，有效期至 {d.valid_until:%Y-%m-%d}" if d.valid_until else ""),
            )
        )


def affairs_of(account: CitizenAccount) -> Affairs:
    """Everything the account may see, newest first, in the groups of the page."""
    affairs = Affairs(phones=phones_of(account))
    _cases(affairs, account)
    _hall(affairs, account)
    _others(affairs, account)
    _documents(affairs, account)
    return affairs


def faq_label(inquiry: Inquiry) -> str:
    """What the asker reads about publishing their question."""
    if not inquiry.publish_consent:
        return "不公开"
    if inquiry.faq_state == FaqState.PUBLISHED:
        return "已公开为办事指南的常见问题"
    if inquiry.faq_state == FaqState.DECLINED:
        return "部门审核后未公开"
    return "同意公开，答复后经部门审核公开"
