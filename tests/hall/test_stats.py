"""Hall statistics (R-HALL-2, R-HALL-4): figures over hand-made tickets with known times,
the windows' balance, scope, the page, its charts and the Excel export."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.scope import scope_for
from onewindow.hall import states
from onewindow.hall.models import ServiceCategory, Ticket, Window
from onewindow.oversight.exports.hall import SHEETS
from onewindow.oversight.selectors.hall import hall_stats, stats_range
from onewindow.planning import statmath

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 2)  # a Monday


def at(day: date, hh: int, mm: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


def make(
    net,
    cat,
    number,
    issued,
    *,
    state=states.DONE,
    wait=None,
    service=None,
    window=None,
    clerk=None,
    priority="",
    day=DAY,
    center=None,
):
    called = issued + timedelta(seconds=wait) if wait is not None else None
    served = called + timedelta(seconds=20) if state == states.DONE else None
    return Ticket.objects.create(
        center=center or net.linxia_center,
        category=cat,
        queue=cat,
        day=day,
        number=number,
        code=f"{cat.letter}{number:03d}",
        state=state,
        priority_reason=priority,
        issued_at=issued,
        called_at=called,
        served_at=served,
        finished_at=served + timedelta(seconds=service) if served else None,
        no_show_at=called + timedelta(seconds=90) if state == states.NO_SHOW else None,
        wait_seconds=wait,
        service_seconds=service if state == states.DONE else None,
        served_window=window if state == states.DONE else None,
        clerk=clerk,
    )


@pytest.fixture
def day(hall):
    """Seven tickets at 临夏县 with known times, one outside the range, one at 康乐县."""
    n, a, b = hall, hall.cat_a, hall.cat_b
    make(n, a, 1, at(DAY, 9, 10), wait=60, service=600, window=n.w1, clerk=n.clerk)
    make(n, a, 2, at(DAY, 9, 20), wait=120, service=600, window=n.w2, clerk=n.clerk2)
    make(n, a, 3, at(DAY, 10, 5), wait=180, service=900, window=n.w2, clerk=n.clerk2)
    make(n, a, 4, at(DAY, 10, 30), wait=240, state=states.NO_SHOW, clerk=n.clerk2)
    make(n, b, 1, at(DAY, 9, 40), wait=600, service=120, window=n.w3, clerk=n.clerk3)
    make(n, b, 2, at(DAY, 14, 40), state=states.CANCELLED)
    make(
        n,
        b,
        3,
        at(DAY, 14, 50),
        wait=30,
        service=60,
        window=n.w1,
        clerk=n.clerk,
        priority="elderly",
    )
    # outside the range, and another center: neither counts
    earlier = DAY - timedelta(days=40)
    make(
        n, a, 1, at(earlier, 9, 0), wait=9999, service=9999, window=n.w1, clerk=n.clerk, day=earlier
    )
    kangle_cat = ServiceCategory.objects.create(center=n.kangle_center, letter="A", name="企业开办")
    make(n, kangle_cat, 1, at(DAY, 9, 0), wait=7777, service=7777, center=n.kangle_center)
    return hall


def stats_for(net, user=None):
    return hall_stats(
        scope=scope_for(user or net.county_admin),
        center_id=net.linxia_center.pk,
        start=DAY - timedelta(days=6),
        end=DAY,
    )


def test_r_hall_2_totals_and_categories_give_exact_means_and_p90(day):
    s = stats_for(day)
    t = s.total
    assert (t.issued, t.served, t.no_show, t.cancelled, t.open, t.priority) == (7, 5, 1, 1, 0, 1)
    assert t.wait.count == 6
    cats = {r.label: r for r in s.categories}
    a, b = cats["A 企业开办"], cats["B 社保医保"]
    assert (a.issued, a.served, a.no_show, a.cancelled) == (4, 3, 1, 0)
    assert a.wait.mean == 150 and a.wait.p90 == pytest.approx(222)  # 180 + 0.7·60
    assert a.service.mean == 700 and a.service.p90 == pytest.approx(840)  # 600 + 0.8·300
    assert a.no_show_rate == pytest.approx(0.25)
    assert (b.issued, b.served, b.cancelled, b.priority) == (3, 2, 1, 1)
    assert b.wait.mean == 315 and b.wait.p90 == pytest.approx(543)  # 30 + 0.9·570
    assert b.service.mean == 90 and b.service.p90 == pytest.approx(114)
    assert s.days_with_tickets == 1


def test_r_hall_2_hours_of_the_day_and_clerks(day):
    s = stats_for(day)
    hours = {r.key: r for r in s.hours}
    assert sorted(hours) == [9, 10, 14]
    assert hours[9].issued == 3 and hours[9].wait.mean == 260  # (60 + 120 + 600) / 3
    assert hours[10].wait.mean == 210 and hours[10].no_show == 1
    assert hours[14].issued == 2 and hours[14].cancelled == 1 and hours[14].wait.mean == 30
    clerks = {r.key: r for r in s.clerks}
    c1, c2, c3 = day.clerk.pk, day.clerk2.pk, day.clerk3.pk
    assert (clerks[c2].served, clerks[c2].no_show) == (2, 1)
    assert clerks[c2].service.total == 1500
    assert (clerks[c1].served, clerks[c3].served) == (2, 1)
    assert [r.key for r in s.clerks][-1] == c3  # most served first
    no = day.clerk2.staff_profile.staff_no
    assert clerks[c2].label == f"clerk2（工号 {no}）"  # name and staff number


def test_r_hall_4_load_statistics_window_load_share_ratio_and_flags(day):
    s = stats_for(day)
    rows = {r.key: r for r in s.windows}
    assert list(rows) == [day.w1.pk, day.w2.pk, day.w3.pk]
    w1, w2, w3 = rows[day.w1.pk], rows[day.w2.pk], rows[day.w3.pk]
    assert (w1.served, w1.service.total) == (2, 660)
    assert (w2.served, w2.service.total) == (2, 1500)
    assert (w3.served, w3.service.total) == (1, 120)
    assert s.balance.mean == pytest.approx(760)
    assert w1.ratio == pytest.approx(660 / 760) and w1.flag == statmath.EVEN
    assert w2.flag == statmath.HIGH and w2.flag_label == "偏高"
    assert w3.flag == statmath.LOW and w3.flag_label == "偏低"
    assert w2.share == pytest.approx(1500 / 2280)
    assert s.balance.cv == pytest.approx(statmath.balance({1: 660, 2: 1500, 3: 120}).cv)
    assert [r.key for r in s.flagged_windows] == [day.w2.pk, day.w3.pk]


def test_r_hall_4_load_statistics_idle_staffed_windows_count_as_low_and_unstaffed_ones_are_left_out(
    day,
):
    idle = Window.objects.create(center=day.linxia_center, number=4)
    idle.categories.set([day.cat_a])
    Window.objects.create(center=day.linxia_center, number=5)  # no category: not a queue window
    s = stats_for(day)
    rows = {r.key: r for r in s.windows}
    assert idle.pk in rows and rows[idle.pk].flag == statmath.LOW and rows[idle.pk].served == 0
    assert len(rows) == 4
    assert s.balance.mean == pytest.approx(2280 / 4)


def test_r_hall_4_load_statistics_stats_take_one_ticket_query_and_a_few_name_look_ups(
    day, django_assert_max_num_queries
):
    scope = scope_for(day.county_admin)
    with django_assert_max_num_queries(6):
        hall_stats(scope=scope, center_id=day.linxia_center.pk, start=DAY, end=DAY)


def test_r_hall_2_scope_another_county_gets_not_found(day):
    with pytest.raises(NotFound):
        stats_for(day, user=day.kangle_admin)
    assert stats_for(day, user=day.pref_admin).total.issued == 7
    assert stats_for(day, user=day.county_supervisor).total.issued == 7
    with pytest.raises(NotFound):
        hall_stats(scope=scope_for(day.county_admin), center_id="x", start=DAY, end=DAY)


def test_r_hall_2_range_rules():
    today = date(2026, 11, 26)
    assert stats_range(None, None, today=today) == (date(2026, 10, 28), today)
    assert stats_range("2026-01-01", "2026-12-31", today=today) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert stats_range("2024-01-01", "2024-12-31", today=today)[1] == date(2024, 12, 31)  # 366 days
    for start, end, words in [
        ("2026-13-01", "", "格式不正确"),
        ("abc", "2026-11-01", "格式不正确"),
        ("2026-11-02", "2026-11-01", "不能早于"),
        ("2025-01-01", "2026-01-02", "不能超过366天"),
    ]:
        with pytest.raises(InvalidInput) as exc:
            stats_range(start, end, today=today)
        assert words in exc.value.message


def page(net, user, view="oversight:hall_stats", **params):
    params.setdefault("center", net.linxia_center.pk)
    params.setdefault("start", (DAY - timedelta(days=6)).isoformat())
    params.setdefault("end", DAY.isoformat())
    c = Client()
    c.force_login(user)
    return c.get(reverse(view), params)


def test_r_hall_4_load_statistics_page_shows_tables_and_accessible_svg_charts(day):
    r = page(day, day.county_admin)
    assert r.status_code == 200
    html = r.content.decode()
    assert (
        html.count("<svg") == 2
        and '<title id="chart-wait-title">各时段平均等候时间</title>' in html
    )
    assert 'role="img"' in html and "chart-load-desc" in html
    assert "偏高" in html and "偏低" in html and "A 企业开办" in html
    assert "https://" not in html.split("<main", 1)[1] and "<script" not in html
    assert reverse("oversight:hall_stats_export") in html


def test_r_hall_2_page_defaults_to_own_center_and_lists_only_centers_in_scope(day):
    c = Client()
    c.force_login(day.county_admin)
    r = c.get(reverse("oversight:hall_stats"))
    assert r.status_code == 200
    assert r.context["center"] == day.linxia_center
    names = {x.name for x in r.context["centers"]}
    assert "临夏县政务服务中心" in names and "韩集镇便民服务中心" in names
    assert "康乐县政务服务中心" not in names


def test_r_hall_2_page_another_county_and_other_roles_get_404(day):
    assert page(day, day.kangle_admin).status_code == 404
    assert page(day, day.kangle_admin, view="oversight:hall_stats_export").status_code == 404
    assert page(day, day.clerk).status_code == 404
    assert page(day, day.county_admin, center="abc").status_code == 404
    anonymous = Client().get(reverse("oversight:hall_stats"))
    assert anonymous.status_code == 302


def test_r_hall_2_bad_dates_answer_a_chinese_message_not_a_500(day):
    for params, words in [
        ({"start": "2026-02-30"}, "起始日期格式不正确"),
        ({"end": "x\x00y"}, "截止日期格式不正确"),
        ({"start": "2026-11-02", "end": "2026-11-01"}, "截止日期不能早于起始日期"),
        ({"start": "2020-01-01", "end": "2026-11-01"}, "统计区间不能超过366天"),
    ]:
        for view in ("oversight:hall_stats", "oversight:hall_stats_export"):
            r = page(day, day.county_admin, view=view, **params)
            assert r.status_code == 400
            assert words in r.content.decode()


def test_r_hall_4_load_statistics_excel_export_has_a_sheet_per_breakdown_with_chinese_headers(day):
    r = page(day, day.county_admin, view="oversight:hall_stats_export")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert wb.sheetnames == list(SHEETS)
    cats = wb["按业务类别"]
    header = [c.value for c in cats[1]]
    assert header[:3] == ["业务类别", "取号数", "办结数"]
    a = next(row for row in cats.iter_rows(min_row=2, values_only=True) if row[0] == "A 企业开办")
    assert a[1] == 4 and a[header.index("平均等候（分钟）")] == 2.5  # 150 s
    assert a[header.index("等候90%分位（分钟）")] == 3.7  # 222 s
    windows = wb["按窗口"]
    flags = [row[-1] for row in windows.iter_rows(min_row=2, values_only=True)]
    assert flags == [None, "偏高", "偏低"]
    hours = [row[0] for row in wb["按时段"].iter_rows(min_row=2, values_only=True)]
    assert hours == ["09:00-10:00", "10:00-11:00", "14:00-15:00"]
    overview = {row[0]: row[1] for row in wb["概况"].iter_rows(min_row=2, values_only=True)}
    assert overview["取号数"] == 7 and overview["服务中心"] == "临夏县政务服务中心"


def test_r_hall_2_empty_range_renders_without_figures(day):
    r = page(day, day.county_admin, start="2025-01-01", end="2025-01-31")
    assert r.status_code == 200
    assert "该区间内没有取号记录" in r.content.decode()


def test_r_hall_4_load_statistics_chart_geometry_scales_bars_and_places_the_mean_line():
    from onewindow.planning import charts as stats_charts

    assert [stats_charts.nice_ceiling(v) for v in (0, 0.7, 9, 106.5, 110, 250)] == [
        1,
        0.8,
        10,
        120,
        120,
        300,
    ]
    chart = stats_charts.bar_chart(
        [("1号", 60.0, None, ""), ("2号", 120.0, None, "high"), ("3号", None, None, "")],
        title="t",
        desc="d",
        unit="小时",
        mean=60.0,
        band=0.3,
    )
    one, two, three = chart.bars
    assert chart.ticks[-1].label == "120" and chart.ticks[0].y == chart.bottom_y
    assert two.y == chart.top and two.h == chart.bottom_y - chart.top
    assert one.h == pytest.approx(two.h / 2, abs=0.1) and three.h == 0 and "无数据" in three.title
    assert (
        chart.mean_y == pytest.approx(one.y, abs=0.1)
        and chart.band[0] < chart.mean_y < chart.band[1]
    )
    assert stats_charts.bar_chart([], title="t", desc="d", unit="").empty


def test_r_hall_2_excel_stores_numbers_and_rates_under_a_chinese_name(day):
    from onewindow.core import xlsx
    from tests.xlsx_checks import DEFAULT_WIDTH, column, download, header_frozen, width

    r = page(day, day.county_admin, view="oversight:hall_stats_export")
    start = (DAY - timedelta(days=6)).isoformat()
    wb = download(r, f"大厅统计-临夏县政务服务中心-{start}至{DAY.isoformat()}.xlsx")
    assert all(header_frozen(ws) for ws in wb)
    cats = wb["按业务类别"]
    issued = column(cats, "取号数")
    assert [c.data_type for c in issued] == ["n", "n"] and issued[0].value == 4
    rate = column(cats, "过号率")[0]
    assert rate.value == pytest.approx(0.25) and rate.number_format == xlsx.PERCENT
    assert column(cats, "平均等候（分钟）")[0].number_format == xlsx.DECIMAL_1
    assert width(cats, "等候90%分位（分钟）") > DEFAULT_WIDTH * 2
    overview = {row[0].value: row[1] for row in wb["概况"].iter_rows(min_row=2)}
    assert overview["过号率"].number_format == xlsx.PERCENT
    assert overview["取号数"].data_type == "n"
