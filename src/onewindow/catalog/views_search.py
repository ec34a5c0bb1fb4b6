"""The public matter list with search (no login): Chinese words, pinyin initials and
everyday phrases ("营业执照", "办营业执照", "yyzz", "开饭店"), filters by center,
department line, kind and level, and the "one thing" bundles that fit the query.
Bad parameters are ignored with a notice, never an error page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render

from onewindow.catalog import search
from onewindow.catalog.models import MatterKind, OnlineDepth
from onewindow.catalog.segment import MAX_QUERY_LENGTH
from onewindow.org.models import Center, DepartmentLine, Level

PER_PAGE = 20
MAX_PAGE = 500


def _int(raw: str) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


def _text(request, name: str, limit: int = 40) -> str:
    return (request.GET.get(name) or "").replace("\x00", "").strip()[:limit]


def matter_list(request):
    notices: list[str] = []
    q = _text(request, "q", MAX_QUERY_LENGTH)
    if len((request.GET.get("q") or "").strip()) > MAX_QUERY_LENGTH:
        notices.append(f"检索词过长，只按前{MAX_QUERY_LENGTH}个字检索。")

    center = None
    if raw := _text(request, "center"):
        center_id = _int(raw)
        center = (
            Center.objects.filter(pk=center_id, is_active=True).select_related("region").first()
            if center_id
            else None
        )
        if center is None:
            notices.append("未找到所选服务中心，已显示全部服务中心的事项。")
    kind = _text(request, "kind")
    if kind and kind not in MatterKind.values:
        notices.append("事项类型不正确，已忽略。")
        kind = ""
    level = _text(request, "level")
    if level and level not in Level.values:
        notices.append("实施层级不正确，已忽略。")
        level = ""
    line = None
    if raw := _text(request, "line"):
        line = DepartmentLine.objects.filter(code=raw).first()
        if line is None:
            notices.append("部门不正确，已忽略。")
    page = min(_int(request.GET.get("page", "")) or 1, MAX_PAGE)

    result = search.search_matters(
        q,
        center=center,
        line=line,
        kind=kind or None,
        level=level or None,
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
    )
    bundles = search.search_bundles(q) if not (center or kind or level or line) else []

    params = {
        "q": q,
        "center": center.pk if center else "",
        "kind": kind,
        "level": level,
        "line": line.code if line else "",
    }
    base = urlencode({k: v for k, v in params.items() if v})
    pages = {
        "number": page,
        "count": max(1, -(-result.total // PER_PAGE)),
        "previous": f"?{base}&page={page - 1}".replace("?&", "?") if page > 1 else "",
        "next": f"?{base}&page={page + 1}".replace("?&", "?") if result.has_next else "",
    }
    context = {
        "q": q,
        "result": result,
        "bundles": bundles,
        "center": center,
        "kind": kind,
        "level": level,
        "line": line,
        "filtered": bool(center or kind or level or line),
        "notices": notices,
        "pages": pages,
        "centers": Center.objects.filter(is_active=True)
        .select_related("region")
        .order_by("region__path", "code"),
        "lines": DepartmentLine.objects.order_by("code"),
        "kinds": MatterKind.choices,
        "levels": Level.choices,
        "full_online": OnlineDepth.FULL_ONLINE,
        "examples": ["营业执照", "yyzz", "开饭店", "结婚登记", "社保卡"],
    }
    template = (
        "catalog/_search_results.html"
        if request.headers.get("HX-Request")
        else "catalog/matter_list.html"
    )
    return render(request, template, context)
