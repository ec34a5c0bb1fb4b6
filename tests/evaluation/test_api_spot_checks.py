"""R-EVAL-1 through the API: a supervisor's spot-check review (监督查评) of a center or
one of its departments is entered by the same service as the page and marked as such;
a center outside the supervisor's scope is 404; who may not spot-check is refused; bad
input is a 4xx and creates no review (R-SEC-2)."""

from __future__ import annotations

import pytest

from onewindow.evaluation.models import Review
from tests.api_client import bearer

BASE = "/api/v1/evaluation/spot-checks"


def post(client, body):
    return client.post(BASE, body, content_type="application/json")


@pytest.fixture
def checker(net):
    return bearer(net.county_supervisor)


def test_r_eval_1_api_spot_check_of_a_department_is_entered_and_marked(net, checker):
    form = checker.get(f"{BASE}/form")
    assert form.status_code == 200 and form.json()["bad_reasons"]
    body = {
        "center_id": net.linxia_center.pk,
        "subject": "department",
        "department_id": net.linxia_market.pk,
        "level": 2,
        "text": "暗访发现窗口人员离岗未挂牌。",
    }
    answer = post(checker, body)
    assert answer.status_code == 201, answer.content
    review = Review.objects.get(pk=answer.json()["id"])
    assert review.kind == Review.Kind.SPOT_CHECK and review.entered_by == net.county_supervisor
    assert (review.center, review.department, review.level) == (
        net.linxia_center,
        net.linxia_market,
        2,
    )


def test_r_eval_1_api_spot_check_outside_the_scope_or_without_the_right(net, checker):
    body = {"center_id": net.kangle_center.pk, "level": 4, "text": "抽查情况良好。"}
    assert post(checker, body).status_code == 404
    body["center_id"] = net.linxia_center.pk
    refused = post(bearer(net.clerk), body)
    assert refused.status_code == 403 and refused.json()["code"] == "evaluation.not_supervisor"
    assert not Review.objects.exists()


def test_r_sec_2_api_spot_check_bad_input_is_a_4xx_and_creates_nothing(net, checker):
    center = net.linxia_center.pk
    for body in (
        {"center_id": center, "level": 3, "text": ""},
        {"center_id": center, "level": 9, "text": "x"},
        {"center_id": center, "level": 3, "text": "x", "subject": "window"},
        {
            "center_id": center,
            "level": 3,
            "text": "x",
            "subject": "department",
            "department_id": 2**64,
        },
        {"center_id": "C622921", "level": 3, "text": "x"},
    ):
        answer = post(checker, body)
        assert answer.status_code == 422, (body, answer.content)
        assert set(answer.json()) == {"code", "message", "fields"}
    assert not Review.objects.exists()
