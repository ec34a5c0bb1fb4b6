"""The hall's facilities and free services (R-HALL-8): the daily checklist, faults
reported and fixed with the time to fix, free services counted per day, in scope."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.scope import scope_for
from onewindow.oversight import services
from onewindow.oversight.models import FacilityFault
from onewindow.oversight.selectors import facilities as sel
from tests.oversight.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(world):
    n = world
    admin = n.county_admin
    wait = services.hall_zone_add(actor=admin, center_id=n.linxia_center.pk, name="等候区")
    self_ = services.hall_zone_add(actor=admin, center_id=n.linxia_center.pk, name="自助服务区")
    n.water = services.facility_add(actor=admin, zone_id=wait.pk, kind="water")
    n.glasses = services.facility_add(actor=admin, zone_id=wait.pk, kind="glasses", quantity=5)
    n.printer = services.facility_add(
        actor=admin, zone_id=self_.pk, kind="printer", name="自助打印机"
    )
    return n


def test_r_hall_8_daily_check_reports_faults_and_time_to_fix(hall):
    n = hall
    check = services.facility_check_record(
        actor=n.clerk,
        center_id=n.linxia_center.pk,
        problems={str(n.printer.pk): "卡纸，无法打印"},
        now=at(2026, 7, 6, 8, 30),
    )
    items = {i.facility_id: i for i in check.items.all()}
    assert len(items) == 3 and not items[n.printer.pk].ok and items[n.water.pk].ok
    [fault] = sel.faults(scope=scope_for(n.county_admin), center=n.linxia_center)
    assert fault.facility == n.printer and fault.description == "卡纸，无法打印"
    with pytest.raises(Conflict):  # one checklist a day
        services.facility_check_record(
            actor=n.clerk, center_id=n.linxia_center.pk, problems={}, now=at(2026, 7, 6, 15)
        )
    with pytest.raises(Conflict):  # the printer already has an open fault
        services.facility_fault_report(
            actor=n.clerk, facility_id=n.printer.pk, description="又坏了", now=at(2026, 7, 6, 9)
        )
    services.facility_fault_fix(
        actor=n.clerk, fault_id=fault.pk, fix_note="更换搓纸轮", now=at(2026, 7, 6, 11)
    )
    other = services.facility_fault_report(
        actor=n.county_admin,
        facility_id=n.water.pk,
        description="不出热水",
        now=at(2026, 7, 7, 9),
    )
    services.facility_fault_fix(
        actor=n.county_admin, fault_id=other.pk, fix_note="更换加热管", now=at(2026, 7, 8, 10)
    )
    fixed = {f.pk: f.hours_to_fix for f in FacilityFault.objects.all()}
    assert fixed == {fault.pk: 2.5, other.pk: 25.0}
    summary = sel.fault_summary(scope=scope_for(n.county_admin), center=n.linxia_center)
    assert (summary.open, summary.fixed, summary.mean_hours) == (0, 2, 13.75)
    # a problem without words is refused and nothing is written
    with pytest.raises(InvalidInput):
        services.facility_check_record(
            actor=n.clerk,
            center_id=n.linxia_center.pk,
            problems={str(n.water.pk): "  "},
            now=at(2026, 7, 9, 8),
        )
    # a key that is a digit to Python but no id ("²") is an unknown facility, not a crash
    with pytest.raises(InvalidInput):
        services.facility_check_record(
            actor=n.clerk,
            center_id=n.linxia_center.pk,
            problems={"²": "坏了"},
            now=at(2026, 7, 9, 8),
        )
    assert (
        sel.check_of_day(scope=scope_for(n.clerk), center=n.linxia_center, day=date(2026, 7, 9))
        is None
    )


def test_r_hall_8_free_services_counted_per_day(hall):
    n = hall
    add = services.free_service_add
    c = n.linxia_center.pk
    add(actor=n.clerk, center_id=c, service="printing", count=3, now=at(2026, 7, 6, 10))
    add(actor=n.agent, center_id=c, service="printing", now=at(2026, 7, 6, 11))
    add(actor=n.clerk, center_id=c, service="copying", count=2, now=at(2026, 7, 6, 12))
    add(actor=n.clerk, center_id=c, service="mailing", now=at(2026, 7, 7, 9))
    add(actor=n.clerk, center_id=c, service="printing", count=5, now=at(2026, 8, 1, 9))
    add(
        actor=n.kangle_admin,
        center_id=n.kangle_center.pk,
        service="printing",
        count=9,
        now=at(2026, 7, 6, 9),
    )
    month = sel.free_services_month(
        scope=scope_for(n.county_admin), center=n.linxia_center, year=2026, month=7
    )
    # printing, copying, mailing, fax
    assert [(d.day, d.counts, d.total) for d in month.days] == [
        (date(2026, 7, 6), [4, 2, 0, 0], 6),
        (date(2026, 7, 7), [0, 0, 1, 0], 1),
    ]
    assert (month.totals, month.total) == ([4, 2, 1, 0], 7)
    with pytest.raises(InvalidInput):
        add(actor=n.clerk, center_id=c, service="printing", count=0)
    with pytest.raises(InvalidInput):
        add(actor=n.clerk, center_id=c, service="parking")
    with pytest.raises(NotFound):  # another county's center
        add(actor=n.clerk, center_id=n.kangle_center.pk, service="printing")
    with pytest.raises(Forbidden):  # a supervisor reads only
        add(actor=n.county_supervisor, center_id=c, service="printing")


def test_r_hall_8_a_county_sees_only_its_own_facilities(hall):
    n = hall
    services.facility_fault_report(actor=n.clerk, facility_id=n.water.pk, description="漏水")
    assert list(sel.faults(scope=scope_for(n.kangle_admin), center=n.linxia_center)) == []
    with pytest.raises(NotFound):
        services.facility_fault_report(
            actor=n.kangle_admin, facility_id=n.glasses.pk, description="少了"
        )
    client = Client()
    client.force_login(n.kangle_admin)
    url = reverse("oversight:facilities")
    assert client.get(url, {"center": n.linxia_center.pk}).status_code == 404
    assert "漏水" not in client.get(url).content.decode()
    mine = Client()
    mine.force_login(n.county_admin)
    page = mine.get(url).content.decode()
    assert "漏水" in page and "自助打印机" in page and "点按 +1" in page
    sup = Client()
    sup.force_login(n.county_supervisor)
    page = sup.get(url, {"center": n.linxia_center.pk}).content.decode()
    assert "漏水" in page and "点按 +1" not in page and "保存今日检查" not in page
    free = mine.get(reverse("oversight:free_services"), {"month": "2026-07"})
    assert free.status_code == 200
    assert mine.get(reverse("oversight:free_services"), {"month": "x-99"}).status_code == 200
