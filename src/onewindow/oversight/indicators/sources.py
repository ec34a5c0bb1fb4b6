"""Where each indicator's figures come from: one function per indicator, over a set of
departments and a list of months, answering ``{(department id, month): Figure}``.

The counts (online, on-the-spot and on-time rates, satisfaction, rectification,
complaints answered on time) read the monthly rollups the services keep
(``cases.CaseMonth``, ``evaluation.ReviewMonth``, ``complaints.ComplaintMonth``, per
department and month, by the same rules; ``core/rollups.py``). The 收发室 and 体外循环
signs read ``cases.CaseDecisionMonth`` (decisions per matter and person who decided)
against today's window authorisations. The entry rate and the compression follow the
catalog's reports' definitions: today's state for this month, the month's
``oversight.CatalogSnapshot`` for a past month that has one."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from onewindow.cases.models import Case, CaseDecisionMonth, CaseMonth
from onewindow.catalog.models import Listing
from onewindow.complaints.models import ComplaintMonth
from onewindow.core.rollups import DEPARTMENT
from onewindow.evaluation.models import ReviewMonth
from onewindow.hall.models import Authorization
from onewindow.org.models import StaffProfile
from onewindow.oversight.indicators.definitions import Figure
from onewindow.oversight.models import CatalogSnapshot

Key = tuple[int, dt.date]


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def bounds(months: list[dt.date]) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(min(months), dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(next_month(max(months)), dt.time.min, tzinfo=tz)
    return lo, hi


Spec = tuple[tuple[str, ...], str]  # (numerator columns, denominator column)


def _rolled_many(
    model, dept_ids, months, specs: dict[str, Spec], *, folded: bool = False
) -> dict[str, dict[Key, Figure]]:
    """Figures per department and month of several indicators reading the same rollup,
    from one grouped read of it (every column they need summed at once). ``folded``:
    the departments summed in the database, one figure per month under department 0."""
    cols = sorted({c for num, den in specs.values() for c in (*num, den)})
    rows = (
        model.objects.filter(subject=DEPARTMENT, subject_key__in=list(dept_ids), month__in=months)
        .values(*(["month"] if folded else ["subject_key", "month"]))
        .annotate(**{f"s_{c}": Sum(c) for c in cols})
        .order_by()
    )
    out: dict[str, dict[Key, Figure]] = {code: {} for code in specs}
    for r in rows:
        for code, (num, den) in specs.items():
            if r[f"s_{den}"]:
                out[code][(r.get("subject_key", 0), r["month"])] = Figure(
                    sum(r[f"s_{c}"] for c in num), r[f"s_{den}"]
                )
    return out


def fold(per: dict[Key, Figure]) -> dict[Key, Figure]:
    out: dict[Key, Figure] = defaultdict(Figure)
    for (_dept, month), figure in per.items():
        out[(0, month)] += figure
    return dict(out)


def _rolled(model, dept_ids, months, num: tuple[str, ...], den: str) -> dict[Key, Figure]:
    """A Figure per department and month from a rollup: the sum of ``num`` over ``den``."""
    return _rolled_many(model, dept_ids, months, {"one": (num, den)})["one"]


def same_every_month(per_dept: dict[int, Figure], months) -> dict[Key, Figure]:
    return {(d, m): f for d, f in per_dept.items() for m in months}


# --- the catalog: today's state, and each past month's snapshot ---------------------------------------------------------------


def entry_rate_now(dept_ids) -> dict[int, Figure]:
    """The catalog's state today, per department."""
    per: dict[int, Figure] = defaultdict(Figure)
    for dept, outside in (
        Listing.objects.active()
        .filter(department_id__in=dept_ids)
        .values_list("department_id", "handled_outside")
    ):
        per[dept] += Figure(0 if outside else 1, 1)
    return dict(per)


def _with_history(dept_ids, months, now: Callable[[], dict[int, Figure]], num: str, den: str):
    """A month's snapshot where one was taken (this month's follows the catalog, kept by
    the sweep); the catalog's state today otherwise."""
    return _history_many(dept_ids, months, {"one": (now, num, den)})["one"]


def _history_many(dept_ids, months, specs: dict) -> dict[str, dict[Key, Figure]]:
    """``_with_history`` of several indicators from one read of the snapshots."""
    rows = list(
        CatalogSnapshot.objects.filter(department_id__in=list(dept_ids), month__in=months)
        .order_by()
        .values_list(
            "department_id", "month", *[c for _now, num, den in specs.values() for c in (num, den)]
        )
    )
    out = {}
    for i, (code, (now, _num, _den)) in enumerate(specs.items()):
        found = {(r[0], r[1]): Figure(r[2 + 2 * i], r[3 + 2 * i]) for r in rows}
        missing = [m for m in months if any((d, m) not in found for d in dept_ids)]
        if missing:
            for key, figure in same_every_month(now(), missing).items():
                found.setdefault(key, figure)
        out[code] = found
    return out


