"""R-HALL-1, R-HALL-5, R-HALL-6, R-NET-3: a center administrator sets up the hall on
pages: windows, service categories, opening hours and the clerks' authorisations."""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.core.models import AuditEvent
from onewindow.hall import hours
from onewindow.hall.models import Authorization, HallSchedule, ServiceCategory, Window
from onewindow.hall.selectors.windows import authorized

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def setup(hall, cat):
    hall.cat_a.matters.add(hall.matter)
    return hall


def test_r_hall_5_the_admin_grants_on_the_page_and_the_clerk_may_accept_then_it_is_revoked(
    setup,
):
    hall = setup
    admin = login(hall.county_admin)
    workspace = admin.get(reverse("workspace")).content.decode()
    assert reverse("hall:setup_home") in workspace
    home = admin.get(reverse("hall:setup_home")).content.decode()
    assert "临夏县政务服务中心" in home and "韩集镇便民服务中心" in home
    assert "康乐县政务服务中心" not in home
    overview = admin.get(reverse("hall:setup_center", args=[hall.linxia_center.pk]))
    assert overview.status_code == 200
    page_url = reverse("hall:setup_clerk", args=[hall.linxia_center.pk, hall.clerk2.pk])
    assert page_url in overview.content.decode()
    page = admin.get(page_url).content.decode()
    assert "尚无授权" in page and "---------" not in page and "请选择事项…" in page
    assert not authorized(hall.clerk2, hall.matter)

    response = admin.post(page_url, {"action": "grant", "matter": hall.matter.pk})
    assert response.status_code == 302
    assert authorized(hall.clerk2, hall.matter)
    assert not authorized(hall.clerk2, hall.matter, decide=True)  # accept only
    admin.post(page_url, {"action": "grant", "matter": hall.matter.pk, "may_decide": "on"})
    assert authorized(hall.clerk2, hall.matter, decide=True)
    assert "个体工商户登记" in admin.get(page_url).content.decode()

    response = admin.post(page_url, {"action": "revoke", "matter": hall.matter.pk})
    assert response.status_code == 302
    assert not authorized(hall.clerk2, hall.matter)
    assert AuditEvent.objects.filter(action="authorization.set").count() == 3

    bad = admin.post(page_url, {"action": "grant", "matter": "999999"})
    assert bad.status_code == 422 and "选择" in bad.content.decode()
    assert not Authorization.objects.filter(clerk=hall.clerk2).exists()


def test_r_net_3_another_countys_admin_gets_404_and_a_clerk_cannot_reach_the_pages(setup):
    hall = setup
    center = hall.linxia_center
    urls = [
        reverse("hall:setup_center", args=[center.pk]),
        reverse("hall:setup_hours", args=[center.pk]),
        reverse("hall:setup_window", args=[center.pk, hall.w1.pk]),
        reverse("hall:setup_category", args=[center.pk, hall.cat_a.pk]),
        reverse("hall:setup_clerk", args=[center.pk, hall.clerk2.pk]),
    ]
    kangle = login(hall.kangle_admin)
    for url in urls:
        assert kangle.get(url).status_code == 404, url
    response = kangle.post(urls[-1], {"action": "grant", "matter": hall.matter.pk})
    assert response.status_code == 404
    clerk = login(hall.clerk)
    assert clerk.get(reverse("hall:setup_home")).status_code == 404
    for url in urls:
        assert clerk.get(url).status_code == 404, url
    assert reverse("hall:setup_home") not in clerk.get(reverse("workspace")).content.decode()
    # a window of another center is not found through this center's pages
    other = Window.objects.create(center=hall.kangle_center, number=1)
    admin = login(hall.county_admin)
    assert admin.get(reverse("hall:setup_window", args=[center.pk, other.pk])).status_code == 404
    assert not Authorization.objects.exists()


