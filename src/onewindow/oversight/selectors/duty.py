"""Reads of leader duty (R-SUP-1, R-SUP-3), always in the caller's scope: the roster,
sittings, the problems and their deadlines, walks, and the quarter's compliance per
leader and per department (the rule: ``oversight/duty_rule.py``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

from onewindow.core.calendar import calendar_for
from onewindow.core.errors import NotFound
from onewindow.core.roles import DEPARTMENT_HEADS, Role, may
from onewindow.org.models import Center, Department, Level, StaffProfile
from onewindow.oversight import duty_rule
from onewindow.oversight.models import (
    CountyDutySetting,
    DutyKind,
    DutyPost,
    DutyProblem,
    DutySitting,
    ProcessWalk,
)


def centers(*, scope):
    return Center.objects.visible_to(scope).filter(is_active=True).select_related("region")


def center_pick(*, scope, user, center_id=None) -> Center | None:
    """The center a page is about: the one asked for (in scope, else not found), the
    user's own, else the first in scope."""
    qs = centers(scope=scope)
    if center_id not in (None, ""):
        text = str(center_id)
        found = qs.filter(pk=int(text) if text.isdigit() and len(text) < 12 else None).first()
        if found is None:
            raise NotFound()
        return found
    profile = getattr(user, "staff_profile", None)
    for cid in (
        getattr(profile, "center_id", None),
        getattr(getattr(profile, "department", None), "center_id", None),
    ):
        if cid and qs.filter(pk=cid).exists():
            return qs.get(pk=cid)
    return qs.order_by("region__path", "pk").first()


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end, time.max, tzinfo=tz),
    )


# --- roster -------------------------------------------------------------------------------


def roster(*, scope, center: Center):
    return (
        DutyPost.objects.visible_to(scope)
        .filter(center=center, active=True)
        .select_related("leader__user", "department")
    )


def roster_rows(*, scope, center: Center) -> list[tuple[DutyPost, DutySitting | None]]:
    """The roster with each leader's open sitting (None when not signed in)."""
    open_ = open_sittings(scope=scope, center=center)
    return [(p, open_.get(p.pk)) for p in roster(scope=scope, center=center)]


def open_sittings(*, scope, center: Center) -> dict[int, DutySitting]:
    rows = DutySitting.objects.visible_to(scope).filter(center=center, ended_at__isnull=True)
    return {s.post_id: s for s in rows}


def candidates(*, center: Center) -> list[tuple[StaffProfile, str]]:
    """Who may be put on the center's roster: heads of the departments stationed there,
    and, where the county adopts it, the county's leaders without a department."""
    on = set(
        DutyPost.objects.filter(center=center, active=True).values_list("leader_id", flat=True)
    )
    out = []
    heads = StaffProfile.objects.filter(active=True, department__center=center).select_related(
        "user", "department"
    )
    for p in heads:
        if p.roles & DEPARTMENT_HEADS and p.pk not in on:
            out.append((p, f"{p.user.full_name}（{p.department.name}）"))
    if center.region.level == Level.COUNTY and county_adopts(center):
        county = StaffProfile.objects.filter(
            active=True, department__isnull=True, region=center.region
        ).select_related("user")
        for p in county:
            if Role.LEADER in p.roles and p.pk not in on:
                out.append((p, f"{p.user.full_name}（县级领导）"))
    return out


def county_adopts(center: Center) -> bool:
    return CountyDutySetting.objects.filter(region=center.region_id, adopted=True).exists()


def county_setting(*, scope, center: Center) -> CountyDutySetting | None:
    if center.region.level != Level.COUNTY:
        return None
    return CountyDutySetting.objects.visible_to(scope).filter(region=center.region_id).first()


def my_posts(*, user):
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return DutyPost.objects.none()
    return DutyPost.objects.filter(leader=profile, active=True).select_related(
        "center", "department"
    )


def post_at(*, user, center: Center) -> DutyPost | None:
    return my_posts(user=user).filter(center=center).first()


def open_sitting_of(post: DutyPost | None) -> DutySitting | None:
    if post is None:
        return None
    return DutySitting.objects.filter(post=post, ended_at__isnull=True).first()


# --- sittings, problems, walks --------------------------------------------------------------


def sittings(*, scope, center: Center | None = None, post: DutyPost | None = None, limit=50):
    qs = DutySitting.objects.visible_to(scope).select_related(
        "post__leader__user", "post__department"
    )
    if center is not None:
        qs = qs.filter(center=center)
    if post is not None:
        qs = qs.filter(post=post)
    return qs.order_by("-started_at")[:limit]


@dataclass(frozen=True)
class ProblemRow:
    problem: DutyProblem
    overdue: bool
    closed_late: bool
    can_close: bool = False

    @property
    def state_label(self) -> str:
        if self.problem.closed_at is None:
            return "已逾期" if self.overdue else "整改中"
        return "逾期办结" if self.closed_late else "已办结"


def problem_rows(problems, *, today: date, user=None) -> list[ProblemRow]:
    profile = getattr(user, "staff_profile", None)
    manage = may(user, "duty.manage")
    rows = []
    for p in problems:
        closed = local_day(p.closed_at) if p.closed_at else None
        rows.append(
            ProblemRow(
                problem=p,
                overdue=closed is None and today > p.deadline,
                closed_late=closed is not None and closed > p.deadline,
                can_close=closed is None
                and (
                    manage or (profile is not None and profile.pk in (p.owner_id, p.post.leader_id))
                ),
            )
        )
    return rows


