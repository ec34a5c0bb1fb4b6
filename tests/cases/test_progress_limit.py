"""R-SEC-1: the public progress lookup (number + last four digits of the phone) cannot
be walked through the 10,000 tails: failed lookups are limited per client address and
per case number, on the page and in the API; while locked the right tail is refused too."""

from __future__ import annotations

import pytest

from onewindow.cases import services
from tests.cases.conftest import all_required

LOCKED = "查询失败次数过多"


@pytest.fixture
def two_cases(desk):
    def intake():
        case = services.case_intake(
            actor=desk.clerk,
            listing=desk.listing,
            applicant=desk.applicant,
            materials=all_required(desk),
        )
        return services.case_accept(actor=desk.clerk, case=case)

    return intake(), intake()


def _page(client, number, tail, address):
    return client.get("/progress/", {"number": number, "tail": tail}, REMOTE_ADDR=address)


def _api(client, number, tail, address):
    return client.get(
        "/api/v1/cases/progress", {"number": number, "phone_tail": tail}, REMOTE_ADDR=address
    )


def test_r_sec_1_wrong_tails_lock_the_case_number_from_any_address(client, two_cases, settings):
    settings.ONEWINDOW_PROGRESS_RATE_LIMITS = {"client": (100, 3600), "number": (3, 3600)}
    case, other = two_cases
    for i, tail in enumerate(["0000", "0001", "0002"]):
        page = _page(client, case.number, tail, f"10.0.0.{i + 1}").content.decode()
        assert "未找到该办件" in page and LOCKED not in page
    # the right tail, from a fresh address, is refused while the number is locked
    page = _page(client, case.number, "1234", "10.0.0.9").content.decode()
    assert LOCKED in page and "个体工商户登记" not in page and "已受理" not in page
    response = _api(client, case.number, "1234", "10.0.0.10")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "progress.rate_limited" and LOCKED in body["message"]
    # another case is not locked
    page = _page(client, other.number, "1234", "10.0.0.9").content.decode()
    assert "已受理" in page and LOCKED not in page


def test_r_sec_1_wrong_tails_lock_the_address_for_every_number(client, two_cases, settings):
    settings.ONEWINDOW_PROGRESS_RATE_LIMITS = {"client": (3, 3600), "number": (100, 3600)}
    case, other = two_cases
    guesser = "203.0.113.7"
    assert _api(client, case.number, "0000", guesser).status_code == 404
    assert _api(client, other.number, "0000", guesser).status_code == 404
    assert "未找到该办件" in _page(client, "LX-NOPE", "0000", guesser).content.decode()
    page = _page(client, other.number, "1234", guesser).content.decode()
    assert LOCKED in page and "已受理" not in page
    assert _api(client, case.number, "1234", guesser).status_code == 429
    # another address still finds the case with its tail
    assert _api(client, case.number, "1234", "198.51.100.2").status_code == 200
    assert "已受理" in _page(client, other.number, "1234", "198.51.100.2").content.decode()


def test_r_sec_1_right_tails_are_not_counted(client, two_cases, settings):
    settings.ONEWINDOW_PROGRESS_RATE_LIMITS = {"client": (2, 3600), "number": (2, 3600)}
    case, _ = two_cases
    for _ in range(5):
        assert _api(client, case.number, "1234", "192.0.2.1").status_code == 200
