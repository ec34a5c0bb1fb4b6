"""Statements compiled once per process: a hot read whose shape does not change between
requests (only its values do) is built by the ORM the first time, with stand-in values,
and afterwards only its parameters are filled in. Compiling a queryset with a few
filters, subqueries and an order costs milliseconds of Python on every request; on a
hall under a morning rush that was a large part of a call.

Only on PostgreSQL, whose driver takes the parameters as the ORM gives them (dates,
times and numbers unchanged); elsewhere ``statement`` compiles every time.

    sql, params = statement(("heads", shape), build, center=7, day=today, now=now)

``build(**stand_ins)`` returns ``(sql, params)`` from the ORM; each stand-in is a value
no real parameter takes (``STAND_INS``), so a parameter equal to one of them is the
named value (``at`` a time of its own), a time within a year of ``STAND_INS["now"]`` is ``now`` plus the same
offset (a cutoff, a due time), a list or tuple that *is* a stand-in (identity) is that
value, and anything else stays as compiled.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

_NOW = datetime(1901, 1, 1, tzinfo=UTC)
_AT = datetime(1851, 1, 1, tzinfo=UTC)
STAND_INS: dict[str, object] = {
    "now": _NOW,
    "at": _AT,  # a time not derived from now (a ticket's arrival)
    "after_at": datetime(1811, 1, 1, tzinfo=UTC),  # a page's cursor: the last row's time
    "day": date(1901, 1, 1),
    "month": date(1851, 1, 1),  # a month's first day, apart from ``day``
    "after_day": date(1801, 1, 1),  # a page's cursor: the last row's date
    **{
        name: -(2**62) - i
        for i, name in enumerate(("center", "window", "queue", "clerk", "ticket", "line", "after"))
    },
}
_INT_NAMES = {v: k for k, v in STAND_INS.items() if type(v) is int}
# Dates and times named by their stand-in (``now`` is matched by nearness instead).
_DATED_NAMES = {(type(v), v): k for k, v in STAND_INS.items() if isinstance(v, date) and k != "now"}
_NEAR = timedelta(days=366)

_COMPILED: dict[tuple, tuple[str, list[tuple[str, object]]]] = {}
# Keys naming a caller's scope and node (the dashboard's panels) are many: past this
# many statements the oldest compiled one is dropped.
KEPT = 2000


class ListStandIn(tuple):
    """A list parameter's stand-in, known by identity."""


def _slot(param, lists: dict[int, str]) -> tuple[str, object]:
    if id(param) in lists:
        return "value", lists[id(param)]
    if type(param) is int and param in _INT_NAMES:
        return "value", _INT_NAMES[param]
    if isinstance(param, datetime) and param.tzinfo is not None:
        if (datetime, param) in _DATED_NAMES:
            return "value", _DATED_NAMES[datetime, param]
        if abs(param - _NOW) < _NEAR:
            return "now+", param - _NOW
    if type(param) is date and (date, param) in _DATED_NAMES:
        return "value", _DATED_NAMES[date, param]
    return "const", param


def statement(key: tuple, build: Callable[..., tuple[str, list]], **values) -> tuple[str, list]:
    """The SQL and parameters of ``build(**values)``, compiled once per ``key`` (which
    must name everything that changes the statement's shape)."""
    if connection.vendor != "postgresql":
        return build(**values)
    compiled = _COMPILED.get(key)
    if compiled is None:
        stand_ins, lists = {}, {}
        for name, value in values.items():
            if isinstance(value, list | tuple | set | frozenset):
                stand_ins[name] = ListStandIn()
                lists[id(stand_ins[name])] = name
            else:
                stand_ins[name] = STAND_INS[name]
        sql, params = build(**stand_ins)
        compiled = (sql, [_slot(p, lists) for p in params])
        if len(_COMPILED) >= KEPT:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[key] = compiled
    sql, slots = compiled
    now = values.get("now")
    params = []
    for kind, what in slots:
        if kind == "value":
            value = values[what]
            params.append(list(value) if isinstance(value, set | frozenset | tuple) else value)
        elif kind == "now+":
            params.append(now + what)
        else:
            params.append(what)
    return sql, params


