"""A transfer's note travels with the ticket to the window that calls it next (R-HALL-2)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from onewindow.hall import selectors, states
from tests.hall.test_screens import act, issue


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_r_hall_2_a_transfer_note_shows_on_the_receiving_windows_console(hall, client):
    ticket = issue(hall)
    client.force_login(hall.clerk)
    act(client, hall.w1, "call_next")
    note = "已核验身份证，缺营业场所证明，请指导补齐后受理"
    act(client, hall.w1, "transfer", ticket=ticket.pk, target=f"w:{hall.w2.pk}", note=note)
    ticket.refresh_from_db()
    assert ticket.state == states.WAITING and ticket.target_window == hall.w2

    client.force_login(hall.clerk2)
    act(client, hall.w2, "call_next")
    page = client.get(reverse("hall:console")).content.decode()
    assert 'id="current-code">A001<' in page
    assert 'id="transfer-note"' in page and note in page
    assert "1号窗口转到2号窗口" in page
    staff_no = hall.clerk.staff_profile.staff_no
    assert f"{hall.clerk.full_name}（{staff_no}）" in page, "the sender by name and staff number"
    # The ticket's history keeps every step, the note with its transfer.
    history = selectors.ticket_history(ticket)
    assert [s["label"] for s in history] == ["取号", "叫号", "转移", "叫号"]
    assert history[2]["note"] == note and history[3]["where"] == "2号窗口"
    assert "本号经过" in page and page.count(note) == 2


def test_r_hall_2_a_ticket_never_transferred_shows_no_transfer_note(hall, client):
    issue(hall)
    client.force_login(hall.clerk)
    act(client, hall.w1, "call_next")
    page = client.get(reverse("hall:console")).content.decode()
    assert 'id="transfer-note"' not in page and "本号经过" in page
