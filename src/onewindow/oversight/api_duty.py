"""Leaders on duty at the center through the API at /api/v1/duty/ (R-SUP-1, R-SUP-3):
the roster of a center with who is sitting now, the sittings (sign-ins and sign-outs),
the items a leader found on duty (record, close), and the quarter's compliance.

The same selectors and services as the duty pages (``oversight.selectors.duty``,
``oversight.services``); the same rights (``duty.manage``/``duty.read``; the owner of
an item sees their own); a center outside the caller's scope is 404."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from onewindow.core import clock
from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.paging import MAX_ID, Id, Pagination
from onewindow.core.roles import may
from onewindow.oversight import duty_rule, services
from onewindow.oversight.models import DutyPost
from onewindow.oversight.selectors import duty as sel

router = Router(tags=["领导坐班"])

CenterId = Query(None, ge=1, le=MAX_ID, description="服务中心（缺省为本人所在中心）")


def _need(request, *activities) -> None:
    if not any(may(request.user, a) for a in activities):
        raise Http404


def _today() -> date:
    return timezone.localdate(clock.now())


class DutyPostOut(Schema):
    id: int
    center_id: int
    leader_id: int
    leader: str
    kind: str
    kind_label: str
    department_id: int | None
    department: str | None
    since: date
    note: str
    sitting_since: datetime | None = Field(None, description="正在坐班：签到时间")


class DutySittingOut(Schema):
    id: int
    post_id: int
    leader: str
    center_id: int
    started_at: datetime
    ended_at: datetime | None
    in_via: str
    out_via: str


def post_out(p, sitting=None) -> dict:
    return {
        "id": p.pk,
        "center_id": p.center_id,
        "leader_id": p.leader_id,
        "leader": str(p.leader.user),
        "kind": p.kind,
        "kind_label": p.get_kind_display(),
        "department_id": p.department_id,
        "department": p.department.name if p.department_id else None,
        "since": p.since,
        "note": p.note,
        "sitting_since": sitting.started_at if sitting else None,
    }


KIND = "^(head|deputy|county)$"


class DutyPostIn(Schema):
    center_id: int = Field(..., ge=1, le=MAX_ID)
    leader_id: int = Field(..., ge=1, le=MAX_ID, description="领导（工作人员编号）")
    kind: str = Field(
        ..., pattern=KIND, description="head 部门主要领导、deputy 分管领导、county 县级领导"
    )
    note: str = Field("", max_length=100)


def one_post(post: DutyPost) -> dict:
    """A post as the roster lists it (and who sits now, while it is on the roster)."""
    post = DutyPost.objects.select_related("leader__user", "department").get(pk=post.pk)
    return post_out(post, sel.open_sitting_of(post) if post.active else None)


def _center(request, center_id):
    """The center asked for (outside the scope: 404), else the caller's own; None when
    the scope holds no center at all (the lists are then empty)."""
    return sel.center_pick(scope=request_scope(request), user=request.user, center_id=center_id)


@router.get("/roster", response=list[DutyPostOut], auth=AUTH, summary="坐班排班及正在坐班的领导")
@paginate(Pagination)
def roster(request, center_id: int | None = CenterId):
    _need(request, "duty.manage", "duty.read")
    center = _center(request, center_id)
    if center is None:
        return []
    return [post_out(p, s) for p, s in sel.roster_rows(scope=request_scope(request), center=center)]


@router.post("/roster", response={201: DutyPostOut}, auth=AUTH, summary="列入坐班名单")
def roster_add(request, payload: DutyPostIn):
    post = services.duty_post_add(actor=request.user, **payload.dict())
    return Status(201, one_post(post))


@router.get("/sittings", response=list[DutySittingOut], auth=AUTH, summary="坐班签到、签退记录")
@paginate(Pagination)
def sittings(request, center_id: int | None = CenterId):
    _need(request, "duty.manage", "duty.read")
    center = _center(request, center_id)
    if center is None:
        return []
    rows = sel.sittings(scope=request_scope(request), center=center, limit=2000)
    return [sitting_out(s) for s in rows]


def sitting_out(s) -> dict:
    return {
        "id": s.pk,
        "post_id": s.post_id,
        "leader": str(s.post.leader.user),
        "center_id": s.center_id,
        "started_at": s.started_at,
        "ended_at": s.ended_at,
        "in_via": s.in_via,
        "out_via": s.out_via,
    }


class DutyProblemOut(Schema):
    id: int
    center_id: int
    department_id: int | None
    post_id: int | None
    found_on: date
    description: str
    fix_planned: str
    owner_id: int
    owner: str
    working_days: int
    deadline: date
    closed_at: datetime | None
    result: str
    state_label: str
    overdue: bool
    closed_late: bool
    can_close: bool


def _problem(row) -> dict:
    p = row.problem
    return {
        "id": p.pk,
        "center_id": p.center_id,
        "department_id": p.department_id,
        "post_id": p.post_id,
        "found_on": p.found_on,
        "description": p.description,
        "fix_planned": p.fix_planned,
        "owner_id": p.owner_id,
        "owner": str(p.owner.user),
        "working_days": p.working_days,
        "deadline": p.deadline,
        "closed_at": p.closed_at,
        "result": p.result,
        "state_label": row.state_label,
        "overdue": row.overdue,
        "closed_late": row.closed_late,
        "can_close": row.can_close,
    }


def _problem_rows(request, *, center=None, state="all"):
    mine = not (may(request.user, "duty.manage") or may(request.user, "duty.read"))
    return sel.problems(
        scope=request_scope(request),
        today=_today(),
        center=center,
        state=state,
        user=request.user,
        mine=mine,
    )


@router.get("/items", response=list[DutyProblemOut], auth=AUTH, summary="坐班发现问题的整改跟踪")
@paginate(Pagination)
def problems(
    request,
    state: str = Query(
        "open", pattern="^(open|overdue|closed|all)$", description="open、overdue、closed、all"
    ),
    center_id: int | None = Query(None, ge=1, le=MAX_ID),
):
    _need(request, "duty.manage", "duty.read", "duty.items")
    center = _center(request, center_id) if center_id else None
    return [_problem(r) for r in _problem_rows(request, center=center, state=state)]


class DutyProblemIn(Schema):
    center_id: int = Field(..., ge=1, le=MAX_ID)
    description: str = Field(..., max_length=300)
    fix_planned: str = Field(..., max_length=300)
    owner_id: int = Field(..., ge=1, le=MAX_ID, description="整改责任人（工作人员编号）")
    working_days: int = Field(..., ge=1, le=60)


class DutyProblemCloseIn(Schema):
    result: str = Field(..., max_length=300)


def _one(request, problem_id: int) -> dict:
    rows = [r for r in _problem_rows(request) if r.problem.pk == problem_id]
    if not rows:
        raise Http404
    return _problem(rows[0])


@router.post("/items", response={201: DutyProblemOut}, auth=AUTH, summary="登记坐班发现的问题")
def problem_record(request, payload: DutyProblemIn):
    problem = services.duty_problem_record(actor=request.user, **payload.dict())
    return Status(201, _one(request, problem.pk))


@router.post(
    "/items/{problem_id}/close", response=DutyProblemOut, auth=AUTH, summary="问题整改办结"
)
def problem_close(request, problem_id: Id, payload: DutyProblemCloseIn):
    problem = services.duty_problem_close(
        actor=request.user, problem_id=problem_id, result=payload.result
    )
    return _one(request, problem.pk)


class DutyLeaderOut(Schema):
    post_id: int
    leader: str
    kind: str
    department: str | None
    days: float
    hours: float
    done: int
    required: int
    unit: str
    short: bool
    flagged: bool


class DutyDepartmentOut(Schema):
    label: str
    center_id: int
    leaders: int
    short: int
    flagged: int


class DutyComplianceOut(Schema):
    quarter: str
    start: date
    end: date
    over: bool
    short: int
    flagged: int
    day_rule: str
    leaders: list[DutyLeaderOut]
    departments: list[DutyDepartmentOut]


@router.get("/compliance", response=DutyComplianceOut, auth=AUTH, summary="本季度坐班达标情况")
def compliance(
    request,
    quarter: str | None = Query(
        None, pattern=r"^\d{4}Q[1-4]$", description="季度，如 2026Q1（缺省本季度）"
    ),
    center_id: int | None = Query(None, ge=1, le=MAX_ID),
):
    _need(request, "duty.manage", "duty.read")
    today = _today()
    year, q = duty_rule.quarter_of(today)
    if quarter:
        year, q = int(quarter[:4]), int(quarter[5])
    center = _center(request, center_id) if center_id else None
    report = sel.quarter_compliance(
        scope=request_scope(request), year=year, quarter=q, today=today, center=center
    )
    return {
        "quarter": f"{report.year}Q{report.quarter}",
        "start": report.start,
        "end": report.end,
        "over": report.over,
        "short": report.short,
        "flagged": report.flagged,
        "day_rule": report.day_rule,
        "leaders": [
            {
                "post_id": r.post.pk,
                "leader": str(r.post.leader.user),
                "kind": r.post.kind,
                "department": r.post.department.name if r.post.department_id else None,
                "days": r.result.days,
                "hours": r.result.hours,
                "done": r.result.done,
                "required": r.result.required,
                "unit": r.result.unit,
                "short": r.result.short,
                "flagged": r.result.flagged,
            }
            for r in report.leaders
        ],
        "departments": [
            {
                "label": d.label,
                "center_id": d.center.pk,
                "leaders": d.leaders,
                "short": d.short,
                "flagged": d.flagged,
            }
            for d in report.departments
        ],
    }
