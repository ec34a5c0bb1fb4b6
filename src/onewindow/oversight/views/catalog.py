"""The catalog's reports for staff: the entry rate per center (应进必进, R-CAT-3) and the
compression report per department and center (R-CAT-8), within the user's scope; reads
through ``oversight/selectors/catalog.py`` and the catalog's selectors."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from onewindow.catalog import selectors
from onewindow.catalog.selectors.guides import (
    OUTSIDE_REASONS,
    compression_facts,
    process_comparison,
)
from onewindow.oversight.selectors import catalog as sel


def _int_param(request, name: str) -> int | None:
    """A positive integer from the query string; anything else is treated as absent."""
    raw = (request.GET.get(name) or "").strip()
    if not raw.isdigit() or len(raw) > 9:
        return None
    return int(raw)


def _pct(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


@login_required
def entry_rate_page(request):
    rows = []
    for rate in selectors.entry_rates(scope=request.scope):
        detail = selectors.entry_rate(rate.center)
        for item in detail.outside:
            item.outside_reason_label = OUTSIDE_REASONS.get(item.outside_reason, "未注明")
        rows.append(
            {
                "center": rate.center,
                "total": detail.total,
                "entered": detail.entered,
                "rate": _pct(detail.rate),
                "outside": detail.outside,
            }
        )
    total = sum(r["total"] for r in rows)
    entered = sum(r["entered"] for r in rows)
    return render(
        request,
        "catalog/staff/entry_rate.html",
        {
            "rows": rows,
            "total": total,
            "entered": entered,
            "rate": _pct(entered / total) if total else None,
        },
    )


def _change_summary(before: dict, after: dict) -> list[str]:
    parts = []
    for row in process_comparison(before, after):
        if row["delta"] not in (None, 0) or row["added"] or row["removed"]:
            parts.append(f"{row['label']} {row['before']}→{row['after']}")
    return parts


def _aggregate(versions) -> dict:
    versions = [v for v in versions if v is not None]
    ratios = [v.compression_ratio for v in versions if v.compression_ratio is not None]
    return {
        "count": len(versions),
        "meets": sum(1 for v in versions if v.meets_compression),
        "exceptions": sum(
            1 for v in versions if not v.meets_compression and v.compression_exception_accepted
        ),
        "failing": sum(
            1 for v in versions if not v.meets_compression and not v.compression_exception_accepted
        ),
        "avg_compressed": round((1 - sum(ratios) / len(ratios)) * 100) if ratios else None,
    }


def _per_center(scope) -> list[dict]:
    by_center: dict[int, list] = defaultdict(list)
    centers = {}
    for item in sel.public_listings(scope=scope):
        by_center[item.center_id].append(item.matter.current_version)
        centers[item.center_id] = item.center
    per_center = [{"center": centers[k], **_aggregate(v)} for k, v in by_center.items()]
    per_center.sort(key=lambda c: c["center"].region.path)
    return per_center


@login_required
def compression_page(request):
    scope = request.scope
    departments = sel.report_departments(scope=scope)
    department_id = _int_param(request, "department")
    if department_id is not None and not sel.report_department_known(
        scope=scope, department_id=department_id
    ):
        department_id = None
        messages.warning(request, "未找到该部门，已显示全部部门。")
    report = selectors.compression_report(scope=scope, department_id=department_id)
    rows = []
    by_department: dict[int, list] = defaultdict(list)
    for r in report:
        facts = compression_facts(r.version)
        rows.append(
            {
                "matter": r.matter,
                "version": r.version,
                **facts,
                "exception": r.exception,
                "comparison": process_comparison(r.before, r.after),
                "changes": _change_summary(r.before, r.after),
            }
        )
        by_department[r.matter.department_id].append(r.version)
    dept_names = sel.departments_by_pk(by_department)
    per_department = [
        {"department": dept_names[k], **_aggregate(v)} for k, v in by_department.items()
    ]
    per_center = _per_center(scope) if department_id is None else []
    return render(
        request,
        "catalog/staff/compression.html",
        {
            "rows": rows,
            "per_department": per_department,
            "per_center": per_center,
            "departments": departments,
            "department_id": department_id,
            "total": _aggregate([r.version for r in report]),
        },
    )
