"""The citizen's first screen and the elder mode (R-CIT-2), the terminal that speaks and
offers the review by ticket (R-HALL-7): pages read through the test client on the
small network of tests/conftest.py."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from onewindow.cases.models import CaseMonth
from onewindow.catalog import services as catalog_services
from onewindow.core import rollups
from onewindow.hall import selectors as hall_selectors
from onewindow.hall import services as hall_services
from onewindow.portal import prefs
from tests.cases.conftest import desk  # noqa: F401  (a listed matter)
from tests.catalog.conftest import cat, make_matter, publish_through_review  # noqa: F401
from tests.hall.conftest import hall  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def two_listed(desk):  # noqa: F811
    """个体工商户登记 (from ``desk``) and 食品经营许可 listed at 临夏县's center."""
    matter, version = make_matter(desk, code="11620000MB7654321Y", name="食品经营许可")
    publish_through_review(desk, version)
    request = catalog_services.listing_request_entry(
        actor=desk.county_admin,
        matter=matter,
        center=desk.linxia_center,
        department=desk.linxia_market,
        code="LX-0002",
        reason="进驻",
        place="一楼综合窗口",
    )
    catalog_services.change_request_decide(actor=desk.gov_office, request=request, approve=True)
    desk.food = matter
    return desk


def _received(net, matter, month: dt.date, n: int) -> None:
    rollups.bump(
        CaseMonth,
        month=month,
        center_id=net.linxia_center.pk,
        department_id=net.linxia_market.pk,
        keys=[(rollups.MATTER, matter.pk)],
        received=n,
    )


def test_r_cit_2_the_home_page_starts_with_the_task_and_the_figures_come_after(net, client):
    html = client.get("/").content.decode()
    task = html.index("您要办什么事？")
    assert task < html.index('id="home-q"') < html.index("全州政务服务网络")
    entries = html[html.index('class="home-entries"') : html.index("</nav>", task)]
    for label, href in (
        ("取号", f"{reverse('portal:queue')}?center={net.pref_center.pk}"),
        ("预约", f"{reverse('portal:book')}?center={net.pref_center.pk}"),
        ("我的办事", "/my/"),
        ("办件进度查询", reverse("portal:progress")),
    ):
        assert f'href="{href}"><strong>{label}</strong>' in entries, label
    # with no choice yet the home page shows the prefecture's center
    assert f'<h2 id="center-title">{net.pref_center.name}' in html


def test_r_cit_2_the_chosen_center_is_remembered_and_the_path_goes_down_to_the_village(net, client):
    response = client.get("/", {"center": net.village_point.pk})
    assert response.cookies[prefs.CENTER_COOKIE].value == str(net.village_point.pk)
    again = client.get("/").content.decode()  # the cookie, no parameter
    assert f'<h2 id="center-title">{net.village_point.name}' in again
    path = again[
        again.index('class="center-path') : again.index("</nav>", again.index("center-path"))
    ]
    names = [net.pref_center.name, net.linxia_center.name, net.hanji_center.name]
    assert [path.index(n) for n in names] == sorted(path.index(n) for n in names)
    assert f'<span aria-current="page">{net.village_point.name}</span>' in path
    assert "本中心尚未公布可办事项" in again  # no listing at the village point yet

    county = client.get("/", {"center": net.linxia_center.pk}).content.decode()
    children = county[county.index("下级服务中心和代办点") :]
    assert f'href="?center={net.hanji_center.pk}#center-title">{net.hanji_center.name}<' in children
    assert net.fucheng_center.name not in children  # 康乐县's township is not 临夏县's

    for bad in ("999999", "abc", "-1"):
        page = client.get("/", {"center": bad})
        assert page.status_code == 200 and prefs.CENTER_COOKIE not in page.cookies, bad


