"""Several aggregates of different tables read in one SQL statement: a page that shows
a dozen counts (the directors' dashboard) pays one round trip to the database instead
of one per count.

``one_row(hall=Ticket.objects.filter(…), cases=…)`` takes querysets and the aggregates
each gives (``{name: Count(…)}``) and answers ``{part: {name: value}}`` with the values
as ``QuerySet.aggregate`` would give them (converted by the same converters). Each part
is a subquery of one row (aggregates without a grouping give exactly one row, empty
input included); the parts are joined side by side.

``one_row_sql`` gives the statement, its parameters and the layout of its row, and
``one_row_read`` runs it: a caller whose statement keeps its shape between requests
compiles it once (``core/statements.py``) and keeps the layout with it."""

from __future__ import annotations

from django.db import connections
from django.db.models import Aggregate, QuerySet, Value

# (part, its aggregates' names, converters by column as the compiler gives them)
Layout = list[tuple[str, list[str], dict]]


def _part(qs: QuerySet, aggregates: dict[str, Aggregate], prefix: str):
    """The part's SQL, parameters, and its column names with their converters."""
    named = {f"{prefix}_{k}": v for k, v in aggregates.items()}
    one = qs.order_by().annotate(one_row_k=Value(1)).values("one_row_k")
    one = one.annotate(**named).values(*named)
    compiler = one.query.get_compiler(qs.db)
    sql, params = compiler.as_sql()
    converters = compiler.get_converters([col for col, _sql, _alias in compiler.select])
    return sql, list(params), list(aggregates), compiler.using, converters


def one_row_sql(
    **parts: tuple[QuerySet, dict[str, Aggregate]],
) -> tuple[str, list, str, Layout]:
    """The statement of ``one_row``: SQL, parameters, database alias and row layout."""
    sqls, params, layout, db = [], [], [], "default"
    for i, (name, (qs, aggs)) in enumerate(parts.items()):
        sql, p, cols, db, converters = _part(qs, aggs, name)
        sqls.append(f"({sql}) AS one_row_{i}")
        params += p
        layout.append((name, cols, converters))
    return "SELECT * FROM " + " CROSS JOIN ".join(sqls), params, db, layout


def one_row_read(sql: str, params: list, db: str, layout: Layout) -> dict[str, dict]:
    """Run a ``one_row_sql`` statement: ``{part: {name: value}}``."""
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return one_row_values(row, db, layout)


def one_row_values(row, db: str, layout: Layout) -> dict[str, dict]:
    """``{part: {name: value}}`` of a ``one_row_sql`` statement's row, run elsewhere
    (``core/statements.together``)."""
    connection = connections[db]
    row = list(row)
    out: dict[str, dict] = {}
    start = 0
    for name, cols, converters in layout:
        values = row[start : start + len(cols)]
        start += len(cols)
        for i, (functions, expression) in converters.items():
            for convert in functions:
                values[i] = convert(values[i], expression, connection)
        out[name] = dict(zip(cols, values, strict=True))
    return out


def one_row(**parts: tuple[QuerySet, dict[str, Aggregate]]) -> dict[str, dict]:
    """``{part: {name: value}}`` of every part's aggregates, from one statement."""
    if not parts:
        return {}
    return one_row_read(*one_row_sql(**parts))
