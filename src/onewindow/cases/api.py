"""Cases through the API: intake, the steps of the case's life, the back office's queue,
and the public progress query.

Every write goes through ``cases.services`` (the same checks as the pages: scope, role,
state, R-CAT-7); a case outside the caller's scope answers 404; a step the state does not
allow answers 409 with ``case.wrong_state``. The progress query needs no login: the case
number plus the last four digits of the applicant's phone, and it answers only the plain
public status (the same label on every channel, R-CAT-9).
"""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from onewindow.cases import selectors, services, states
from onewindow.cases.models import Applicant, Case
from onewindow.cases.selectors.progress import progress_lookup
from onewindow.cases.services.archive import case_archive
from onewindow.catalog.models import Listing
from onewindow.core.api import Status
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.middleware import client_ip
from onewindow.core.paging import MAX_ID, Pagination
from onewindow.core.scope import scope_for
from onewindow.hall.models import Ticket

router = Router(tags=["办件"])

STATE_GROUPS = states.API_GROUPS


# --- schemas --------------------------------------------------------------------------------


class CaseOut(Schema):
    id: int
    number: str
    state: str
    state_label: str
    public_status: str
    channel: str
    matter_id: int
    matter: str
    center_id: int
    department_id: int
    department: str
    guide_version: int
    received_at: datetime
    accepted_at: datetime | None
    decided_at: datetime | None
    delivered_at: datetime | None
    due: date | None
    statutory_due: date | None
    clock_paused: bool
    warning_level: int
    deadline_flag: str = Field(
        "", description="overdue（已超时）、warning（临近时限）或空：与页面显示的一致"
    )
    deemed_accepted: bool

    @staticmethod
    def resolve_matter(obj):
        return obj.matter.name

    @staticmethod
    def resolve_department(obj):
        return obj.department.name

    @staticmethod
    def resolve_guide_version(obj):
        return obj.guide_version.number

    @staticmethod
    def resolve_due(obj):
        return obj.deadline.due if obj.deadline_id else None

    @staticmethod
    def resolve_statutory_due(obj):
        return obj.statutory_deadline.due if obj.statutory_deadline_id else None

    @staticmethod
    def resolve_deadline_flag(obj):
        return obj.deadline_flag

    @staticmethod
    def resolve_clock_paused(obj):
        return bool(obj.deadline_id and obj.deadline.paused)


class EventOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str = Field(..., alias="actor_label")
    note: str
    at: datetime


class DocumentOut(Schema):
    material_id: int
    material: str
    electronic: bool
    paper_received: bool
    by_pledge: bool

    @staticmethod
    def resolve_material(obj):
        return obj.material.name


class CaseDetailOut(CaseOut):
    applicant: str
    refusal_reason: str
    decision_note: str
    delivery_method: str
    tracking_number: str
    documents: list[DocumentOut]
    missing: list[str]
    events: list[EventOut]

    @staticmethod
    def resolve_applicant(obj):
        return obj.applicant.name

    @staticmethod
    def resolve_documents(obj):
        return list(obj.documents.select_related("material"))

    @staticmethod
    def resolve_missing(obj):
        return [m.name for m in selectors.missing_materials(obj)]

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())


class ApplicantIn(Schema):
    kind: str = Applicant.Kind.PERSON
    name: str
    phone: str
    id_number: str = ""
    credit_code: str = ""
    address: str = ""


class MaterialIn(Schema):
    material_id: int
    electronic: bool = False
    by_pledge: bool = False


class IntakeIn(Schema):
    listing_id: int
    applicant: ApplicantIn
    materials: list[MaterialIn] = []
    form_data: dict = {}
    ticket_id: int | None = None
    # at a township or village point: true decide there (needs an entrustment in force),
    # false take it in as 代办 for the department above; absent: as the entrustment says
    decide_here: bool | None = None


class ReasonIn(Schema):
    reason: str


class CorrectionItemIn(Schema):
    material_id: int | None = None
    note: str = ""


class CorrectionIn(Schema):
    items: list[CorrectionItemIn]
    due: date


class CorrectionOut(Schema):
    id: int
    stage: str
    items: list[dict]
    due: date
    state: str


class ReplyIn(Schema):
    materials: list[MaterialIn] = []


class DecideIn(Schema):
    approve: bool
    note: str = ""


class DeliverIn(Schema):
    method: str = "window"
    tracking_number: str = ""


class UrgeIn(Schema):
    message: str
    reply_by: date


class UrgingOut(Schema):
    id: int
    case_id: int
    message: str
    reply_by: date
    sent_at: datetime


class ProgressOut(Schema):
    number: str
    matter: str
    center: str
    status: str
    received_at: datetime
    due: date | None
    delivered_at: datetime | None
    steps: list[dict]


# --- helpers --------------------------------------------------------------------------------


def _case(request, case_id: int) -> Case:
    return selectors.case_get_for(scope=scope_for(request.user), case_id=min(case_id, MAX_ID))


def _materials(items: list[MaterialIn]) -> dict[int, dict]:
    seen: dict[int, dict] = {}
    for item in items:
        if item.material_id in seen:
            message = "同一材料只能提交一次。"
            raise InvalidInput("case.duplicate_material", message, {"materials": message})
        seen[item.material_id] = {"electronic": item.electronic, "by_pledge": item.by_pledge}
    return seen


def _detail(request, case_id: int) -> Case:
    return (
        selectors.cases_for(scope=scope_for(request.user))
        .select_related("guide_version", "statutory_deadline")
        .get(pk=case_id)
    )


# --- reads ----------------------------------------------------------------------------------