PROBLEM_STATES = {"open": "整改中", "overdue": "已逾期", "closed": "已办结", "all": "全部"}


def problems(
    *, scope, today: date, center: Center | None = None, state: str = "open", user=None, mine=False
):
    """The items in scope and the user's own (as owner or as the leader who found them),
    filtered by state; ``mine``: the user's own only."""
    q = Q(pk__in=[]) if mine else Q(pk__in=DutyProblem.objects.visible_to(scope).values("pk"))
    profile = getattr(user, "staff_profile", None)
    if profile is not None:
        q |= Q(owner=profile) | Q(post__leader=profile)
    qs = DutyProblem.objects.filter(q).select_related(
        "center", "department", "owner__user", "post__leader__user"
    )
    if center is not None:
        qs = qs.filter(center=center)
    if state == "open":
        qs = qs.filter(closed_at__isnull=True)
    elif state == "overdue":
        qs = qs.filter(closed_at__isnull=True, deadline__lt=today)
    elif state == "closed":
        qs = qs.filter(closed_at__isnull=False)
    return problem_rows(qs.order_by("closed_at", "deadline", "pk")[:200], today=today, user=user)


def walks(*, scope, center: Center | None = None, post: DutyPost | None = None, limit=50):
    qs = ProcessWalk.objects.visible_to(scope).select_related(
        "post__leader__user", "matter", "problem"
    )
    if center is not None:
        qs = qs.filter(center=center)
    if post is not None:
        qs = qs.filter(post=post)
    return qs[:limit]


def owners(*, center: Center):
    """Who may own an item at a center: its staff and its departments' staff."""
    return (
        StaffProfile.objects.filter(active=True)
        .filter(Q(center=center) | Q(department__center=center))
        .select_related("user", "department")
        .order_by("department__name", "user__full_name")
    )


# --- the quarter's compliance ---------------------------------------------------------------


@dataclass(frozen=True)
class LeaderRow:
    post: DutyPost
    result: duty_rule.Assessment


@dataclass
class DepartmentRow:
    department: Department | None
    center: Center
    leaders: int = 0
    short: int = 0
    flagged: int = 0
    rows: list[LeaderRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.department.name if self.department else "县级领导"


@dataclass(frozen=True)
class Compliance:
    year: int
    quarter: int
    start: date
    end: date
    over: bool
    leaders: list[LeaderRow]
    departments: list[DepartmentRow]
    rules: dict
    day_rule: str

    @property
    def flagged(self) -> int:
        return sum(1 for r in self.leaders if r.result.flagged)

    @property
    def short(self) -> int:
        return sum(1 for r in self.leaders if r.result.short)


def day_hours(sittings_qs) -> dict[int, dict[date, float]]:
    """Hours signed in per post and local day (closed sittings only)."""
    out: dict[int, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    for s in sittings_qs:
        if s.ended_at is not None:
            out[s.post_id][local_day(s.started_at)] += (
                s.ended_at - s.started_at
            ).total_seconds() / 3600
    return out


def quarter_compliance(
    *, scope, year: int, quarter: int, today: date, center: Center | None = None
) -> Compliance:
    start, end = duty_rule.quarter_bounds(year, quarter)
    posts = (
        DutyPost.objects.visible_to(scope)
        .filter(since__lte=end)
        .select_related("center__region", "department", "leader__user")
    )
    posts = posts.filter(
        Q(active=True) | Q(sittings__started_at__gte=day_bounds(start, end)[0])
    ).distinct()
    if center is not None:
        posts = posts.filter(center=center)
    posts = list(posts)
    lo, hi = day_bounds(start, end)
    hours = day_hours(
        DutySitting.objects.filter(post__in=posts, started_at__range=(lo, hi)).only(
            "post_id", "started_at", "ended_at"
        )
    )
    settings = {s.region_id: s for s in CountyDutySetting.objects.filter(adopted=True)}
    calendars: dict[int, object] = {}
    leaders: list[LeaderRow] = []
    departments: dict[tuple[int, int | None], DepartmentRow] = {}
    for post in posts:
        cal = calendars.setdefault(post.center_id, calendar_for(center=post.center))
        setting = settings.get(post.center.region_id)
        result = duty_rule.assess(
            post.kind,
            hours.get(post.pk, {}),
            start=max(start, post.since) if post.kind == DutyKind.DEPUTY else start,
            end=end,
            today=today,
            is_workday=cal.is_workday,
            county_half_days=setting.half_days_per_quarter if setting else 0,
        )
        row = LeaderRow(post=post, result=result)
        leaders.append(row)
        dept = departments.setdefault(
            (post.center_id, post.department_id), DepartmentRow(post.department, post.center)
        )
        dept.leaders += 1
        dept.short += result.short
        dept.flagged += result.flagged
        dept.rows.append(row)
    return Compliance(
        year=year,
        quarter=quarter,
        start=start,
        end=end,
        over=today > end,
        leaders=leaders,
        departments=sorted(departments.values(), key=lambda d: (d.center.name, d.label)),
        rules=duty_rule.RULE_TEXT,
        day_rule=duty_rule.DAY_TEXT,
    )
