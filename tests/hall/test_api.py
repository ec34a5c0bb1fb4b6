"""R-HALL-2, R-HALL-3 through the API: terminals issue with a client key, clerks call and
finish with a bearer token or a session, the holder follows a ticket with its secret
token, the display feed is public; everything outside the caller's scope is 404."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.core.models import AuditEvent
from onewindow.core.tokens import api_client_create, api_token_create
from onewindow.hall import services, states
from onewindow.hall.models import ServiceCategory, Ticket
from tests.hall.conftest import add_clerk

BASE = "/api/v1/hall"


@pytest.fixture
def terminal(hall):
    _, key = api_client_create(actor=hall.root, name="临夏县中心自助终端", region=hall.linxia)
    return {"HTTP_X_API_KEY": key}


def bearer(user) -> dict:
    _, key = api_token_create(actor=user, name="窗口叫号")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def issue(client, net, headers, **body):
    body.setdefault("category", "A")
    return client.post(
        f"{BASE}/centers/{net.linxia_center.pk}/tickets",
        body,
        content_type="application/json",
        **headers,
    )


def post(client, path, headers, body=None):
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json", **headers)


def test_r_hall_2_issue_call_and_finish_through_the_api_with_a_bearer_token(client, hall, terminal):
    first = issue(client, hall, terminal, phone="13800000001")
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["code"], body["number"], body["waiting_ahead"], body["state"]) == (
        "A001",
        1,
        0,
        "waiting",
    )
    second = issue(client, hall, terminal, category="a").json()
    assert (second["code"], second["waiting_ahead"]) == ("A002", 1)
    by_id = issue(client, hall, terminal, category=hall.cat_b.pk).json()
    assert by_id["code"] == "B001"
    assert Ticket.objects.get(pk=body["id"]).channel == Ticket.Channel.TERMINAL

    clerk = bearer(hall.clerk2)
    called = post(client, f"/windows/{hall.w2.pk}/call-next", clerk)
    assert called.status_code == 200, called.content
    ticket = called.json()["ticket"]
    assert (ticket["code"], ticket["state"], ticket["window_number"]) == ("A001", "called", 2)
    busy = post(client, f"/windows/{hall.w2.pk}/call-next", clerk)
    assert busy.status_code == 409 and busy.json()["code"] == "window.busy"

    started = post(client, f"/windows/{hall.w2.pk}/tickets/{ticket['id']}/start", clerk)
    assert started.json()["state"] == states.SERVING
    done = post(
        client, f"/windows/{hall.w2.pk}/tickets/{ticket['id']}/finish", clerk, {"case_ref": "LX-1"}
    )
    assert done.status_code == 200 and done.json()["state"] == states.DONE
    assert Ticket.objects.get(pk=ticket["id"]).served_window == hall.w2
    event = AuditEvent.objects.get(action="ticket.finish", target_id=str(ticket["id"]))
    assert event.actor == hall.clerk2

    again = post(client, f"/windows/{hall.w2.pk}/call-next", clerk).json()["ticket"]
    assert again["code"] == "A002"
    post(client, f"/windows/{hall.w2.pk}/tickets/{again['id']}/finish", clerk)
    assert post(client, f"/windows/{hall.w2.pk}/call-next", clerk).json() == {"ticket": None}

    state = client.get(f"{BASE}/windows/{hall.w2.pk}", **clerk).json()
    assert (
        state["clerk"] == str(hall.clerk2)
        and state["ticket"] is None
        and state["categories"] == ["A"]
    )


def test_r_hall_2_issuing_needs_a_client_key_or_a_login(client, hall, terminal):
    anonymous = issue(client, hall, {})
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "auth.required"
    assert issue(client, hall, {"HTTP_X_API_KEY": "owc_wrong"}).status_code == 401
    staff = issue(client, hall, bearer(hall.clerk))
    assert staff.status_code == 201
    assert Ticket.objects.get(pk=staff.json()["id"]).channel == Ticket.Channel.WINDOW
    refused = issue(client, hall, terminal, channel="window")
    assert refused.status_code == 422 and refused.json()["code"] == "ticket.channel"
    assert Ticket.objects.count() == 1


def test_r_hall_2_a_client_key_of_another_county_gets_404(client, hall):
    _, key = api_client_create(actor=hall.root, name="康乐县终端", region=hall.kangle)
    response = issue(client, hall, {"HTTP_X_API_KEY": key})
    assert response.status_code == 404 and response.json()["code"] == "center.not_found"
    assert not Ticket.objects.exists()


def test_r_hall_2_a_bad_category_or_field_answers_4xx_with_a_code_and_changes_nothing(
    client, hall, terminal
):
    kangle_cat = ServiceCategory.objects.create(
        center=hall.kangle_center, letter="A", name="企业开办"
    )
    for bad in ("Z", "!!", "甲", "A\x00", 99999999, str(kangle_cat.pk), 2**70):
        response = issue(client, hall, terminal, category=bad)
        assert response.status_code == 404, (bad, response.content)
        assert response.json()["code"] == "category.not_found"
    missing = client.post(
        f"{BASE}/centers/{hall.linxia_center.pk}/tickets",
        {},
        content_type="application/json",
        **terminal,
    )
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_input"
    assert "category" in missing.json()["fields"]
    vip = issue(client, hall, terminal, priority_reason="vip")
    assert vip.status_code == 422 and vip.json()["code"] == "ticket.priority_reason"
    phone = issue(client, hall, terminal, phone="123")
    assert phone.status_code == 422 and phone.json()["fields"] == {"phone": "请填写11位手机号码。"}
    assert issue(client, hall, terminal, category="A", channel="fax").status_code == 422
    nowhere = client.post(
        f"{BASE}/centers/999999/tickets",
        {"category": "A"},
        content_type="application/json",
        **terminal,
    )
    assert nowhere.status_code == 404
    assert not Ticket.objects.exists()


def test_r_hall_2_another_countys_clerk_gets_404_for_windows_and_tickets(client, hall, terminal):
    ticket_id = issue(client, hall, terminal).json()["id"]
    services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    kangle_clerk = add_clerk(hall, "kangle_clerk", center=hall.kangle_center)
    township_clerk = add_clerk(hall, "township_clerk2", center=hall.hanji_center)
    for outsider in (kangle_clerk, township_clerk, hall.kangle_admin):
        headers = bearer(outsider)
        for path in (
            "/sign-in",
            "/sign-out",
            "/call-next",
            f"/tickets/{ticket_id}/finish",
            f"/tickets/{ticket_id}/recall",
            f"/tickets/{ticket_id}/skip",
        ):
            response = post(client, f"/windows/{hall.w2.pk}{path}", headers)
            assert response.status_code == 404, (outsider, path, response.content)
            assert response.json()["code"] == "window.not_found"
        assert client.get(f"{BASE}/windows/{hall.w2.pk}", **headers).status_code == 404
        status = client.get(f"{BASE}/tickets/{ticket_id}", **headers)
        assert status.status_code == 404 and status.json()["code"] == "ticket.not_found"
    assert Ticket.objects.get(pk=ticket_id).state == states.CALLED
    # the county admin sees the window; a window of this center cannot act on another's ticket
    assert (
        client.get(f"{BASE}/windows/{hall.w2.pk}", **bearer(hall.county_admin)).status_code == 200
    )
    kangle_ticket = services.ticket_issue(
        center=hall.kangle_center,
        category=ServiceCategory.objects.create(center=hall.kangle_center, letter="K", name="社保"),
    )
    foreign = post(
        client, f"/windows/{hall.w1.pk}/tickets/{kangle_ticket.pk}/finish", bearer(hall.clerk)
    )
    assert foreign.status_code == 404 and foreign.json()["code"] == "ticket.not_found"


def test_r_hall_2_the_status_token_cannot_be_guessed(client, hall, terminal):
    first = issue(client, hall, terminal).json()
    second = issue(client, hall, terminal).json()
    token = second["token"]
    pk, _, mac = token.partition(".")
    assert pk == str(second["id"]) and len(mac) >= 20  # a keyed HMAC, not derivable from the id
    assert first["token"].partition(".")[2] != mac
    ok = client.get(f"{BASE}/tickets/{second['id']}", {"token": token})
    assert ok.status_code == 200
    assert ok.json()["state"] == "waiting" and ok.json()["waiting_ahead"] == 1
    assert "phone" not in ok.json()
    flipped = token[:-1] + ("0" if token[-1] != "0" else "1")
    for wrong in (
        "",
        "0",
        str(second["id"]),
        f"{second['id']}.",
        first["token"],
        f"{second['id']}.{first['token'].partition('.')[2]}",
        flipped,
        "x" * 500,
    ):
        response = client.get(f"{BASE}/tickets/{second['id']}", {"token": wrong})
        assert response.status_code == 404, wrong
        assert response.json()["code"] == "ticket.not_found"
    assert client.get(f"{BASE}/tickets/{first['id']}", {"token": token}).status_code == 404
    assert client.get(f"{BASE}/tickets/987654", {"token": token}).status_code == 404
    # staff of the center follow any ticket without the token, by bearer token or session
    assert client.get(f"{BASE}/tickets/{second['id']}", **bearer(hall.clerk)).status_code == 200
    session = Client()
    session.force_login(hall.county_admin)
    assert session.get(f"{BASE}/tickets/{second['id']}").status_code == 200
    # once called, the status shows the window
    services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    called = client.get(f"{BASE}/tickets/{first['id']}", {"token": first["token"]}).json()
    assert (called["state"], called["window_number"], called["waiting_ahead"]) == (
        "called",
        2,
        None,
    )


def test_r_hall_2_green_channel_is_ahead_of_earlier_normal_tickets(client, hall, terminal):
    issue(client, hall, terminal)
    issue(client, hall, terminal)
    elderly = issue(client, hall, terminal, priority_reason="elderly").json()
    later = issue(client, hall, terminal).json()
    assert elderly["waiting_ahead"] == 0 and elderly["priority"] is True
    assert later["waiting_ahead"] == 3


def test_r_hall_2_recall_skip_undo_and_transfer_at_the_window(client, hall, terminal):
    issue(client, hall, terminal)
    clerk = bearer(hall.clerk2)
    w2 = f"/windows/{hall.w2.pk}"
    ticket = post(client, f"{w2}/call-next", clerk).json()["ticket"]
    recalled = post(client, f"{w2}/tickets/{ticket['id']}/recall", clerk).json()
    assert recalled["recall_count"] == 1 and recalled["state"] == "called"
    late = post(client, f"{w2}/tickets/{ticket['id']}/undo", clerk)
    assert late.status_code == 409 and late.json()["code"] == "ticket.undo_too_late"
    skipped = post(client, f"{w2}/tickets/{ticket['id']}/skip", clerk).json()
    assert skipped["state"] == states.NO_SHOW
    wrong = post(client, f"{w2}/tickets/{ticket['id']}/finish", clerk)
    assert wrong.status_code == 409 and wrong.json()["code"] == "ticket.wrong_state"

    second = issue(client, hall, terminal).json()
    called = post(client, f"{w2}/tickets/{second['id']}/call", clerk).json()
    assert called["code"] == second["code"]
    undone = post(client, f"{w2}/tickets/{second['id']}/undo", clerk).json()
    assert undone["state"] == "waiting"
    post(client, f"{w2}/call-next", clerk)
    for bad in (
        {},
        {"to_category": "Z"},
        {"to_window_number": 99},
        {"to_window_number": 2**40},
        {"to_category": "B", "to_window_number": 1},
    ):
        response = post(client, f"{w2}/tickets/{second['id']}/transfer", clerk, bad)
        assert response.status_code == 422, (bad, response.content)
        assert response.json()["code"] in ("ticket.transfer_target", "invalid_input")
    moved = post(
        client, f"{w2}/tickets/{second['id']}/transfer", clerk, {"to_category": "B", "note": "社保"}
    )
    assert moved.status_code == 200 and (moved.json()["queue"], moved.json()["state"]) == (
        "B",
        "waiting",
    )
    at_w3 = post(client, f"/windows/{hall.w3.pk}/call-next", bearer(hall.clerk3)).json()["ticket"]
    assert at_w3["id"] == second["id"] and at_w3["category"] == "A" and at_w3["transfer_count"] == 1
    to_window = post(
        client,
        f"/windows/{hall.w3.pk}/tickets/{second['id']}/transfer",
        bearer(hall.clerk3),
        {"to_window_number": 1},
    )
    assert to_window.status_code == 200
    at_w1 = post(client, f"/windows/{hall.w1.pk}/call-next", bearer(hall.clerk)).json()["ticket"]
    assert at_w1["id"] == second["id"]


def test_r_hall_2_sign_in_and_out_at_a_window(client, hall, terminal):
    clerk = bearer(hall.clerk2)
    w2 = f"/windows/{hall.w2.pk}"
    issue(client, hall, terminal)
    post(client, f"{w2}/call-next", clerk)
    holding = post(client, f"{w2}/sign-out", clerk)
    assert holding.status_code == 409 and holding.json()["code"] == "window.holding_ticket"
    held = Ticket.objects.get(window=hall.w2)
    post(client, f"{w2}/tickets/{held.pk}/finish", clerk)
    assert post(client, f"{w2}/sign-out", clerk).status_code == 204
    not_in = post(client, f"{w2}/call-next", clerk)
    assert not_in.status_code == 409 and not_in.json()["code"] == "window.not_signed_in"
    occupied = post(client, f"/windows/{hall.w1.pk}/sign-in", clerk)
    assert occupied.status_code == 409 and occupied.json()["code"] == "window.occupied"
    signed = post(client, f"{w2}/sign-in", clerk)
    assert signed.status_code == 200 and signed.json()["window_number"] == 2
    assert post(client, f"{w2}/sign-in", bearer(hall.county_admin)).status_code == 403
    assert post(client, f"{w2}/call-next", {}).status_code == 401


def test_r_hall_2_a_clerk_acts_through_the_session_with_csrf(hall, terminal):
    Client().post(
        f"{BASE}/centers/{hall.linxia_center.pk}/tickets",
        {"category": "A"},
        content_type="application/json",
        **terminal,
    )
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(hall.clerk2)
    refused = strict.post(f"{BASE}/windows/{hall.w2.pk}/call-next")
    assert refused.status_code in (401, 403)
    assert Ticket.objects.get().state == states.WAITING
    relaxed = Client()
    relaxed.force_login(hall.clerk2)
    assert relaxed.post(f"{BASE}/windows/{hall.w2.pk}/call-next").json()["ticket"]["code"] == "A001"


def test_r_hall_2_token_and_key_clients_post_without_csrf(hall, terminal):
    """API clients have no CSRF cookie: with CSRF enforced as in production, a terminal's
    key and a clerk's bearer token still post; a session without the CSRF token does not."""
    strict = Client(enforce_csrf_checks=True)
    issued = strict.post(
        f"{BASE}/centers/{hall.linxia_center.pk}/tickets",
        {"category": "A"},
        content_type="application/json",
        **terminal,
    )
    assert issued.status_code == 201, issued.content
    by_staff = strict.post(
        f"{BASE}/centers/{hall.linxia_center.pk}/tickets",
        {"category": "B"},
        content_type="application/json",
        **bearer(hall.clerk),
    )
    assert by_staff.status_code == 201, by_staff.content
    clerk = bearer(hall.clerk2)
    called = strict.post(f"{BASE}/windows/{hall.w2.pk}/call-next", **clerk)
    assert called.status_code == 200, called.content
    ticket_id = called.json()["ticket"]["id"]
    finished = strict.generic(
        "POST", f"{BASE}/windows/{hall.w2.pk}/tickets/{ticket_id}/finish", b"", **clerk
    )
    assert finished.status_code == 200 and finished.json()["state"] == "done"  # no body at all
    strict.force_login(hall.clerk)
    refused = strict.post(
        f"{BASE}/centers/{hall.linxia_center.pk}/tickets",
        {"category": "A"},
        content_type="application/json",
    )
    assert refused.status_code in (401, 403)
    assert Ticket.objects.count() == 2


def test_r_hall_3_the_display_feed_is_public(
    client, hall, terminal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue(client, hall, terminal, phone="13800000001")
        issue(client, hall, terminal)
        issue(client, hall, terminal, category="B")
        services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    url = f"{BASE}/centers/{hall.linxia_center.pk}/display"
    feed = client.get(url)
    assert feed.status_code == 200
    body = feed.json()
    state = body["state"]
    assert [(c["code"], c["window"]) for c in state["calls"]] == [("A001", 2)]
    assert {c["letter"]: c["waiting"] for c in state["categories"]} == {"A": 1, "B": 1}
    assert state["waiting_total"] == 2 and body["unchanged"] is False
    assert "13800000001" not in feed.content.decode()
    again = client.get(url, {"version": body["version"]}).json()
    assert again["unchanged"] is True and again.get("state") is None
    assert client.get(f"{BASE}/centers/999999/display").status_code == 404


def test_the_ping_baseline_needs_no_auth(client, db):
    response = client.get(f"{BASE}/ping")
    assert response.status_code == 200 and response.json() == {"ok": True}