def test_r_cit_2_the_most_asked_matters_come_first_by_the_last_years_cases(two_listed, client):
    net = two_listed
    this_month = timezone.localdate().replace(day=1)
    _received(net, net.matter, this_month, 2)
    _received(net, net.food, this_month, 3)
    _received(net, net.food, (this_month - dt.timedelta(days=40)).replace(day=1), 2)
    _received(net, net.matter, dt.date(this_month.year - 2, this_month.month, 1), 100)  # too old
    html = client.get("/", {"center": net.linxia_center.pk}).content.decode()
    popular = html[html.index("常办事项") :]
    food = popular.index(f">{net.food.name}</a>")  # 5 cases this year
    shop = popular.index(f">{net.matter.name}</a>")  # 2 this year, 100 two years ago
    assert food < shop
    assert (
        f'href="{reverse("portal:matter_detail", args=[net.food.pk])}?center={net.linxia_center.pk}"'
        in popular
    )
    _received(net, net.matter, this_month, 4)  # now 6 against 5
    html = client.get("/").content.decode()  # the remembered center
    popular = html[html.index("常办事项") :]
    assert popular.index(f">{net.matter.name}</a>") < popular.index(f">{net.food.name}</a>")


def test_r_cit_2_the_elder_mode_is_one_tap_away_and_remembered(net, client):
    home = client.get("/").content.decode()
    assert "elder.css" not in home and '<html lang="zh-CN">' in home
    switch = f"{reverse('portal:elder_switch')}?on=1&amp;next=/"
    assert f'class="elder-switch" href="{switch}">长辈版<' in home

    response = client.get(reverse("portal:elder_switch"), {"on": "1", "next": "/matters/?q=社保"})
    assert response.status_code == 302 and unquote(response["Location"]) == "/matters/?q=社保"
    assert response.cookies[prefs.ELDER_COOKIE].value == "1"
    for url in ("/", reverse("portal:matter_list"), reverse("portal:progress")):
        html = client.get(url).content.decode()
        assert '<html lang="zh-CN" class="elder">' in html and "onewindow/elder.css" in html, url
        assert ">标准版</a>" in html, url

    back = client.get(reverse("portal:elder_switch"), {"on": "0", "next": "https://evil.example/"})
    assert back["Location"] == "/"  # never off the site
    assert back.cookies[prefs.ELDER_COOKIE].value == ""
    assert "elder.css" not in client.get("/").content.decode()


@pytest.fixture
def terminal(hall, desk):  # noqa: F811
    hall.cat_a.matters.add(desk.matter)
    return desk


def test_r_hall_7_r_cit_2_the_terminal_speaks_and_offers_the_review_by_ticket(terminal, client):
    net = terminal
    home_url = reverse("portal:terminal", args=[net.linxia_center.pk])
    home = client.get(home_url).content.decode()
    assert 'id="k-speak" hidden>朗读<' in home  # shown by terminal.js where speech exists
    assert '<h1 class="k-title" data-speak>请选择要办理的业务</h1>' in home
    review = reverse("portal:terminal_review", args=[net.linxia_center.pk])
    assert f'action="{review}"' in home and 'name="code"' in home

    ticket = hall_services.ticket_issue(center=net.linxia_center, category=net.cat_a)
    slip = client.get(reverse("portal:slip", args=[hall_selectors.ticket_token(ticket)]))
    slip = slip.content.decode()
    assert f'data-speak="您的号码是" data-speak-code="{ticket.code}"' in slip
    assert 'id="k-speak" hidden>朗读<' in slip and "为本次服务评价" in slip

    hall_services.ticket_call_next(actor=net.clerk2, window=net.w2)
    hall_services.ticket_finish(actor=net.clerk2, window=net.w2, ticket=ticket)
    form = client.get(review, {"code": ticket.code}).content.decode()
    assert f'id="review-ticket">{ticket.code}<' in form and "提交评价" in form

    # the terminal's own elder switch: a button, back to the same terminal page
    switch = reverse("portal:terminal_elder", args=[net.linxia_center.pk])
    assert f'action="{switch}"' in home
    response = client.post(switch, {"on": "1", "next": f"{review}?code={ticket.code}"})
    assert response["Location"] == f"{review}?code={ticket.code}"
    assert '<html lang="zh-CN" class="elder">' in client.get(home_url).content.decode()
    outside = client.post(switch, {"on": "0", "next": "/matters/"})
    assert outside["Location"] == home_url  # the terminal never leads out
    assert client.get(switch).status_code == 405