def test_r_hall_1_windows_and_categories_are_kept_on_pages_with_chinese_messages(setup):
    hall = setup
    center = hall.linxia_center
    admin = login(hall.county_admin)
    new_window = reverse("hall:setup_window_new", args=[center.pk])
    form = admin.get(new_window).content.decode()
    assert "---------" not in form
    taken = admin.post(
        new_window,
        {"number": 1, "kind": "comprehensive", "scope": "unrestricted", "pace": "instant"},
    )
    assert taken.status_code == 422 and "本中心已有1号窗口" in taken.content.decode()
    no_domain = admin.post(
        new_window, {"number": 7, "kind": "comprehensive", "scope": "domain", "pace": "instant"}
    )
    assert no_domain.status_code == 422 and "分领域窗口须写明领域" in no_domain.content.decode()
    assert not Window.objects.filter(center=center, number=7).exists()
    made = admin.post(
        new_window,
        {
            "number": 7,
            "name": "不动产登记",
            "kind": "comprehensive",
            "scope": "domain",
            "pace": "deadline",
            "domain": "不动产",
            "categories": [hall.cat_b.pk],
        },
    )
    assert made.status_code == 302
    seven = Window.objects.get(center=center, number=7)
    assert list(seven.categories.all()) == [hall.cat_b] and seven.pace == "deadline"
    # a window with a clerk signed in is not deactivated; an empty one is
    active_url = reverse("hall:setup_window_active", args=[center.pk, hall.w1.pk])
    page = admin.post(active_url, {"active": "0"}, follow=True).content.decode()
    assert "请先签退再停用" in page
    admin.post(reverse("hall:setup_window_active", args=[center.pk, seven.pk]), {"active": "0"})
    seven.refresh_from_db()
    hall.w1.refresh_from_db()
    assert hall.w1.is_active and not seven.is_active

    new_category = reverse("hall:setup_category_new", args=[center.pk])
    bad = admin.post(new_category, {"letter": "1", "name": "户政", "order": 3})
    assert bad.status_code == 422 and "号码字母应为1-2个大写字母" in bad.content.decode()
    dup = admin.post(new_category, {"letter": "A", "name": "重复", "order": 3})
    assert dup.status_code == 422 and "已有号码字母为A的类别" in dup.content.decode()
    ok = admin.post(
        new_category,
        {"letter": "d", "name": "公安户政", "order": 3, "needs_clerk": "on", "matters": []},
    )
    assert ok.status_code == 302
    d = ServiceCategory.objects.get(center=center, letter="D")
    edit = reverse("hall:setup_category", args=[center.pk, d.pk])
    admin.post(edit, {"letter": "D", "name": "户籍", "order": 4, "needs_clerk": "on"})
    d.refresh_from_db()
    assert d.name == "户籍" and not d.is_active
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"window.create", "window.deactivate", "service_category.create"} <= actions
    assert "service_category.update" in actions


def period(prefix, *, weekdays, start, end, season="all", extended=False, categories=()):
    data = {
        f"{prefix}-weekdays": [str(d) for d in weekdays],
        f"{prefix}-season": season,
        f"{prefix}-start": start,
        f"{prefix}-end": end,
        f"{prefix}-categories": [c.pk for c in categories],
    }
    if extended:
        data[f"{prefix}-extended"] = "on"
    return data


def hours_post(*periods):
    data = {
        "p-TOTAL_FORMS": str(len(periods)),
        "p-INITIAL_FORMS": "0",
        "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "1000",
        "summer_start": "05-01",
        "summer_end": "09-30",
    }
    for p in periods:
        data.update(p)
    return data


def test_r_hall_6_opening_hours_are_set_on_the_page(setup):
    hall = setup
    center = hall.linxia_center
    admin = login(hall.county_admin)
    url = reverse("hall:setup_hours", args=[center.pk])
    page = admin.get(url).content.decode()
    assert "周一至周五 9:00-12:00，14:00-17:00" in page  # the default, before any change
    overlapping = admin.post(
        url,
        hours_post(
            period("p-0", weekdays=range(5), start="09:00", end="12:00"),
            period("p-1", weekdays=[0], start="11:00", end="13:00"),
        ),
    )
    assert overlapping.status_code == 422 and "重叠" in overlapping.content.decode()
    weekend = admin.post(url, hours_post(period("p-0", weekdays=[5], start="09:00", end="12:00")))
    assert weekend.status_code == 422 and "错时延时服务" in weekend.content.decode()
    assert not HallSchedule.objects.exists()
    saved = admin.post(
        url,
        hours_post(
            period("p-0", weekdays=range(5), start="09:00", end="12:00"),
            period("p-1", weekdays=range(5), start="14:30", end="17:30", season="summer"),
            period("p-2", weekdays=range(5), start="14:00", end="17:00", season="winter"),
            period(
                "p-3",
                weekdays=[5],
                start="09:00",
                end="12:00",
                extended=True,
                categories=[hall.cat_a],
            ),
        ),
    )
    assert saved.status_code == 302
    lines = hours.hours_lines(center)
    assert "周六 9:00-12:00 错时延时服务（企业开办）" in lines
    sched = hours.schedule_for(center)
    assert {(p.start, p.season) for p in sched.periods} >= {(time(14), "winter")}
    again = admin.get(url).content.decode()  # the form shows what is stored
    assert 'value="14:30"' in again and "---------" not in again
    assert AuditEvent.objects.filter(action="hall_schedule.set").count() == 1


def test_r_hall_5_revoking_what_was_never_granted_or_nonsense_answers_404(setup):
    hall = setup
    admin = login(hall.county_admin)
    url = reverse("hall:setup_clerk", args=[hall.linxia_center.pk, hall.clerk2.pk])
    for matter in ("abc", "", str(hall.matter.pk)):
        assert admin.post(url, {"action": "revoke", "matter": matter}).status_code == 404
    assert (
        admin.get(reverse("hall:setup_clerk", args=[hall.linxia_center.pk, 999999])).status_code
        == 404
    )
