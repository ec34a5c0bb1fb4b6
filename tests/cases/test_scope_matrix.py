"""The scope matrix over cases (R-NET-3): every role of the two-county network against
one case of 临夏县's market department, on every way in — the selector, the staff page,
the API, the printed notice — and every step of the case's life. A case outside the
user's scope is "not found" everywhere, never "forbidden"; inside the scope, a step the
user's post does not allow is forbidden."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.cases import selectors, services
from onewindow.core.errors import Forbidden, NotFound
from onewindow.core.scope import scope_for
from tests.cases.conftest import all_required

# Who sees a case taken in at 临夏县's center for 临夏县's market department.
SEES = {
    "pref_admin": True,  # the prefecture center manages the network below it
    "pref_supervisor": True,
    "county_admin": True,
    "kangle_admin": False,  # another county
    "clerk": True,
    "township_clerk": False,  # a township center below, not the county's hall
    "agent": True,
    "approver": True,
    "chief_rep": True,
    "police_approver": False,  # another department of the same county
    "county_supervisor": True,
    "gov_office": True,
    "legality": True,
    "final_reviewer": True,
    "pref_market_leader": True,  # the upper body of the market line
    "county_leader": True,
}


@pytest.fixture
def case(desk):
    return services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_r_net_3_case_scope_matrix_on_selector_page_api_and_notice(desk, case):
    services.case_accept(actor=desk.clerk, case=case)
    seen = {}
    for who, expected in SEES.items():
        user = getattr(desk, who)
        in_selector = selectors.cases_for(scope=scope_for(user)).filter(pk=case.pk).exists()
        client = _client(user)
        page = client.get(f"/workspace/cases/{case.pk}/").status_code
        api = client.get(f"/api/v1/cases/{case.pk}").status_code
        notice = client.get(f"/workspace/cases/{case.pk}/notice/receipt.pdf").status_code
        listed = client.get("/api/v1/cases/?group=open").json()
        in_list = any(item["id"] == case.pk for item in listed.get("items", []))
        seen[who] = (in_selector, page, api, notice, in_list)
        status = 200 if expected else 404
        assert seen[who] == (expected, status, status, status, expected), who


def test_r_net_3_out_of_scope_steps_answer_not_found_in_scope_wrong_post_forbidden(desk, case):
    # Out of scope: not found, whatever the step.
    for who in ("kangle_admin", "township_clerk", "police_approver"):
        user = getattr(desk, who)
        with pytest.raises(NotFound):
            services.case_accept(actor=user, case=case)
        with pytest.raises(NotFound):
            services.case_refuse(actor=user, case=case, reason="不符合条件")
    # In scope but not a front-window post: forbidden.
    for who in ("approver", "county_supervisor", "gov_office"):
        with pytest.raises(Forbidden):
            services.case_accept(actor=getattr(desk, who), case=case)
    services.case_accept(actor=desk.clerk, case=case)
    # The back office's step: the clerk and the supervisor may not review.
    for who in ("clerk", "county_supervisor", "county_admin"):
        with pytest.raises(Forbidden):
            services.case_start_review(actor=getattr(desk, who), case=case)
    with pytest.raises(NotFound):
        services.case_start_review(actor=desk.police_approver, case=case)
    services.case_start_review(actor=desk.approver, case=case)
    case.refresh_from_db()
    assert case.state == "in_review" and case.assignee == desk.approver


def test_r_net_3_api_steps_out_of_scope_answer_404_and_change_nothing(desk, case):
    client = _client(desk.kangle_admin)
    response = client.post(f"/api/v1/cases/{case.pk}/accept", content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] in ("case.not_found", "not_found")
    case.refresh_from_db()
    assert case.state == "intake" and case.events.count() == 1
