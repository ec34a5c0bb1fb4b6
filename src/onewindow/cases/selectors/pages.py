"""Reads of the staff case pages: the list by state group, the intake page's choices,
a case's page (its materials, history, notices, the steps its state allows) and the
citizen's progress answer. The pages ask the services who may do what and pass the
answers in; everything here only reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from onewindow.cases import selectors, states
from onewindow.cases.models import ApplicantDocument, BundleApplication, Case, Correction, Urging
from onewindow.cases.selectors.progress import cases_by_identity, progress_lookup
from onewindow.catalog import selectors as catalog_selectors
from onewindow.catalog.models import Bundle, Listing, Material
from onewindow.core.errors import NotFound
from onewindow.core.idnumber import IdNumberError
from onewindow.core.ratelimit import RateLimited
from onewindow.hall.models import Ticket
from onewindow.org.models import Center, StaffProfile

# The case list's filters: the tabs, and the states each gathers.
STATE_FILTERS = [
    ("open", "办理中（全部未结）"),
    ("intake", "待受理"),
    ("review", "待审查/审查中"),
    ("correcting", "待补正"),
    ("ready", "待出件"),
    ("done", "已送达/已归档"),
]
STATE_GROUPS = {
    "open": sorted(states.OPEN - {states.DRAFT}),  # a draft is the citizen's until sent
    "intake": [states.INTAKE],
    "review": [states.ACCEPTED, states.IN_REVIEW],
    "correcting": [states.CORRECTING_INTAKE, states.CORRECTING],
    "ready": [states.APPROVED, states.DENIED, states.READY],
    "done": [states.DELIVERED, states.ARCHIVED, states.REFUSED, states.WITHDRAWN],
}
# The steps a citizen sees on the progress page, in order.
PUBLIC_STEPS = ["已提交", "已受理", "办理中", "已办结", "已送达"]


def staff_cases(*, scope, group: str, q: str = "", department_id: int | None = None):
    """The case list of a state group within the scope, by number prefix or matter name,
    optionally one department's, the earliest promised due date first."""
    cases = selectors.cases_for(scope=scope).filter(state__in=STATE_GROUPS[group])
    if q:
        cases = cases.filter(number__startswith=q) | cases.filter(matter__name__icontains=q)
    if department_id:
        cases = cases.filter(department_id=department_id)
    return cases.order_by("deadline__due", "received_at")


def event_rows(case: Case) -> list[dict]:
    """The case's history as its page lists it: each step by its label and the state
    it led to."""
    return [
        {
            "at": e.at,
            "actor": e.actor_label,
            "note": e.note,
            "label": states.ACTIONS[e.action].label
            if e.action in states.ACTIONS
            else states.EVENT_LABELS.get(e.action, e.action),
            "state": states.LABELS.get(e.to_state, e.to_state),
        }
        for e in case.events.order_by("at", "id")
    ]


def case_notices(case: Case) -> list[tuple[str, str]]:
    """The printed notices the case has: (kind, title)."""
    found = []
    if case.intake_clerk_id:
        found.append(("intake_receipt", "收件凭证"))
    if case.accepted_at:
        found.append(("receipt", "受理通知书"))
    if case.refusal_reason:
        found.append(("refusal", "不予受理通知书"))
    if case.corrections.exists():
        found.append(("correction", "补正材料通知书"))
    if case.corrections.filter(state=Correction.State.LAPSED).exists():
        found.append(("withdrawal", "视为撤回申请通知书"))
    if case.decided_at:
        found.append(("conclusion", "办结通知书"))
    return found


@dataclass(frozen=True)
class CaseFacts:
    """What the case page shows besides its panels."""

    materials: list[tuple[Material, Any]]
    events: list[dict]
    corrections: QuerySet
    open_correction: Correction | None
    notices: list[tuple[str, str]]
    urgings: QuerySet
    is_open: bool


def case_facts(case: Case) -> CaseFacts:
    given = {d.material_id: d for d in case.documents.select_related("material")}
    return CaseFacts(
        materials=[(m, given.get(m.pk)) for m in case.guide_version.materials.order_by("order")],
        events=event_rows(case),
        corrections=case.corrections.order_by("-issued_at"),
        open_correction=open_correction(case),
        notices=case_notices(case),
        urgings=case.urgings.select_related("sent_by", "answered_by"),
        is_open=case.state in states.OPEN,
    )


