"""The staff scores of a center for a period (R-STAFF-3, R-EVAL-3): the counts each
person's score is made of, read from the records, and the score by the pure rule in
``planning/staff_scores.py`` with the center's weights.

Who is scored: the active window and back-office staff (``WINDOW_STAFF``) of the center
(posted at it, or in a department stationed at it). What is counted, in the period:
- reviews naming the person (``Review.staff``), not default, not excluded; good =
  满意/非常满意, bad = 差评; attitude bad reviews as on the conduct page;
- cases the person decided (``decided_by``) with a promised date; on time = decided on
  or before it;
- tickets of the center the person finished (``Ticket.clerk``, state done); the
  center's median service time per category over all of the center's finished tickets
  of the period;
- failed spot checks; working days without a window sign-in (attendance, for those it
  is kept for: window clerks and whoever signed in at a window).

The ranking (stars, windows) is over the whole center; a reader sees the rows of the
people in their scope.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from onewindow.cases.models import Case
from onewindow.core.errors import InvalidInput
from onewindow.core.roles import WINDOW_STAFF
from onewindow.core.scope import Scope
from onewindow.evaluation import scheme
from onewindow.evaluation.models import Review
from onewindow.hall import states as ticket_states
from onewindow.hall.models import Ticket, Window
from onewindow.org.models import Center, StaffProfile
from onewindow.oversight.models import MonthHonours, StaffScoreSettings, YearGrades
from onewindow.oversight.selectors.staff import attendance, is_conduct_review
from onewindow.planning import staff_scores as rule
from onewindow.staffing import selectors as staffing
from onewindow.staffing.models import SpotCheck

MONTH, QUARTER, YEAR = "month", "quarter", "year"


@dataclass(frozen=True)
class Period:
    kind: str
    first: dt.date
    last: dt.date
    label: str
    code: str  # 2026-11, 2026-Q4, 2026

    def finished(self, today: dt.date) -> bool:
        return self.last < today

    @property
    def months(self) -> list[tuple[int, int]]:
        out, y, m = [], self.first.year, self.first.month
        while dt.date(y, m, 1) <= self.last:
            out.append((y, m))
            y, m = (y, m + 1) if m < 12 else (y + 1, 1)
        return out


def _month_last(year: int, month: int) -> dt.date:
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def month_period(year: int, month: int) -> Period:
    return Period(
        MONTH,
        dt.date(year, month, 1),
        _month_last(year, month),
        f"{year}年{month}月",
        f"{year}-{month:02d}",
    )


def parse_period(value: str | None, *, today: dt.date | None = None) -> Period:
    """``2026-11`` a month, ``2026-Q4`` a quarter, ``2026`` a year; empty: last month."""
    today = today or timezone.localdate()
    text = (value or "").strip().upper()
    bad = InvalidInput(
        "period.invalid", "考核期应为 2026-11（月）、2026-Q4（季度）或 2026（年度）。"
    )
    if not text:
        last = today.replace(day=1) - dt.timedelta(days=1)
        return month_period(last.year, last.month)
    try:
        if "-Q" in text:
            year, q = text.split("-Q")
            year, q = int(year), int(q)
            if not 1 <= q <= 4:
                raise bad
            return Period(
                QUARTER,
                dt.date(year, 3 * q - 2, 1),
                _month_last(year, 3 * q),
                f"{year}年第{q}季度",
                f"{year}-Q{q}",
            )
        if "-" in text:
            year, month = (int(x) for x in text.split("-"))
            if not 1 <= month <= 12 or not 2000 <= year <= 2100:
                raise bad
            return month_period(year, month)
        year = int(text)
    except ValueError:
        raise bad from None
    if not 2000 <= year <= 2100:
        raise bad
    return Period(YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年度", str(year))


def weights_for(center) -> rule.Weights:
    row = StaffScoreSettings.objects.filter(center=center).first()
    return row.weights() if row is not None else rule.Weights()


def settings_row(center) -> StaffScoreSettings:
    """The center's settings (an unsaved row of defaults when none is set)."""
    return StaffScoreSettings.objects.filter(center=center).first() or StaffScoreSettings(
        center=center
    )


@dataclass
class PersonScore:
    profile: StaffProfile
    inputs: rule.Inputs
    score: rule.Score
    rank: int = 0


@dataclass
class WindowScore:
    window: Window
    tickets: int
    reviews: int
    good: int
    score: float


