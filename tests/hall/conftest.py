"""A hall at 临夏县政务服务中心: two categories, three windows, three clerks signed in."""

from __future__ import annotations

import pytest

from onewindow.hall import services
from onewindow.hall.models import ServiceCategory, Window
from onewindow.org import services as org_services
from tests.catalog.conftest import cat  # noqa: F401  (the catalog fixture, for authorisations)
from tests.conftest import clear_for_window


@pytest.fixture(autouse=True)
def _hall_open_all_day(settings):
    """Office-hour checks have their own tests; elsewhere the hall is open whenever tests run."""
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False


def add_clerk(net, username: str, center=None):
    profile = org_services.staff_create(
        actor=net.root,
        username=username,
        full_name=username,
        password=None,
        roles={"clerk"},
        staff_no=f"H{abs(hash(username)) % 100000:05d}",
        center=center or net.linxia_center,
    )
    return clear_for_window(net.root, profile).user


@pytest.fixture
def simulator():
    """The terminal's device service (ID card reader, document camera), a real local
    HTTP server."""
    from onewindow.hall.devices.simulator import DeviceSimulator

    sim = DeviceSimulator(port=0).start()
    yield sim
    sim.stop()


@pytest.fixture
def hall(net):
    center = net.linxia_center
    net.cat_a = ServiceCategory.objects.create(center=center, letter="A", name="企业开办", order=1)
    net.cat_b = ServiceCategory.objects.create(center=center, letter="B", name="社保医保", order=2)
    net.w1 = Window.objects.create(center=center, number=1)
    net.w2 = Window.objects.create(center=center, number=2)
    net.w3 = Window.objects.create(center=center, number=3, kind=Window.Kind.PROXY)
    services.window_set_categories(
        actor=net.county_admin, window=net.w1, categories=[net.cat_a, net.cat_b]
    )
    services.window_set_categories(actor=net.county_admin, window=net.w2, categories=[net.cat_a])
    services.window_set_categories(actor=net.county_admin, window=net.w3, categories=[net.cat_b])
    net.clerk2 = add_clerk(net, "clerk2")
    net.clerk3 = add_clerk(net, "clerk3")
    services.window_sign_in(actor=net.clerk, window=net.w1)
    services.window_sign_in(actor=net.clerk2, window=net.w2)
    services.window_sign_in(actor=net.clerk3, window=net.w3)
    return net


def set_posted_hours(net, *, saturday_categories=None, actor=None):
    """The hours every Linxia center posts: weekdays 9:00–12:00 and 14:30–17:30 in
    summer (5月1日–9月30日), 14:00–17:00 in winter; Saturday 9:00–12:00 extended
    service (by default for every category)."""
    from datetime import time

    from onewindow.hall import hours, schedule

    week = frozenset(range(5))
    return hours.hall_schedule_set(
        actor=actor or net.county_admin,
        center=net.linxia_center,
        periods=[
            hours.PeriodInput(time(9), time(12), week),
            hours.PeriodInput(time(14, 30), time(17, 30), week, season=schedule.SUMMER),
            hours.PeriodInput(time(14), time(17), week, season=schedule.WINTER),
            hours.PeriodInput(
                time(9),
                time(12),
                frozenset({5}),
                extended=True,
                categories=tuple(saturday_categories or ()),
            ),
        ],
    )


def enroll_terminal(client, center, code: str = "LX-T-01"):
    """A terminal registered at ``center`` and enrolled on ``client`` (its signed
    credential in the client's cookie), as the center administrator's link does."""
    from onewindow.hall.services import terminals
    from onewindow.portal.views.hall.devices import TERMINAL_COOKIE

    _terminal, secret = terminals.terminal_register(actor=None, center=center, code=code)
    terminal, credential = terminals.terminal_enroll(code=secret)
    client.cookies[TERMINAL_COOKIE] = credential
    return terminal
