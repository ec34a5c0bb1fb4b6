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
from onewindow.org import services as org_services
from onewindow.oversight.indicators import cells, department_figures, months_back
from onewindow.oversight.selectors.dashboard import dashboard, node_departments, node_get

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
