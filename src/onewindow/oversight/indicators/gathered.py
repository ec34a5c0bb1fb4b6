"""Every indicator's figures from one statement: the monthly rollups (each grouped by
department and month, or by month with the departments summed), the catalog
snapshots and both signs of the decisions' rollup, side by side in a ``UNION ALL``
whose columns each belong to one source (the others' rows leave it empty). One round
trip instead of one per source; the figures are those of ``sources`` source by source
(``sources.SOURCES``)."""

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


def _columns() -> list[tuple[str, str]]:
    """(source, column) of every value column of the statement, in order."""
    out = []
    for model, specs in ROLLED.items():
        cols = sorted({c for num, den in specs.values() for c in (*num, den)})
        out += [(model._meta.label, c) for c in cols]
    out += [("snapshot", c) for c in (*SNAPSHOT, "n")]
    out += [("signs", "num"), ("signs", "den")]
    return out


def _null(column: str) -> str:
    """An empty cell typed as its column (a ``UNION`` of untyped NULLs is text)."""
    return (
        "CAST(NULL AS DOUBLE PRECISION)" if column == "compression_sum" else "CAST(NULL AS BIGINT)"
    )


def _select(source: str, key: str, values: dict[str, str], columns, src: str = "") -> str:
    """The select list of one source's rows: its name (or ``src``), department, month,
    its own columns' values and NULL in every other source's."""
    cells = [values.get(c, _null(c)) if s == source else _null(c) for s, c in columns]
    return f"SELECT {src or repr(source)} AS src, {key} AS dept, month, " + ", ".join(cells)


def statement_of(dept_ids, months, *, folded: bool) -> tuple[str, list]:
    columns = _columns()
    parts, params = [], []
    for model, specs in ROLLED.items():
        cols = sorted({c for num, den in specs.values() for c in (*num, den)})
        key = "0" if folded else "subject_key"
        group = "month" if folded else "subject_key, month"
        select = _select(model._meta.label, key, {c: f"SUM({c})" for c in cols}, columns)
        parts.append(
            f"{select} FROM {model._meta.db_table} WHERE subject = %s "
            f"AND {among('subject_key', dept_ids)} AND {among('month', months)} GROUP BY {group}"
        )
        params += [DEPARTMENT, *among_params(dept_ids), *among_params(months)]
    # Folded: the month's sums, and how many departments have a snapshot (all of them,
    # or the departments are read one by one: ``_snapshots``).
    if folded:
        values = {c: f"SUM({c})" for c in SNAPSHOT} | {"n": "COUNT(*)"}
        select, group = _select("snapshot", "0", values, columns), " GROUP BY month"
    else:
        select, group = _select("snapshot", "department_id", {c: c for c in SNAPSHOT}, columns), ""
    parts.append(
        f"{select} FROM {CatalogSnapshot._meta.db_table} "
        f"WHERE {among('department_id', dept_ids)} AND {among('month', months)}{group}"
    )
    params += [*among_params(dept_ids), *among_params(months)]
    signs, sign_params = signs_sql(dept_ids, months, folded=folded)
    select = _select("signs", "dept", {"num": "num", "den": "den"}, columns, src="sign")
    parts.append(f"{select} FROM ({signs}) signs")
    params += sign_params
    return " UNION ALL ".join(parts), params


def all_sources(dept_ids, months, *, folded: bool = False) -> dict[str, dict[Key, Figure]]:
    """Every indicator of ``sources.SOURCES`` (the same figures) from one statement.
    ``folded``: the departments summed, one figure per month under department 0 (the
    rollups and the signs summed in the database)."""
    dept_ids = [int(d) for d in dept_ids]
    months = list(months)
    columns = _columns()
    sql, params = statement_of(dept_ids, months, folded=folded)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out: dict[str, dict[Key, Figure]] = {code: {} for specs in ROLLED.values() for code in specs}
    out.update({"mailroom": {}, "outside_loop": {}})
    snapshots: dict[str, dict[Key, Figure]] = {code: {} for code in HISTORY}
    complete: dict[dt.date, bool] = {}
    labels = {model._meta.label: specs for model, specs in ROLLED.items()}
    for src, dept, month, *cells in rows:
        own = "signs" if src in ("loop", "room") else src
        got = {c: v for (s, c), v in zip(columns, cells, strict=True) if s == own}
        key = (int(dept), as_date(month))
        if src in labels:
            for code, (num, den) in labels[src].items():
                if got[den]:
                    out[code][key] = Figure(sum(int(got[c]) for c in num), int(got[den]))
        elif src == "snapshot":
            complete[key[1]] = got["n"] == len(dept_ids)
            for code, (_now, num, den) in HISTORY.items():
                snapshots[code][key] = Figure(got[num], got[den])
        else:
            code = "outside_loop" if src == "loop" else "mailroom"
            out[code][key] = Figure(int(got["num"]), int(got["den"]))
    if folded and all(complete.get(m) for m in months):
        out.update(snapshots)  # every department's snapshot in every month: summed
    else:
        out.update(_snapshots(dept_ids, months, folded=folded, found=None if folded else snapshots))
    return out


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
