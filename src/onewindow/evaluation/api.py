"""The evaluation through the API: a citizen's review by the ticket's or case's QR
token (anonymous; a staff session or token is refused with
``evaluation.clerk_cannot_review``), reviews and rectifications within the caller's
scope (never the reviewer's identity), and the rectification's steps. Errors are the
API's ``{code, message, fields}``; out of scope answers 404.
"""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from onewindow.cases.models import Case
from onewindow.core.api import Status
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.paging import Pagination
from onewindow.core.tokens import user_for_token
from onewindow.evaluation import selectors, services
from onewindow.hall import selectors as hall_selectors

router = Router(tags=["好差评"])


class ReviewIn(Schema):
    level: int = Field(..., ge=1, le=5, description="5 非常满意 … 1 非常不满意")
    indicators: dict[str, int] = Field(default_factory=dict)
    reasons: list[str] = Field(default_factory=list, max_length=20)
    text: str = Field("", max_length=500)
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=20)
    channel: str = Field("", max_length=10, description="mobile、web、sms … 缺省按类型")


class ReviewOut(Schema):
    id: int
    kind: str
    channel: str
    level: int
    level_label: str
    reasons: list[str]
    reason_labels: list[str]
    indicators: dict
    text: str
    is_default: bool
    excluded: bool
    real_name: bool
    center_id: int
    department_id: int | None
    window_id: int | None
    matter_id: int | None
    staff_id: int | None
    created_at: datetime


class SubmittedOut(ReviewOut):
    follow_token: str | None = None

    @staticmethod
    def resolve_follow_token(obj):
        rect = getattr(obj, "rectification", None) if obj.is_bad else None
        return rect.reviewer_token if rect is not None else None


class RectificationOut(Schema):
    id: int
    review_id: int
    state: str
    state_label: str
    center_id: int
    department_id: int | None
    contact_due: date | None
    rectify_due: date | None
    overdue: bool
    on_time: bool | None
    report: str
    reviewer_accepts: bool | None
    opened_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_contact_due(obj):
        return obj.contact_deadline.due

    @staticmethod
    def resolve_rectify_due(obj):
        return obj.rectify_deadline.due


class StepIn(Schema):
    text: str = Field("", max_length=3000)


class AnswerIn(Schema):
    accepts: bool
    comment: str = Field("", max_length=500)


def _caller(request):
    """The signed-in user or the holder of a bearer token: either is refused as a
    citizen's reviewer by the services."""
    if getattr(request.user, "is_authenticated", False):
        return request.user
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return user_for_token(header[7:].strip())
    return None


def _subject(token: str):
    try:
        if "." in token:
            return "ticket", hall_selectors.ticket_by_token(token)
    except NotFound:
        raise NotFound("evaluation.not_found", "未找到该服务记录。") from None
    case = Case.objects.filter(token=token[:40]).first() if token else None
    if case is None:
        raise NotFound("evaluation.not_found", "未找到该服务记录。")
    return "case", case


class Choice(Schema):
    code: str
    label: str


class FormOut(Schema):
    kind: str
    where: str
    indicators: list[Choice]
    bad_reasons: list[Choice]
    good_reasons: list[Choice]


def _choices(pairs) -> list[dict]:
    return [{"code": code, "label": label} for code, label in pairs]


@router.get(
    "/by-token/{token}/form",
    response=FormOut,
    auth=None,
    summary="评价表单：可评的分项和可勾选的原因（与提交时接受的一致）",
)
def form(request, token: str):
    kind, subject = _subject(token)
    f = services.form_for_visit() if kind == "ticket" else services.form_for_case(subject)
    return {
        "kind": f.kind,
        "where": f.where,
        "indicators": _choices(f.indicator_choices),
        "bad_reasons": _choices(f.bad_reasons),
        "good_reasons": _choices(f.good_reasons),
    }


@router.post(
    "/by-token/{token}",
    response={201: SubmittedOut},
    auth=None,
    summary="评价本次服务或办件（取号单/办件查询码，匿名）",
)
def submit(request, token: str, payload: ReviewIn):
    kind, subject = _subject(token)
    data = payload.dict()
    channel = data.pop("channel") or ("qr" if kind == "ticket" else "web")
    if kind == "ticket":
        review = services.review_visit(
            actor=_caller(request), ticket=subject, channel=channel, **data
        )
    else:
        review = services.review_case(actor=_caller(request), case=subject, channel=channel, **data)
    return Status(201, review)


@router.get("/reviews", response=list[ReviewOut], summary="评价（管辖范围内，不含评价人身份）")
@paginate(Pagination)
def reviews(request, level: int | None = None, bad: bool = False):
    qs = selectors.reviews_for(user=request.user)
    if level is not None:
        if not 1 <= level <= 5:
            raise InvalidInput("evaluation.level", "评价等级应为1至5。")
        qs = qs.filter(level=level)
    if bad:
        qs = qs.filter(level__lte=2)
    return qs


@router.get("/rectifications", response=list[RectificationOut], summary="差评整改（管辖范围内）")
@paginate(Pagination)
def rectifications(request, open_only: bool = True):
    qs = selectors.rectifications_for(user=request.user)
    return qs.open() if open_only else qs


@router.get("/rectifications/{rect_id}", response=RectificationOut, summary="差评整改详情")
def rectification(request, rect_id: int):
    return selectors.rectification_get_for(user=request.user, rectification_id=rect_id)


@router.post(
    "/rectifications/{rect_id}/{action}",
    response=RectificationOut,
    summary="整改步骤（contact、start、report、redo、check、close）",
)
def step(request, rect_id: int, action: str, payload: StepIn):
    rect = selectors.rectification_get_for(user=request.user, rectification_id=rect_id)
    return services.rectification_step(
        actor=request.user, rectification=rect, action=action, text=payload.text
    )


@router.post(
    "/follow/{token}", response=RectificationOut, auth=None, summary="评价人答复是否认可整改"
)
def answer(request, token: str, payload: AnswerIn):
    return services.rectification_reviewer_answer(
        actor=_caller(request), token=token, accepts=payload.accepts, comment=payload.comment
    )
