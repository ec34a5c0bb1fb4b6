"""Window planning pages and reads (R-HALL-4) on a small built world: three Mondays of
hand-made tickets at 临夏县, the figures read from them, the plan, the live suggestion
applied through the window service, and scope."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from onewindow.core import sweeps
from onewindow.core.errors import NotFound
from onewindow.core.models import AuditEvent
from onewindow.core.scope import scope_for
from onewindow.hall import services, states
from onewindow.hall.models import ServiceCategory, Ticket, Window, WindowSession
from onewindow.org import services as org_services
from onewindow.oversight.models import RosterSlot
from onewindow.oversight.selectors import planning as sel
from onewindow.oversight.selectors import planning_panels as panels
from onewindow.planning.erlang import figures
from onewindow.planning.plan import Target
from tests.conftest import PASSWORD, build_network, clear_for_window

MONDAYS = [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
NEXT_MONDAY = date(2026, 12, 7)
FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(day, hh, mm):
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


def ticket(w, cat, day, number, issued, *, state=states.DONE, service=None, clerk=None):
    return Ticket.objects.create(
        center=w.center,
        category=cat,
        queue=cat,
        day=day,
        number=number,
        code=f"{cat.letter}{number:03d}",
        state=state,
        issued_at=issued,
        service_seconds=service if state == states.DONE else None,
        wait_seconds=60 if state != states.WAITING else None,
        clerk=clerk,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST),
        transaction.atomic(),
    ):
        root = get_user_model().objects.create_superuser("root", password=PASSWORD, full_name="根")
        n = build_network(root)
        center = n.linxia_center
        n.cat_a = ServiceCategory.objects.create(
            center=center, letter="A", name="企业开办", order=1
        )
        n.cat_b = ServiceCategory.objects.create(
            center=center, letter="B", name="社保医保", order=2
        )
        n.w1 = Window.objects.create(center=center, number=1)
        n.w2 = Window.objects.create(
            center=center, number=2, scope=Window.Scope.DOMAIN, domain="市场"
        )
        n.w3 = Window.objects.create(
            center=center, number=3, scope=Window.Scope.DOMAIN, domain="社保"
        )
        for w, cats in ((n.w1, [n.cat_b]), (n.w2, [n.cat_a]), (n.w3, [n.cat_b])):
            services.window_set_categories(actor=n.county_admin, window=w, categories=cats)
        n.clerk2 = clear_for_window(root, org_services.staff_create(
            actor=root, username="clerk2", full_name="clerk2", password=None,
            roles={"clerk"}, staff_no="H00002", center=center,
        )).user  # fmt: skip
        services.window_sign_in(actor=n.clerk, window=n.w1)
        services.window_sign_in(actor=n.clerk2, window=n.w2)
        # Each Monday 9:00–9:29: four A (10 min each) and two B (5 min each); one A
        # more on the first Monday ends as a no-show.
        for day in MONDAYS:
            for k in range(4):
                ticket(n.w2, n.cat_a, day, k + 1, at(day, 9, 5 * k), service=600, clerk=n.clerk2)
            for k in range(2):
                ticket(n.w1, n.cat_b, day, k + 1, at(day, 9, 7 * k), service=300, clerk=n.clerk)
        ticket(n.w2, n.cat_a, MONDAYS[0], 5, at(MONDAYS[0], 9, 25), state=states.NO_SHOW)
        yield n
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_r_hall_4_history_gives_arrivals_service_and_no_shows(world):
    h = sel.history(scope=scope_for(world.county_admin), center_id=world.linxia_center.pk)
    a, b = h.categories
    assert (a.letter, a.issued, a.no_show, len(a.service)) == ("A", 13, 1, 12)
    assert a.no_show_rate == pytest.approx(1 / 13)
    assert (a.median, a.mean, a.spread) == (10, 10, 0)
    assert (b.issued, b.median) == (6, 5)
    assert h.days[MONDAYS[1]] == {(0, 18): 4, (1, 18): 2}
    assert h.days[MONDAYS[0]][(0, 18)] == 5
    clerks = {c.label.split("（")[0]: c for c in h.clerks}
    assert len(clerks["clerk2"].service) == 12 and clerks["clerk2"].median == 10
    # Held back: the last Monday is forecast from the two before (4.5 A, 2 B).
    assert h.backtest.days[-1] == MONDAYS[-1]
    assert h.backtest.predicted[0][-1] == pytest.approx(4.5)
    assert h.backtest.actual[0][-1] == 4


def test_r_hall_4_day_plan_forecasts_the_monday_and_plans_the_windows(world):
    dp = sel.day_plan(
        scope=scope_for(world.county_admin),
        center_id=world.linxia_center.pk,
        day=NEXT_MONDAY,
        target=Target(15, 0.8),
    )
    assert dp.basis == "星期一"
    nine = next(s for s in dp.slots if s.label == "09:00")
    # (5 + 4 + 4) / 3 A and 2 B in the half hour: per hour twice that; one A in 13
    # was a no-show, so 26/3 · 12/13 = 8 A an hour are served.
    assert nine.demands[0].arrivals_per_hour == pytest.approx(8)
    assert nine.demands[1].arrivals_per_hour == pytest.approx(4)
    assert nine.plan.simulated is not None and nine.plan.simulated.served[0] > 0
    assert dp.setup.clerks == 2  # two windows have a clerk signed in
    # Windows 2 (A) and 1, 3 (B) as set up: A waits as M/M/1 today.
    assert nine.plan.today_figures.wait[0] == pytest.approx(figures(8, 10, 1, 15)["mean_wait_min"])
    # The plan is never worse than today's set-up.
    assert nine.plan.figures.key >= nine.plan.today_figures.key
    assert [r.label for r in panels.heat_rows(dp)] == ["A 企业开办", "B 社保医保"]
    assert len(panels.window_rows(dp)) == 3


def test_r_hall_4_plan_of_a_center_out_of_scope_is_not_found(world):
    with pytest.raises(NotFound):
        sel.history(scope=scope_for(world.kangle_admin), center_id=world.linxia_center.pk)
    client = Client()
    client.force_login(world.kangle_admin)
    url = reverse("oversight:planning") + f"?center={world.linxia_center.pk}"
    assert client.get(url).status_code == 404
    own = client.get(reverse("oversight:planning"))  # their own center, no history
    assert own.status_code == 200 and "暂无法预测" in own.content.decode()
    assert "临夏县" not in own.content.decode()
    client.force_login(world.clerk)  # a clerk has no planning page
    assert client.get(reverse("oversight:planning")).status_code == 404


def test_r_hall_4_live_suggestion_is_applied_through_the_window_service(world):
    today = timezone.localdate()
    for k in range(12):  # a crowd waiting for A, which one window serves
        ticket(world.w2, world.cat_a, today, 100 + k, timezone.now(), state=states.WAITING)
    scope = scope_for(world.county_admin)
    rows, s, over = sel.live_suggestion(
        scope=scope, center_id=world.linxia_center.pk, target=Target()
    )
    assert over
    assert dict((c.letter, n) for c, _, n in rows)["A"] == 12
    assert s is not None and s.window in (world.w1, world.w3)
    assert world.cat_a in s.categories
    client = Client()
    client.force_login(world.county_supervisor)  # reads, does not apply
    page = client.get(reverse("oversight:planning"))
    assert page.status_code == 200 and "窗口调度" in page.content.decode()
    assert "apply-suggestion" not in page.content.decode()
    data = {"window": s.window.pk, "category": [c.pk for c in s.categories]}
    assert client.post(reverse("oversight:planning_apply"), data).status_code == 404
    client.force_login(world.county_admin)
    assert "apply-suggestion" in client.get(reverse("oversight:planning")).content.decode()
    r = client.post(reverse("oversight:planning_apply"), data)
    assert r.status_code == 302
    assert set(s.window.categories.all()) == set(s.categories)
    assert AuditEvent.objects.filter(
        action="window.set_categories", actor=world.county_admin, target_id=str(s.window.pk)
    ).exists()
    # Another center's admin cannot apply it: not found, nothing changes.
    client.force_login(world.kangle_admin)
    other = {"window": world.w2.pk, "category": [world.cat_b.pk]}
    assert client.post(reverse("oversight:planning_apply"), other).status_code == 404
    assert list(world.w2.categories.all()) == [world.cat_a]
    client.force_login(world.county_admin)
    for bad in ({"window": "abc"}, {"window": "", "category": ["x"]}):
        assert client.post(reverse("oversight:planning_apply"), bad).status_code == 404


def test_r_hall_4_bad_target_and_day_change_nothing_and_answer_a_message(world):
    client = Client()
    client.force_login(world.county_admin)
    cases = {
        "?within=abc": "目标应为数字",
        "?share=150": "比例在1%到99%之间",
        "?day=2026-13-01": "日期格式不正确",
        "?churn=abc": "调整代价应为0到20之间的数字",
        "?churn=50": "调整代价应为0到20之间的数字",
        "?center=x": "",
    }
    for q, message in cases.items():
        r = client.get(reverse("oversight:planning") + q)
        assert r.status_code in (404, 422), q
        assert message in r.content.decode()


def _slot(dp, label):
    return next(s for s in dp.slots if s.label == label)


def test_r_hall_4_no_shows_are_taken_off_the_demand_the_plan_serves(world):
    h = sel.history(scope=scope_for(world.county_admin), center_id=world.linxia_center.pk)
    counts = {(0, 18): 13 / 3, (1, 18): 2.0}  # the Mondays' mean at 9:00
    a, b = sel.demands_for(h, counts, 18)
    # 13/3 A in the half hour, 26/3 an hour; 1 of the 13 A tickets was a no-show.
    assert a.arrivals_per_hour == pytest.approx(26 / 3 * (1 - 1 / 13)) == 8
    assert b.arrivals_per_hour == 4  # no B was a no-show


def test_r_hall_4_the_roster_a_center_sets_bounds_the_open_windows(world):
    pk = world.linxia_center.pk
    client = Client()
    client.force_login(world.county_admin)
    url = reverse("oversight:planning_roster")
    back = f"center={pk}&day={NEXT_MONDAY}"
    r = client.post(url, {"center": pk, "clerks-0900": "1", "clerks-0930": "", "back": back})
    assert r.status_code == 302 and r["Location"].endswith(back)
    assert dict(RosterSlot.objects.filter(center_id=pk).values_list("start", "clerks")) == {
        time(9, 0): 1
    }
    assert AuditEvent.objects.filter(action="planning_roster.set", actor=world.county_admin)
    scope = scope_for(world.county_admin)
    dp = sel.day_plan(scope=scope, center_id=pk, day=NEXT_MONDAY, target=Target(15, 0.8))
    nine, ten = _slot(dp, "09:00"), _slot(dp, "10:00")
    assert (nine.clerks, nine.roster_source) == (1, "set")
    assert nine.opened == 1  # 8 A and 4 B an hour would take two windows
    assert (ten.clerks, ten.roster_source) == (2, "now")  # two clerks signed in now
    page = client.get(reverse("oversight:planning") + "?" + back).content.decode()
    assert 'name="clerks-0900"' in page and "中心设置的排班" in page
    # Bad figures: a message, nothing changed.
    bad = {"center": pk, "clerks-0900": "abc", "clerks-0930": "3", "back": back}
    r = client.post(url, bad, follow=True)
    assert r.redirect_chain[-1][0].endswith(back)
    assert "09:00的在岗人数应为0到200之间的整数" in r.content.decode()
    assert RosterSlot.objects.filter(center_id=pk).count() == 1
    # A supervisor reads but does not set; another center's admin finds nothing.
    for other in (world.county_supervisor, world.kangle_admin):
        client.force_login(other)
        assert client.post(url, {"center": pk, "clerks-0900": "5"}).status_code == 404
    assert RosterSlot.objects.get(center_id=pk).clerks == 1


def test_r_hall_4_without_a_roster_the_clerks_come_from_past_sign_ins(world):
    def session(w, clerk, day, start, end):
        WindowSession.objects.create(
            window=w, clerk=clerk, signed_in_at=at(day, *start), signed_out_at=at(day, *end)
        )

    for day in MONDAYS:
        session(world.w1, world.clerk, day, (8, 55), (10, 0))
    for day in MONDAYS[1:]:
        session(world.w2, world.clerk2, day, (9, 0), (9, 40))
    session(world.w3, world.clerk2, date(2026, 11, 10), (9, 0), (12, 0))  # a Tuesday
    dp = sel.day_plan(
        scope=scope_for(world.county_admin),
        center_id=world.linxia_center.pk,
        day=NEXT_MONDAY,
        target=Target(15, 0.8),
    )
    # At 9:15 the Mondays had 1, 2, 2 windows staffed (median 2); at 9:45 1, 1, 1
    # (window 2 closed at 9:40); at 10:15 none. The Tuesday does not count. At 9:00
    # both clerks are needed (8 A and 4 B an hour); after 9:30 nobody is expected.
    got = [(s.clerks, s.roster_source, s.opened) for s in dp.slots[:3]]
    assert [s.label for s in dp.slots[:3]] == ["09:00", "09:30", "10:00"]
    assert got == [(2, "sign_ins", 2), (1, "sign_ins", 0), (0, "sign_ins", 0)]


def test_r_hall_4_the_sweep_precomputes_the_day_plan_the_page_reads(world):
    assert "planning" in sweeps.registered()
    client = Client()
    client.force_login(world.county_admin)
    url = reverse("oversight:planning") + f"?center={world.linxia_center.pk}&day={NEXT_MONDAY}"
    caches["shared"].clear()
    page = client.get(url).content.decode()
    assert "本页打开时即时计算" in page and "后台定时预先计算" not in page
    assert "全天相邻时段之间共调整窗口" in page
    caches["shared"].clear()
    (summary,) = sweeps.run_all(now=at(NEXT_MONDAY, 7, 30), only=["planning"])
    assert "预先计算1个中心当日方案，0个中心方案未变沿用" in summary
    (summary,) = sweeps.run_all(now=at(NEXT_MONDAY, 7, 35), only=["planning"])
    assert "预先计算0个中心当日方案，1个中心方案未变沿用" in summary  # nothing changed
    page = client.get(url).content.decode()
    assert "方案由后台定时预先计算，上次计算时间" in page
    caches["shared"].clear()
