"""Hall statistics over whole months read the tickets' monthly rollup (R-HALL-2,
R-HALL-4): a small hall served through the services in October 2026 and on 2 November,
the page's figures against a hand count, no ticket read for a whole month, and the same
figures after the rollup is rebuilt from the tickets."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onewindow.core import rollups
from onewindow.core.scope import scope_for
from onewindow.hall import services
from onewindow.oversight.selectors.hall import hall_stats

pytestmark = pytest.mark.django_db

OCT, NOV = date(2026, 10, 15), date(2026, 11, 2)


def at(day: date, hh: int, mm: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


@pytest.fixture
def served(hall):
    """October: A1 (wait 300 s, service 600 s at 1号, 马明), A2 (240 s, 1200 s at 2号,
    clerk2), B1 called at 3号 after 540 s and passed over; 2 November: A3 (120 s,
    600 s at 1号). Outside the ranges: 30 September and 3 November."""
    h, issue = hall, services.ticket_issue

    def visit(window, clerk, day, called, finished, category):
        issue(center=h.linxia_center, category=category, now=at(day, 8, 0))
        ticket = services.ticket_call_next(actor=clerk, window=window, now=at(day, *called))
        services.ticket_finish(actor=clerk, window=window, ticket=ticket, now=at(day, *finished))

    visit(h.w1, h.clerk, date(2026, 9, 30), (8, 30), (9, 30), h.cat_a)  # outside
    for mm, cat in ((0, h.cat_a), (1, h.cat_b), (2, h.cat_a)):
        issue(center=h.linxia_center, category=cat, now=at(OCT, 10, mm))
    a1 = services.ticket_call_next(actor=h.clerk, window=h.w1, now=at(OCT, 10, 5))
    services.ticket_finish(actor=h.clerk, window=h.w1, ticket=a1, now=at(OCT, 10, 15))
    a2 = services.ticket_call_next(actor=h.clerk2, window=h.w2, now=at(OCT, 10, 6))
    services.ticket_finish(actor=h.clerk2, window=h.w2, ticket=a2, now=at(OCT, 10, 26))
    b1 = services.ticket_call_next(actor=h.clerk3, window=h.w3, now=at(OCT, 10, 10))
    services.ticket_skip(actor=h.clerk3, window=h.w3, ticket=b1, now=at(OCT, 10, 12))
    assert (a1.code, a2.code, b1.code) == ("A001", "A002", "B001")
    issue(center=h.linxia_center, category=h.cat_a, now=at(NOV, 9, 0))
    a3 = services.ticket_call_next(actor=h.clerk, window=h.w1, now=at(NOV, 9, 2))
    services.ticket_finish(actor=h.clerk, window=h.w1, ticket=a3, now=at(NOV, 9, 12))
    visit(h.w1, h.clerk, date(2026, 11, 3), (8, 30), (9, 30), h.cat_a)  # outside
    return h


def stats(net, start, end):
    return hall_stats(
        scope=scope_for(net.county_admin), center_id=net.linxia_center.pk, start=start, end=end
    )


def by_label(rows):
    return {r.label: r for r in rows}


def test_r_hall_2_whole_month_and_days_after_it_equal_a_hand_count(served):
    s = stats(served, date(2026, 10, 1), NOV)
    assert s.monthly and s.months == [date(2026, 10, 1)]
    t = s.total
    assert (t.issued, t.served) == (4, 3)
    assert t.wait.mean == pytest.approx((300 + 240 + 120) / 3)
    assert t.service.mean == pytest.approx((600 + 1200 + 600) / 3)
    assert t.wait.p90 is None and t.no_show is None and t.priority is None and s.hours == []
    cats = by_label(s.categories)
    assert (cats["A 企业开办"].issued, cats["A 企业开办"].served) == (3, 3)
    assert (cats["B 社保医保"].issued, cats["B 社保医保"].served) == (1, 0)
    windows = {r.key: r for r in s.windows}
    w1, w2, w3 = served.w1.pk, served.w2.pk, served.w3.pk
    assert (windows[w1].served, windows[w1].service.total) == (2, 1200)
    assert (windows[w2].served, windows[w2].service.total) == (1, 1200)
    assert (windows[w3].served, windows[w3].service.total) == (0, 0)  # staffed, idle
    assert s.balance.mean == pytest.approx(800)
    assert [windows[w].flag for w in (w1, w2, w3)] == ["high", "high", "low"]
    clerks = {r.key: r for r in s.clerks}
    assert (clerks[served.clerk.pk].served, clerks[served.clerk2.pk].served) == (2, 1)
    assert clerks[served.clerk.pk].service.mean == pytest.approx(600)


def test_r_hall_2_a_range_of_whole_months_reads_no_ticket(served):
    with CaptureQueriesContext(connection) as queries:
        s = stats(served, date(2026, 10, 1), date(2026, 10, 31))
    assert not [q for q in queries.captured_queries if '"hall_ticket"' in q["sql"]]
    assert (s.total.issued, s.total.served) == (3, 2)
    assert s.total.wait.mean == pytest.approx(270) and s.total.service.mean == pytest.approx(900)


def test_r_hall_2_the_page_shows_the_same_figures_after_the_rollup_is_rebuilt(served):
    before = stats(served, date(2026, 10, 1), NOV)
    rollups.rebuild_all()
    after = stats(served, date(2026, 10, 1), NOV)

    def figures(s):
        rows = [s.total, *s.categories, *s.windows, *s.clerks]
        return [(r.label, r.issued, r.served, r.wait.total, r.service.total) for r in rows]

    assert figures(after) == figures(before)
    c = Client()
    c.force_login(served.county_admin)
    r = c.get(
        reverse("oversight:hall_stats"),
        {"center": served.linxia_center.pk, "start": "2026-10-01", "end": "2026-11-02"},
    )
    html = r.content.decode()
    assert r.status_code == 200 and "按月度汇总统计" in html and "2026年10月" in html
    assert "<strong>4</strong><span>取号</span>" in html
    assert "<strong>3</strong><span>办结</span>" in html
    assert "<strong>—</strong><span>过号" in html
    assert "<strong>3.7</strong><span>平均等候（分钟）</span>" in html  # 220 s
    xlsx = c.get(
        reverse("oversight:hall_stats_export"),
        {"center": served.linxia_center.pk, "start": "2026-10-01", "end": "2026-11-02"},
    )
    assert xlsx.status_code == 200
