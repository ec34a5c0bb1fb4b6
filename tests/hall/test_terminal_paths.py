"""Every path of the self-service terminal stays in the terminal (R-HALL-7): its pages
use the terminal's layout with a big way home, link only to the terminal's own
addresses (never the website, never the staff login), and each service works end to
end: the guide (the same published version as the web, R-CAT-9), the progress lookup,
a complaint, a review of a visit, printing a slip or a guide's material list."""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.core.cache import cache
from django.urls import reverse

from onewindow.cases import services as case_services
from onewindow.complaints.models import Complaint
from onewindow.evaluation.models import Review
from onewindow.hall import selectors, services
from tests.cases.conftest import all_required, desk  # noqa: F401
from tests.catalog.conftest import cat  # noqa: F401
from tests.hall.conftest import enroll_terminal

HREF = re.compile(r'\shref="([^"]*)"')
ACTION = re.compile(r'<form[^>]*\saction="([^"]*)"')


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kiosk(hall, desk, client):  # noqa: F811
    """The hall's terminal at 临夏县, with the 个体工商户登记 matter listed there and
    served by category A; an accepted case of 马小明 (phone ending 1234)."""
    hall.cat_a.matters.add(desk.matter)
    desk.case = case_services.case_accept(
        actor=desk.clerk,
        case=case_services.case_intake(
            actor=desk.clerk,
            listing=desk.listing,
            applicant=desk.applicant,
            materials=all_required(desk),
        ),
    )
    desk.home = reverse("portal:terminal", args=[desk.linxia_center.pk])
    enroll_terminal(client, desk.linxia_center)
    return desk


def _served_ticket(k):
    ticket = services.ticket_issue(center=k.linxia_center, category=k.cat_a)
    services.ticket_call_next(actor=k.clerk2, window=k.w2)  # window 2 serves A only
    return services.ticket_finish(actor=k.clerk2, window=k.w2, ticket=ticket)


def _assert_in_terminal(url: str, html: str, prefix: str) -> list[str]:
    assert 'class="kiosk' in html, f"{url} is not in the terminal's layout"
    assert "/accounts/login/" not in html, f"{url} offers the staff login"
    links = [h.replace("&amp;", "&") for h in HREF.findall(html)]
    for href in links + ACTION.findall(html):
        if href.startswith(("/static/", "#")) or href == "":
            continue
        assert href.startswith((prefix, "/hall/slip/", "?")), f"{url} leads out to {href}"
    return links


def test_r_hall_7_every_link_of_the_terminal_stays_in_the_terminal(kiosk, client):
    ticket = _served_ticket(kiosk)
    prefix = f"/hall/terminal/{kiosk.linxia_center.pk}/"
    start = [
        kiosk.home,
        f"{kiosk.home}?q=营业执照",
        f"{prefix}guides/?q=营业执照",
        f"{prefix}review/?code={ticket.code}",
        f"{prefix}progress/?number={kiosk.case.number}&tail=1234",
    ]
    seen, todo, pages = set(), deque(start), 0
    while todo:
        url = todo.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        pages += 1
        for href in _assert_in_terminal(url, html, prefix):
            if href.startswith("?"):
                href = url.split("?")[0] + href
            if href.startswith(prefix) and "auto=1" not in href:
                todo.append(href)
        if url.split("?")[0] != kiosk.home:
            assert f'class="k-home" href="{kiosk.home}">返回首页<' in html, url
    assert pages >= 12, f"the crawl reached only {pages} pages"
    home = client.get(kiosk.home).content.decode()
    for entry in ("办事指南", "办件进度查询", "投诉建议", "评价", "打印", "预约签到"):
        assert f">{entry}</a>" in home, entry
    assert "网上预约" in home and "<svg" in home, "booking is offered as a QR code for the phone"


def test_r_hall_7_r_cat_9_terminal_guide_is_the_published_version_the_web_shows(kiosk, client):
    center = kiosk.linxia_center
    found = client.get(reverse("portal:terminal_guides", args=[center.pk]), {"q": "营业执照"})
    html = found.content.decode()
    guide_url = reverse("portal:terminal_guide", args=[center.pk, kiosk.matter.pk])
    assert "个体工商户登记" in html and guide_url in html

    page = client.get(guide_url).content.decode()
    web = client.get(reverse("portal:matter_detail", args=[kiosk.matter.pk])).content.decode()
    version = kiosk.matter.current_version
    assert f"办事指南第{version.number}版" in page
    for material in version.materials.all():
        assert material.name in page and material.name in web
    assert "一楼综合窗口" in page, "where to go at this center"
    assert reverse("portal:terminal_take", args=[center.pk, kiosk.cat_a.pk]) in page
    assert client.get(reverse("portal:terminal_guide", args=[center.pk, 999999])).status_code == 404

    printed = client.get(
        reverse("portal:terminal_guide_print", args=[center.pk, kiosk.matter.pk]), {"auto": "1"}
    ).content.decode()
    assert 'data-auto-print="1"' in printed and "经营场所使用证明" in printed
    assert 'class="slip slip-list"' in printed, "on the 80 mm slip printer"


