"""The nodes a monthly report is made for: the prefecture, each county's network and
each center with stationed departments, within a scope."""

from __future__ import annotations

from onewindow.org.models import Center, Level, Region
from onewindow.oversight.selectors.dashboard import Node


def report_nodes(*, scope) -> list[Node]:
    regions = (
        Region.objects.visible_to(scope)
        .filter(level__in=[Level.PREFECTURE, Level.COUNTY])
        .order_by("path")
    )
    if not scope.everything:
        regions = [r for r in regions if any(r.path.startswith(p) for p in scope.region_paths)]
    centers = (
        Center.objects.visible_to(scope)
        .filter(departments__isnull=False)
        .distinct()
        .order_by("region__path", "code")
    )
    return [Node("r", r, r.name) for r in regions] + [Node("c", c, c.name) for c in centers]
