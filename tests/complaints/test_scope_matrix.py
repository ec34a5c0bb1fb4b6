"""R-CPL-1 with R-NET-3: each role sees exactly the complaints of its scope, on the
selector, the staff page and the API; outside it a complaint answers as missing."""

from __future__ import annotations

import pytest

from onewindow.complaints import selectors, services
from onewindow.complaints.models import Complaint
from onewindow.core.errors import NotFound
from onewindow.core.scope import scope_for

SEES = [
    "root",
    "pref_admin",
    "pref_supervisor",
    "county_admin",
    "clerk",
    "agent",
    "approver",
    "chief_rep",
    "county_supervisor",
    "gov_office",
    "legality",
    "final_reviewer",
    "pref_market_leader",
    "county_leader",
]
BLIND = ["kangle_admin", "township_clerk", "police_approver"]
IDENTITY = {"root", "pref_admin", "pref_supervisor", "county_admin", "clerk", "county_supervisor"}


@pytest.fixture
def complaint(hall):
    c = services.complaint_file(
        actor=hall.clerk,
        center=hall.linxia_center,
        source=Complaint.Source.PHONE,
        subject="营业执照窗口态度差",
        content="个体工商户登记窗口",
        name="马小红",
        phone="13909305678",
    )
    return services.complaint_dispatch(actor=hall.clerk, complaint=c, department=hall.linxia_market)


@pytest.mark.parametrize("who", SEES + BLIND)
def test_r_cpl_1_scope_matrix_over_complaints(hall, complaint, client, who):
    user = getattr(hall, who)
    visible = who in SEES
    if visible:
        assert selectors.complaint_get_for(scope=scope_for(user), complaint_id=complaint.pk)
    else:
        with pytest.raises(NotFound):
            selectors.complaint_get_for(scope=scope_for(user), complaint_id=complaint.pk)
    client.force_login(user)
    page = client.get(f"/complaints/staff/{complaint.pk}/")
    assert page.status_code == (200 if visible else 404)
    listed = client.get("/complaints/staff/?view=all").content.decode()
    assert (complaint.number in listed) is visible
    api = client.get(f"/api/v1/complaints/{complaint.pk}")
    assert api.status_code == (200 if visible else 404)
    if visible:
        shown = who in IDENTITY
        assert (api.json()["phone"] == "13909305678") is shown
        assert ("13909305678" in page.content.decode()) is shown
