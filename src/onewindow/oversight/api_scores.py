"""The staff scores through the API at /api/v1/staff/scores… (R-STAFF-3): a center's
scores of a month, quarter or year with each part and the formula in words; one's own
score; the weights; the month's 服务之星 and 红旗窗口 published; the year's grades within
the quota of 优秀 and their decision.

The same selectors and services as the staff-score pages
(``oversight.selectors.staff_scores``, ``oversight.services``, each write audited). Who
may not read the scores (``staff_scores.read``; one's own: ``staff_scores.own``), like
the pages, finds nothing (404); a write without ``staff_scores.manage`` is refused
(403); a center outside the caller's scope is 404; a reader sees the rows of the people
in their scope (the ranking is over the whole center); bad input a 422 that changes
nothing, 优秀 over the quota included (``staff_scores.over_quota``)."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from onewindow.core.api import AUTH, request_scope
from onewindow.core.paging import MAX_ID, Pagination
from onewindow.core.roles import may
from onewindow.oversight import services
from onewindow.oversight.api_staff import StaffPersonRefOut, person_ref
from onewindow.oversight.models.staff_scores import FIELDS
from onewindow.oversight.selectors import staff_scores as sel
from onewindow.planning import staff_scores as rule
from onewindow.staffing.access import center_in_scope

router = Router(tags=["人员考核"])

CenterParam = Query(..., ge=1, le=MAX_ID, description="服务中心")
PERIOD = r"^\d{4}(-(0[1-9]|1[0-2]|[Qq][1-4]))?$"
PeriodParam = Query(
    None,
    pattern=PERIOD,
    description="考核期：2026-11（月）、2026-Q4（季度）、2026（年度）；缺省上月",
)
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
GRADE = "^(" + "|".join(rule.GRADE_LABELS) + ")$"


def _need(request, activity: str) -> None:
    if not may(request.user, activity):
        raise Http404


class StaffScoreCenterOut(Schema):
    id: int
    name: str


class StaffScorePeriodOut(Schema):
    kind: str = Field(..., description="month / quarter / year")
    code: str
    label: str
    first: date
    last: date
    finished: bool


class StaffScoreWeightsOut(Schema):
    evaluation: int
    efficiency: int
    conduct: int
    bad_review_points: float
    spot_check_points: float
    attitude_points: float
    absence_points: float
    no_data_score: float
    window_review_share: int
    star_count: int
    normal_ratio: int
    extra_points: int
    basic_below: float
    fail_below: float


class StaffScorePartOut(Schema):
    score: float
    words: str = Field(..., description="本部分得分的算法（中文）")
    no_data: bool


class StaffScoreInputsOut(Schema):
    reviews: int
    good_reviews: int
    bad_reviews: int
    attitude_bad_reviews: int
    cases_decided: int
    cases_on_time: int
    tickets: int
    service_seconds: float
    expected_seconds: float
    spot_check_failures: int
    attendance_kept: bool
    missed_days: int


class StaffScoreRowOut(Schema):
    person: StaffPersonRefOut
    rank: int
    total: float
    evaluation: StaffScorePartOut
    efficiency: StaffScorePartOut
    conduct: StaffScorePartOut
    inputs: StaffScoreInputsOut
    active: bool = Field(..., description="本期有办件或叫号（可评服务之星）")
    star: bool = Field(..., description="本期服务之星")


class StaffWindowScoreOut(Schema):
    window_id: int
    window: str
    tickets: int
    reviews: int
    good_reviews: int
    score: float
    red_flag: bool


class StaffHonourStarOut(Schema):
    profile_id: int
    name: str
    staff_no: str
    department: str
    total: float


class StaffHonourFlagOut(Schema):
    window_id: int
    label: str
    score: float


class StaffHonoursOut(Schema):
    id: int
    center_id: int
    month: str = Field(..., description="YYYY-MM")
    stars: list[StaffHonourStarOut]
    stars_tied: bool
    flags: list[StaffHonourFlagOut]
    flags_tied: bool
    formula: str
    published_at: datetime


class StaffScoresOut(Schema):
    center: StaffScoreCenterOut
    period: StaffScorePeriodOut
    formula: str
    weights: StaffScoreWeightsOut
    median_tickets: float | None
    rows: list[StaffScoreRowOut] = Field(..., description="可见范围内的人员，按名次")
    windows: list[StaffWindowScoreOut]
    stars_tied: bool
    flags_tied: bool
    published: StaffHonoursOut | None = Field(..., description="本月已发布的服务之星和红旗窗口")
    may_publish: bool


def _period(p) -> dict:
    return {
        "kind": p.kind,
        "code": p.code,
        "label": p.label,
        "first": p.first,
        "last": p.last,
        "finished": p.finished(timezone.localdate()),
    }


def _weights(w) -> dict:
    return {name: getattr(w, name) for name in StaffScoreWeightsOut.model_fields}


def _part(p) -> dict:
    return {"score": p.score, "words": p.words, "no_data": p.no_data}


def _row(found, r) -> dict:
    return {
        "person": person_ref(r.profile),
        "rank": r.rank,
        "total": r.score.total,
        "evaluation": _part(r.score.evaluation),
        "efficiency": _part(r.score.efficiency),
        "conduct": _part(r.score.conduct),
        "inputs": {name: getattr(r.inputs, name) for name in StaffScoreInputsOut.model_fields},
        "active": r.inputs.active,
        "star": r.profile.pk in found.stars.winners,
    }


def honours_out(h) -> dict:
    return {
        "id": h.pk,
        "center_id": h.center_id,
        "month": f"{h.month:%Y-%m}",
        "stars": [
            {
                "profile_id": s["profile"],
                "name": s["name"],
                "staff_no": s["staff_no"],
                "department": s["department"],
                "total": s["total"],
            }
            for s in h.stars
        ],
        "stars_tied": h.stars_tied,
        "flags": [
            {"window_id": f["window"], "label": f["label"], "score": f["score"]} for f in h.flags
        ],
        "flags_tied": h.flags_tied,
        "formula": h.formula,
        "published_at": h.published_at,
    }


@router.get("/scores", response=StaffScoresOut, auth=AUTH, summary="人员考核得分（月、季度、年度）")
def scores(request, center_id: int = CenterParam, period: str | None = PeriodParam):
    _need(request, "staff_scores.read")
    center = center_in_scope(request.user, center_id)
    found = sel.center_scores(center=center, period=sel.parse_period(period))
    published = None
    if found.period.kind == sel.MONTH:
        month = found.period.first
        published = next((h for h in sel.honours(center=center) if h.month == month), None)
    return {
        "center": {"id": center.pk, "name": center.name},
        "period": _period(found.period),
        "formula": found.formula,
        "weights": _weights(found.weights),
        "median_tickets": found.median_tickets,
        "rows": [_row(found, r) for r in found.visible(request_scope(request))],
        "windows": [
            {
                "window_id": w.window.pk,
                "window": str(w.window),
                "tickets": w.tickets,
                "reviews": w.reviews,
                "good_reviews": w.good,
                "score": w.score,
                "red_flag": w.window.pk in found.flags.winners,
            }
            for w in found.windows
        ],
        "stars_tied": found.stars.tied,
        "flags_tied": found.flags.tied,
        "published": honours_out(published) if published else None,
        "may_publish": may(request.user, "staff_scores.manage")
        and found.period.kind == sel.MONTH
        and found.period.finished(timezone.localdate())
        and published is None,
    }


class StaffOwnScoreOut(Schema):
    center: StaffScoreCenterOut
    period: StaffScorePeriodOut
    formula: str
    row: StaffScoreRowOut | None = Field(..., description="本人的得分（不在考核范围时为空）")
    latest_honours: StaffHonoursOut | None


@router.get("/scores/mine", response=StaffOwnScoreOut, auth=AUTH, summary="本人的考核得分")
def my_score(request, period: str | None = PeriodParam):
    profile = getattr(request.user, "staff_profile", None)
    center = sel.home_center(profile)
    if not may(request.user, "staff_scores.own") or center is None:
        raise Http404
    found = sel.center_scores(center=center, period=sel.parse_period(period))
    row = found.of(profile.pk)
    latest = sel.latest_honours(center)
    return {
        "center": {"id": center.pk, "name": center.name},
        "period": _period(found.period),
        "formula": found.formula,
        "row": _row(found, row) if row else None,
        "latest_honours": honours_out(latest) if latest else None,
    }


# --- the weights ---------------------------------------------------------------------------------


class StaffScoreSettingsOut(Schema):
    center_id: int
    weights: StaffScoreWeightsOut
    formula: str


def settings_out(center) -> dict:
    weights = sel.weights_for(center)
    return {
        "center_id": center.pk,
        "weights": _weights(weights),
        "formula": rule.formula_words(weights),
    }


@router.get(
    "/scores/settings", response=StaffScoreSettingsOut, auth=AUTH, summary="人员考核设置（权重）"
)
def settings_read(request, center_id: int = CenterParam):
    _need(request, "staff_scores.manage")
    return settings_out(center_in_scope(request.user, center_id))


Share = Field(None, ge=0, le=100)


class StaffScoreSettingsIn(Schema):
    center_id: int = Field(..., ge=1, le=MAX_ID)
    evaluation: int | None = Field(None, ge=0, le=100, description="评价权重（%）")
    efficiency: int | None = Field(None, ge=0, le=100, description="效能权重（%）")
    conduct: int | None = Field(None, ge=0, le=100, description="作风权重（%）")
    bad_review_points: float | None = Share
    spot_check_points: float | None = Share
    attitude_points: float | None = Share
    absence_points: float | None = Share
    no_data_score: float | None = Share
    window_review_share: int | None = Field(None, ge=0, le=100)
    star_count: int | None = Field(None, ge=1, le=20)
    normal_ratio: int | None = Field(None, ge=0, le=85)
    extra_points: int | None = Field(None, ge=rule.EXTRA_MIN, le=rule.EXTRA_MAX)
    basic_below: float | None = Share
    fail_below: float | None = Share


@router.put(
    "/scores/settings", response=StaffScoreSettingsOut, auth=AUTH, summary="设置人员考核权重"
)
def settings_set(request, payload: StaffScoreSettingsIn):
    given = payload.dict(exclude_none=True)
    values = {name: str(given[name]) for name in FIELDS if name in given}
    row = services.score_settings_set(
        actor=request.user, center_id=payload.center_id, values=values
    )
    return settings_out(row.center)


# --- 服务之星 and 红旗窗口 ------------------------------------------------------------------------


@router.get(
    "/scores/honours",
    response=list[StaffHonoursOut],
    auth=AUTH,
    summary="已发布的服务之星和红旗窗口",
)
@paginate(Pagination)
def honours(
    request,
    center_id: int | None = Query(
        None, ge=1, le=MAX_ID, description="服务中心（缺省为可见的全部中心）"
    ),
):
    _need(request, "staff_scores.read")
    center = None if center_id is None else center_in_scope(request.user, center_id)
    rows = sel.honours_in_scope(scope=request_scope(request), center=center)
    return [honours_out(h) for h in rows]


class StaffHonoursIn(Schema):
    center_id: int = Field(..., ge=1, le=MAX_ID)
    month: str = Field(..., pattern=MONTH, description="已结束的月份 YYYY-MM")


@router.post(
    "/scores/honours", response=StaffHonoursOut, auth=AUTH, summary="发布一个月的服务之星和红旗窗口"
)
def honours_publish(request, payload: StaffHonoursIn):
    honours = services.publish_month(
        actor=request.user, center=payload.center_id, month=payload.month
    )
    return honours_out(honours)


# --- the year's grades ---------------------------------------------------------------------------


class StaffGradeRowOut(Schema):
    person: StaffPersonRefOut
    rank: int
    total: float
    proposed: str = Field(..., description="按名额和分数线建议的等次")


class StaffDecidedGradeOut(Schema):
    profile_id: int
    staff_no: str
    name: str
    total: float
    grade: str
    grade_label: str


class StaffYearGradesOut(Schema):
    center: StaffScoreCenterOut
    year: int
    quota: int = Field(..., description="优秀名额")
    quota_words: str
    held_back: list[int] = Field(..., description="在名额边界并列、未建议优秀的人员")
    basic_below: float
    fail_below: float
    rows: list[StaffGradeRowOut] = Field(..., description="可见范围内的人员，按名次")
    people: int = Field(..., description="本中心参加考核的人数")
    decided: bool
    decided_quota: int | None
    decided_quota_words: str | None
    decided_at: datetime | None
    decided_rows: list[StaffDecidedGradeOut]


def grades_out(request, center, year: int) -> dict:
    page = sel.grades_page(
        center=center, year=sel.parse_period(str(year)), scope=request_scope(request)
    )
    visible = {g.person.profile.pk for g in page.rows}
    d = page.decided
    decided_rows = []
    if d is not None:
        for key, v in sorted(d.grades.items(), key=lambda kv: -kv[1]["total"]):
            if int(key) in visible:
                decided_rows.append(
                    {
                        "profile_id": int(key),
                        "staff_no": v["staff_no"],
                        "name": v["name"],
                        "total": v["total"],
                        "grade": v["grade"],
                        "grade_label": rule.GRADE_LABELS[v["grade"]],
                    }
                )
    return {
        "center": {"id": center.pk, "name": center.name},
        "year": year,
        "quota": page.proposal.quota,
        "quota_words": page.quota_words,
        "held_back": list(page.proposal.held_back),
        "basic_below": page.found.weights.basic_below,
        "fail_below": page.found.weights.fail_below,
        "rows": [
            {
                "person": person_ref(g.person.profile),
                "rank": g.person.rank,
                "total": g.person.score.total,
                "proposed": g.proposed,
            }
            for g in page.rows
        ],
        "people": len(page.people),
        "decided": d is not None,
        "decided_quota": d.quota if d else None,
        "decided_quota_words": d.quota_words if d else None,
        "decided_at": d.decided_at if d else None,
        "decided_rows": decided_rows,
    }


YearParam = Query(None, ge=2000, le=2100, description="年度（缺省今年）")


@router.get("/scores/grades", response=StaffYearGradesOut, auth=AUTH, summary="年度考核等次")
def grades(request, center_id: int = CenterParam, year: int | None = YearParam):
    _need(request, "staff_scores.read")
    center = center_in_scope(request.user, center_id)
    return grades_out(request, center, year or timezone.localdate().year)


class StaffGradeIn(Schema):
    profile_id: int = Field(..., ge=1, le=MAX_ID)
    grade: str = Field(
        ..., pattern=GRADE, description="excellent / competent / basic / incompetent"
    )


class StaffYearGradesIn(Schema):
    center_id: int = Field(..., ge=1, le=MAX_ID)
    year: int = Field(..., ge=2000, le=2100)
    grades: list[StaffGradeIn] = Field(
        ..., max_length=2000, description="本中心参加考核的每一个人的等次"
    )


@router.post(
    "/scores/grades",
    response=StaffYearGradesOut,
    auth=AUTH,
    summary="确定年度考核等次（优秀不超过名额）",
)
def grades_decide(request, payload: StaffYearGradesIn):
    row = services.year_grades_decide(
        actor=request.user,
        center=payload.center_id,
        year=payload.year,
        grades={g.profile_id: g.grade for g in payload.grades},
    )
    return grades_out(request, row.center, row.year)
