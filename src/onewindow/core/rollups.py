"""Monthly rollups: counters per subject and month that statistics, indicators and
the dashboard read instead of recounting the records on every request.

Each app owns the rollup of its own records (``evaluation.ReviewMonth``,
``cases.CaseMonth``, ``complaints.ComplaintMonth``, ``hall.TicketMonth``; the shared
shape is ``org.rollups.MonthlyRollup``). Its services call ``bump`` in the same
transaction as the write: one ``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n``
per statement (PostgreSQL and SQLite both), so two clerks finishing at once both
count: the second insert waits for the first's row lock and adds to it.

Each app registers a ``rebuild(months)`` in its ``AppConfig.ready``; the command
``onewindow rebuild-rollups [--month YYYY-MM]`` runs them: the rows of those months
(or all) are deleted and recounted exactly from the records in one transaction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils import timezone

# The subjects a record is counted under; every row also names its center and
# department, so a caller's scope filters rollups as it filters the records.
CENTER, DEPARTMENT, CLERK, WINDOW, MATTER = "center", "department", "clerk", "window", "matter"
SUBJECTS = (CENTER, DEPARTMENT, CLERK, WINDOW, MATTER)

Rebuild = Callable[[list[dt.date] | None], int]
_REGISTERED: dict[str, Rebuild] = {}


def month_of(value: dt.datetime | dt.date) -> dt.date:
    """The first day of the local month of a time (or a date)."""
    day = timezone.localdate(value) if isinstance(value, dt.datetime) else value
    return day.replace(day=1)


def subjects(**ids: int | None) -> list[tuple[str, int]]:
    """``subjects(center=1, department=2, clerk=None)`` → the (subject, id) pairs given."""
    return [(name, int(pk)) for name, pk in ids.items() if pk]


def identity(subject, key, month, center_id, department_id) -> dict:
    return {
        "subject": subject,
        "subject_key": key,
        "month": month,
        "center_id": center_id,
        "department_id": department_id,
        "dept_key": department_id or 0,
    }


def upsert(model, rows: list[dict], deltas: dict[str, int]) -> None:
    """Add ``deltas`` to each row (named by its identity columns, which hold the
    model's ``ROLLUP_KEY``), creating it at zero first. One statement, no read."""
    deltas = {k: int(v) for k, v in deltas.items() if v}
    if not deltas or not rows:
        return
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    ident = list(rows[0])
    cols = [*ident, *deltas]
    one = "(" + ", ".join(["%s"] * len(cols)) + ")"
    params: list = []
    for row in rows:
        params += [row[c] for c in ident] + list(deltas.values())
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in cols)}) VALUES "
        + ", ".join([one] * len(rows))
        + f" ON CONFLICT ({', '.join(q(c) for c in model.ROLLUP_KEY)}) DO UPDATE SET "
        + ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in deltas)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def bump(
    model,
    *,
    month: dt.date,
    center_id: int,
    department_id: int | None,
    keys: Iterable[tuple[str, int]],
    **deltas: int,
) -> None:
    """Add ``deltas`` to the row of each (subject, id) for this month, center and
    department."""
    if not center_id:
        return
    rows = [identity(s, k, month, center_id, department_id) for s, k in keys]
    upsert(model, rows, deltas)


class Tally:
    """Counters gathered in memory by a rebuild: identity → {counter: n}; ``save``
    writes them in batches."""

    def __init__(self, model):
        self.model = model
        self.rows: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, month, center_id, department_id, keys, **deltas: int) -> None:
        if not center_id:
            return
        for subject, key in keys:
            ident = identity(subject, key, month, center_id, department_id)
            self.add_row(ident, **deltas)

    def add_row(self, ident: dict, **deltas: int) -> None:
        row = self.rows[tuple(ident.items())]
        for name, n in deltas.items():
            if n:
                row[name] += int(n)

    def save(self) -> int:
        """Plain multi-row INSERTs (the rows of one table share their columns)."""
        counters = sorted({c for counts in self.rows.values() for c in counts})
        items = list(self.rows.items())
        q = connection.ops.quote_name
        for start in range(0, len(items), 1000):
            batch = items[start : start + 1000]
            ident_cols = [k for k, _v in batch[0][0]]
            cols = [*ident_cols, *counters]
            one = "(" + ", ".join(["%s"] * len(cols)) + ")"
            params: list = []
            for ident, counts in batch:
                params += [v for _k, v in ident] + [counts.get(c, 0) for c in counters]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {q(self.model._meta.db_table)} "
                    f"({', '.join(q(c) for c in cols)}) VALUES " + ", ".join([one] * len(batch)),
                    params,
                )
        return len(items)


def clear(model, months: list[dt.date] | None) -> None:
    qs = model.objects.all()
    if months is not None:
        qs = qs.filter(month__in=months)
    qs._raw_delete(qs.db)


def month_bounds(months: list[dt.date]) -> tuple[dt.datetime, dt.datetime]:
    """The local start of the first month and of the month after the last."""
    tz = timezone.get_current_timezone()
    last = max(months)
    after = (last + dt.timedelta(days=32)).replace(day=1)
    return (
        dt.datetime.combine(min(months), dt.time.min, tzinfo=tz),
        dt.datetime.combine(after, dt.time.min, tzinfo=tz),
    )


def whole_months(start: dt.date, end: dt.date):
    """The months lying wholly inside [start, end], and the partial spans around them."""
    months, spans = [], []
    first = (
        start if start.day == 1 else (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    )
    month = first
    while (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1) <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    if not months:
        return [], [(start, end)]
    if start < months[0]:
        spans.append((start, months[0] - dt.timedelta(days=1)))
    if month <= end:
        spans.append((month, end))
    return months, spans


def register(name: str, rebuild: Rebuild) -> None:
    """Register an app's ``rebuild(months or None) -> rows written``."""
    _REGISTERED[name] = rebuild


def registered() -> dict[str, Rebuild]:
    return dict(_REGISTERED)


@transaction.atomic
def rebuild_all(months: list[dt.date] | None = None) -> dict[str, int]:
    """Recount every registered rollup (of these months, or all) from the records."""
    months = None if months is None else sorted({m.replace(day=1) for m in months})
    return {name: rebuild(months) for name, rebuild in _REGISTERED.items()}