@router.get("/", response=list[CaseOut], summary="办件（范围内，按承诺时限排序）")
@paginate(Pagination)
def list_cases(
    request,
    group: str = "open",
    department_id: int | None = None,
    warning: int | None = None,
    number: str | None = None,
):
    if group not in STATE_GROUPS:
        raise InvalidInput(
            "case.bad_group", "状态分组不正确。", {"group": f"可选：{'、'.join(STATE_GROUPS)}"}
        )
    qs = selectors.cases_for(scope=scope_for(request.user)).filter(state__in=STATE_GROUPS[group])
    if department_id is not None:
        qs = qs.filter(department_id=min(department_id, MAX_ID))
    if warning is not None:
        qs = qs.filter(warning_level__gte=warning)
    if number:
        qs = qs.filter(number__startswith=number.strip()[:32])
    return qs.order_by("deadline__due", "received_at", "id")


@router.get("/progress", response=ProgressOut, auth=None, summary="办件进度（编号＋手机后四位）")
def progress(request, number: str, phone_tail: str):
    case = progress_lookup(
        number=number, phone_tail=phone_tail, client=client_ip(request), bundles=False
    )
    steps = [
        {"status": s["label"], "at": s["at"].isoformat()} for s in selectors.public_timeline(case)
    ]
    return {
        "number": case.number,
        "matter": case.matter.name,
        "center": case.center.name,
        "status": case.public_status,
        "received_at": case.received_at,
        "due": case.deadline.due if case.deadline_id else None,
        "delivered_at": case.delivered_at,
        "steps": steps,
    }


@router.get("/{case_id}", response=CaseDetailOut, summary="办件详情")
def get_case(request, case_id: int):
    return _detail(request, _case(request, case_id).pk)


# --- writes ---------------------------------------------------------------------------------


@router.post("/", response={201: CaseDetailOut}, summary="窗口收件")
def intake(request, payload: IntakeIn):
    listing = Listing.objects.filter(pk=min(payload.listing_id, MAX_ID)).first()
    if listing is None:
        raise NotFound("listing.not_found", "该事项未在本中心办理或尚未发布。")
    ticket = None
    if payload.ticket_id is not None:
        ticket = (
            Ticket.objects.visible_to(scope_for(request.user))
            .filter(pk=min(payload.ticket_id, MAX_ID))
            .first()
        )
        if ticket is None:
            raise NotFound("ticket.not_found", "未找到该排队号。")
    materials = _materials(payload.materials)
    applicant = services.applicant_record(**payload.applicant.dict())
    case = services.case_intake(
        actor=request.user,
        listing=listing,
        applicant=applicant,
        materials=materials,
        form_data=payload.form_data,
        ticket=ticket,
        decide_here=payload.decide_here,
    )
    return Status(201, _detail(request, case.pk))


@router.post("/{case_id}/accept", response=CaseDetailOut, summary="受理")
def accept(request, case_id: int):
    return _detail(
        request, services.case_accept(actor=request.user, case=_case(request, case_id)).pk
    )


@router.post("/{case_id}/refuse", response=CaseDetailOut, summary="不予受理")
def refuse(request, case_id: int, payload: ReasonIn):
    case = services.case_refuse(
        actor=request.user, case=_case(request, case_id), reason=payload.reason
    )
    return _detail(request, case.pk)


@router.post("/{case_id}/corrections", response={201: CorrectionOut}, summary="一次性告知补正")
def ask_correction(request, case_id: int, payload: CorrectionIn):
    correction = services.case_ask_correction(
        actor=request.user,
        case=_case(request, case_id),
        items=[i.dict() for i in payload.items],
        due=payload.due,
    )
    return Status(201, correction)


@router.post("/{case_id}/corrections/reply", response=CaseDetailOut, summary="登记补正材料")
def correction_reply(request, case_id: int, payload: ReplyIn):
    case = services.case_correction_reply(
        actor=request.user, case=_case(request, case_id), materials=_materials(payload.materials)
    )
    return _detail(request, case.pk)


@router.post("/{case_id}/start-review", response=CaseDetailOut, summary="开始审查")
def start_review(request, case_id: int):
    case = services.case_start_review(actor=request.user, case=_case(request, case_id))
    return _detail(request, case.pk)


@router.post("/{case_id}/decide", response=CaseDetailOut, summary="作出决定（准予/不予）")
def decide(request, case_id: int, payload: DecideIn):
    case = services.case_decide(
        actor=request.user, case=_case(request, case_id), approve=payload.approve, note=payload.note
    )
    return _detail(request, case.pk)


@router.post("/{case_id}/ready", response=CaseDetailOut, summary="送统一出件窗口")
def make_ready(request, case_id: int):
    case = services.case_make_ready(actor=request.user, case=_case(request, case_id))
    return _detail(request, case.pk)


@router.post("/{case_id}/deliver", response=CaseDetailOut, summary="出件（窗口领取或邮寄）")
def deliver(request, case_id: int, payload: DeliverIn):
    case = services.case_deliver(
        actor=request.user,
        case=_case(request, case_id),
        method=payload.method,
        tracking_number=payload.tracking_number,
    )
    return _detail(request, case.pk)


@router.post("/{case_id}/archive", response=CaseDetailOut, summary="归档")
def archive(request, case_id: int):
    case = case_archive(actor=request.user, case=_case(request, case_id))
    return _detail(request, case.pk)


@router.post("/{case_id}/urgings", response={201: UrgingOut}, summary="督办催办")
def urge(request, case_id: int, payload: UrgeIn):
    urging = services.case_urge(
        actor=request.user,
        case=_case(request, case_id),
        message=payload.message,
        reply_by=payload.reply_by,
    )
    return Status(201, urging)
