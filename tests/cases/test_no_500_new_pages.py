"""Bad input typed into the address bar of the case, evaluation and complaint pages and
their APIs answers with a page or a 4xx, never a server error, for every kind of user."""

from __future__ import annotations

import pytest
from django.test import Client

BIG = "99999999999999999999999"
BAD = [
    "/workspace/cases/?state=nonsense&page=abc&q=%00",
    "/workspace/cases/?page=999999&mine=1",
    f"/workspace/cases/{BIG}/",
    "/workspace/cases/abc/",
    "/workspace/cases/1/notice/nonsense.pdf",
    "/workspace/cases/new/?listing=abc&ticket=%00",
    f"/workspace/cases/new/?listing={BIG}&ticket={BIG}",
    "/workspace/queue/?who=nonsense&page=abc&department=abc",
    "/workspace/queue/backups/?department=abc",
    "/workspace/supervision/?center=abc&page=-1",
    "/workspace/prereview/?page=-1",
    "/workspace/bundles/?page=abc",
    "/workspace/bundles/new/?bundle=nonsense",
    f"/workspace/bundles/{BIG}/",
    "/workspace/pledge-checks/?page=abc&state=nonsense",
    "/workspace/false-pledges/?page=abc",
    "/workspace/projects/?state=nonsense&page=abc",
    f"/workspace/projects/{BIG}/",
    "/apply/?q=%00&page=abc",
    f"/apply/{BIG}/",
    "/apply/t/nonsense/",
    "/progress/?number=%00&tail=%00",
    "/progress/?number=Y" + "9" * 40 + "&tail=1234",
    "/progress/t/" + "x" * 300 + "/",
    "/evaluation/stats/?start=abc&end=2026-13-45&center=abc",
    "/evaluation/stats/?start=2026-12-01&end=2026-01-01",
    "/evaluation/stats/export/?start=abc",
    "/evaluation/reviews/?level=9&page=abc&kind=nonsense",
    "/evaluation/rectifications/?state=nonsense&page=abc",
    f"/evaluation/rectifications/{BIG}/",
    "/evaluation/t/nonsense/",
    "/evaluation/r/nonsense/",
    "/evaluation/public/?month=abc",
    "/evaluation/public/?month=2026-13",
    f"/evaluation/pad/{BIG}/",
    "/evaluation/pad/1/feed.json?key=%00",
    "/complaints/staff/?state=nonsense&page=abc&queue=nonsense",
    f"/complaints/staff/{BIG}/",
    "/complaints/staff/hot/?start=abc&end=%00&department=abc",
    "/complaints/t/nonsense/",
    "/complaints/lookup/?number=%00&tail=%00",
    "/complaints/inquiries/?page=abc",
    f"/complaints/inquiries/{BIG}/",
    "/open311/v2/requests.json?status=abc&start_date=abc&end_date=%00",
    "/open311/v2/requests.json?service_request_id=" + BIG,
    "/open311/v2/requests/nonsense.json",
    "/open311/v2/services.json?jurisdiction_id=%00",
    "/api/v1/cases/?group=nonsense",
    "/api/v1/cases/?department_id=abc&warning=abc",
    f"/api/v1/cases/{BIG}",
    "/api/v1/cases/abc",
    "/api/v1/cases/progress?number=%00&phone_tail=%00",
]


@pytest.mark.parametrize("who", [None, "clerk", "approver", "county_admin", "county_supervisor"])
def test_bad_input_on_case_evaluation_and_complaint_pages_never_answers_500(desk, who):
    client = Client(raise_request_exception=False)
    if who is not None:
        client.force_login(getattr(desk, who))
    errors = {}
    for url in BAD:
        status = client.get(url).status_code
        if status >= 500:
            errors[url] = status
    assert not errors, errors


def test_a_nul_in_the_query_is_dropped_and_in_the_path_answers_400(desk):
    client = Client(raise_request_exception=False)
    page = client.get("/progress/?number=%00&tail=12%0034")
    assert page.status_code == 200 and "未找到该办件" in page.content.decode()
    api = client.get("/api/v1/cases/progress?number=%00&phone_tail=1234")
    assert api.status_code == 404 and api.json()["code"] == "case.not_found"
    assert client.get("/workspace/cases/%00/").status_code in (400, 404)
    api = client.get("/api/v1/cases/%00")
    assert api.status_code in (400, 404) and "code" in api.json()
