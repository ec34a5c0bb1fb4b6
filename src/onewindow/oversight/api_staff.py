"""The staff records through the API at /api/v1/staff/ (R-STAFF-1, R-STAFF-2,
R-STAFF-4): the roster with its flags, one person's records (postings, changes,
secondments, training, contracts, spot checks of conduct) with their attendance and
conduct of the last months, attendance and conduct of a month, recruitment.

The same selectors as the staff pages (``staffing.selectors``,
``oversight.selectors.staff``); who may not read staff records (``staff.read``), and a
person or center outside the caller's scope, is 404. The writes are in
``api_staff_writes``."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from onewindow.core.api import AUTH, request_scope
from onewindow.core.paging import MAX_ID, Id, Pagination
from onewindow.core.roles import may
from onewindow.oversight.selectors import staff as sel
from onewindow.staffing import selectors as staffing
from onewindow.staffing.access import center_in_scope, profile_in_scope

router = Router(tags=["人员管理"])

CenterParam = Query(None, ge=1, le=MAX_ID, description="服务中心（缺省为可见范围内全部）")
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


def require_read(request) -> None:
    if not may(request.user, "staff.read"):
        raise Http404


class StaffPersonRefOut(Schema):
    id: int
    user_id: int
    name: str
    staff_no: str
    center_id: int | None
    department_id: int | None
    department: str | None
    posting_started: date


def person_ref(p) -> dict:
    return {
        "id": p.pk,
        "user_id": p.user_id,
        "name": str(p.user),
        "staff_no": p.staff_no,
        "center_id": p.center_id,
        "department_id": p.department_id,
        "department": p.department.name if p.department_id else None,
        "posting_started": p.posting_started,
    }


class StaffRosterRowOut(Schema):
    person: StaffPersonRefOut
    team: str | None
    stationed: bool
    short_posting: bool
    not_cleared: bool
    seconded_out: bool
    undeclared: bool
    change_pending: bool
    flags: list[str]


@router.get("/people", response=list[StaffRosterRowOut], auth=AUTH, summary="人员花名册及提示")
@paginate(Pagination)
def roster(request, center_id: int | None = CenterParam):
    require_read(request)
    center = center_in_scope(request.user, center_id) if center_id else None
    rows = staffing.roster(scope=request_scope(request), center=center)
    return [
        {
            "person": person_ref(r.profile),
            "team": r.record.team if r.record else None,
            "stationed": r.stationed,
            "short_posting": r.short_posting,
            "not_cleared": r.not_cleared,
            "seconded_out": r.seconded_out,
            "undeclared": r.undeclared,
            "change_pending": r.change_pending,
            "flags": r.flags,
        }
        for r in rows
    ]


class StaffRecordOut(Schema):
    team: str
    establishment: str
    rank: str
    paid_by: str
    recruitment_id: int | None
    no_other_work_declared: bool
    declared_on: date | None
    no_other_work_confirmed_at: datetime | None
    cleared_at: datetime | None
    cleared_basis: str


class StaffClearanceOut(Schema):
    needed: bool
    cleared: bool
    basis: str
    pre_job_hours: float
    shadowing_hours: float
    missing: str


class StaffPostingOut(Schema):
    center_id: int | None
    department_id: int | None
    started_on: date
    ended_on: date | None
    end_kind: str


class StaffChangeOut(Schema):
    id: int
    kind: str
    effective_on: date
    reason: str
    successor_id: int | None
    early: bool
    state: str
    filed_at: datetime
    decided_at: datetime | None
    decision_note: str


class StaffSecondmentOut(Schema):
    id: int
    to_unit: str
    starts_on: date
    ends_on: date
    reason: str
    state: str
    filed_at: datetime
    decided_at: datetime | None
    decision_note: str


class StaffTrainingOut(Schema):
    id: int
    kind: str
    title: str
    trainer: str
    mentor_id: int | None
    process_change_id: int | None
    started_on: date
    ended_on: date
    hours: float
    result: str


class StaffContractOut(Schema):
    id: int
    company: str
    contract_no: str
    starts_on: date
    ends_on: date


class StaffSpotCheckOut(Schema):
    id: int
    center_id: int
    checked_at: datetime
    checked_by_id: int | None
    dress_ok: bool
    badge_ok: bool
    language_ok: bool
    conduct_ok: bool
    note: str
    has_photo: bool


class StaffMonthOut(Schema):
    month: str
    expected_days: int | None
    days: int | None
    hours: float | None
    spot_checks: int | None
    spot_check_failures: int | None
    bad_reviews: int | None


class StaffPersonOut(Schema):
    person: StaffPersonRefOut
    record: StaffRecordOut | None
    clearance: StaffClearanceOut
    short_posting: bool
    postings: list[StaffPostingOut]
    changes: list[StaffChangeOut]
    secondments: list[StaffSecondmentOut]
    trainings: list[StaffTrainingOut]
    contracts: list[StaffContractOut]
    spot_checks: list[StaffSpotCheckOut]
    months: list[StaffMonthOut]


def _fields(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def _month(label, att, con) -> dict:
    return {
        "month": label.replace("\u2011", "-"),
        "expected_days": att.expected_days if att else None,
        "days": att.days if att else None,
        "hours": att.hours if att else None,
        "spot_checks": con.checks if con else None,
        "spot_check_failures": con.failures if con else None,
        "bad_reviews": con.bad_reviews if con else None,
    }


def person_out(request, profile) -> dict:
    page = sel.person_page(scope=request_scope(request), profile=profile)
    r, c = page.records, page.records.clearance
    record = r.record
    return {
        "person": person_ref(profile),
        "record": {
            **_fields(record, StaffRecordOut.model_fields.keys() - {"recruitment_id"}),
            "recruitment_id": record.recruitment_id,
        }
        if record
        else None,
        "clearance": {
            "needed": c.needed,
            "cleared": c.cleared,
            "basis": c.basis,
            "pre_job_hours": float(c.pre_job_hours),
            "shadowing_hours": float(c.shadowing_hours),
            "missing": c.missing,
        },
        "short_posting": r.short_posting,
        "postings": [_fields(x, StaffPostingOut.model_fields) for x in r.postings],
        "changes": [_fields(x, StaffChangeOut.model_fields) for x in r.changes],
        "secondments": [_fields(x, StaffSecondmentOut.model_fields) for x in r.secondments],
        "trainings": [
            {
                **_fields(x, StaffTrainingOut.model_fields.keys() - {"hours"}),
                "hours": float(x.hours),
            }
            for x in r.trainings
        ],
        "contracts": [_fields(x, StaffContractOut.model_fields) for x in r.contracts],
        "spot_checks": [
            {
                **_fields(x, StaffSpotCheckOut.model_fields.keys() - {"has_photo"}),
                "has_photo": x.photo_id is not None,
            }
            for x in r.spot_checks
        ],
        "months": [_month(*m) for m in page.months],
    }


@router.get(
    "/people/{profile_id}", response=StaffPersonOut, auth=AUTH, summary="一名工作人员的管理档案"
)
def person(request, profile_id: Id):
    require_read(request)
    return person_out(request, profile_in_scope(request.user, profile_id))


class StaffAttendanceOut(Schema):
    person: StaffPersonRefOut
    expected_days: int
    days: int
    hours: float
    missed: int
    day_list: list[date]


class StaffConductOut(Schema):
    person: StaffPersonRefOut
    checks: int
    failures: int
    failed_items: dict[str, int]
    bad_reviews: int
    review_reasons: dict[str, int]


def _month_and_center(request, month: str | None, center_id: int | None):
    require_read(request)
    year, mon = sel.parse_month(month)
    center = center_in_scope(request.user, center_id) if center_id else None
    return year, mon, center


@router.get("/attendance", response=list[StaffAttendanceOut], auth=AUTH, summary="一个月的考勤")
@paginate(Pagination)
def attendance(
    request,
    month: str | None = Query(None, pattern=MONTH, description="月份 YYYY-MM（缺省本月）"),
    center_id: int | None = CenterParam,
):
    year, mon, center = _month_and_center(request, month, center_id)
    rows = sel.attendance(scope=request_scope(request), year=year, month=mon, center=center)
    return [
        {
            "person": person_ref(r.profile),
            **_fields(r, StaffAttendanceOut.model_fields.keys() - {"person"}),
        }
        for r in rows
    ]


@router.get(
    "/conduct", response=list[StaffConductOut], auth=AUTH, summary="一个月的仪容仪表与服务规范"
)
@paginate(Pagination)
def conduct(
    request,
    month: str | None = Query(None, pattern=MONTH, description="月份 YYYY-MM（缺省本月）"),
    center_id: int | None = CenterParam,
):
    year, mon, center = _month_and_center(request, month, center_id)
    rows = sel.conduct(scope=request_scope(request), year=year, month=mon, center=center)
    return [
        {
            "person": person_ref(r.profile),
            **_fields(r, StaffConductOut.model_fields.keys() - {"person"}),
        }
        for r in rows
    ]


class StaffRecruitmentOut(Schema):
    id: int
    center_id: int
    center: str
    team: str
    held_on: date
    way: str
    openly: bool
    announcement: str
    positions: int
    hired: int
    recruits: list[int] = Field(..., description="由此招聘录用、已建档人员的编号")


def recruitment_out(x) -> dict:
    return {
        **_fields(x, StaffRecruitmentOut.model_fields.keys() - {"center", "recruits"}),
        "center": x.center.name,
        "recruits": [rec.profile_id for rec in x.recruits.all()],
    }


class StaffPendingChangeOut(StaffChangeOut):
    person: StaffPersonRefOut


@router.get(
    "/changes", response=list[StaffPendingChangeOut], auth=AUTH, summary="待审批的人员调整备案"
)
@paginate(Pagination)
def pending_changes(request):
    require_read(request)
    rows = staffing.pending_changes(scope=request_scope(request))
    return [
        {"person": person_ref(x.profile), **_fields(x, StaffChangeOut.model_fields)} for x in rows
    ]
