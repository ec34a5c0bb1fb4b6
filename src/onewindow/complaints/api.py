"""The complaints API at /api/v1/complaints/.

- 12345 hotline (machine clients with ``X-Api-Key``): ``POST hotline/orders`` files an
  order at a center of the client's region; ``GET hotline/answers`` reads back the
  answers of the orders that client sent, with their time limits.
- Staff (session or bearer token): the complaints of their scope; the complainant's
  identity is left out for the department complained about.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from onewindow.complaints import hotline, selectors, services
from onewindow.complaints.models import Complaint
from onewindow.core.api import AUTH, ClientKey, Status, request_scope
from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.paging import Pagination
from onewindow.org.models import Center

router = Router(tags=["投诉咨询"])


class OrderIn(Schema):
    center_code: str = Field(..., max_length=40, description="服务中心编码")
    order: str = Field(..., max_length=40, description="12345工单编号")
    called_at: datetime | None = Field(None, description="来电时间")
    due: datetime = Field(..., description="热线办结时限")
    kind: str = Field("投诉", description="诉求类型：投诉、建议、表扬、求助")
    subject: str = Field(..., max_length=200)
    content: str = Field(..., max_length=4000)
    name: str = Field("", max_length=100)
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=200)


class OrderOut(Schema):
    number: str
    order: str
    status: str
    answer_due: date | None


class AnswerOut(Schema):
    order: str
    number: str
    status: str
    department: str
    answer: str
    answered_at: datetime | None
    due: datetime | None
    on_time: bool | None
    feedback: str


class ComplaintOut(Schema):
    id: int
    number: str
    kind: str
    source: str
    state: str
    state_label: str
    status: str
    subject: str
    content: str
    center: str
    department: str | None
    suggested_department: str | None
    answer_due: date | None
    overdue: bool
    repeat_of: str | None
    name: str | None = Field(None, description="投诉人（对责任部门隐去）")
    phone: str | None = None


def _client(request):
    client = getattr(request, "auth", None)
    if client is None or not hasattr(client, "region"):
        raise Forbidden("complaint.client_only", "该接口仅供接入系统（X-Api-Key）调用。")
    return client


@router.post(
    "/hotline/orders", response={201: OrderOut}, auth=[ClientKey()], summary="接收12345工单"
)
def order_create(request, payload: OrderIn):
    client = _client(request)
    center = (
        Center.objects.filter(
            code=payload.center_code,
            is_active=True,
            region__path__startswith=client.region.path,
        )
        .select_related("region")
        .first()
    )
    if center is None:
        raise NotFound("center.not_found", "未找到该服务中心。")
    if payload.kind not in hotline.KINDS:
        message = f"诉求类型应为{'、'.join(hotline.KINDS)}之一。"
        raise InvalidInput("complaint.bad_kind", message, {"kind": message})
    row = payload.dict()
    complaint = hotline.hotline_order_create(client=client, center=center, row=row)
    return Status(
        201,
        {
            "number": complaint.number,
            "order": complaint.hotline_order,
            "status": complaint.public_status,
            "answer_due": complaint.deadline.due if complaint.deadline_id else None,
        },
    )


@router.get(
    "/hotline/answers",
    response=list[AnswerOut],
    auth=[ClientKey()],
    summary="读取12345工单的办理结果",
)
def order_answers(request, since: datetime | None = None):
    client = _client(request)
    qs = (
        Complaint.objects.filter(hotline_client=client, answered_at__isnull=False)
        .select_related("department")
        .order_by("answered_at", "id")
    )
    if since is not None:
        qs = qs.filter(Q(answered_at__gte=since))
    out = []
    for c in qs[:1000]:
        out.append(
            {
                "order": c.hotline_order,
                "number": c.number,
                "status": c.public_status,
                "department": c.department.name if c.department_id else "",
                "answer": c.answer,
                "answered_at": timezone.localtime(c.answered_at),
                "due": timezone.localtime(c.hotline_due) if c.hotline_due else None,
                "on_time": c.answered_at <= c.hotline_due if c.hotline_due else None,
                "feedback": hotline.FEEDBACK.get(c.state, ""),
            }
        )
    return out


def complaint_out(request, c: Complaint) -> dict:
    """A complaint as staff see it: the complainant's identity only to those who may."""
    identity = selectors.sees_identity(request.user, c) and not c.anonymous
    return {
        "id": c.pk,
        "number": c.number,
        "kind": c.kind,
        "source": c.source,
        "state": c.state,
        "state_label": c.state_label,
        "status": c.public_status,
        "subject": c.subject,
        "content": c.content,
        "center": c.center.name,
        "department": c.department.name if c.department_id else None,
        "suggested_department": c.suggested_department.name if c.suggested_department_id else None,
        "answer_due": c.deadline.due if c.deadline_id else None,
        "overdue": c.overdue,
        "repeat_of": c.related_to.number if c.related_to_id else None,
        "name": c.name if identity else None,
        "phone": c.phone if identity else None,
    }


@router.get("/", response=list[ComplaintOut], auth=AUTH, summary="投诉建议列表（本人范围内）")
@paginate(Pagination)
def complaint_list(request, state: str | None = None):
    qs = selectors.complaints_for(scope=request_scope(request))
    if state:
        qs = qs.filter(state=state)
    return [complaint_out(request, c) for c in qs[:2000]]


@router.get("/{complaint_id}", response=ComplaintOut, auth=AUTH, summary="一件投诉建议")
def complaint_get(request, complaint_id: int):
    c = selectors.complaint_get_for(scope=request_scope(request), complaint_id=complaint_id)
    return complaint_out(request, c)


# What staff register by hand: the desk, the box, the phone (the hotline, the web, the
# terminal and Open311 have their own doors).
DESK_SOURCES = (Complaint.Source.DESK, Complaint.Source.BOX, Complaint.Source.PHONE)


class RegisterIn(Schema):
    center_id: int = Field(..., ge=1, le=2**63 - 1)
    source: str = Field(..., description="大厅投诉台 desk、意见箱 box、投诉电话 phone")
    kind: str = "complaint"
    subject: str = Field(..., max_length=200)
    content: str = Field(..., max_length=4000)
    anonymous: bool = False
    name: str = Field("", max_length=100)
    phone: str = Field("", max_length=20)
    staff_concerned: str = Field("", max_length=100)


@router.post("/", response={201: ComplaintOut}, auth=AUTH, summary="登记投诉建议（本中心工作人员）")
def complaint_register(request, payload: RegisterIn):
    if payload.source not in DESK_SOURCES:
        message = (
            f"工作人员登记的来源应为{'、'.join(DESK_SOURCES)}之一；12345工单请用 hotline/orders。"
        )
        raise InvalidInput("complaint.bad_source", "来源不正确。", {"source": message})
    center = Center.objects.filter(pk=payload.center_id).first()
    if center is None:
        raise NotFound("center.not_found", "未找到该服务中心。")
    complaint = services.complaint_file(
        actor=request.user, center=center, **payload.dict(exclude={"center_id"})
    )
    fresh = selectors.complaint_get_for(scope=request_scope(request), complaint_id=complaint.pk)
    return Status(201, complaint_out(request, fresh))