@dataclass
class CenterScores:
    center: object
    period: Period
    weights: rule.Weights
    formula: str
    rows: list[PersonScore]  # everyone scored at the center, best first
    median_tickets: float | None
    windows: list[WindowScore] = field(default_factory=list)
    stars: rule.Pick = field(default_factory=lambda: rule.Pick([], False))
    flags: rule.Pick = field(default_factory=lambda: rule.Pick([], False))

    def visible(self, scope) -> list[PersonScore]:
        if scope.everything:
            return self.rows
        seen = set(StaffProfile.objects.visible_to(scope).values_list("pk", flat=True))
        return [r for r in self.rows if r.profile.pk in seen]

    def of(self, profile_id: int) -> PersonScore | None:
        return next((r for r in self.rows if r.profile.pk == profile_id), None)

    @property
    def star_rows(self) -> list[PersonScore]:
        return [r for r in self.rows if r.profile.pk in self.stars.winners]

    @property
    def flag_rows(self) -> list[WindowScore]:
        return [w for w in self.windows if w.window.pk in self.flags.winners]


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def scored_people(center) -> list[StaffProfile]:
    return [p for p in staffing.people(scope=Scope.all(), center=center) if p.roles & WINDOW_STAFF]


def _reviews(users, start, end) -> dict:
    out = defaultdict(lambda: [0, 0, 0, 0])  # counted, good, bad, attitude bad
    for r in (
        Review.objects.counted()
        .filter(staff_id__in=users, created_at__gte=start, created_at__lt=end)
        .only("staff_id", "level", "reasons", "indicators")
    ):
        row = out[r.staff_id]
        row[0] += 1
        row[1] += r.level in scheme.GOOD
        row[2] += r.level in scheme.BAD
        row[3] += is_conduct_review(r)
    return out


def _cases(users, start, end) -> dict:
    out = defaultdict(lambda: [0, 0])
    for by, decided, due in Case.objects.filter(
        decided_by_id__in=users,
        decided_at__gte=start,
        decided_at__lt=end,
        deadline__due__isnull=False,
    ).values_list("decided_by_id", "decided_at", "deadline__due"):
        out[by][0] += 1
        out[by][1] += timezone.localdate(decided) <= due
    return out


def _tickets(center, start, end) -> list[tuple]:
    return list(
        Ticket.objects.filter(
            center=center, state=ticket_states.DONE, finished_at__gte=start, finished_at__lt=end
        ).values_list("clerk_id", "category_id", "service_seconds", "served_window_id")
    )


def _window_reviews(center, start, end) -> dict:
    out = defaultdict(lambda: [0, 0])
    for window, level in (
        Review.objects.counted()
        .filter(center=center, window__isnull=False, created_at__gte=start, created_at__lt=end)
        .values_list("window_id", "level")
    ):
        out[window][0] += 1
        out[window][1] += level in scheme.GOOD
    return out


def _failures(profile_ids, start, end) -> dict:
    out = defaultdict(int)
    for check in SpotCheck.objects.filter(
        profile_id__in=profile_ids, checked_at__gte=start, checked_at__lt=end
    ):
        out[check.profile_id] += not check.passed
    return out


def _missed(profiles, period: Period, now) -> dict:
    out: dict[int, int] = {}
    for year, month in period.months:
        for row in attendance(
            scope=Scope.all(), year=year, month=month, profiles=profiles, now=now
        ):
            out[row.profile.pk] = out.get(row.profile.pk, 0) + row.missed
    return out


