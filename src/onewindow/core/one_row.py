"""Several aggregates of different tables read in one SQL statement: a page that shows
a dozen counts (the directors' dashboard) pays one round trip to the database instead
of one per count.

``one_row(hall=Ticket.objects.filter(…), cases=…)`` takes querysets and the aggregates
each gives (``{name: Count(…)}``) and answers ``{part: {name: value}}`` with the values
as ``QuerySet.aggregate`` would give them (converted by the same converters). Each part
is a subquery of one row (aggregates without a grouping give exactly one row, empty
input included); the parts are joined side by side."""

from __future__ import annotations

from django.db import connections
from django.db.models import Aggregate, QuerySet, Value


def _part(qs: QuerySet, aggregates: dict[str, Aggregate], prefix: str):
    """The part's SQL, parameters, and its column names with their converters."""
    named = {f"{prefix}_{k}": v for k, v in aggregates.items()}
    one = qs.order_by().annotate(one_row_k=Value(1)).values("one_row_k")
    one = one.annotate(**named).values(*named)
    compiler = one.query.get_compiler(qs.db)
    sql, params = compiler.as_sql()
    converters = compiler.get_converters([col for col, _sql, _alias in compiler.select])
    return sql, list(params), list(aggregates), compiler, converters


def one_row(**parts: tuple[QuerySet, dict[str, Aggregate]]) -> dict[str, dict]:
    """``{part: {name: value}}`` of every part's aggregates, from one statement."""
    if not parts:
        return {}
    built = {name: _part(qs, aggs, name) for name, (qs, aggs) in parts.items()}
    db = next(iter(built.values()))[3].using
    sqls, params, columns = [], [], []
    for i, (sql, p, cols, _compiler, _conv) in enumerate(built.values()):
        sqls.append(f"({sql}) AS one_row_{i}")
        params += p
        columns += cols
    statement = "SELECT * FROM " + " CROSS JOIN ".join(sqls)
    with connections[db].cursor() as cursor:
        cursor.execute(statement, params)
        row = list(cursor.fetchone())
    out: dict[str, dict] = {}
    start = 0
    for name, (_sql, _p, cols, compiler, converters) in built.items():
        values = row[start : start + len(cols)]
        start += len(cols)
        if converters:
            values = list(next(iter(compiler.apply_converters([values], converters))))
        out[name] = dict(zip(cols, values, strict=True))
    return out
