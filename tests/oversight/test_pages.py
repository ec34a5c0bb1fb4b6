"""The pages of the assessment, the case statistics and the dashboard (R-SUP-2,
R-SUP-4) on the built world of ``world.py``: figures equal the hand counts, the scope
holds (a county sees only its own, a department never sees a complainant), the
thresholds are set through the page, the workbooks open."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from onewindow.core import pdf
from onewindow.core.scope import scope_for
from onewindow.hall.models import Window
from onewindow.oversight.models import IndicatorThreshold
from onewindow.oversight.selectors.dashboard import dashboard, node_get
from tests.oversight.world import at, build

FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST),
        transaction.atomic(),
    ):
        root = get_user_model().objects.create_superuser("root", password="x", full_name="管理员")
        n = build(root)
        n.window = Window.objects.create(center=n.linxia_center, number=7)
        yield n
        transaction.set_rollback(True)


def page(client, user, name, **query):
    client.force_login(user)
    return client.get(reverse(f"oversight:{name}"), query)


@pytest.mark.django_db
def test_r_sup_2_the_indicator_page_shows_each_formula_next_to_its_value(client, w):
    r = page(client, w.county_admin, "indicators", month="2026-11")
    html = r.content.decode()
    assert r.status_code == 200
    assert "按时办结率 = 当月作出决定且不晚于承诺期限的件数" in html
    assert "66.7%" in html and "2/3" in html  # 按时办结率 of 临夏县市场监督管理局
    assert "约谈名单" in html and "网办率" in html


@pytest.mark.django_db
def test_r_sup_2_a_center_admin_sets_a_threshold_through_the_page(client, w):
    client.force_login(w.county_admin)
    url = reverse("oversight:threshold_set")
    r = client.post(url, {"center": w.linxia_center.pk, "indicator": "satisfaction", "value": "88"})
    assert r.status_code == 302
    assert (
        IndicatorThreshold.objects.get(center=w.linxia_center, indicator="satisfaction").value == 88
    )
    r = client.post(url, {"center": w.linxia_center.pk, "indicator": "satisfaction", "value": "x"})
    assert r.status_code == 302  # the message is flashed, nothing changes
    assert (
        IndicatorThreshold.objects.get(center=w.linxia_center, indicator="satisfaction").value == 88
    )
    client.force_login(w.approver)
    client.post(url, {"center": w.linxia_center.pk, "indicator": "satisfaction", "value": "1"})
    assert (
        IndicatorThreshold.objects.get(center=w.linxia_center, indicator="satisfaction").value == 88
    )


@pytest.mark.django_db
def test_r_sup_2_the_indicator_workbook_holds_definitions_and_values(client, w):
    r = page(client, w.pref_supervisor, "indicators_export", month="2026-11")
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert book.sheetnames == ["指标定义", "按部门", "按中心"]
    rows = {row[0]: row for row in book["按部门"].iter_rows(values_only=True)}
    header = next(book["按部门"].iter_rows(values_only=True))
    col = header.index("按时办结率（%）")
    assert rows["临夏县市场监督管理局"][col] == 66.7


@pytest.mark.django_db
def test_r_sup_4_case_statistics_count_volume_channels_and_on_time(client, w):
    r = page(client, w.county_admin, "case_stats", start="2026-11-01", end="2026-11-30")
    s = r.context["stats"]
    # received A, B (web), C, D; the draft is left out; decided A, B, C; on time A, C
    assert (s.total.received, s.total.channels["web"], s.total.decided) == (4, 1, 3)
    assert s.total.on_time_rate == pytest.approx(2 / 3)
    assert [(m.label, m.received) for m in s.by_month] == [("2026年11月", 4)]
    assert s.by["department"][0].label == "临夏县市场监督管理局"
    r = page(client, w.county_admin, "case_stats_export", start="2026-11-01", end="2026-11-30")
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert book.sheetnames == ["合计", "按服务中心", "按部门", "按事项", "按月份"]
    total = list(book["合计"].iter_rows(values_only=True))
    assert total[1][1] == 4


@pytest.mark.django_db
def test_r_sup_4_case_statistics_hold_the_scope(client, w):
    r = page(client, w.kangle_admin, "case_stats", start="2026-11-01", end="2026-11-30")
    assert r.context["stats"].total.received == 0
    r = page(client, w.kangle_admin, "case_stats", center=w.linxia_center.pk)
    assert r.status_code == 404
    r = page(client, w.county_admin, "case_stats", start="2026-13-01")
    assert r.status_code == 400 and "格式不正确" in r.content.decode()


@pytest.mark.django_db
def test_r_sup_4_a_director_drills_from_prefecture_to_a_window(client, w):
    r = page(client, w.pref_supervisor, "dashboard")
    assert r.context["board"].node.obj == w.pref
    html = r.content.decode()
    assert f"?node=r{w.linxia.pk}" in html and f"?node=c{w.pref_center.pk}" in html
    for node in (f"r{w.linxia.pk}", f"c{w.linxia_center.pk}", f"w{w.window.pk}"):
        r = page(client, w.pref_supervisor, "dashboard", node=node)
        assert r.status_code == 200, node
    r = page(client, w.pref_supervisor, "dashboard", node=f"d{w.linxia_market.pk}")
    assert r.status_code == 200
    scope = scope_for(w.pref_supervisor)
    node = node_get(scope=scope, param=f"d{w.linxia_market.pk}")
    board = dashboard(scope=scope, node=node, now=at("2026-11-30", 16))
    rows = {row.cell.indicator.code: row for row in board.indicators}
    # November is the month shown, October before it: 按时办结率 100% then 66.7%
    assert [c.value for c in rows["on_time_rate"].trend][-2:] == [100.0, 66.7]
    assert rows["satisfaction"].cell.value == 40.0
    assert board.cases.running == 1  # D, accepted and not decided


@pytest.mark.django_db
def test_r_sup_4_a_county_sees_only_its_county(client, w):
    r = page(client, w.county_admin, "dashboard")
    assert r.context["board"].node.obj == w.linxia
    html = r.content.decode()
    assert "康乐县" not in html
    for node in (
        f"r{w.kangle.pk}",
        f"c{w.kangle_center.pk}",
        f"d{w.kangle_market.pk}",
        f"r{w.pref.pk}",
        "x1",
        "r",
        "r99999999",
        "w999999",
    ):
        r = page(client, w.county_admin, "dashboard", node=node)
        assert r.status_code == 404, node
    r = page(client, w.county_admin, "dashboard_screen", node=f"r{w.kangle.pk}")
    assert r.status_code == 404


@pytest.mark.django_db
def test_r_sup_4_a_department_never_sees_a_complainant(client, w):
    for name in ("dashboard", "indicators", "case_stats"):
        r = page(client, w.chief_rep, name)
        assert r.status_code == 200, name
        assert w.complainant not in r.content.decode(), name
    r = page(client, w.chief_rep, "dashboard", node=f"c{w.kangle_center.pk}")
    assert r.status_code == 404


@pytest.mark.django_db
def test_r_sup_4_the_big_screen_refreshes_itself(client, w):
    r = page(client, w.county_admin, "dashboard_screen", node=f"c{w.linxia_center.pk}")
    html = r.content.decode()
    assert r.status_code == 200 and 'http-equiv="refresh"' in html and "width=1920" in html


@pytest.mark.django_db
def test_r_sup_4_the_workspace_leads_a_director_to_the_dashboard(client, w):
    client.force_login(w.pref_supervisor)
    html = client.get(reverse("workspace")).content.decode()
    assert html.index(reverse("oversight:dashboard")) < html.index("我的岗位")
    client.force_login(w.clerk)
    assert reverse("oversight:dashboard") not in client.get(reverse("workspace")).content.decode()
    assert page(client, w.clerk, "dashboard").status_code == 404


@pytest.mark.django_db
def test_r_sup_4_the_monthly_report_is_made_by_the_command(w, tmp_path):
    out = io.StringIO()
    call_command("monthly_report", month="2026-11", out=str(tmp_path), stdout=out)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "临夏县政务服务中心2026年11月政务服务月报.xlsx" in names
    assert "临夏回族自治州2026年11月政务服务月报.xlsx" in names
    book = load_workbook(tmp_path / "临夏县政务服务中心2026年11月政务服务月报.xlsx")
    rows = {r[0]: r for r in book["考核指标"].iter_rows(values_only=True)}
    header = next(book["考核指标"].iter_rows(values_only=True))
    assert rows["临夏县市场监督管理局"][header.index("按时办结率（%）")] == 66.7
    if pdf.available():
        data = (tmp_path / "临夏县政务服务中心2026年11月政务服务月报.pdf").read_bytes()
        assert data.startswith(b"%PDF")
    with pytest.raises(CommandError):
        call_command("monthly_report", month="2026-13", out=str(tmp_path), stdout=out)


@pytest.mark.django_db
def test_r_sup_4_the_monthly_report_on_demand_holds_the_scope(client, w):
    query = {"node": f"c{w.linxia_center.pk}", "month": "2026-11", "format": "xlsx"}
    r = page(client, w.county_admin, "monthly_report", **query)
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert book["好差评与投诉"]["B2"].value == 5  # the five counted reviews of November
    r = page(client, w.county_admin, "monthly_report", node=f"c{w.kangle_center.pk}")
    assert r.status_code == 404