def together(statements: list[tuple[str, list]], *, using: str = "default") -> list[list]:
    """The rows of each statement, in one round trip where the driver allows it: on
    PostgreSQL with client-side binding (psycopg's ``ClientCursor``, Django's default)
    the statements are sent as one query text and their results read one after the
    other; elsewhere each is run in turn."""
    conn = connections[using]
    with conn.cursor() as cursor:
        if len(statements) > 1 and _one_text(conn, cursor):
            cursor.execute(
                "; ".join(sql for sql, _params in statements),
                [p for _sql, params in statements for p in params],
            )
            out = [cursor.fetchall()]
            while len(out) < len(statements) and cursor.nextset():
                out.append(cursor.fetchall())
            if len(out) == len(statements):
                return out
            raise RuntimeError("together: fewer results than statements")
        out = []
        for sql, params in statements:
            cursor.execute(sql, params)
            out.append(cursor.fetchall())
        return out


def _one_text(conn, cursor) -> bool:
    if conn.vendor != "postgresql":
        return False
    try:
        from psycopg import ClientCursor
    except ImportError:  # psycopg2: one statement per ``execute``
        return False
    return isinstance(getattr(cursor, "cursor", None), ClientCursor)


# Prepared once per connection (PostgreSQL): a statement's shape is parsed and planned by
# the server the first time a connection sends it, then only executed with its values.
# The names a connection holds are kept on Django's connection object, with the driver
# connection they belong to (a reconnect starts afresh); past PREPARED_KEPT shapes the
# connection's statements are all dropped and prepared again as they come.
PREPARED_KEPT = 200
PREPARED_ATTRIBUTE = "_onewindow_prepared"
_prepared_names = itertools.count(1)  # never a name twice in a process


def prepared_rows(sql: str, params: list, *, using: str = "default") -> list[tuple]:
    """The rows of ``sql`` (``%s`` placeholders) with ``params``: prepared once per
    connection on PostgreSQL, executed as it is elsewhere."""
    conn = connections[using]
    with conn.cursor() as cursor:
        if conn.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchall()
        raw = conn.connection
        known = getattr(conn, PREPARED_ATTRIBUTE, None)
        if known is None or known[0] is not raw:
            known = (raw, {})  # a new connection has none of them
            setattr(conn, PREPARED_ATTRIBUTE, known)
        names = known[1]
        name = names.get(sql)
        if name is None:
            if len(names) >= PREPARED_KEPT:
                cursor.execute("DEALLOCATE ALL")
                names.clear()
            pieces = sql.split("%s")
            text = pieces[0] + "".join(f"${i}{p}" for i, p in enumerate(pieces[1:], 1))
            name = f"ow_prepared_{next(_prepared_names)}"
            cursor.execute(f"PREPARE {name} AS {text}")
            names[sql] = name
        marks = ", ".join(["%s"] * len(params))
        cursor.execute(f"EXECUTE {name} ({marks})" if params else f"EXECUTE {name}", params)
        return cursor.fetchall()


@contextmanager
def serial_plans(*, using: str = "default"):
    """PostgreSQL: the statements inside, and the rest of the transaction they run in
    (one is opened when there is none), are planned without parallel workers. For a
    job's reads that the planner, from a large table's statistics, expects to be big and
    that touch a few thousand rows: starting the workers (tens of milliseconds on a
    loaded machine) cost more than the read. Elsewhere nothing is opened or set (a
    transaction on SQLite would take the write lock for a read)."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using, savepoint=False):
        with conn.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def aware(value):
    """A time as a raw cursor gives it, aware: SQLite gives a naive time in UTC (or its
    text, from an expression), PostgreSQL an aware one."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


class RowById:
    """A row read for a page (not a model instance), named by its id as an instance is
    by ``pk``."""

    __slots__ = ()

    @property
    def pk(self) -> int:
        return self.id
