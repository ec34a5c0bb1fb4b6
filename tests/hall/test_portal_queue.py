"""R-HALL-2: a ticket taken on the portal, by phone, one at a time, rate-limited."""

from __future__ import annotations

from onewindow.hall.models import Ticket


def test_r_hall_2_a_citizen_takes_a_ticket_on_the_portal_and_follows_it(client, hall):
    page = client.get("/hall/queue/", {"center": hall.linxia_center.pk}).content.decode()
    assert "企业开办" in page and "等候 0 人" in page
    response = client.post(
        "/hall/queue/",
        {"center": hall.linxia_center.pk, "category": hall.cat_a.pk, "phone": "13909301234"},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and "/hall/ticket/" in response["Location"]
    assert ticket.channel == "portal" and ticket.code == "A001"
    assert client.get(response["Location"]).status_code == 200
    again = client.post(
        "/hall/queue/",
        {"center": hall.linxia_center.pk, "category": hall.cat_b.pk, "phone": "13909301234"},
    )
    assert again.status_code == 409 and "请勿重复取号" in again.content.decode()
    bad = client.post(
        "/hall/queue/", {"center": hall.linxia_center.pk, "category": hall.cat_a.pk, "phone": "123"}
    )
    assert bad.status_code == 422 and Ticket.objects.count() == 1
    assert client.get("/hall/queue/", {"center": "999999"}).status_code == 404


def test_r_hall_2_portal_tickets_are_rate_limited_per_client(client, hall, settings):
    settings.ONEWINDOW_BOOKING_RATE_LIMITS = {"client": (3, 3600), "phone": (5, 3600)}
    from django.core.cache import cache

    cache.clear()
    codes = []
    for n in range(4):
        response = client.post(
            "/hall/queue/",
            {
                "center": hall.linxia_center.pk,
                "category": hall.cat_a.pk,
                "phone": f"1390930{n:04d}",
            },
        )
        codes.append(response.status_code)
    assert codes == [302, 302, 302, 429]
    assert Ticket.objects.count() == 3
