"""只进一扇门 (seed 二(二)4): the register of departments' separate halls and its figure
on the dashboard. The register serves R-CAT-3 (应进必进, the same article of the seed:
matters handled in the center, the entry rate reported); its figure on the directors'
page serves R-SUP-4; its scope R-NET-3.

The world (hand counts next to it): 临夏县 keeps four halls — 市场监管 open with a plan
ahead (5 matters), 公安 open and overdue (3 matters), 市场监管 closed this year, 公安
closed last year; 康乐县 keeps one, open and overdue (7 matters). 临夏县's departments
have three active listings, one handled outside the center: entry rate 2/3."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing
from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.scope import scope_for
from onewindow.org.models import Department
from onewindow.oversight import services
from onewindow.oversight.indicators.sources import entry_rate
from onewindow.oversight.models import SeparateHall
from onewindow.oversight.selectors.dashboard import node_departments, node_get
from onewindow.oversight.selectors.separate_halls import halls_figure
from tests.catalog.conftest import cat, make_matter, publish_through_review  # noqa: F401

TODAY = timezone.localdate()


def _enter(n, matter, center, code, **local):
    request = catalog_services.listing_request_entry(
        actor=n.county_admin,
        matter=matter,
        center=center,
        department=n.linxia_market,
        code=code,
        reason="进驻",
        **local,
    )
    catalog_services.change_request_decide(actor=n.gov_office, request=request, approve=True)
    return Listing.objects.get(pk=request.listing_id)


def hall(n, actor, dept, name, *, count=0, planned=None, closed=None):
    made = services.separate_hall_record(
        actor=actor,
        department_id=dept.pk,
        name=name,
        address="某路1号",
        matters_count=count,
        matters_list="",
        reason="场地限制",
        plan="进驻中心",
        planned_close=planned,
    )
    if closed is not None:
        made = services.separate_hall_close(actor=actor, hall_id=made.pk, on=closed)
    return made


@pytest.fixture
def world(cat):  # noqa: F811
    n = cat
    other, version = make_matter(n, code="11620000MB7654321X", name="食品小作坊登记")
    publish_through_review(n, version)
    _enter(n, n.matter, n.linxia_center, "LX-1")
    _enter(n, n.matter, n.hanji_center, "HJ-1")
    _enter(n, other, n.linxia_center, "LX-2", handled_outside=True, outside_reason="space")
    jan1 = TODAY.replace(month=1, day=1)
    n.h_open = hall(
        n,
        n.county_admin,
        n.linxia_market,
        "市场监管大厅",
        count=5,
        planned=TODAY + dt.timedelta(days=90),
    )
    n.h_overdue = hall(
        n,
        n.county_admin,
        n.linxia_police,
        "车管所大厅",
        count=3,
        planned=TODAY - dt.timedelta(days=1),
    )
    n.h_closed = hall(
        n, n.county_admin, n.linxia_market, "登记分厅", count=2, planned=TODAY, closed=jan1
    )
    n.h_old = hall(
        n,
        n.county_admin,
        n.linxia_police,
        "户政大厅",
        count=4,
        planned=jan1 - dt.timedelta(days=30),
        closed=jan1 - dt.timedelta(days=1),
    )
    n.h_kangle = hall(
        n,
        n.kangle_admin,
        n.kangle_market,
        "康乐市监大厅",
        count=7,
        planned=TODAY - dt.timedelta(days=10),
    )
    return n


def figure_for(user, param=None):
    scope = scope_for(user)
    node = node_get(scope=scope, param=param)
    return halls_figure(
        scope=scope, departments=node_departments(scope=scope, node=node), day=TODAY
    )


def test_r_cat_3_the_register_figure_equals_the_hand_count(world):
    f = figure_for(world.county_admin)  # 临夏县
    assert (f.open, f.closed_this_year, f.overdue) == (2, 1, 1)
    assert f.matters_still_outside == 5 + 3
    assert (f.entry.figure.num, f.entry.figure.den) == (2, 3)
    assert f.entry.text == "66.7%"
    # the same as the indicators' own entry rate for these departments
    ids = list(Department.objects.filter(region=world.linxia).values_list("pk", flat=True))
    month = TODAY.replace(day=1)
    assert f.entry.figure == sum(
        (v for (d, m), v in entry_rate(ids, [month]).items() if m == month),
        start=type(f.entry.figure)(),
    )


def test_r_sup_4_the_prefecture_sees_every_county_and_drills_down(world):
    f = figure_for(world.pref_supervisor)
    assert (f.open, f.closed_this_year, f.overdue) == (3, 1, 2)
    assert f.matters_still_outside == 5 + 3 + 7
    kangle = figure_for(world.pref_supervisor, f"r{world.kangle.pk}")
    assert (kangle.open, kangle.overdue, kangle.closed_this_year) == (1, 1, 0)


def test_r_sup_4_the_dashboard_shows_the_figure_of_its_node(world, client):
    client.force_login(world.county_admin)
    page = client.get(reverse("oversight:dashboard"))
    assert page.status_code == 200
    f = page.context["halls"]
    assert (f.open, f.closed_this_year, f.overdue) == (2, 1, 1)
    assert "只进一扇门" in page.content.decode()


def test_r_net_3_a_county_neither_sees_nor_edits_another_countys_register(world, client):
    client.force_login(world.kangle_admin)
    page = client.get(reverse("oversight:separate_halls")).content.decode()
    assert "康乐市监大厅" in page and "车管所大厅" not in page
    edit = reverse("oversight:separate_hall_edit", args=[world.h_overdue.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"close": "1"}).status_code == 404
    world.h_overdue.refresh_from_db()
    assert world.h_overdue.closed_on is None
    with pytest.raises(NotFound):
        services.separate_hall_close(actor=world.kangle_admin, hall_id=world.h_overdue.pk)
    with pytest.raises(InvalidInput):  # another county's department
        hall(world, world.kangle_admin, world.linxia_market, "越权大厅")
    f = figure_for(world.kangle_admin)
    assert (f.open, f.overdue) == (1, 1)


def test_r_net_3_the_prefecture_reads_a_countys_hall_but_the_county_keeps_it(world, client):
    with pytest.raises(Forbidden):
        services.separate_hall_close(actor=world.pref_admin, hall_id=world.h_overdue.pk)
    client.force_login(world.pref_admin)
    page = client.get(reverse("oversight:separate_hall_edit", args=[world.h_overdue.pk]))
    assert page.status_code == 200 and "由其所在层级的中心管理员登记维护" in page.content.decode()


def test_r_cat_3_the_county_admin_records_and_closes_through_the_pages(world, client):
    client.force_login(world.county_admin)
    assert "只进一扇门" in client.get(reverse("workspace")).content.decode()
    new = reverse("oversight:separate_hall_new")
    bad = client.post(
        new,
        {
            "department": world.linxia_police.pk,
            "name": "出入境大厅",
            "address": "某路",
            "matters_count": "-1",
            "reason": "专网",
        },
    )
    assert bad.status_code == 200 and not SeparateHall.objects.filter(name="出入境大厅").exists()
    ok = client.post(
        new,
        {
            "department": world.linxia_police.pk,
            "name": "出入境大厅",
            "address": "某路",
            "matters_count": "2",
            "reason": "专网",
            "planned_close": (TODAY + dt.timedelta(days=5)).isoformat(),
        },
    )
    assert ok.status_code == 302
    made = SeparateHall.objects.get(name="出入境大厅")
    edit = reverse("oversight:separate_hall_edit", args=[made.pk])
    assert client.post(edit, {"close": "1"}).status_code == 302
    made.refresh_from_db()
    assert made.closed_on == timezone.localdate()  # the day it was closed (TODAY may be past)
    f = figure_for(world.county_admin)
    assert (f.open, f.closed_this_year) == (2, 2)