def center_scores(*, center, period: Period, weights=None, now=None) -> CenterScores:
    """Every scored person's score at the center for the period, best first, with the
    period's stars and red-flag windows."""
    weights = weights or weights_for(center)
    start, end = _aware(period.first), _aware(period.last + dt.timedelta(days=1))
    profiles = scored_people(center)
    users = [p.user_id for p in profiles]
    reviews, cases = _reviews(users, start, end), _cases(users, start, end)
    tickets = _tickets(center, start, end)
    by_category = defaultdict(list)
    for _clerk, category, seconds, _w in tickets:
        if seconds:
            by_category[category].append(seconds)
    medians = {c: rule.median(v) for c, v in by_category.items()}
    served = defaultdict(lambda: [0, 0.0, 0.0])  # tickets, seconds, expected
    at_window = defaultdict(lambda: defaultdict(int))
    for clerk, category, seconds, window in tickets:
        if clerk is None:
            continue
        served[clerk][0] += 1
        if seconds:
            served[clerk][1] += seconds
            served[clerk][2] += medians[category]
        if window is not None:
            at_window[window][clerk] += 1
    median_tickets = rule.median(served[u][0] for u in users if served.get(u, [0])[0])
    failures = _failures([p.pk for p in profiles], start, end)
    missed = _missed(profiles, period, now or timezone.now())
    rows = []
    for p in profiles:
        rv = reviews.get(p.user_id, [0, 0, 0, 0])
        cs = cases.get(p.user_id, [0, 0])
        tk = served.get(p.user_id, [0, 0.0, 0.0])
        inputs = rule.Inputs(
            reviews=rv[0],
            good_reviews=rv[1],
            bad_reviews=rv[2],
            attitude_bad_reviews=rv[3],
            cases_decided=cs[0],
            cases_on_time=cs[1],
            tickets=tk[0],
            service_seconds=tk[1],
            expected_seconds=tk[2],
            spot_check_failures=failures.get(p.pk, 0),
            attendance_kept=p.pk in missed,
            missed_days=missed.get(p.pk, 0),
        )
        rows.append(
            PersonScore(p, inputs, rule.score(inputs, weights, median_tickets=median_tickets))
        )
    rows.sort(key=lambda r: (-r.score.total, r.profile.staff_no))
    for i, r in enumerate(rows):
        tied = i and rows[i - 1].score.total == r.score.total
        r.rank = rows[i - 1].rank if tied else i + 1
    totals = {r.profile.user_id: r.score.total for r in rows}
    window_reviews = _window_reviews(center, start, end)
    windows = []
    for window in Window.objects.filter(pk__in=list(at_window)).order_by("number"):
        count, good = window_reviews.get(window.pk, [0, 0])
        value = rule.window_score(
            at_window[window.pk], totals, good, count, weights.window_review_share
        )
        if value is not None:
            windows.append(
                WindowScore(window, sum(at_window[window.pk].values()), count, good, value)
            )
    windows.sort(key=lambda w: (-w.score, w.window.number))
    return CenterScores(
        center=center,
        period=period,
        weights=weights,
        formula=rule.formula_words(weights),
        rows=rows,
        median_tickets=median_tickets,
        windows=windows,
        stars=rule.best(
            {r.profile.pk: r.score.total for r in rows if r.inputs.active}, weights.star_count
        ),
        flags=rule.best({w.window.pk: w.score for w in windows}, 1),
    )


def honours(*, center, limit: int = 12) -> list[MonthHonours]:
    """The published months of a center, the latest first."""
    return list(MonthHonours.objects.filter(center=center).order_by("-month")[:limit])


def honours_in_scope(*, scope: Scope, center=None):
    """The published months of every center ``scope`` sees (or of ``center``), the latest
    first: a query the API pages."""
    rows = MonthHonours.objects.filter(center__in=Center.objects.visible_to(scope))
    if center is not None:
        rows = rows.filter(center=center)
    return rows.select_related("center").order_by("-month", "center_id")


def latest_honours(center) -> MonthHonours | None:
    if center is None:
        return None
    return MonthHonours.objects.filter(center=center).order_by("-month").first()


def year_grades(*, center, year: int) -> YearGrades | None:
    return YearGrades.objects.filter(center=center, year=year).first()


def home_center(profile):
    """The center a person works at (their own, or their department's)."""
    if profile is None:
        return None
    if profile.center_id:
        return profile.center
    return profile.department.center if profile.department_id else None


@dataclass
class GradeRow:
    person: PersonScore
    chosen: str
    proposed: str


@dataclass
class GradesPage:
    found: CenterScores
    proposal: rule.Proposal
    quota_words: str
    rows: list[GradeRow]  # the reader's scope
    people: list[int]  # everyone assessed at the center
    decided: YearGrades | None
    decided_rows: list[tuple[str, str, float, str]]
    error: str = ""

    @property
    def excellent_chosen(self) -> int:
        return sum(1 for r in self.rows if r.chosen == rule.EXCELLENT)


def grades_page(*, center, year: Period, scope, chosen: dict | None = None, now=None) -> GradesPage:
    """The year's scores, the proposal within the quota, what the center decided."""
    found = center_scores(center=center, period=year, now=now)
    proposal = rule.propose(
        {r.profile.pk: r.score.total for r in found.rows},
        found.weights,
        eligible={r.profile.pk for r in found.rows if r.inputs.active},
    )
    chosen = chosen if chosen is not None else proposal.grades
    visible = {r.profile.pk for r in found.visible(scope)}
    decided = year_grades(center=center, year=year.first.year)
    decided_rows = []
    if decided is not None:
        for key, v in sorted(decided.grades.items(), key=lambda kv: -kv[1]["total"]):
            if int(key) in visible:
                decided_rows.append(
                    (v["staff_no"], v["name"], v["total"], rule.GRADE_LABELS[v["grade"]])
                )
    return GradesPage(
        found=found,
        proposal=proposal,
        quota_words=rule.quota_words(len(found.rows), found.weights),
        rows=[
            GradeRow(r, chosen.get(r.profile.pk, ""), proposal.grades[r.profile.pk])
            for r in found.rows
            if r.profile.pk in visible
        ],
        people=[r.profile.pk for r in found.rows],
        decided=decided,
        decided_rows=decided_rows,
    )
