"""A consultation's phone number (R-CASE-3, R-CASE-8, R-SEC-1): shown in full only to the
current owner of an open consultation, who has to call back, on the page and in the
API; colleagues, supervisors, the former owner after a handover and the owner after the
answer see it masked (``core.pii.mask_phone``)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from onewindow.complaints.services import inquiries
from onewindow.core.pii import mask_phone
from tests.api_client import bearer

PHONE = "13909301111"
MASKED = "139****1111"
BASE = "/api/v1/consultations"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_mask_phone_keeps_what_identifies_nobody():
    assert mask_phone(PHONE) == MASKED
    assert mask_phone(" 139 0930 1111 ") == MASKED
    assert mask_phone("0930-6212345") == "********2345"
    assert mask_phone("12345") == "*2345" and mask_phone("110") == "***"
    assert mask_phone("") == mask_phone(None) == ""


def _page(client, user, inquiry):
    client.force_login(user)
    html = client.get(reverse("complaints:inquiry_detail", args=[inquiry.pk])).content.decode()
    client.logout()
    return html


def _api(user, inquiry) -> str:
    return bearer(user).get(f"{BASE}/{inquiry.pk}").json()["asker_phone"]


def test_r_case_3_only_the_current_owner_of_an_open_consultation_sees_the_phone(client, hall):
    inquiry = inquiries.inquiry_log(
        actor=hall.clerk,
        question="个体户变更经营场所要带什么？",
        asker_name="马女士",
        asker_phone=PHONE,
        center=hall.linxia_center,
    )
    assert PHONE in _page(client, hall.clerk, inquiry) and _api(hall.clerk, inquiry) == PHONE
    supervisor = hall.county_supervisor
    html = _page(client, supervisor, inquiry)
    assert PHONE not in html and MASKED in html and _api(supervisor, inquiry) == MASKED
    listed = bearer(supervisor).get(f"{BASE}/").json()["items"]
    assert [row["asker_phone"] for row in listed] == [MASKED]

    inquiries.inquiry_handover(
        actor=hall.clerk, inquiry=inquiry, to_user=hall.approver.pk, reason="需审批部门答复"
    )
    assert _api(hall.clerk, inquiry) == MASKED and PHONE not in _page(client, hall.clerk, inquiry)
    assert _api(hall.approver, inquiry) == PHONE and PHONE in _page(client, hall.approver, inquiry)

    inquiries.inquiry_answer(
        actor=hall.approver, inquiry=inquiry, answer="带营业执照和新场所证明。"
    )
    assert _api(hall.approver, inquiry) == MASKED
    assert PHONE not in _page(client, hall.approver, inquiry)
