"""The catalog as citizens see it (no login): the matter list with search, each matter's
guide (one published source for every channel, R-CAT-9; each center's listing adds only
its local facts, R-CAT-10) and the "one thing" bundles.

The search takes Chinese words, pinyin initials and everyday phrases ("营业执照",
"办营业执照", "yyzz", "开饭店"), filters by center, department line, kind and level, and
shows the bundles that fit the query. Bad parameters are ignored with a notice, never an
error page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from onewindow.catalog import search, selectors
from onewindow.catalog.forms import query_int, query_text
from onewindow.catalog.models import MatterKind, OnlineDepth
from onewindow.catalog.segment import MAX_QUERY_LENGTH
from onewindow.complaints import selectors as complaint_selectors
from onewindow.org.models import Level

PER_PAGE = 20
MAX_PAGE = 500
EXAMPLES = ["营业执照", "yyzz", "开饭店", "结婚登记", "社保卡"]


# --- a matter's guide and the bundles ---------------------------------------------------------


def matter_detail(request, matter_id: int):
    number = None
    if "version" in request.GET:
        number = query_int(request, "version")
        if number is None:
            raise Http404
    version = selectors.guide_version_get_public(matter_id=matter_id, number=number)
    matter = version.matter
    current = matter.current_version
    chosen = query_int(request, "center")
    listings = selectors.listings_with_actions(matter, chosen=chosen)
    change = selectors.latest_applied_change(matter)
    return render(
        request,
        "catalog/matter_detail.html",
        {
            **selectors.guide_context(version),
            "is_current": version.pk == current.pk,
            "current": current,
            "listings": listings,
            "chosen_center": chosen if any(item.center_id == chosen for item in listings) else None,
            # the center the head's buttons act at: the chosen one, else the first listed
            "primary": listings[0] if listings else None,
            # the gains of the change that made this version (not of a first compilation)
            "comparison": (
                selectors.process_comparison(change.before, change.after)
                if change and change.before and change.proposed_id == version.pk
                else []
            ),
            "history": selectors.guide_history(matter),
            "entrustments": selectors.entrustments_public(matter, timezone.localdate()),
            # answered online questions the department approved for the guide (R-CASE-8)
            "faqs": complaint_selectors.faqs_for_matter(matter)[:20],
        },
    )


def bundle_list(request):
    return render(request, "catalog/bundle_list.html", {"bundles": selectors.bundles_public()})


def bundle_detail(request, code: str):
    bundle = selectors.bundle_get_public(code=code)
    return render(request, "catalog/bundle_detail.html", selectors.bundle_page(bundle))


# --- the matter list with search ----------------------------------------------------------------


def _filters(request, notices: list[str]) -> dict:
    """The list's filters from the query string; each bad one dropped with a notice."""
    center = None
    if raw := query_text(request, "center"):
        center_id = int(raw) if raw.isdigit() and len(raw) <= 9 else None
        center = selectors.center_get_public(center_id=center_id)
        if center is None:
            notices.append("未找到所选服务中心，已显示全部服务中心的事项。")
    kind = query_text(request, "kind")
    if kind and kind not in MatterKind.values:
        notices.append("事项类型不正确，已忽略。")
        kind = ""
    level = query_text(request, "level")
    if level and level not in Level.values:
        notices.append("实施层级不正确，已忽略。")
        level = ""
    line = None
    if raw := query_text(request, "line"):
        line = selectors.line_get(code=raw)
        if line is None:
            notices.append("部门不正确，已忽略。")
    return {"center": center, "kind": kind, "level": level, "line": line}


def _pages(filters: dict, q: str, page: int, result) -> dict:
    params = {
        "q": q,
        "center": filters["center"].pk if filters["center"] else "",
        "kind": filters["kind"],
        "level": filters["level"],
        "line": filters["line"].code if filters["line"] else "",
    }
    base = urlencode({k: v for k, v in params.items() if v})
    return {
        "number": page,
        "count": max(1, -(-result.total // PER_PAGE)),
        "previous": f"?{base}&page={page - 1}".replace("?&", "?") if page > 1 else "",
        "next": f"?{base}&page={page + 1}".replace("?&", "?") if result.has_next else "",
    }


def matter_list(request):
    notices: list[str] = []
    q = query_text(request, "q", MAX_QUERY_LENGTH)
    if len((request.GET.get("q") or "").strip()) > MAX_QUERY_LENGTH:
        notices.append(f"检索词过长，只按前{MAX_QUERY_LENGTH}个字检索。")
    filters = _filters(request, notices)
    page = min(query_int(request, "page") or 1, MAX_PAGE)
    filtered = any(filters.values())
    result = search.search_matters(
        q,
        center=filters["center"],
        line=filters["line"],
        kind=filters["kind"] or None,
        level=filters["level"] or None,
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
    )
    context = {
        "q": q,
        "result": result,
        "bundles": search.search_bundles(q) if not filtered else [],
        **filters,
        "filtered": filtered,
        "notices": notices,
        "pages": _pages(filters, q, page, result),
        "centers": selectors.active_centers(),
        "lines": selectors.department_lines(),
        "kinds": MatterKind.choices,
        "levels": Level.choices,
        "full_online": OnlineDepth.FULL_ONLINE,
        "examples": EXAMPLES,
    }
    template = (
        "catalog/_search_results.html"
        if request.headers.get("HX-Request")
        else "catalog/matter_list.html"
    )
    return render(request, template, context)
