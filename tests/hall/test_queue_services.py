"""R-HALL-1, R-HALL-2, R-HALL-5: windows, sign-in, the queue's actions and their rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.hall import services, states
from onewindow.hall.models import Ticket, Window
from onewindow.hall.selectors.windows import authorized, open_session


def issue(net, cat=None, **kw):
    return services.ticket_issue(center=net.linxia_center, category=cat or net.cat_a, **kw)


def test_r_hall_2_numbers_per_category_and_day_with_the_letter(hall):
    a1, a2, b1 = issue(hall), issue(hall), issue(hall, hall.cat_b)
    assert [a1.code, a2.code, b1.code] == ["A001", "A002", "B001"]
    tomorrow = timezone.now() + timedelta(days=1)
    assert issue(hall, now=tomorrow).code == "A001"
    event = AuditEvent.objects.get(action="ticket.issue", target_id=str(a1.pk))
    assert event.after["code"] == "A001" and event.center == hall.linxia_center


def test_r_hall_2_green_channel_needs_a_known_reason_and_is_called_first(hall):
    with pytest.raises(InvalidInput):
        issue(hall, priority_reason="vip")
    with pytest.raises(InvalidInput):
        issue(hall, priority_reason="other")
    normal = issue(hall)
    elderly = issue(hall, priority_reason="elderly")
    called = services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    assert called == elderly and called.state == states.CALLED and called.window == hall.w2
    assert Ticket.objects.get(pk=normal.pk).state == states.WAITING


def test_r_hall_2_a_window_with_nobody_signed_in_calls_nothing(hall):
    issue(hall)
    services.window_sign_out(actor=hall.clerk2, window=hall.w2)
    with pytest.raises(Conflict) as exc:
        services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    assert exc.value.code == "window.not_signed_in"
    with pytest.raises(Conflict):  # another clerk cannot call from a window they are not at
        services.ticket_call_next(actor=hall.clerk, window=hall.w2)


def test_r_hall_2_a_window_holds_one_ticket_at_a_time(hall):
    issue(hall)
    issue(hall)
    services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    with pytest.raises(Conflict) as exc:
        services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    assert exc.value.code == "window.busy"


def test_r_hall_2_recall_is_counted_and_over_the_limit_becomes_a_no_show(hall):
    issue(hall)
    ticket = services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    for n in range(1, 4):
        ticket = services.ticket_recall(actor=hall.clerk2, window=hall.w2, ticket=ticket)
        assert ticket.state == states.CALLED and ticket.recall_count == n
    ticket = services.ticket_recall(actor=hall.clerk2, window=hall.w2, ticket=ticket)
    assert ticket.state == states.NO_SHOW and ticket.window is None


def test_r_hall_2_a_no_show_returns_within_grace_to_its_place(hall):
    first = issue(hall)
    second = issue(hall)
    called = services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    assert called == first
    services.ticket_skip(actor=hall.clerk2, window=hall.w2, ticket=called)
    services.ticket_return(ticket=called, now=timezone.now() + timedelta(minutes=5))
    assert (
        services.ticket_call_next(actor=hall.clerk2, window=hall.w2) == first
    )  # arrived before second
    services.ticket_skip(actor=hall.clerk2, window=hall.w2, ticket=first)
    with pytest.raises(Conflict) as exc:
        services.ticket_return(ticket=first, now=timezone.now() + timedelta(minutes=31))
    assert exc.value.code == "ticket.grace_over"
    assert Ticket.objects.get(pk=second.pk).state == states.WAITING


def test_r_hall_2_undo_puts_a_mistaken_call_back_in_its_place_within_seconds(hall):
    first, second = issue(hall), issue(hall)
    called = services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    services.ticket_undo(actor=hall.clerk2, window=hall.w2, ticket=called)
    assert Ticket.objects.get(pk=first.pk).state == states.WAITING
    again = services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    assert again == first
    with pytest.raises(Conflict) as exc:
        services.ticket_undo(
            actor=hall.clerk2,
            window=hall.w2,
            ticket=again,
            now=timezone.now() + timedelta(seconds=60),
        )
    assert exc.value.code == "ticket.undo_too_late"
    assert second.state == states.WAITING


def test_r_hall_2_transfer_hands_the_ticket_on_keeping_its_arrival(hall):
    early = issue(hall, hall.cat_a)
    later_b = issue(hall, hall.cat_b)
    ticket = services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    assert ticket == early
    moved = services.ticket_transfer(
        actor=hall.clerk2, window=hall.w2, ticket=ticket, to_category=hall.cat_b
    )
    assert moved.state == states.WAITING and moved.window is None and moved.code == "A001"
    assert moved.queue == hall.cat_b and moved.category == hall.cat_a
    # window 3 serves B: the transferred ticket arrived before B001, so it comes first
    assert services.ticket_call_next(actor=hall.clerk3, window=hall.w3) == early
    done = services.ticket_finish(actor=hall.clerk3, window=hall.w3, ticket=early)
    assert done.served_window == hall.w3 and done.transfer_count == 1
    assert Ticket.objects.get(pk=later_b.pk).state == states.WAITING


def test_r_hall_2_transfer_to_a_named_window(hall):
    issue(hall, hall.cat_a)
    ticket = services.ticket_call_next(actor=hall.clerk2, window=hall.w2)
    services.ticket_transfer(actor=hall.clerk2, window=hall.w2, ticket=ticket, to_window=hall.w3)
    # window 3 does not serve A, but the ticket was sent to it by name
    assert services.ticket_call_next(actor=hall.clerk3, window=hall.w3) == ticket
    with pytest.raises(InvalidInput):
        services.ticket_transfer(actor=hall.clerk3, window=hall.w3, ticket=ticket)


def test_r_hall_2_calling_a_chosen_ticket_from_the_waiting_list(hall):
    issue(hall, hall.cat_a)
    chosen = issue(hall, hall.cat_a)
    b = issue(hall, hall.cat_b)
    assert services.ticket_call(actor=hall.clerk2, window=hall.w2, ticket=chosen) == chosen
    services.ticket_finish(actor=hall.clerk2, window=hall.w2, ticket=chosen)
    with pytest.raises(Conflict) as exc:
        services.ticket_call(actor=hall.clerk2, window=hall.w2, ticket=b)
    assert exc.value.code == "ticket.not_for_window"


def test_r_hall_2_finish_records_times_and_the_visit(hall, django_capture_on_commit_callbacks):
    received = []
    services.visit_finished.connect(
        lambda sender, ticket, **kw: received.append(ticket.pk), weak=False
    )
    now = timezone.now()
    if timezone.localdate(now + timedelta(minutes=12)) != timezone.localdate(now):
        now -= timedelta(minutes=15)  # the visit within one day: the queue is the day's
    issue(hall, now=now)
    ticket = services.ticket_call_next(
        actor=hall.clerk2, window=hall.w2, now=now + timedelta(minutes=4)
    )
    services.ticket_start(
        actor=hall.clerk2, window=hall.w2, ticket=ticket, now=now + timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        done = services.ticket_finish(
            actor=hall.clerk2,
            window=hall.w2,
            ticket=ticket,
            case_ref="LX20261126001",
            now=now + timedelta(minutes=12),
        )
    assert done.state == states.DONE and done.service_seconds == 7 * 60
    assert 3 * 60 < done.wait_seconds <= 4 * 60 + 5
    assert done.case_ref == "LX20261126001"
    assert received == [done.pk]
    with pytest.raises(Conflict):
        services.ticket_finish(actor=hall.clerk2, window=hall.w2, ticket=done)


def test_r_hall_1_window_kinds_and_categories_changeable_during_the_day(hall):
    with pytest.raises(ValidationError):
        Window(center=hall.linxia_center, number=9, scope="domain").full_clean()
    single = Window(center=hall.linxia_center, number=10, kind="single")
    with pytest.raises(ValidationError) as exc:
        single.full_clean()
    assert "single_reason" in str(exc.value)
    services.window_set_categories(actor=hall.county_admin, window=hall.w3, categories=[hall.cat_a])
    event = AuditEvent.objects.filter(action="window.set_categories").latest("id")
    assert event.before == {"categories": ["B"]} and event.after == {"categories": ["A"]}
    with pytest.raises(Forbidden):
        services.window_set_categories(actor=hall.clerk, window=hall.w3, categories=[hall.cat_b])


def test_r_hall_1_a_clerk_signs_in_at_one_window_at_a_time(hall):
    with pytest.raises(Conflict) as exc:
        services.window_sign_in(actor=hall.clerk, window=hall.w2)
    assert exc.value.code == "window.occupied"
    w4 = Window.objects.create(center=hall.linxia_center, number=4)
    services.window_sign_in(actor=hall.clerk, window=w4)  # moves from window 1
    assert open_session(hall.w1) is None
    with pytest.raises(Forbidden):
        services.window_sign_in(actor=hall.kangle_admin, window=hall.w1)


def test_r_hall_5_authorisation_of_what_a_clerk_may_accept_and_decide(hall, cat):
    matter = cat.matter
    assert not authorized(hall.clerk, matter)
    with pytest.raises(InvalidInput):
        services.authorization_set(
            actor=hall.county_admin,
            clerk=hall.clerk,
            matter=matter,
            may_accept=False,
            may_decide=True,
        )
    services.authorization_set(
        actor=hall.county_admin, clerk=hall.clerk, matter=matter, may_accept=True, may_decide=False
    )
    assert authorized(hall.clerk, matter) and not authorized(hall.clerk, matter, decide=True)
    services.authorization_set(
        actor=hall.county_admin, clerk=hall.clerk, matter=matter, may_accept=True, may_decide=True
    )
    assert authorized(hall.clerk, matter, decide=True)
    with pytest.raises(NotFound):
        services.authorization_set(
            actor=hall.kangle_admin,
            clerk=hall.clerk,
            matter=matter,
            may_accept=False,
            may_decide=False,
        )
    assert AuditEvent.objects.filter(action="authorization.set").count() == 2


def test_r_hall_2_tickets_are_refused_outside_office_hours(hall, settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = True
    saturday_morning = timezone.make_aware(timezone.datetime(2026, 11, 28, 10, 0))
    with pytest.raises(Conflict) as exc:
        issue(hall, now=saturday_morning)
    assert exc.value.code == "ticket.closed" and "办公时间" in exc.value.message
    friday_night = timezone.make_aware(timezone.datetime(2026, 11, 27, 21, 0))
    with pytest.raises(Conflict):
        issue(hall, now=friday_night)
    friday_morning = timezone.make_aware(timezone.datetime(2026, 11, 27, 10, 0))
    assert issue(hall, now=friday_morning).code == "A001"
    hall.cat_b.needs_clerk = False
    hall.cat_b.save()
    assert issue(hall, hall.cat_b, now=saturday_morning).code == "B001"