def entry_rate(dept_ids, months) -> dict[Key, Figure]:
    return _with_history(
        dept_ids, months, lambda: entry_rate_now(dept_ids), "entry_num", "entry_den"
    )


def compression_now(dept_ids) -> dict[int, Figure]:
    """The catalog's state today, per department."""
    per: dict[int, Figure] = defaultdict(Figure)
    rows = (
        Listing.objects.active()
        .filter(department_id__in=dept_ids, matter__current_version__isnull=False)
        .values_list(
            "department_id",
            "matter__current_version__promised_days",
            "matter__current_version__statutory_days",
        )
    )
    for dept, promised, statutory in rows:
        if statutory:
            per[dept] += Figure(1 - promised / statutory, 1)
    return dict(per)


def compression(dept_ids, months) -> dict[Key, Figure]:
    now = lambda: compression_now(dept_ids)  # noqa: E731
    return _with_history(dept_ids, months, now, "compression_sum", "compression_den")


# --- cases ------------------------------------------------------------------------------------------


def _decided(dept_ids, months):
    lo, hi = bounds(months)
    return Case.objects.filter(department_id__in=dept_ids, decided_at__gte=lo, decided_at__lt=hi)


def online_rate(dept_ids, months) -> dict[Key, Figure]:
    return _rolled(CaseMonth, dept_ids, months, ("received_web", "received_mobile"), "received")


def on_the_spot_rate(dept_ids, months) -> dict[Key, Figure]:
    return _rolled(CaseMonth, dept_ids, months, ("on_the_spot",), "decided")


def on_time_rate(dept_ids, months) -> dict[Key, Figure]:
    return _rolled(CaseMonth, dept_ids, months, ("on_time",), "dated")


def _authorized_clerks() -> dict[tuple[int, int], set[int]]:
    """(center, matter) → the clerks of that center who may decide it on the spot."""
    out: dict[tuple[int, int], set[int]] = defaultdict(set)
    rows = Authorization.objects.filter(
        may_accept=True, may_decide=True, clerk__staff_profile__center__isnull=False
    ).values_list("clerk__staff_profile__center_id", "matter_id", "clerk_id")
    for center, matter, clerk in rows:
        out[(center, matter)].add(clerk)
    return out


def _decisions(dept_ids, months):
    """(department, month, center, matter, decider, decided, quick) from the rollup."""
    return (
        CaseDecisionMonth.objects.filter(
            dept_key__in=list(dept_ids), month__in=months, decided__gt=0
        )
        .order_by()
        .values_list(
            "dept_key", "month", "center_id", "subject_key", "clerk_key", "decided", "quick"
        )
    )


def mailroom(dept_ids, months) -> dict[Key, Figure]:
    return _signs(dept_ids, months)["mailroom"]


# The decisions' rollup rows with two flags: decided by a clerk of the row's center who
# may decide the matter on the spot at a window (``by_window``), and the matter has such
# a clerk there at all (``has_window``): today's window authorisations.
_SIGN_ROWS = """
SELECT d.dept_key AS dept, d.month AS month, d.center_id AS center, d.subject_key AS matter,
       d.decided AS decided, d.quick AS quick,
       CASE WHEN EXISTS (SELECT 1 FROM {auth} a JOIN {profile} p ON p.user_id = a.clerk_id
                         WHERE a.may_accept AND a.may_decide AND p.center_id = d.center_id
                           AND a.matter_id = d.subject_key AND a.clerk_id = d.clerk_key)
            THEN 1 ELSE 0 END AS by_window,
       CASE WHEN EXISTS (SELECT 1 FROM {auth} a JOIN {profile} p ON p.user_id = a.clerk_id
                         WHERE a.may_accept AND a.may_decide AND p.center_id = d.center_id
                           AND a.matter_id = d.subject_key)
            THEN 1 ELSE 0 END AS has_window
FROM {decisions} d
WHERE {depts} AND {months} AND d.decided > 0
"""
# Per department (or ``0``: all summed) and month: 体外循环 (quick ones over the
# decisions not taken at a window) and 收发室 (matters a window may decide there, but
# none of whose decisions a window took, over those matters).
_SIGNS = """
WITH r AS ({rows}),
pairs AS (SELECT dept, month, center, matter, MAX(by_window) AS at_window
          FROM r WHERE has_window = 1 GROUP BY dept, month, center, matter)
SELECT {key} AS dept, month, 'loop' AS sign, SUM(quick) AS num, SUM(decided) AS den
FROM r WHERE by_window = 0 GROUP BY {group}
UNION ALL
SELECT {key} AS dept, month, 'room' AS sign, SUM(1 - at_window) AS num, COUNT(*) AS den
FROM pairs GROUP BY {group}
"""