def test_r_hall_7_terminal_progress_uses_the_public_lookup(kiosk, client):
    url = reverse("portal:terminal_progress", args=[kiosk.linxia_center.pk])
    html = client.get(url, {"number": kiosk.case.number, "tail": "1234"}).content.decode()
    assert kiosk.case.number in html and "个体工商户登记" in html and "已受理" in html
    assert 'class="kiosk' in html
    wrong = client.get(url, {"number": kiosk.case.number, "tail": "0000"})
    assert wrong.status_code == 404
    assert "未找到该办件，请核对办件编号和手机号后四位。" in wrong.content.decode()
    assert client.get("/hall/terminal/999999/progress/").status_code == 404


def test_r_hall_7_r_cpl_1_a_complaint_filed_at_the_terminal(kiosk, client):
    url = reverse("portal:terminal_complaint", args=[kiosk.linxia_center.pk])
    bad = client.post(url, {"subject": "", "content": ""})
    assert bad.status_code == 422 and not Complaint.objects.exists()
    assert 'class="kiosk' in bad.content.decode()
    response = client.post(
        url,
        {
            "kind": "complaint",
            "subject": "等候时间过长",
            "content": "上午取号后等了一个多小时。",
            "phone": "13909301234",
        },
    )
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.source == Complaint.Source.TERMINAL
    assert complaint.center == kiosk.linxia_center
    html = response.content.decode()
    assert complaint.number in html and "<svg" in html
    _assert_in_terminal(url, html, f"/hall/terminal/{kiosk.linxia_center.pk}/")


def test_r_hall_7_r_eval_1_a_visit_reviewed_at_the_terminal_with_its_reasons(kiosk, client):
    url = reverse("portal:terminal_review", args=[kiosk.linxia_center.pk])
    waiting = services.ticket_issue(center=kiosk.linxia_center, category=kiosk.cat_b)
    early = client.get(url, {"code": waiting.code})
    assert early.status_code == 404 and "业务办结后才能评价" in early.content.decode()
    assert client.get(url, {"code": "Z999"}).status_code == 404

    ticket = _served_ticket(kiosk)
    form = client.get(url, {"code": ticket.code.lower()}).content.decode()
    assert 'id="review-ticket">A001<' in form and "等候时间太长" in form
    response = client.post(
        url, {"code": ticket.code, "level": "2", "reasons": ["wait_long"], "text": "等太久"}
    )
    assert response.status_code == 200, response.content.decode()
    review = Review.objects.get(ticket=ticket)
    assert review.channel == "terminal" and review.level == 2 and review.reasons == ["wait_long"]
    assert "感谢您的评价" in response.content.decode()
    again = client.get(url, {"code": ticket.code})
    assert again.status_code == 404 and "已经评价过" in again.content.decode()


def test_r_hall_7_a_lost_slip_is_printed_again_at_the_terminal(kiosk, client):
    url = reverse("portal:terminal_print", args=[kiosk.linxia_center.pk])
    ticket = services.ticket_issue(center=kiosk.linxia_center, category=kiosk.cat_a)
    response = client.post(url, {"code": ticket.code.lower()})
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("portal:slip", args=[selectors.ticket_token(ticket)]) + "?auto=1"
    )
    slip = client.get(response["Location"]).content.decode()
    assert 'id="slip-code">A001<' in slip and 'data-auto-print="1"' in slip

    missing = client.post(url, {"code": "Q123"})
    assert missing.status_code == 404 and "未找到今天的这个号" in missing.content.decode()
    services.ticket_call_next(actor=kiosk.clerk, window=kiosk.w1)
    services.ticket_finish(actor=kiosk.clerk, window=kiosk.w1, ticket=ticket)
    done = client.post(url, {"code": ticket.code})
    assert done.status_code == 404 and "无需重新打印" in done.content.decode()


def test_r_sec_1_r_hall_7_terminal_progress_is_limited_like_the_public_page(
    kiosk, client, settings
):
    """The terminal is a public screen too: wrong tails typed there lock the case number
    for every channel, and the right tail is refused while it is locked."""
    settings.ONEWINDOW_PROGRESS_RATE_LIMITS = {"client": (100, 3600), "number": (2, 3600)}
    url = reverse("portal:terminal_progress", args=[kiosk.linxia_center.pk])
    for tail in ("0000", "0001"):
        assert client.get(url, {"number": kiosk.case.number, "tail": tail}).status_code == 404
    locked = client.get(url, {"number": kiosk.case.number, "tail": "1234"})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "查询失败次数过多" in html and "已受理" not in html and 'class="kiosk' in html
    page = client.get("/progress/", {"number": kiosk.case.number, "tail": "1234"})
    assert "查询失败次数过多" in page.content.decode()
