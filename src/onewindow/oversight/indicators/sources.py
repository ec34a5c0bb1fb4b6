"""Where each indicator's figures come from: one function per indicator, over a set of
departments and a list of months, answering ``{(department id, month): Figure}``.

Rows are read with a few columns and bucketed in Python (local dates, the same on
SQLite and PostgreSQL). Satisfaction and rectification come from the evaluation's own
per-department read (``department_satisfaction``), the entry rate and the compression
follow the catalog's reports' definitions (``entry_rate``, ``compression_ratio``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Max
from django.utils import timezone

from onewindow.cases.models import Case, CaseEvent
from onewindow.catalog.models import Listing
from onewindow.complaints.models import Complaint
from onewindow.core.scope import Scope
from onewindow.evaluation.selectors import department_satisfaction
from onewindow.hall.models import Authorization
from onewindow.oversight.indicators.definitions import Figure

QUICK_DECISION = dt.timedelta(minutes=5)

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


def _local(value: dt.datetime) -> dt.date:
    return timezone.localdate(value)


def _bucket(rows: Iterable[tuple[int, dt.date, bool]], months) -> dict[Key, Figure]:
    """(department, day, counts?) rows → a Figure per department and month."""
    wanted = set(months)
    out: dict[Key, Figure] = defaultdict(Figure)
    for dept, day, hit in rows:
        month = month_of(day)
        if month in wanted:
            out[(dept, month)] += Figure(1 if hit else 0, 1)
    return dict(out)


def _same_every_month(per_dept: dict[int, Figure], months) -> dict[Key, Figure]:
    return {(d, m): f for d, f in per_dept.items() for m in months}


# --- the catalog: today's state ---------------------------------------------------------------


def entry_rate(dept_ids, months) -> dict[Key, Figure]:
    per: dict[int, Figure] = defaultdict(Figure)
    for dept, outside in (
        Listing.objects.active()
        .filter(department_id__in=dept_ids)
        .values_list("department_id", "handled_outside")
    ):
        per[dept] += Figure(0 if outside else 1, 1)
    return _same_every_month(per, months)


def compression(dept_ids, months) -> dict[Key, Figure]:
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
    return _same_every_month(per, months)


# --- cases ------------------------------------------------------------------------------------------


def _decided(dept_ids, months):
    lo, hi = bounds(months)
    return Case.objects.filter(department_id__in=dept_ids, decided_at__gte=lo, decided_at__lt=hi)


def online_rate(dept_ids, months) -> dict[Key, Figure]:
    lo, hi = bounds(months)
    rows = (
        Case.objects.filter(department_id__in=dept_ids, received_at__gte=lo, received_at__lt=hi)
        .exclude(state="draft")
        .values_list("department_id", "received_at", "channel")
    )
    online = {Case.Channel.WEB, Case.Channel.MOBILE}
    return _bucket(((d, _local(at), ch in online) for d, at, ch in rows), months)


def on_the_spot_rate(dept_ids, months) -> dict[Key, Figure]:
    rows = _decided(dept_ids, months).values_list("department_id", "accepted_at", "decided_at")
    return _bucket(
        ((d, _local(dec), acc is not None and _local(acc) == _local(dec)) for d, acc, dec in rows),
        months,
    )


def on_time_rate(dept_ids, months) -> dict[Key, Figure]:
    rows = (
        _decided(dept_ids, months)
        .filter(deadline__due__isnull=False)
        .values_list("department_id", "decided_at", "deadline__due")
    )
    return _bucket(((d, _local(dec), _local(dec) <= due) for d, dec, due in rows), months)


def _authorized_clerks() -> dict[tuple[int, int], set[int]]:
    """(center, matter) → the clerks of that center who may decide it on the spot."""
    out: dict[tuple[int, int], set[int]] = defaultdict(set)
    rows = Authorization.objects.filter(
        may_accept=True, may_decide=True, clerk__staff_profile__center__isnull=False
    ).values_list("clerk__staff_profile__center_id", "matter_id", "clerk_id")
    for center, matter, clerk in rows:
        out[(center, matter)].add(clerk)
    return out


def mailroom(dept_ids, months) -> dict[Key, Figure]:
    authorized = _authorized_clerks()
    seen: dict[tuple, bool] = {}
    rows = _decided(dept_ids, months).values_list(
        "department_id", "center_id", "matter_id", "decided_at", "decided_by_id"
    )
    for dept, center, matter, decided, by in rows:
        clerks = authorized.get((center, matter))
        if not clerks:
            continue
        key = (dept, month_of(_local(decided)), center, matter)
        seen[key] = seen.get(key, False) or by in clerks
    out: dict[Key, Figure] = defaultdict(Figure)
    for (dept, month, _center, _matter), on_the_spot in seen.items():
        out[(dept, month)] += Figure(0 if on_the_spot else 1, 1)
    return {k: v for k, v in out.items() if k[1] in set(months)}


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
    authorized = _authorized_clerks()
    cases = list(
        _decided(dept_ids, months).values_list(
            "pk",
            "department_id",
            "center_id",
            "matter_id",
            "decided_at",
            "decided_by_id",
            "decision_note",
        )
    )
    started = dict(
        CaseEvent.objects.filter(case_id__in=[c[0] for c in cases], action="start_review")
        .values("case_id")
        .annotate(last=Max("at"))
        .values_list("case_id", "last")
    )
    rows = []
    for pk, dept, center, matter, decided, by, note in cases:
        if by in authorized.get((center, matter), ()):
            continue  # decided on the spot by the window: not a back-office decision
        start = started.get(pk)
        quick = start is not None and decided - start < QUICK_DECISION and not note.strip()
        rows.append((dept, _local(decided), quick))
    return _bucket(rows, months)


# --- evaluation and complaints ----------------------------------------------------------------


def _evaluation_rows(dept_ids, months):
    start, end = min(months), next_month(max(months)) - dt.timedelta(days=1)
    wanted = set(dept_ids)
    for row in department_satisfaction(Scope.all(), start, end, by_month=True):
        dept, month = row.key
        if dept in wanted:
            yield dept, month_of(month), row


def satisfaction(dept_ids, months) -> dict[Key, Figure]:
    return {
        (d, m): Figure(r.good, r.total) for d, m, r in _evaluation_rows(dept_ids, months) if r.total
    }


def rectification_on_time(dept_ids, months) -> dict[Key, Figure]:
    return {
        (d, m): Figure(r.on_time, r.reported)
        for d, m, r in _evaluation_rows(dept_ids, months)
        if r.reported
    }


def complaints_on_time(dept_ids, months) -> dict[Key, Figure]:
    lo, hi = bounds(months)
    rows = Complaint.objects.filter(
        kind=Complaint.Kind.COMPLAINT,
        department_id__in=dept_ids,
        answered_at__gte=lo,
        answered_at__lt=hi,
        deadline__due__isnull=False,
    ).values_list("department_id", "answered_at", "deadline__due")
    return _bucket(((d, _local(at), _local(at) <= due) for d, at, due in rows), months)


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
