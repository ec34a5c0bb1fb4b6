"""Review statistics of whole months from the monthly rollup (``ReviewMonth``), in the
shape of the records' grouped rows (``selectors._grouped``), so a range of days adds
the rollup's whole months to the records of the days around them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from onewindow.core import rollups
from onewindow.core.scope import Scope
from onewindow.evaluation.models import ReviewMonth
from onewindow.org.models import Department

COUNTERS = {
    "total": "total",
    "good": "good",
    "bad": "bad",
    "defaults": "defaults",
    "excluded": "excluded",
    "reported": "rect_reported",
    "on_time": "rect_on_time",
}


def department_rows(
    scope: Scope, months: list[dt.date], *, by_month: bool, center_id: int | None = None
) -> list[dict]:
    """Per department (and month): ``department``, ``department__name``, (``month``) and
    the counters, for these whole months."""
    if not months:
        return []
    qs = ReviewMonth.objects.visible_to(scope).filter(subject=rollups.DEPARTMENT, month__in=months)
    if center_id:
        qs = qs.filter(center_id=center_id)
    keys = ["subject_key", "month"] if by_month else ["subject_key"]
    rows = list(qs.order_by().values(*keys).annotate(**{k: Sum(c) for k, c in COUNTERS.items()}))
    names = dict(
        Department.objects.filter(pk__in={r["subject_key"] for r in rows})
        .order_by()
        .values_list("pk", "name")
    )
    for r in rows:
        r["department"] = r.pop("subject_key")
        r["department__name"] = names.get(r["department"], "")
    return rows


def merged(parts: list[list[dict]], keys: list[str]) -> list[dict]:
    """Rows of several sources added up by their keys."""
    out: dict[tuple, dict] = {}
    for rows in parts:
        for r in rows:
            key = tuple(r[k] for k in keys)
            if key not in out:
                out[key] = dict(r)
            else:
                for k in COUNTERS:
                    out[key][k] = (out[key].get(k) or 0) + (r.get(k) or 0)
    return list(out.values())
