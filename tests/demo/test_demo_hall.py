"""The demo halls: what `onewindow load-demo` adds for the hall and its statistics."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from onewindow.core.calendar import calendar_for
from onewindow.core.scope import Scope
from onewindow.demo import data
from onewindow.demo import hall_data as hd
from onewindow.demo.hall_loader import load_demo_hall
from onewindow.hall import hours, schedule, states
from onewindow.hall.models import (
    Appointment,
    AppointmentSlot,
    Authorization,
    HallSettings,
    ServiceCategory,
    Ticket,
    Window,
    WindowSession,
)
from onewindow.org.models import Center
from onewindow.oversight.selectors.hall import hall_stats

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(demo_opened, django_db_blocker):
    """The demo data (tests/demo/world.py), every change rolled back after the module."""
    with django_db_blocker.unblock():
        return SimpleNamespace(
            output=demo_opened.output,
            linxia=Center.objects.get(region__code="622921"),
            pref=Center.objects.get(region__code=data.PREFECTURE_CODE),
            today=timezone.localdate(),
        )


def test_r_hall_1_every_hall_has_categories_windows_rules_and_clerks(demo):
    codes = [data.PREFECTURE_CODE, *(c.code for c in data.COUNTIES)]
    for center in Center.objects.filter(region__code__in=codes):
        letters = set(
            ServiceCategory.objects.filter(center=center).values_list("letter", flat=True)
        )
        if center.region.code == data.PREFECTURE_CODE:  # no property or "one thing" matters there
            assert letters == {"A", "B", "D", "E", "G", "H", "Z"}
        else:
            assert letters == {c.letter for c in hd.CATEGORIES}, center
        assert HallSettings.objects.filter(center=center).exists()
        windows = Window.objects.filter(center=center)
        assert windows.count() >= 9
        assert (
            WindowSession.objects.filter(window__center=center, signed_out_at__isnull=True).count()
            == windows.count()
        )


def test_r_hall_1_categories_map_to_the_demo_catalog_by_domain(demo):
    cats = {c.letter: c for c in ServiceCategory.objects.filter(center=demo.linxia)}
    assert "个体工商户设立登记" in set(cats["A"].matters.values_list("name", flat=True))
    assert "失业保险金申领" in set(cats["B"].matters.values_list("name", flat=True))
    assert "不动产抵押登记（首次登记）" in set(cats["C"].matters.values_list("name", flat=True))
    assert "出生登记" in set(cats["D"].matters.values_list("name", flat=True))
    assert "内地居民结婚登记" in set(cats["E"].matters.values_list("name", flat=True))
    assert cats["F"].matters.filter(name="有限责任公司设立登记").exists()
    assert cats["G"].matters.filter(name="土地权属争议调处").exists()
    assert not cats["Z"].needs_clerk and cats["A"].needs_clerk
    # every matter listed at the center is in some category
    listed = set(demo.linxia.listings.values_list("matter_id", flat=True))
    mapped = set(
        ServiceCategory.matters.through.objects.filter(
            servicecategory__center=demo.linxia
        ).values_list("matter_id", flat=True)
    )
    assert listed <= mapped


def test_r_hall_1_windows_of_every_kind_at_linxia_county(demo):
    windows = list(Window.objects.filter(center=demo.linxia))
    assert {w.scope for w in windows} == {Window.Scope.UNRESTRICTED, Window.Scope.DOMAIN}
    assert {w.pace for w in windows} == {Window.Pace.INSTANT, Window.Pace.DEADLINE}
    assert {w.kind for w in windows} == {
        Window.Kind.COMPREHENSIVE,
        Window.Kind.PROXY,
        Window.Kind.BUNDLE,
        Window.Kind.DELIVERY,
    }
    for w in windows:
        w.full_clean()  # domain windows name their domain; no single-business window
        assert w.categories.exists()


def test_r_hall_5_the_demo_clerk_is_signed_in_and_authorised(demo):
    clerk = get_user_model().objects.get(username=hd.DEMO_CLERK)
    session = WindowSession.objects.get(clerk=clerk, signed_out_at__isnull=True)
    assert session.window.center == demo.linxia and session.window.number == hd.DEMO_CLERK_WINDOW
    window_matters = set(
        ServiceCategory.matters.through.objects.filter(
            servicecategory__windows=session.window
        ).values_list("matter_id", flat=True)
    )
    granted = set(Authorization.objects.filter(clerk=clerk).values_list("matter_id", flat=True))
    # her window's matters, and the 企业开办 ones (taken in, decided by the department)
    enterprise = set(
        ServiceCategory.matters.through.objects.filter(
            servicecategory__center=demo.linxia,
            servicecategory__letter__in=hd.DEMO_CLERK_EXTRA_CATEGORIES,
        ).values_list("matter_id", flat=True)
    )
    assert window_matters and enterprise and granted == window_matters | enterprise
    extra = Authorization.objects.filter(clerk=clerk, matter_id__in=enterprise - window_matters)
    assert extra.exists() and not extra.filter(may_decide=True).exists()
    assert Authorization.objects.filter(clerk=clerk, may_decide=True).exists()  # an instant window
    other = get_user_model().objects.get(username="lxx-w05")
    assert other.check_password(data.DEMO_PASSWORD)
    assert not get_user_model().objects.get(username="kl-w05").has_usable_password()
    assert "lxx-w05" not in demo.output  # the printed list stays one account per role


def test_r_hall_6_appointment_slots_for_the_next_open_days_saturdays_included(demo):
    days = sorted(
        set(
            AppointmentSlot.objects.filter(center=demo.linxia, day__gt=demo.today).values_list(
                "day", flat=True
            )
        )
    )
    assert len(days) == hd.SLOT_DAYS
    for day in days:
        periods = hours.periods_on(demo.linxia, day)
        assert periods
        for slot in AppointmentSlot.objects.filter(center=demo.linxia, day=day):
            assert any(p.start <= slot.start and slot.end <= p.end for p in periods), slot
    saturdays = AppointmentSlot.objects.filter(center=demo.linxia, day__week_day=7)
    if any(d.weekday() == 5 for d in days):  # the next ten open days hold a Saturday
        assert saturdays.exists() and all(s.extended for s in saturdays)
        assert not saturdays.filter(duty_staff__isnull=True).exists()
        assert {s.category.letter for s in saturdays} <= set(hd.SATURDAY_CATEGORIES)
    bookable = {c.letter for c in hd.CATEGORIES if c.bookable}
    letters = set(
        AppointmentSlot.objects.filter(center=demo.linxia).values_list(
            "category__letter", flat=True
        )
    )
    assert letters == bookable
    assert AppointmentSlot.objects.filter(center=demo.pref, day__gt=demo.today).exists()
    # The slots start empty; the one booking is the demo citizen's (demo/citizens_history.py),
    # made through the booking service in 我的事务.
    booked = AppointmentSlot.objects.filter(booked__gt=0)
    assert [s.booked for s in booked] == [1]
    assert Appointment.objects.filter(slot__in=booked).count() == 1


def test_r_hall_6_every_demo_center_has_the_schedule_of_its_posted_hours(demo):
    centers = Center.objects.filter(is_active=True)
    assert not centers.filter(hall_schedule__isnull=True).exists()
    county = hours.schedule_for(demo.linxia)
    assert hours.hours_text(demo.linxia).startswith(
        "周一至周五 9:00-12:00，14:30-17:30（夏季，5月1日至9月30日）；"
        "周一至周五 9:00-12:00，14:00-17:00（冬季，10月1日至次年4月30日）；"
        "周六 9:00-12:00 错时延时服务（企业开办、社保医保、公安户政、统一出件）"
    )
    saturday = next(p for p in county.periods if p.extended)
    assert saturday.weekdays == {5} and saturday.windows
    township = centers.filter(region__level="township").first()
    assert "冬季" in hours.hours_text(township) and "周六" not in hours.hours_text(township)


def test_r_hall_2_demo_tickets_are_all_issued_in_opening_hours(demo):
    for center in (demo.linxia, demo.pref):
        sched = hours.schedule_for(center)
        kind_of = hours.day_kind_from(calendar_for(center=center))
        issued = Ticket.objects.filter(center=center, day__lt=demo.today).values_list(
            "issued_at", "category_id"
        )
        assert issued
        for moment, category_id in issued:
            local = timezone.localtime(moment)
            assert schedule.open_period(sched, local, kind_of(local.date()), category_id), local


def test_r_hall_2_a_simulated_month_of_consistent_tickets(demo):
    month = Ticket.objects.filter(center=demo.linxia, day__lt=demo.today)
    days = set(month.values_list("day", flat=True))
    assert 15 <= len(days) <= 23 and min(days) >= demo.today - timedelta(days=hd.HISTORY_DAYS)
    assert month.count() > 3000
    assert not month.filter(state__in=states.OPEN).exists()
    done = month.filter(state=states.DONE)
    assert not done.filter(served_window__isnull=True).exists()
    assert not done.filter(clerk__isnull=True).exists()
    # stored durations agree with the stored times, as the services would have written them
    for t in done.order_by("?")[:200]:
        if not t.transfer_count:
            assert t.wait_seconds == int((t.called_at - t.issued_at).total_seconds())
        assert t.service_seconds == int((t.finished_at - t.served_at).total_seconds())
        assert t.issued_at <= t.called_at < t.served_at < t.finished_at
        assert (
            t.code == f"{t.category.letter}{t.number:03d}"
            and t.served_window.center_id == t.center_id
        )
        assert t.served_window.categories.filter(pk=t.queue_id).exists()
    assert not month.filter(state=states.NO_SHOW, no_show_at__isnull=True).exists()
    assert month.filter(transfer_count__gt=0).exclude(queue=F("category")).exists()
    # numbers run from 1 per category and day
    first = month.filter(number=1).count()
    assert first == month.values("category", "day").distinct().count()
    assert Ticket.objects.filter(center=demo.pref, day__lt=demo.today).count() > 1000


def test_r_hall_4_load_statistics_the_month_gives_plausible_statistics(demo):
    end = demo.today - timedelta(days=1)
    s = hall_stats(
        scope=Scope.all(), center_id=demo.linxia.pk, start=end - timedelta(days=29), end=end
    )
    t = s.total
    assert 0.02 <= t.no_show / t.issued <= 0.07
    assert 0.02 <= t.priority / t.issued <= 0.07
    assert 60 < t.wait.mean < 30 * 60 and t.wait.p90 > t.wait.mean
    assert 4 * 60 < t.service.mean < 15 * 60
    by_letter = {r.label[0]: r for r in s.categories}
    assert by_letter["C"].service.mean > by_letter["B"].service.mean  # property takes longer
    assert by_letter["H"].service.mean < 5 * 60
    peak = max(s.hours, key=lambda r: r.issued)
    assert peak.key in (9, 10)
    assert len(s.windows) == len(hd.WINDOWS) and s.balance.cv > 0
    assert s.flagged_windows  # the delivery window is far below the mean
    clerks = {r.label.split("（")[0]: r.label for r in s.clerks}  # 韩雪梅（工号 1003）
    assert "韩雪梅" in clerks and clerks["韩雪梅"].removeprefix("韩雪梅（工号 ")[:-1].isdigit()


def test_demo_hall_loads_twice_without_change(demo):
    before = (
        Ticket.objects.count(),
        Window.objects.count(),
        AppointmentSlot.objects.count(),
        Authorization.objects.count(),
        WindowSession.objects.count(),
    )
    assert load_demo_hall() == 0
    after = (
        Ticket.objects.count(),
        Window.objects.count(),
        AppointmentSlot.objects.count(),
        Authorization.objects.count(),
        WindowSession.objects.count(),
    )
    assert after == before
