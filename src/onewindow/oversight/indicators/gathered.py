"""Every indicator's figures from one statement: the monthly rollups (each grouped by
department and month, or by month with the departments summed), the catalog
snapshots and both signs of the decisions' rollup, side by side in a ``UNION ALL``
whose columns each belong to one source (the others' rows leave it empty). One round
trip instead of one per source; the figures are those of ``sources`` source by source
(``sources.SOURCES``). ``node_statement``: the same for the departments of a query (a
``WITH``), with those departments and the rows a page lists beside the figures (the
dashboard's children and thresholds) in the same statement."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from onewindow.core.rollups import DEPARTMENT
from onewindow.oversight.indicators.definitions import Figure
from onewindow.oversight.indicators.sources import (
    ROLLED,
    Key,
    among,
    among_params,
    as_date,
    compression_now,
    entry_rate_now,
    fold,
    same_every_month,
    signs_sql,
)
from onewindow.oversight.models import CatalogSnapshot

SNAPSHOT = ("entry_num", "entry_den", "compression_sum", "compression_den")
HISTORY = {
    "entry_rate": (entry_rate_now, "entry_num", "entry_den"),
    "compression": (compression_now, "compression_sum", "compression_den"),
}


# The columns of the rows a caller adds to the statement (``listed``): ids, an order,
# a number, two texts and a decimal, each part filling those it needs.
LISTED = (("k1", "BIGINT"), ("k2", "BIGINT"), ("k3", "BIGINT"), ("t1", "TEXT"), ("t2", "TEXT"))
LISTED += (("x", "NUMERIC"),)
_TYPES = dict(LISTED) | {"compression_sum": "DOUBLE PRECISION"}


def _columns(listed: bool = False) -> list[tuple[str, str]]:
    """(source, column) of every value column of the statement, in order."""
    out = []
    for model, specs in ROLLED.items():
        cols = sorted({c for num, den in specs.values() for c in (*num, den)})
        out += [(model._meta.label, c) for c in cols]
    out += [("snapshot", c) for c in (*SNAPSHOT, "n")]
    out += [("signs", "num"), ("signs", "den")]
    if listed:
        out += [("listed", c) for c, _type in LISTED]
    return out


def _null(column: str) -> str:
    """An empty cell typed as its column (a ``UNION`` of untyped NULLs is text)."""
    return f"CAST(NULL AS {_TYPES.get(column, 'BIGINT')})"


def _select(
    source: str, key: str, values: dict[str, str], columns, src: str = "", month: str = "month"
) -> str:
    """The select list of one source's rows: its name (or ``src``), department, month,
    its own columns' values and NULL in every other source's."""
    cells = [values.get(c, _null(c)) if s == source else _null(c) for s, c in columns]
    return f"SELECT {src or repr(source)} AS src, {key} AS dept, {month} AS month, " + ", ".join(
        cells
    )


def statement_of(
    dept_ids, months, *, folded: bool, depts: tuple[str, list] | None = None, listed=None
) -> tuple[str, list]:
    """The statement and its parameters. ``depts``: the departments as a query of their
    (id, center id) instead of a list (``dept_ids`` is then ignored), its rows given
    too (source ``dept``); ``listed``: more rows, ``{name: (sql, params)}`` whose SQL
    selects some of the ``LISTED`` columns, named in ``cols``: ``{name: (sql, params,
    cols)}`` (source ``name``)."""
    columns = _columns(listed=depts is not None)
    if depts is not None:
        dept_in = lambda column: f"{column} IN (SELECT id FROM node_depts)"  # noqa: E731
        dept_params = lambda: []  # noqa: E731
    else:
        dept_in = lambda column: among(column, dept_ids)  # noqa: E731
        dept_params = lambda: among_params(dept_ids)  # noqa: E731
    parts, params = [], []
    for model, specs in ROLLED.items():
        cols = sorted({c for num, den in specs.values() for c in (*num, den)})
        key = "0" if folded else "subject_key"
        group = "month" if folded else "subject_key, month"
        select = _select(model._meta.label, key, {c: f"SUM({c})" for c in cols}, columns)
        parts.append(
            f"{select} FROM {model._meta.db_table} WHERE subject = %s "
            f"AND {dept_in('subject_key')} AND {among('month', months)} GROUP BY {group}"
        )
        params += [DEPARTMENT, *dept_params(), *among_params(months)]
    # Folded: the month's sums, and how many departments have a snapshot (all of them,
    # or the departments are read one by one: ``_snapshots``).
    if folded:
        values = {c: f"SUM({c})" for c in SNAPSHOT} | {"n": "COUNT(*)"}
        select, group = _select("snapshot", "0", values, columns), " GROUP BY month"
    else:
        select, group = _select("snapshot", "department_id", {c: c for c in SNAPSHOT}, columns), ""
    parts.append(
        f"{select} FROM {CatalogSnapshot._meta.db_table} "
        f"WHERE {dept_in('department_id')} AND {among('month', months)}{group}"
    )
    params += [*dept_params(), *among_params(months)]
    signs, sign_params = signs_sql(
        dept_ids, months, folded=folded, depts=dept_in("d.dept_key") if depts else None
    )
    select = _select("signs", "dept", {"num": "num", "den": "den"}, columns, src="sign")
    parts.append(f"{select} FROM ({signs}) signs")
    params += sign_params
    if depts is None:
        return " UNION ALL ".join(parts), params
    dept_rows = ("SELECT id AS k1, center_id AS k2 FROM node_depts", [], ("k1", "k2"))
    for name, (sql, part_params, cols) in {"dept": dept_rows, **(listed or {})}.items():
        values = {c: f"p.{c}" for c in cols}
        month = "CAST(NULL AS DATE)"
        select = _select("listed", "0", values, columns, src=repr(name), month=month)
        parts.append(f"{select} FROM ({sql}) p")
        params += part_params
    sql, cte_params = depts
    head = f"WITH node_depts (id, center_id) AS ({sql}) "
    return head + " UNION ALL ".join(parts), [*cte_params, *params]


def all_sources(dept_ids, months, *, folded: bool = False) -> dict[str, dict[Key, Figure]]:
    """Every indicator of ``sources.SOURCES`` (the same figures) from one statement.
    ``folded``: the departments summed, one figure per month under department 0 (the
    rollups and the signs summed in the database)."""
    dept_ids = [int(d) for d in dept_ids]
    months = list(months)
    if connection.vendor == "postgresql":
        # The same text whatever the lists (one array parameter each): built once, the
        # lists put in their places (the departments' ids, the months' dates).
        sql, params = _kept(("all", folded), lambda: statement_of([0], [None], folded=folded))
        params = [_list(p, dept_ids, months) for p in params]
    else:
        sql, params = statement_of(dept_ids, months, folded=folded)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _read(rows, _columns(), dept_ids, months, folded=folded)[0]


def node_statement(parts, months, *, key: tuple) -> tuple[str, list]:
    """The statement giving the departments' summed figures (as ``all_sources(…,
    folded=True)``), the departments themselves ((id, center id)) and the rows of each
    listed part, built once per ``key`` (which names everything its SQL depends on
    besides the months): ``parts()`` gives the departments' query and the listed parts
    (``statement_of``'s ``depts`` and ``listed``). ``node_read`` reads its rows."""
    months = list(months)

    def build():
        depts, listed = parts()
        return statement_of([], months, folded=True, depts=depts, listed=listed)

    return _kept((*key, connection.vendor, tuple(months)), build)


def node_read(
    rows, months
) -> tuple[dict[str, dict[Key, Figure]], list[tuple], dict[str, list[tuple]]]:
    """The figures, the departments and the listed parts' rows of ``node_statement``."""
    figures, extra = _read(rows, _columns(listed=True), None, list(months), folded=True)
    found = extra.pop("dept", [])
    return figures, [(k1, k2) for k1, k2, *_rest in found], extra


# Statements built once per shape (the departments' and months' number, or the
# caller's key): their text and parameters. A node's is some 20 KB of SQL: past this
# many the oldest is dropped.
_STATEMENTS: dict[tuple, tuple[str, list]] = {}
KEPT = 500


def _kept(key: tuple, build) -> tuple[str, list]:
    got = _STATEMENTS.get(key)
    if got is None:
        got = build()
        if len(_STATEMENTS) >= KEPT:
            _STATEMENTS.pop(next(iter(_STATEMENTS)))
        _STATEMENTS[key] = got
    return got


def _list(param, dept_ids: list, months: list):
    if type(param) is not list:
        return param
    return dept_ids if param == [0] else months


def _read(rows, columns, dept_ids, months, *, folded: bool):
    """The figures of the statement's rows, and the listed parts' rows by name."""
    out: dict[str, dict[Key, Figure]] = {code: {} for specs in ROLLED.values() for code in specs}
    out.update({"mailroom": {}, "outside_loop": {}})
    snapshots: dict[str, dict[Key, Figure]] = {code: {} for code in HISTORY}
    counted: dict[dt.date, int] = {}
    listed: dict[str, list[tuple]] = {}
    labels = {model._meta.label: specs for model, specs in ROLLED.items()}
    at = {}
    for i, (s, c) in enumerate(columns):
        at.setdefault(s, {})[c] = i
    start = len(columns) - len(LISTED)
    for src, dept, month, *cells in rows:
        if month is None and src not in labels:
            listed.setdefault(src, []).append(tuple(cells[start:]))
            continue
        key = (int(dept), as_date(month))
        if src in labels:
            own = at[src]
            for code, (num, den) in labels[src].items():
                if cells[own[den]]:
                    out[code][key] = Figure(
                        sum(int(cells[own[c]]) for c in num), int(cells[own[den]])
                    )
        elif src == "snapshot":
            own = at["snapshot"]
            counted[key[1]] = cells[own["n"]]
            for code, (_now, num, den) in HISTORY.items():
                snapshots[code][key] = Figure(cells[own[num]], cells[own[den]])
        else:
            own = at["signs"]
            code = "outside_loop" if src == "loop" else "mailroom"
            out[code][key] = Figure(int(cells[own["num"]]), int(cells[own["den"]]))
    if dept_ids is None:  # the departments are among the rows
        dept_ids = [k1 for k1, *_rest in listed.get("dept", [])]
    if folded and all(counted.get(m) == len(dept_ids) for m in months):
        out.update(snapshots)  # every department's snapshot in every month: summed
    else:
        out.update(_snapshots(dept_ids, months, folded=folded, found=None if folded else snapshots))
    return out, listed


def _snapshots(dept_ids, months, *, folded: bool, found) -> dict[str, dict[Key, Figure]]:
    """The entry rate and the compression per department and month (``found``: the
    snapshots, else read here): a month's snapshot, the catalog's state today where a
    department has none (``sources._with_history``)."""
    if found is None:
        found = {code: {} for code in HISTORY}
        rows = (
            CatalogSnapshot.objects.filter(department_id__in=dept_ids, month__in=months)
            .order_by()
            .values_list("department_id", "month", *SNAPSHOT)
        )
        for dept, month, *values in rows:
            got = dict(zip(SNAPSHOT, values, strict=True))
            for code, (_now, num, den) in HISTORY.items():
                found[code][(dept, month)] = Figure(got[num], got[den])
    out = {}
    for code, (now, _num, _den) in HISTORY.items():
        per = found[code]
        missing = [m for m in months if any((d, m) not in per for d in dept_ids)]
        if missing:
            for key, figure in same_every_month(now(dept_ids), missing).items():
                per.setdefault(key, figure)
        out[code] = fold(per) if folded else per
    return out
