"""The hall's screens through the Django client: the display and its feed (R-HALL-3),
the window console (R-HALL-2), the self-service terminal and its slip (R-HALL-7)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onewindow.core.errors import NotFound
from onewindow.hall import selectors, services, states
from onewindow.hall.models import ServiceCategory, Ticket, Window
from onewindow.hall.selectors.rules import display_version_key
from onewindow.portal.views.hall import terminal as terminal_views
from tests.catalog.conftest import cat  # noqa: F401
from tests.hall.conftest import add_clerk, enroll_terminal

SATURDAY_MORNING = timezone.make_aware(datetime(2026, 11, 28, 10, 0))


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def issue(hall, category=None, **kw) -> Ticket:
    return services.ticket_issue(center=hall.linxia_center, category=category or hall.cat_a, **kw)


def feed(client, hall, v=None, *, changed=True):
    """The feed as a display sees it. Tests run inside a transaction that never commits,
    so the version bump of the services (on commit) is simulated unless ``changed`` is off."""
    if changed and v is None:
        cache.delete(display_version_key(hall.linxia_center.pk))
    url = reverse("hall:display_feed", args=[hall.linxia_center.pk])
    response = client.get(url, {} if v is None else {"v": v})
    assert response.status_code == 200
    return response.json()


def act(client, window, action, **data):
    return client.post(
        reverse("hall:console_action", args=[window.pk]), {"action": action, **data}, follow=True
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- R-HALL-3: the hall display --------------------------------------------------------------


def test_r_hall_3_call_text_is_built_on_the_server():
    assert selectors.call_text("A001", 3) == "请A001号到3号窗口办理"
    assert selectors.call_text("A001", 3, recall=True) == "请A001号再次到3号窗口办理"


def test_r_hall_3_feed_carries_the_call_and_recall_texts(hall, client):
    ticket = issue(hall)
    services.ticket_call_next(actor=hall.clerk, window=hall.w1)
    state = feed(client, hall)["state"]
    assert state["latest"]["code"] == "A001"
    assert state["latest"]["text"] == "请A001号到1号窗口办理"
    assert state["latest"]["window_label"] == "1号窗口"
    first_id = state["latest"]["id"]

    services.ticket_recall(actor=hall.clerk, window=hall.w1, ticket=ticket)
    state = feed(client, hall)["state"]
    assert state["latest"]["text"] == "请A001号再次到1号窗口办理"
    assert state["latest"]["recall"] is True
    assert state["latest"]["id"] > first_id, "each call or recall is its own event, announced once"
    assert [c["text"] for c in state["calls"]] == [
        "请A001号再次到1号窗口办理",
        "请A001号到1号窗口办理",
    ]


def test_r_hall_3_feed_shows_the_new_window_after_a_transfer(hall, client):
    ticket = issue(hall)
    services.ticket_call_next(actor=hall.clerk, window=hall.w1)
    services.ticket_transfer(actor=hall.clerk, window=hall.w1, ticket=ticket, to_window=hall.w2)
    services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    state = feed(client, hall)["state"]
    assert state["latest"]["text"] == "请A001号到2号窗口办理"
    assert state["latest"]["recall"] is False


def test_r_hall_3_feed_counts_waiting_per_category_and_is_public(hall, client):
    issue(hall)
    issue(hall)
    issue(hall, hall.cat_b)
    services.ticket_call_next(actor=hall.clerk2, window=hall.w2)  # A001 leaves the queue
    state = feed(client, hall)["state"]
    counts = {c["letter"]: c["waiting"] for c in state["categories"]}
    assert counts == {"A": 1, "B": 1}
    assert state["waiting_total"] == 2
    assert state["center"] == "临夏县政务服务中心"
    text = str(state)
    assert "phone" not in text and "clerk" not in text


def test_r_hall_3_feed_answers_unchanged_for_the_same_version(
    hall, client, django_capture_on_commit_callbacks
):
    first = feed(client, hall, changed=False)
    assert first["unchanged"] is False and "state" in first
    same = feed(client, hall, v=first["version"])
    assert same == {
        "version": first["version"],
        "server_time": same["server_time"],
        "unchanged": True,
    }

    with django_capture_on_commit_callbacks(execute=True):
        issue(hall)
    changed = feed(client, hall, v=first["version"])
    assert changed["unchanged"] is False and changed["version"] != first["version"]
    assert {c["letter"]: c["waiting"] for c in changed["state"]["categories"]}["A"] == 1
    assert feed(client, hall, v=changed["version"])["unchanged"] is True


def test_r_hall_3_display_page_needs_no_login_and_shows_the_latest_call(hall, client):
    issue(hall, hall.cat_b)
    services.ticket_call_next(actor=hall.clerk3, window=hall.w3)
    response = client.get(reverse("hall:display", args=[hall.linxia_center.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "请B001号到3号窗口办理" in html
    assert "点击屏幕开启语音播报" in html
    assert "连接中断，正在重连" in html  # the stale banner, hidden until needed
    assert "社保医保" in html and "各类业务等候人数" in html


def test_r_hall_3_display_and_feed_of_an_unknown_center_are_not_found(hall, client):
    assert client.get("/hall/display/999999/").status_code == 404
    assert client.get("/hall/display/999999/feed").status_code == 404
    assert (
        client.get(
            reverse("hall:display_feed", args=[hall.linxia_center.pk]), {"v": "<x>"}
        ).status_code
        == 200
    )


# --- R-HALL-2: the window console ----------------------------------------------------------


def test_r_hall_2_console_needs_login(hall, client):
    response = client.get(reverse("hall:console"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(
        reverse("hall:console_action", args=[hall.w1.pk]), {"action": "call_next"}
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_r_hall_2_console_shows_the_window_queue_and_counts(hall, client):
    issue(hall, priority_reason="elderly")
    issue(hall, hall.cat_b)
    client.force_login(hall.clerk)
    response = client.get(reverse("hall:console"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1号窗口" in html and "叫下一位" in html and "<kbd>N</kbd>" in html
    assert "A001" in html and "B001" in html and "老年人" in html
    assert "今日统计" in html and "本窗口办结" in html


def test_r_hall_2_console_call_next_start_finish(hall, client):
    issue(hall)
    client.force_login(hall.clerk)
    response = act(client, hall.w1, "call_next")
    assert "已叫号：请A001号到1号窗口办理" in messages_of(response)
    html = response.content.decode()
    assert "当前办理" in html and "A001" in html and "开始办理" in html and "企业开办" in html
    ticket = Ticket.objects.get(code="A001")
    assert ticket.state == states.CALLED and ticket.window == hall.w1

    response = act(client, hall.w1, "start", ticket=ticket.pk)
    assert "A001开始办理。" in messages_of(response)
    response = act(client, hall.w1, "finish", ticket=ticket.pk, case_ref="XK2026-0001")
    assert "A001已办结。" in messages_of(response)
    ticket.refresh_from_db()
    assert (
        ticket.state == states.DONE
        and ticket.served_window == hall.w1
        and ticket.case_ref == "XK2026-0001"
    )
    html = response.content.decode()
    assert "当前没有号" in html


def test_r_hall_2_console_recall_skip_and_undo(hall, client):
    first, second = issue(hall), issue(hall)
    client.force_login(hall.clerk)
    act(client, hall.w1, "call_next")
    response = act(client, hall.w1, "recall", ticket=first.pk)
    assert "已重呼：请A001号再次到1号窗口办理" in messages_of(response)
    response = act(client, hall.w1, "undo", ticket=first.pk)
    assert messages_of(response) == ["只能在叫号后15秒内撤销。"], "a recalled ticket is not undone"
    response = act(client, hall.w1, "skip", ticket=first.pk)
    assert "A001已记为过号。" in messages_of(response)
    first.refresh_from_db()
    assert first.state == states.NO_SHOW

    act(client, hall.w1, "call_next")
    response = act(client, hall.w1, "undo", ticket=second.pk)
    assert "已撤销叫号，A002回到原排队位置。" in messages_of(response)
    second.refresh_from_db()
    assert second.state == states.WAITING and second.window is None


def test_r_hall_2_console_transfer_to_a_category_and_to_a_window(hall, client):
    first, second = issue(hall), issue(hall)
    client.force_login(hall.clerk)
    act(client, hall.w1, "call_next")
    response = act(
        client, hall.w1, "transfer", ticket=first.pk, target=f"c:{hall.cat_b.pk}", note="社保业务"
    )
    assert "A001已转到B 社保医保。" in messages_of(response)
    first.refresh_from_db()
    assert first.state == states.WAITING and first.queue == hall.cat_b and first.code == "A001"

    act(client, hall.w1, "call", ticket=second.pk)
    response = act(client, hall.w1, "transfer", ticket=second.pk, target=f"w:{hall.w2.pk}")
    assert "A002已转到2号窗口。" in messages_of(response)
    second.refresh_from_db()
    assert second.target_window == hall.w2

    client.force_login(hall.clerk2)
    response = act(client, hall.w2, "call_next")
    assert "已叫号：请A002号到2号窗口办理" in messages_of(response)
    response = act(client, hall.w2, "finish", ticket=second.pk)
    assert "A002已办结。" in messages_of(response)


def test_r_hall_2_console_call_a_chosen_ticket_from_the_list(hall, client):
    issue(hall)
    chosen = issue(hall, hall.cat_b)
    client.force_login(hall.clerk)
    response = act(client, hall.w1, "call", ticket=chosen.pk)
    assert "已叫号：请B001号到1号窗口办理" in messages_of(response)


def test_r_hall_2_console_errors_are_chinese_messages_not_500(hall, client):
    ticket = issue(hall)
    client.force_login(hall.clerk)
    response = act(client, hall.w1, "call_next")
    assert response.status_code == 200
    # busy window
    response = act(client, hall.w1, "call_next")
    assert messages_of(response) == ["请先办结、过号或转移当前的号，再叫下一位。"]
    # wrong state
    services.ticket_start(actor=hall.clerk, window=hall.w1, ticket=ticket)
    response = act(client, hall.w1, "recall", ticket=ticket.pk)
    assert messages_of(response) == ["A001当前为“办理中”，不能重呼。"]
    # bad transfer target, unknown action, a window nobody serves from here
    response = act(client, hall.w1, "transfer", ticket=ticket.pk, target="c:abc")
    assert messages_of(response) == ["请选择转入的业务类别或窗口。"]
    response = act(client, hall.w1, "fly")
    assert messages_of(response) == ["不支持的操作。"]
    response = act(client, hall.w2, "call_next")
    assert messages_of(response) == ["请先在该窗口签到。无人签到的窗口不能叫号。"]
    # nothing held
    services.ticket_finish(actor=hall.clerk, window=hall.w1, ticket=ticket)
    response = act(client, hall.w1, "skip")
    assert messages_of(response) == ["本窗口当前没有号。"]
    response = act(client, hall.w1, "call_next")
    assert messages_of(response) == ["当前没有等候本窗口的号。"]


def test_r_hall_2_console_calling_with_nobody_signed_in(hall, client):
    issue(hall)
    services.window_sign_out(actor=hall.clerk, window=hall.w1)
    client.force_login(hall.clerk)
    response = client.get(reverse("hall:console"))
    assert "窗口签到" in response.content.decode() and "在此窗口签到" in response.content.decode()
    response = act(client, hall.w1, "call_next")
    assert messages_of(response) == ["请先在该窗口签到。无人签到的窗口不能叫号。"]
    response = act(client, hall.w1, "sign_in")
    assert messages_of(response) == ["已在1号窗口签到。"]
    assert "叫下一位" in response.content.decode()
    response = act(client, hall.w1, "sign_out")
    assert messages_of(response) == ["已从1号窗口签退。"]


def test_r_hall_2_console_of_another_county_is_not_found(hall, client):
    kangle_clerk = add_clerk(hall, "kangle_clerk", center=hall.kangle_center)
    kangle_window = Window.objects.create(center=hall.kangle_center, number=1)
    ticket = issue(hall)
    client.force_login(kangle_clerk)
    for action in ("sign_in", "call_next", "recall", "finish"):
        response = client.post(
            reverse("hall:console_action", args=[hall.w1.pk]),
            {"action": action, "ticket": ticket.pk},
        )
        assert response.status_code == 404, action
    services.window_sign_in(actor=kangle_clerk, window=kangle_window)
    response = client.post(
        reverse("hall:console_action", args=[kangle_window.pk]),
        {"action": "call", "ticket": ticket.pk},
    )
    assert response.status_code == 404, "a ticket of another center is not found either"
    ticket.refresh_from_db()
    assert ticket.state == states.WAITING
    html = client.get(reverse("hall:console")).content.decode()
    assert "A001" not in html and "临夏县政务服务中心" not in html


def test_r_hall_2_console_for_staff_without_a_center(hall, client):
    client.force_login(hall.county_supervisor)
    response = client.get(reverse("hall:console"))
    assert response.status_code == 403 and "窗口工作人员" in response.content.decode()
    response = client.post(
        reverse("hall:console_action", args=[hall.w1.pk]), {"action": "call_next"}
    )
    assert response.status_code == 404


def test_r_hall_2_console_a_center_admin_cannot_sign_in_at_a_window(hall, client):
    client.force_login(hall.county_admin)
    response = act(client, hall.w1, "sign_in")
    assert messages_of(response) == ["只有本中心的窗口工作人员可以在窗口签到。"]


def test_r_hall_2_console_bad_ids_are_not_found(hall, client):
    client.force_login(hall.clerk)
    assert client.post("/hall/console/999999/action/", {"action": "call_next"}).status_code == 404
    response = client.post(
        reverse("hall:console_action", args=[hall.w1.pk]), {"action": "call", "ticket": "x"}
    )
    assert response.status_code == 404
    assert client.get(reverse("hall:console_action", args=[hall.w1.pk])).status_code == 405


# --- R-HALL-7: the self-service terminal -------------------------------------------------------


def test_r_hall_7_terminal_shows_categories_and_entries_without_login(hall, client):
    response = client.get(reverse("portal:terminal", args=[hall.linxia_center.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "请选择要办理的业务",
        "企业开办",
        "社保医保",
        "预约签到",
        "办件进度查询",
        "办事指南",
        "网上预约",
    ):
        assert text in html, text
    assert client.get("/hall/terminal/999999/").status_code == 404


def test_r_hall_7_terminal_issues_a_ticket_and_prints_a_slip_with_a_qr_code(hall, client):
    enroll_terminal(client, hall.linxia_center)
    issue(hall)
    url = reverse("portal:terminal_take", args=[hall.linxia_center.pk, hall.cat_a.pk])
    response = client.get(url)
    assert response.status_code == 200 and "老年人" in response.content.decode()
    response = client.post(url, {"priority": "", "phone": "13800000000"})
    assert response.status_code == 302
    ticket = Ticket.objects.get(code="A002")
    assert ticket.channel == Ticket.Channel.TERMINAL and ticket.phone == "13800000000"
    token = selectors.ticket_token(ticket)
    assert response["Location"] == reverse("portal:slip", args=[token]) + "?auto=1"

    slip = client.get(response["Location"])
    html = slip.content.decode()
    assert slip.status_code == 200
    assert "A002" in html and "企业开办" in html and "临夏县政务服务中心" in html
    assert "您前面还有 <strong>1</strong> 人" in html
    assert "<svg" in html and "扫码查看排队进度" in html
    assert 'data-auto-print="1"' in html and "打印/完成" in html
    assert (
        "size: 80mm auto"
        in open(
            terminal_views.__file__.replace(
                "portal/views/hall/terminal.py", "static/onewindow/hall/slip.css"
            )
        ).read()
    )


def test_r_hall_7_green_channel_asks_for_a_clear_confirmation(hall, client):
    enroll_terminal(client, hall.linxia_center)
    url = reverse("portal:terminal_take", args=[hall.linxia_center.pk, hall.cat_a.pk])
    response = client.post(url, {"priority": "elderly"})
    assert response.status_code == 200
    assert "确认使用绿色通道：老年人" in response.content.decode()
    assert not Ticket.objects.exists()
    response = client.post(url, {"priority": "elderly", "confirm_priority": "1"})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.priority_reason == "elderly"
    assert "绿色通道 · 老年人" in client.get(response["Location"]).content.decode()


def test_r_hall_7_terminal_bad_input_gets_a_chinese_message(hall, client):
    enroll_terminal(client, hall.linxia_center)
    url = reverse("portal:terminal_take", args=[hall.linxia_center.pk, hall.cat_a.pk])
    response = client.post(url, {"priority": "", "phone": "12345"})
    assert response.status_code == 422 and "请填写11位手机号码。" in response.content.decode()
    response = client.post(url, {"priority": "vip"})
    assert response.status_code == 422 and "请选择正确的绿色通道类型。" in response.content.decode()
    assert not Ticket.objects.exists()
    other = ServiceCategory.objects.create(
        center=hall.kangle_center, letter="A", name="康乐企业开办"
    )
    assert (
        client.get(
            reverse("portal:terminal_take", args=[hall.linxia_center.pk, other.pk])
        ).status_code
        == 404
    )
    assert client.get(reverse("portal:slip", args=["1.deadbeef"])).status_code == 404
    assert client.get(reverse("portal:ticket_status", args=["nonsense"])).status_code == 404


def test_r_hall_7_outside_office_hours_only_self_service_is_offered(
    hall, client, settings, monkeypatch
):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = True
    monkeypatch.setattr(terminal_views, "clock", lambda: SATURDAY_MORNING)
    enroll_terminal(client, hall.linxia_center)
    printing = ServiceCategory.objects.create(
        center=hall.linxia_center, letter="Z", name="自助打印", needs_clerk=False, order=9
    )
    response = client.get(reverse("portal:terminal", args=[hall.linxia_center.pk]))
    html = response.content.decode()
    assert "现在是非办公时间" in html and "周一至周五 9:00-12:00，14:00-17:00" in html
    assert "自助打印" in html and "企业开办" not in html and "社保医保" not in html
    assert "办事指南" in html and "网上预约" in html

    response = client.post(
        reverse("portal:terminal_take", args=[hall.linxia_center.pk, hall.cat_a.pk]), {}
    )
    assert response.status_code == 409
    assert "现在不是办公时间" in response.content.decode()
    assert not Ticket.objects.exists()

    response = client.post(
        reverse("portal:terminal_take", args=[hall.linxia_center.pk, printing.pk]), {}
    )
    assert response.status_code == 302
    assert Ticket.objects.get().code == "Z001"


def test_r_hall_7_search_leads_to_the_category_that_serves_the_matter(hall, cat, client):  # noqa: F811
    from onewindow.catalog import services as catalog_services

    request = catalog_services.listing_request_entry(
        actor=cat.county_admin,
        matter=cat.matter,
        center=cat.linxia_center,
        department=cat.linxia_market,
        code="LX-0001",
        reason="按应进必进要求进驻",
    )
    catalog_services.change_request_decide(actor=cat.gov_office, request=request, approve=True)
    hall.cat_a.matters.add(cat.matter)
    response = client.get(
        reverse("portal:terminal", args=[hall.linxia_center.pk]), {"q": "营业执照"}
    )
    html = response.content.decode()
    assert "个体工商户登记" in html
    assert reverse("portal:terminal_take", args=[hall.linxia_center.pk, hall.cat_a.pk]) in html
    assert "取号：A 企业开办" in html
    response = client.get(
        reverse("portal:terminal", args=[hall.linxia_center.pk]), {"q": "火星移民" * 20}
    )
    assert response.status_code == 200 and "没有找到相关事项" in response.content.decode()


def test_r_hall_7_the_terminal_checks_a_cases_progress(hall, client):
    hall.linxia_center.phone = "0930-1234567"
    hall.linxia_center.save()
    url = reverse("portal:terminal_progress", args=[hall.linxia_center.pk])
    page = client.get(url).content.decode()
    assert f'action="{url}"' in page, "the lookup stays in the terminal"
    assert 'name="number"' in page and 'name="tail"' in page and "0930-1234567" in page


def test_r_hall_7_ticket_status_page_and_return_after_a_no_show(hall, client):
    first, second = issue(hall), issue(hall)
    token = selectors.ticket_token(second)
    html = client.get(reverse("portal:ticket_status", args=[token])).content.decode()
    assert "A002" in html and "您前面还有 <strong>1</strong> 人" in html

    services.ticket_call_next(actor=hall.clerk, window=hall.w1)
    services.ticket_finish(actor=hall.clerk, window=hall.w1, ticket=first)
    services.ticket_call_next(actor=hall.clerk, window=hall.w1)
    html = client.get(reverse("portal:ticket_status", args=[token])).content.decode()
    assert "请A002号到1号窗口办理" in html
    services.ticket_skip(actor=hall.clerk, window=hall.w1, ticket=second)
    html = client.get(reverse("portal:ticket_status", args=[token])).content.decode()
    assert "我已返回，重新排队" in html
    response = client.post(reverse("portal:ticket_status", args=[token]), follow=True)
    assert "A002已重新排队，请留意叫号。" in response.content.decode()
    second.refresh_from_db()
    assert second.state == states.WAITING
    response = client.post(reverse("portal:ticket_status", args=[token]), follow=True)
    assert "不能过号返回" in response.content.decode()


def test_r_hall_7_slip_tokens_are_not_guessable(hall):
    ticket = issue(hall)
    token = selectors.ticket_token(ticket)
    assert selectors.ticket_by_token(token) == ticket
    pk, _, mac = token.partition(".")
    for bad in (f"{pk}.{'0' * len(mac)}", f"{int(pk) + 1}.{mac}", pk, "", "x.y"):
        with pytest.raises(NotFound):
            selectors.ticket_by_token(bad)


# --- R-HALL-2 / R-HALL-6: appointment check-in at the terminal -----------------------------------


def _book_now(hall, now):
    from onewindow.hall import appointments

    start = (now - timedelta(minutes=10)).replace(second=0, microsecond=0)
    end = start + timedelta(minutes=30)
    if start.date() != end.date():
        pytest.skip("too close to midnight for a same-day slot")
    slot = appointments.slots_create(
        actor=hall.county_admin,
        center=hall.linxia_center,
        category=hall.cat_a,
        day=start.date(),
        start=start.time(),
        end=end.time(),
        capacity=5,
        duty_staff=[hall.clerk],
    )
    return appointments.appointment_book(
        center=hall.linxia_center,
        category=hall.cat_a,
        slot=slot,
        name="马小花",
        phone="13900000001",
        now=start - timedelta(hours=1),
    )


def test_r_hall_2_appointment_checked_in_at_the_terminal_is_called_before_walk_ins(hall, client):
    pytest.importorskip("onewindow.hall.appointments")
    enroll_terminal(client, hall.linxia_center)
    now = timezone.localtime()
    walk_in = issue(hall, now=now - timedelta(minutes=20))
    appointment = _book_now(hall, now)
    url = reverse("portal:terminal_checkin", args=[hall.linxia_center.pk])
    assert "预约码" in client.get(url).content.decode()
    response = client.post(url, {"code": appointment.code})
    assert response.status_code == 302
    ticket = Ticket.objects.get(appointment=appointment)
    assert ticket.channel == Ticket.Channel.APPOINTMENT
    assert "预约 · " in client.get(response["Location"]).content.decode()

    client.force_login(hall.clerk2)
    response = act(client, hall.w2, "call_next")
    assert messages_of(response) == [f"已叫号：请{ticket.code}号到2号窗口办理"]
    walk_in.refresh_from_db()
    assert walk_in.state == states.WAITING


def test_r_hall_7_check_in_errors_are_chinese(hall, client):
    pytest.importorskip("onewindow.hall.appointments")
    enroll_terminal(client, hall.linxia_center)
    url = reverse("portal:terminal_checkin", args=[hall.linxia_center.pk])
    response = client.post(url, {"code": ""})
    assert response.status_code == 422 and "请输入预约码。" in response.content.decode()
    response = client.post(url, {"code": "NOPE0000"})
    assert response.status_code == 404 and "未找到该预约" in response.content.decode()
    appointment = _book_now(hall, timezone.localtime())
    kangle = Client()  # 康乐县's own terminal
    enroll_terminal(kangle, hall.kangle_center, code="KL-T-01")
    response = kangle.post(
        reverse("portal:terminal_checkin", args=[hall.kangle_center.pk]), {"code": appointment.code}
    )
    assert response.status_code == 409 and "请到该中心签到" in response.content.decode()


def test_r_hall_7_terminal_hours_follow_the_center_rules(hall, settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = True
    assert selectors.hall_is_open(hall.linxia_center, SATURDAY_MORNING) is False
    friday = timezone.make_aware(
        datetime.combine(SATURDAY_MORNING.date() - timedelta(days=1), time(10, 0))
    )
    assert selectors.hall_is_open(hall.linxia_center, friday) is True