def among(column: str, values) -> str:
    """``column`` is one of ``values`` (``among_params`` gives the parameters): one
    array parameter on PostgreSQL (a statement of the same text whatever their
    number), a list of them elsewhere."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)"
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def among_params(values) -> list:
    values = [int(v) if isinstance(v, int) else v for v in values]
    return [values] if connection.vendor == "postgresql" else values


def signs_sql(
    dept_ids, months, *, folded: bool = False, depts: str | None = None
) -> tuple[str, list]:
    """The statement giving both signs per department and month (``(dept, month, sign,
    num, den)`` rows, ``sign`` ``loop`` or ``room``) summed in the database. ``depts``:
    the condition on ``d.dept_key`` naming the departments (no parameters) instead of
    the list ``dept_ids``."""
    rows = _SIGN_ROWS.format(
        auth=Authorization._meta.db_table,
        profile=StaffProfile._meta.db_table,
        decisions=CaseDecisionMonth._meta.db_table,
        depts=depts or among("d.dept_key", dept_ids),
        months=among("d.month", months),
    )
    sql = _SIGNS.format(
        rows=rows,
        key="0" if folded else "dept",
        group="month" if folded else "dept, month",
    )
    return sql, ([] if depts else among_params(dept_ids)) + among_params(months)


def _signs(dept_ids, months, *, folded: bool = False) -> dict[str, dict[Key, Figure]]:
    """The 收发室 and 体外循环 signs from the decisions' rollup and today's window
    authorisations, summed in the database (one statement)."""
    out: dict[str, dict[Key, Figure]] = {"mailroom": {}, "outside_loop": {}}
    dept_ids, months = list(dept_ids), list(months)
    if not dept_ids or not months:
        return out
    sql, params = signs_sql(dept_ids, months, folded=folded)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    for dept, month, sign, num, den in found:
        code = "outside_loop" if sign == "loop" else "mailroom"
        out[code][(int(dept), as_date(month))] = Figure(int(num), int(den))
    return out


def as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def mailroom_matters(dept_id: int, month: dt.date) -> list[tuple[int, int]]:
    """The (center, matter) pairs that make a department's 收发室 sign in a month."""
    authorized = _authorized_clerks()
    seen: dict[tuple[int, int], bool] = {}
    for center, matter, by in _decided([dept_id], [month]).values_list(
        "center_id", "matter_id", "decided_by_id"
    ):
        clerks = authorized.get((center, matter))
        if clerks:
            seen[(center, matter)] = seen.get((center, matter), False) or by in clerks
    return sorted(k for k, v in seen.items() if not v)


def outside_loop(dept_ids, months) -> dict[Key, Figure]:
    return _signs(dept_ids, months)["outside_loop"]


# --- evaluation and complaints ----------------------------------------------------------------


def satisfaction(dept_ids, months) -> dict[Key, Figure]:
    return _rolled(ReviewMonth, dept_ids, months, ("good",), "total")


def rectification_on_time(dept_ids, months) -> dict[Key, Figure]:
    return _rolled(ReviewMonth, dept_ids, months, ("rect_on_time",), "rect_reported")


def complaints_on_time(dept_ids, months) -> dict[Key, Figure]:
    return _rolled(ComplaintMonth, dept_ids, months, ("on_time",), "dated")


SOURCES = {
    "entry_rate": entry_rate,
    "online_rate": online_rate,
    "on_the_spot_rate": on_the_spot_rate,
    "compression": compression,
    "on_time_rate": on_time_rate,
    "satisfaction": satisfaction,
    "rectification_on_time": rectification_on_time,
    "complaints_on_time": complaints_on_time,
    "mailroom": mailroom,
    "outside_loop": outside_loop,
}


# Indicators reading the same monthly rollup, with their (numerators, denominator).
ROLLED: dict = {
    CaseMonth: {
        "online_rate": (("received_web", "received_mobile"), "received"),
        "on_the_spot_rate": (("on_the_spot",), "decided"),
        "on_time_rate": (("on_time",), "dated"),
    },
    ReviewMonth: {
        "satisfaction": (("good",), "total"),
        "rectification_on_time": (("rect_on_time",), "rect_reported"),
    },
    ComplaintMonth: {"complaints_on_time": (("on_time",), "dated")},
}
