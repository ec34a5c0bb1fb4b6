"""The open-case counts (``CaseOpenCount``, R-SUP-4): kept by database triggers on
``cases_case``, folded by the first deadline sweep of the day, recounted from the cases
by ``onewindow rebuild-rollups``.

A case is counted while its state is open (``states.LIST_GROUPS["open"]``: a draft is
not), under its center, department, group (``models/counts.py``), due date (the
running groups only) and stripe (its id modulo ``STRIPES``). The triggers read these
columns of the case row and no other: ``id``, ``state``, ``center_id``,
``department_id``, ``due``, ``warning_level``, ``decided_at``; the update trigger fires
only when one of the last six changes. The group follows ``overdue_row_q`` and
``warned_row_q`` (``models/case.py``) clause by clause, so a sum of the counts equals
the count of the cases by those rules on any day:

- running: every row;
- overdue: ``L`` (alarmed, or decided after the due date) and ``P`` (folded), and the
  running groups ``R0``/``R1`` with a due date before today;
- warned: ``S1``, and ``R1`` with a due date today or later.

A case's step moves it from one key to another in one statement (the decrement and
the increment summed per key, written in key order, nothing written when the key stays):
two steps at once lock rows in the same order and never wait on each other in a circle.
The first sweep of a day folds the running rows of past due dates into ``P`` (their
figures unchanged): the counts read stay a few rows per department and stripe.

The local date of ``decided_at`` is taken at the fixed offset of ``TIME_ZONE`` (China
has no summer time)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import CaseOpenCount
from onewindow.cases.models.counts import (
    ALARMED,
    DATED,
    FOLDED,
    RUNNING,
    RUNNING_WARNED,
    STANDING,
    STANDING_WARNED,
    STRIPES,
    UNDATED,
)
from onewindow.core import trigger_counts

TABLE = "cases_caseopencount"
KEY = ("center_id", "department_id", "grp", "due", "stripe")
# The case columns the update trigger watches (with ``id``, all the triggers read).
WATCHED = ("state", "center_id", "department_id", "due", "warning_level", "decided_at")
FUNCTION = "cases_case_open_count"
TRIGGERS = ("cases_case_open_count_ins", "cases_case_open_count_upd", "cases_case_open_count_del")
# PostgreSQL: while this setting is ``on`` (``counted_by_statement``), an update of the
# cases does not fire the update trigger: the statement moves the counts itself
# (``moved_sql``), once for all its rows instead of once per row.
COUNTED_BY = "onewindow.case_counts_by_statement"


def _listed(names) -> str:
    assert all(n.isidentifier() for n in names)
    return ", ".join(f"'{n}'" for n in sorted(names))


OPEN_LIST = _listed(states.LIST_GROUPS["open"])
CLOCK_LIST = _listed(states.CLOCK_RUNNING)


def _offset_hours() -> int:
    now = timezone.now().astimezone(timezone.get_fixed_timezone(0))
    offset = now.astimezone(timezone.get_current_timezone()).utcoffset()
    return int(offset.total_seconds() // 3600)


def _local_date(column: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"(({column}) AT TIME ZONE '{settings.TIME_ZONE}')::date"
    return f"date({column}, '{_offset_hours():+d} hours')"


def group_sql(x: str, vendor: str) -> str:
    """The group of the case row ``x`` (``NEW``, ``OLD`` or a table alias), in SQL."""
    late = f"({x}.due IS NOT NULL AND {x}.decided_at IS NOT NULL AND {x}.due < {_local_date(f'{x}.decided_at', vendor)})"
    return (
        f"CASE WHEN {x}.warning_level >= 2 OR {late} THEN '{ALARMED}' "
        f"WHEN {x}.due IS NOT NULL AND {x}.state IN ({CLOCK_LIST}) THEN "
        f"CASE WHEN {x}.warning_level = 1 THEN '{RUNNING_WARNED}' ELSE '{RUNNING}' END "
        f"WHEN {x}.warning_level = 1 THEN '{STANDING_WARNED}' ELSE '{STANDING}' END"
    )


def key_select(x: str, vendor: str, n: str) -> str:
    """``SELECT`` of the key of row ``x`` and ``n`` (no FROM: ``x`` is a trigger row)."""
    grp = group_sql(x, vendor)
    return (
        f"SELECT {x}.center_id AS center_id, {x}.department_id AS department_id, "
        f"{grp} AS grp, CASE WHEN ({grp}) IN ({_listed(DATED)}) THEN {x}.due "
        f"ELSE '{UNDATED}' END AS due, {x}.id % {STRIPES} AS stripe, {n} AS n"
    )


def _upsert(select: str) -> str:
    cols = ", ".join(KEY)
    return (
        f"INSERT INTO {TABLE} ({cols}, n) SELECT {cols}, SUM(n) FROM ({select}) AS k "
        f"GROUP BY {cols} HAVING SUM(n) <> 0 ORDER BY {cols} "
        f"ON CONFLICT ({cols}) DO UPDATE SET n = {TABLE}.n + excluded.n"
    )


def _moves(vendor: str, old: bool, new: bool) -> str:
    parts = []
    # A delete takes off only while there are counts: a flush (SQLite's deletes table by
    # table) that emptied them first writes no decrement against centers it removes.
    kept = "" if new else f" AND EXISTS (SELECT 1 FROM {TABLE})"
    if old:
        parts.append(f"{key_select('OLD', vendor, '-1')} WHERE OLD.state IN ({OPEN_LIST}){kept}")
    if new:
        parts.append(f"{key_select('NEW', vendor, '1')} WHERE NEW.state IN ({OPEN_LIST})")
    return _upsert(" UNION ALL ".join(parts))


def create_sql(vendor: str) -> list[str]:
    """The statements creating the triggers (and PostgreSQL's function)."""
    return trigger_counts.create_sql(
        vendor,
        table="cases_case",
        function=FUNCTION,
        triggers=TRIGGERS,
        watched=WATCHED,
        moves=lambda old, new: _moves(vendor, old, new),
        counted_by=COUNTED_BY,
    )


def moved_sql(old: str, new: str, vendor: str) -> str:
    """The statement moving the counts of updated case rows, set-based: ``old`` and
    ``new`` name row sources (a ``WITH`` query of the same statement) with the columns
    the triggers read (``id`` and ``WATCHED``), the rows before and after the update.
    For a statement run under ``counted_by_statement``."""
    return _upsert(
        f"{key_select('x', vendor, '-1')} FROM {old} AS x WHERE x.state IN ({OPEN_LIST}) "
        f"UNION ALL {key_select('y', vendor, '1')} FROM {new} AS y "
        f"WHERE y.state IN ({OPEN_LIST})"
    )


class counted_by_statement:
    """PostgreSQL, in a transaction: the update trigger does not fire for the statements
    run inside (each must move its counts with ``moved_sql``); it fires again after."""

    def __enter__(self):
        self._set("on")

    def __exit__(self, *exc):
        if exc[0] is None:  # else the transaction's rollback takes the setting back
            self._set("off")

    @staticmethod
    def _set(value: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [COUNTED_BY, value])


def drop_sql(vendor: str) -> list[str]:
    return trigger_counts.drop_sql(vendor, table="cases_case", function=FUNCTION, triggers=TRIGGERS)


def reinstall(schema_editor) -> None:
    """The triggers dropped and created again as this module writes them (no recount)."""
    vendor = schema_editor.connection.vendor
    for statement in drop_sql(vendor) + create_sql(vendor):
        schema_editor.execute(statement, params=None)


def install(schema_editor) -> None:
    """The migration's forward step: the triggers, then the counts of the cases there."""
    vendor = schema_editor.connection.vendor
    for statement in create_sql(vendor):
        schema_editor.execute(statement, params=None)
    schema_editor.execute(_recount_sql(vendor), params=None)


def uninstall(schema_editor) -> None:
    for statement in drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def _recount_sql(vendor: str) -> str:
    return _upsert(
        f"{key_select('c', vendor, '1')} FROM cases_case AS c WHERE c.state IN ({OPEN_LIST})"
    )


@transaction.atomic
def rebuild(months: list[dt.date] | None = None) -> int:
    """Recount every open case (the counts are not monthly: ``months`` is ignored);
    the next day's first sweep folds the past due dates."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(_recount_sql(connection.vendor))
    return CaseOpenCount.objects.count()


def drop_orphans(**kwargs) -> None:
    """After ``migrate`` and ``flush`` (``post_migrate``): the rows of centers no longer
    there dropped, and the triggers put back (the counts recounted) if a migration lost
    them (SQLite remakes ``cases_case`` to change one of its columns)."""
    db = connections[kwargs.get("using") or "default"]
    trigger_counts.keep_after_migrate(
        db,
        table=TABLE,
        counted="cases_case",
        triggers=TRIGGERS,
        drop=drop_sql(db.vendor),
        create=create_sql(db.vendor),
        recount=_recount_sql(db.vendor),
    )


@transaction.atomic
def fold(today: dt.date) -> int:
    """Move the running rows of due dates before ``today`` into ``P`` (all overdue
    either way) and drop the rows at zero; returns the rows folded."""
    cols = "center_id, department_id, grp, due, stripe"
    gone = f"grp IN ({_listed(DATED)}) AND due < %s"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH moved AS (DELETE FROM {TABLE} WHERE {gone} "
                f"RETURNING center_id, department_id, stripe, n) "
                f"INSERT INTO {TABLE} ({cols}, n) SELECT center_id, department_id, "
                f"'{FOLDED}', '{UNDATED}', stripe, SUM(n) FROM moved "
                f"GROUP BY center_id, department_id, stripe ORDER BY center_id, department_id, "
                f"stripe ON CONFLICT ({cols}) DO UPDATE SET n = {TABLE}.n + excluded.n",
                [today],
            )
            folded = cursor.rowcount
        else:
            cursor.execute(
                f"INSERT INTO {TABLE} ({cols}, n) SELECT center_id, department_id, "
                f"'{FOLDED}', '{UNDATED}', stripe, SUM(n) FROM {TABLE} WHERE {gone} "
                f"GROUP BY center_id, department_id, stripe "
                f"ON CONFLICT ({cols}) DO UPDATE SET n = {TABLE}.n + excluded.n",
                [today],
            )
            folded = cursor.rowcount
            cursor.execute(f"DELETE FROM {TABLE} WHERE {gone}", [today])
        cursor.execute(f"DELETE FROM {TABLE} WHERE n = 0")
    return folded


def aggregates(today: dt.date) -> dict[str, Sum]:
    """The running, warned and overdue cases on ``today`` as sums over the count rows."""
    return {
        "running": Sum("n"),
        "warned": Sum("n", filter=Q(grp=STANDING_WARNED) | Q(grp=RUNNING_WARNED, due__gte=today)),
        "overdue": Sum(
            "n", filter=Q(grp__in=[ALARMED, FOLDED]) | Q(grp__in=list(DATED), due__lt=today)
        ),
    }


def figures(counts: QuerySet[CaseOpenCount], today: dt.date) -> dict[str, int]:
    """Running, warned and overdue cases of ``counts`` (a scoped queryset of the rows)
    on ``today``: the same numbers as ``selectors.queues.running_counts`` of the cases."""
    got = counts.aggregate(**aggregates(today))
    return {k: v or 0 for k, v in got.items()}