def open_correction(case: Case) -> Correction | None:
    return case.corrections.filter(state=Correction.State.OPEN).first()


def case_urging(case: Case, raw_id) -> Urging | None:
    raw = str(raw_id or "")
    return case.urgings.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None


# --- intake at the window ---------------------------------------------------------------------


def _digits(raw) -> int | None:
    raw = str(raw or "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def intake_listing(listings: QuerySet[Listing], raw_id) -> Listing | None:
    """The listing chosen on the intake page among those the clerk may take in."""
    pk = _digits(raw_id)
    return listings.filter(pk=pk).first() if pk is not None else None


def listing_at_center(raw_id, center_id: int | None) -> Listing | None:
    """A published listing of the center (one the clerk may not take in is named)."""
    pk = _digits(raw_id)
    if pk is None or not center_id:
        return None
    return (
        Listing.objects.public().select_related("matter").filter(pk=pk, center_id=center_id).first()
    )


def center_ticket(raw_id, center_id: int | None) -> Ticket | None:
    """The called ticket the intake starts from, at the clerk's center."""
    pk = _digits(raw_id)
    return Ticket.objects.filter(pk=pk, center_id=center_id).first() if pk is not None else None


def own_materials(version) -> QuerySet[Material]:
    """The materials of a guide version the applicant gives (not shared by departments)."""
    return version.materials.exclude(source=Material.Source.SHARED).order_by("order")


def shared_materials(version) -> QuerySet[Material]:
    return version.materials.filter(source=Material.Source.SHARED)


# --- the citizen's progress -------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressAnswer:
    """A progress lookup: what was found, or the message telling why not."""

    found: Case | BundleApplication | list | None = None
    error: str = ""
    status: int = 200


def progress_answer(*, number: str, phone_tail: str, client: str) -> ProgressAnswer:
    """The lookup by number and phone tail as the pages show it: a wrong pair or a
    refused client is an answer of the page, not an error page."""
    try:
        found = progress_lookup(number=number, phone_tail=phone_tail, client=client)
    except (NotFound, RateLimited) as exc:
        return ProgressAnswer(error=exc.message, status=exc.status)
    return ProgressAnswer(found=found)


def terminal_cases_answer(
    *, number: str, id_number: str, phone_tail: str, center, client: str
) -> ProgressAnswer:
    """补交材料 at the terminal: the cases a citizen names by number and phone tail, or by
    identity number (the card's) and phone tail at this center; ``found`` is a list.
    Failures count against guessing like the progress lookup."""
    tail = (phone_tail or "").strip()
    if not (len(tail) == 4 and tail.isdigit()):
        return ProgressAnswer(error="请输入手机号后四位（4位数字）。", status=422)
    if not (number or id_number):
        return ProgressAnswer(error="请输入办件编号，或刷身份证。", status=422)
    try:
        if number:
            found = [progress_lookup(number=number, phone_tail=tail, client=client, bundles=False)]
        else:
            found = cases_by_identity(
                id_number=id_number, phone_tail=tail, center=center, client=client
            )
    except (NotFound, RateLimited) as exc:
        return ProgressAnswer(error=exc.message, status=exc.status)
    except IdNumberError as exc:
        return ProgressAnswer(error=exc.message, status=422)
    return ProgressAnswer(found=found)


def progress_steps(case: Case) -> list[dict]:
    current = case.public_status
    reached = PUBLIC_STEPS.index(current) if current in PUBLIC_STEPS else None
    return [
        {"label": s, "done": reached is not None and i <= reached}
        for i, s in enumerate(PUBLIC_STEPS)
    ]


def case_by_token(token: str) -> Case:
    """A case by the secret link of its receipt (the progress page's QR code)."""
    case = (
        Case.objects.select_related("matter", "center", "deadline").filter(token=token[:40]).first()
    )
    if case is None:
        raise NotFound("case.not_found", "未找到该办件。")
    return case


def case_by_pk(raw) -> Case | None:
    """A case by the id a signed token carried (None if there is none)."""
    pk = _digits(raw)
    if pk is None:
        return None
    return (
        Case.objects.select_related("matter", "center", "applicant", "guide_version")
        .filter(pk=pk)
        .first()
    )


def document_with_file(case: Case, document_id: int):
    """A document of the case that has an electronic file (None if not)."""
    return case.documents.select_related("file").filter(pk=document_id, file__isnull=False).first()


# --- the back office's people -----------------------------------------------------------------


def user_by_id(raw):
    """A user by the id a form posted (None for anything else)."""
    pk = _digits(str(raw or "").strip())
    return get_user_model().objects.filter(pk=pk).first() if pk is not None else None


def visible_center(scope, center_id) -> Center | None:
    pk = _digits(center_id)
    return Center.objects.visible_to(scope).filter(pk=pk).first() if pk is not None else None


def visible_staff(scope, profiles) -> list[StaffProfile]:
    """The staff profiles among ``profiles`` the reader's scope shows, in their order."""
    staff = list(profiles)
    visible = set(
        StaffProfile.objects.visible_to(scope)
        .filter(pk__in=[p.pk for p in staff])
        .values_list("pk", flat=True)
    )
    return [p for p in staff if p.pk in visible]


# --- "one thing" bundles ------------------------------------------------------------------------


def active_bundles() -> QuerySet[Bundle]:
    return Bundle.objects.filter(is_active=True).order_by("code")


def active_bundle(code: str) -> Bundle | None:
    return Bundle.objects.filter(code=code, is_active=True).first()


def one_of(rows: QuerySet, raw_id):
    """The row of ``rows`` with the id a form posted (None for anything else)."""
    pk = _digits(raw_id)
    return rows.filter(pk=pk).first() if pk is not None else None


def case_by_id_or_number(scope, *, raw_id: str, number: str) -> Case | None:
    """A case within the scope by the id a form posted, else by its number."""
    cases = selectors.cases_for(scope=scope)
    if raw_id.isdigit():
        return one_of(cases, raw_id)
    return cases.filter(number=number).first() if number else None


# --- online application -----------------------------------------------------------------------


def guide_materials(version) -> QuerySet[Material]:
    """Every material of a guide version, in the guide's order."""
    return version.materials.order_by("order", "id")


def upload_rows(case: Case) -> list[tuple]:
    """Each material the applicant gives, with the document given for it (or None)."""
    given = {d.material_id: d for d in case.documents.select_related("file")}
    return [
        (m, given.get(m.pk))
        for m in guide_materials(case.guide_version)
        if m.source != Material.Source.SHARED
    ]


def given_documents(case: Case):
    return case.documents.select_related("material").order_by("material__order")


def draft_choices(case: Case) -> dict[str, str]:
    """How the draft gives each material: material id → ``pledge`` or ``electronic``."""
    return {
        str(d.material_id): "pledge" if d.by_pledge else "electronic" for d in case.documents.all()
    }


def was_submitted(case: Case) -> bool:
    """Whether the application was ever sent (a draft again after a return was)."""
    return case.events.filter(action="submit").exists()


def stored_document(case: Case, raw_id):
    """A document of the applicant's file store by the id a form posted (None if not
    theirs)."""
    pk = _digits(raw_id)
    if pk is None:
        return None
    return ApplicantDocument.objects.filter(pk=pk, applicant_id=case.applicant_id).first()


def listings_with_guides(listings: QuerySet[Listing]) -> QuerySet[Listing]:
    return listings.select_related("matter", "matter__current_version")


def listing_choices(listings: QuerySet[Listing]):
    """The intake page's list of listings, by matter name (the first 300)."""
    return listings.order_by("matter__name")[:300]


def department_choices(departments) -> list:
    """The departments a queue may be chosen among, by region and line (the first 200)."""
    return list(departments.order_by("region__path", "line__code")[:200])


def latest_bundle_applications(apps: QuerySet[BundleApplication]):
    """The newest "one thing" applications among ``apps`` (the first 100)."""
    return apps.select_related("bundle", "applicant", "center").order_by("-received_at", "-id")[
        :100
    ]


def part_count(app: BundleApplication) -> int:
    return app.cases.count()


def intake_handling(listing) -> dict | None:
    """At a township or village point whose matter's power lies above: the entrustment
    in force today, if any (the intake page offers 本点受理办理 or 代办)."""
    if not catalog_selectors.power_above(listing):
        return None
    return {
        "entrustment": catalog_selectors.entrustment_covering(
            matter_id=listing.matter_id, center_id=listing.center_id, day=timezone.localdate()
        )
    }
