"""R-CPL-1: the Open311 GeoReport v2 façade files and follows complaints; its status is
read from the same table as the portal's."""

from __future__ import annotations

import pytest

from onewindow.complaints import services, states
from onewindow.complaints.models import Complaint
from onewindow.core.tokens import api_client_create

POST = {
    "service_code": "complaint",
    "description": "营业执照窗口排队两个小时\n个体工商户登记窗口只开了一个",
    "lat": "35.6045",
    "long": "103.2106",
    "first_name": "小红",
    "last_name": "马",
    "phone": "13909305678",
    "email": "ma@example.cn",
}


def post(client, hall, **kw):
    return client.post(
        "/open311/v2/requests.json", {**POST, "jurisdiction_id": hall.linxia_center.code, **kw}
    )


def test_r_cpl_1_open311_services_list_the_categories(client, db):
    r = client.get("/open311/v2/services.json")
    assert r.status_code == 200
    codes = [s["service_code"] for s in r.json()]
    assert codes == ["complaint", "suggestion", "praise"]
    assert {"service_name", "metadata", "type", "keywords", "group", "description"} <= set(
        r.json()[0]
    )


def test_r_cpl_1_open311_post_files_a_complaint_and_get_follows_it(client, hall):
    r = post(client, hall)
    assert r.status_code == 201
    (created,) = r.json()
    number = created["service_request_id"]
    c = Complaint.objects.get(number=number)
    assert (c.source, c.name, c.phone, c.subject) == (
        "open311",
        "马小红",
        "13909305678",
        "营业执照窗口排队两个小时",
    )
    assert str(c.lat) == "35.604500" and c.token in created["service_notice"]
    (item,) = client.get(f"/open311/v2/requests/{number}.json").json()
    assert (item["status"], item["status_notes"]) == ("open", "已受理")
    assert item["service_code"] == "complaint" and item["lat"] == 35.6045
    assert "phone" not in item and "13909305678" not in str(item) and "马小红" not in str(item)
    services.complaint_dispatch(actor=hall.clerk, complaint=c, department=hall.linxia_market)
    services.complaint_answer(
        actor=hall.approver, complaint=c, finding="upheld", answer="已增开窗口。"
    )
    (item,) = client.get(f"/open311/v2/requests/{number}.json").json()
    assert (item["status"], item["status_notes"]) == ("closed", "已答复")
    assert item["agency_responsible"] == hall.linxia_market.name
    page = client.get(f"/complaints/t/{c.token}/").content.decode()
    assert 'data-status="closed">已答复<' in page
    # list filters
    assert [
        i["service_request_id"]
        for i in client.get("/open311/v2/requests.json", {"status": "closed"}).json()
    ] == [number]
    assert client.get("/open311/v2/requests.json", {"status": "open"}).json() == []
    assert (
        client.get("/open311/v2/requests.json", {"service_request_id": number}).json()[0]["status"]
        == "closed"
    )
    assert client.get("/open311/v2/requests.json", {"service_code": "praise"}).json() == []
    assert (
        client.get(
            "/open311/v2/requests.json",
            {"start_date": "2000-01-01T00:00:00Z", "end_date": "2000-02-01T00:00:00Z"},
        ).json()
        == []
    )


@pytest.mark.parametrize(
    "change, words",
    [
        ({"service_code": "potholes"}, "service_code"),
        ({"lat": "", "long": "", "address_string": ""}, "address_string"),
        ({"description": ""}, "description"),
        ({"jurisdiction_id": "nowhere"}, "jurisdiction_id"),
        ({"phone": "123"}, "手机号码"),
        ({"lat": "north", "long": "east"}, "坐标"),
    ],
)
def test_r_cpl_1_open311_errors_follow_the_spec(client, hall, change, words):
    r = post(client, hall, **change)
    assert r.status_code == 400
    (error,) = r.json()
    assert error["code"] == 400 and words in error["description"]
    assert Complaint.objects.count() == 0


def test_r_cpl_1_open311_statuses_come_from_the_one_table(client, hall):
    for state, status in states.STATUS.items():
        assert status.open311 in ("open", "closed")
        assert (status.open311 == "open") == (state in states.OPEN)
    r = client.get("/open311/v2/requests/T000.json")
    assert r.status_code == 404 and r.json()[0]["code"] == 404
    r = client.get("/open311/v2/requests.json", {"status": "pending"})
    assert r.status_code == 400


def test_r_cpl_1_open311_api_key_optional_or_required(client, hall, settings):
    _, key = api_client_create(actor=hall.root, name="城市应用", region=hall.kangle)
    settings.ONEWINDOW_OPEN311_REQUIRE_KEY = True
    assert post(client, hall).status_code == 403
    assert post(client, hall, api_key="wrong").status_code == 403
    # a key of another county cannot file at 临夏县's center
    assert post(client, hall, api_key=key).status_code == 400
    _, key = api_client_create(actor=hall.root, name="临夏县应用", region=hall.linxia)
    assert post(client, hall, api_key=key).status_code == 201
    assert client.get("/open311/v2/services.json").status_code == 200
