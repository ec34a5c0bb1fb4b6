"""The hall display's "正在呼叫" card shows only a ticket that is still being called
(R-HALL-3): once the window serves, finishes, skips or transfers it, the card clears
at the next poll, without waiting for the next call."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from onewindow.hall import services
from tests.hall.test_screens import feed, issue


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_r_hall_3_a_finished_ticket_is_no_longer_shown_as_calling(
    hall, client, django_capture_on_commit_callbacks
):
    ticket = issue(hall)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_call_next(actor=hall.clerk, window=hall.w1)
    calling = feed(client, hall, changed=False)
    assert calling["state"]["latest"]["text"] == "请A001号到1号窗口办理"

    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_finish(actor=hall.clerk, window=hall.w1, ticket=ticket)
    # The display polls with the version it has: the finish is news to it.
    after = feed(client, hall, v=calling["version"], changed=False)
    assert after["unchanged"] is False
    assert after["state"]["latest"] is None
    assert after["state"]["calls"][0]["code"] == "A001", "the call stays in the recent list"
    assert "ticket" not in after["state"]["calls"][0], "no record ids on the public feed"

    html = client.get(reverse("hall:display", args=[hall.linxia_center.pk])).content.decode()
    assert 'id="latest-code"' not in html
    assert "请留意叫号，按号码到对应窗口办理" in html


def test_r_hall_3_a_ticket_being_served_or_skipped_is_not_calling_but_another_call_is(hall, client):
    first, second = issue(hall), issue(hall, hall.cat_b)
    services.ticket_call_next(actor=hall.clerk2, window=hall.w2)  # A001 at window 2
    services.ticket_call_next(actor=hall.clerk3, window=hall.w3)  # B001 at window 3
    assert feed(client, hall)["state"]["latest"]["code"] == "B001"

    services.ticket_start(actor=hall.clerk3, window=hall.w3, ticket=second)
    latest = feed(client, hall)["state"]["latest"]
    assert latest["text"] == "请A001号到2号窗口办理", "the older call still waits for its person"

    services.ticket_skip(actor=hall.clerk2, window=hall.w2, ticket=first)
    assert feed(client, hall)["state"]["latest"] is None
    page = client.get(reverse("hall:display", args=[hall.linxia_center.pk])).content.decode()
    assert "请A001号到2号窗口办理" not in page and "请B001号到3号窗口办理" not in page
