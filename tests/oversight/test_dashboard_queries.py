"""R-SUP-4: the directors' dashboard and the month's indicators read each source once for
all departments (grouped reads), so the queries of one render do not grow with the
number of departments: a center with 2 departments and the same center with 5 take
the same number, and the 3 added ones are counted in the figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onewindow.core import rollups
from onewindow.core.scope import scope_for
from onewindow.evaluation.models import Review
from onewindow.hall.models import Window
from onewindow.org import services as org_services
from onewindow.oversight.indicators import (
    INDICATORS,
    cells,
    department_figures,
    months_back,
    thresholds_for,
)
from onewindow.oversight.models import IndicatorThreshold
from onewindow.oversight.selectors.dashboard import (
    children,
    dashboard,
    node_departments,
    node_get,
)

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 15))


def _review(n, department, level: int) -> None:
    Review.objects.create(
        kind="unsolicited",
        channel="web",
        level=level,
        center=n.linxia_center,
        department=department,
        created_at=timezone.make_aware(dt.datetime(2026, 11, 10, 10)),
    )


def _render(n) -> tuple[int, object, list]:
    """The dashboard of 临夏县's center and its month's indicator cells: queries, the
    board, the cells."""
    scope = scope_for(n.root)
    with CaptureQueriesContext(connection) as captured:
        node = node_get(scope=scope, param=f"c{n.linxia_center.pk}")
        board = dashboard(scope=scope, node=node, now=NOW)
        ids = list(node_departments(scope=scope, node=node).values_list("pk", flat=True))
        month = board.month
        table = cells(department_figures(ids, months_back(month, 2)), ids, month)
    return len(captured.captured_queries), board, table


def _satisfaction(rows) -> tuple[int, int]:
    cell = next(c for c in rows if c.indicator.code == "satisfaction")
    return cell.figure.num, cell.figure.den


def test_r_sup_4_dashboard_queries_do_not_grow_with_the_departments(world):
    n = world
    scope = scope_for(n.root)
    center = node_get(scope=scope, param=f"c{n.linxia_center.pk}")
    assert set(node_departments(scope=scope, node=center)) == {n.linxia_market, n.linxia_police}
    _review(n, n.linxia_market, 5)
    _review(n, n.linxia_police, 1)
    rollups.rebuild_all()
    two, board, table = _render(n)
    sat = next(r for r in board.indicators if r.cell.indicator.code == "satisfaction")
    assert (sat.cell.figure.num, sat.cell.figure.den) == (1, 2)
    assert _satisfaction(table) == (1, 2)

    for i in range(3):
        line = org_services.department_line_create(
            actor=n.root, code=f"q{i}", name=f"测试{i}", body_suffix=f"测试{i}局"
        )
        dept = org_services.department_create(
            actor=n.root, line=line, region=n.linxia, center=n.linxia_center
        )
        _review(n, dept, 5)
    rollups.rebuild_all()
    assert node_departments(scope=scope, node=center).count() == 5
    five, board, table = _render(n)
    sat = next(r for r in board.indicators if r.cell.indicator.code == "satisfaction")
    # The three new departments' good reviews are in the figures: 4 good of 5.
    assert (sat.cell.figure.num, sat.cell.figure.den) == (4, 5)
    assert _satisfaction(table) == (4, 5)
    assert board.reviews.total == 5 and board.reviews.good == 4
    assert five == two, (two, five)


def _listed(nodes) -> list[tuple]:
    return [(c.kind, c.obj.pk, c.label, c.kind_label, c.param) for c in nodes]


def test_r_sup_4_dashboard_children_and_thresholds_read_with_the_indicators(world):
    """The node's children, departments and thresholds come with the indicators in
    one statement: the same nodes in the same order as ``children`` gives them, the
    same thresholds as ``thresholds_for``, for each kind of node and two scopes."""
    n = world
    seventh = Window.objects.create(center=n.linxia_center, number=7)
    Window.objects.create(center=n.linxia_center, number=3)
    Window.objects.create(center=n.linxia_center, number=5, is_active=False)
    IndicatorThreshold.objects.create(center=n.linxia_center, indicator="satisfaction", value=88.5)
    IndicatorThreshold.objects.create(center=n.kangle_center, indicator="satisfaction", value=60)
    seen = set()
    for user, params in (
        (
            n.root,
            ["", f"r{n.linxia.pk}", f"c{n.linxia_center.pk}", f"d{n.linxia_market.pk}"]
            + [f"w{seventh.pk}"],
        ),
        (n.county_admin, ["", f"c{n.linxia_center.pk}"]),
    ):
        scope = scope_for(user)
        for param in params:
            node = node_get(scope=scope, param=param)
            board = dashboard(scope=scope, node=node, now=NOW)
            assert _listed(board.children) == _listed(children(scope=scope, node=node)), param
            seen |= {c.kind for c in board.children}
            depts = list(node_departments(scope=scope, node=node))
            centers = {d.center_id for d in depts}
            limits = thresholds_for(centers)[next(iter(centers))] if len(centers) == 1 else {}
            got = {r.cell.indicator.code: r.cell.threshold for r in board.indicators}
            want = {i.code: limits.get(i.code) for i in INDICATORS} if depts else {}
            assert got == want, param
            if node.kind in "cd":
                assert got["satisfaction"] == 88.5
    assert seen == {"r", "c", "d", "w"}
