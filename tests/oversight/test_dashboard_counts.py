"""R-SUP-4: the dashboard's running, warned and overdue cases read the open-case counts
the database triggers keep (``cases/open_counts.py``). After creates, steps, the
sweep's levels, moves between departments and centers, and deletes, the counts give
what a count of the case rows gives (``running_counts``, the case pages' flags) on
every day read, for each department and center; the sweep's fold changes no figure;
``rebuild-rollups`` recounts the same rows. The same for today's tickets per center
and state (``hall/day_counts.py``).

The desk's matter promises 3 working days; November 2026 has no days off."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from onewindow.cases import open_counts, services
from onewindow.cases.models import Case, CaseOpenCount
from onewindow.cases.models.counts import DATED
from onewindow.cases.selectors.queues import running_counts
from onewindow.cases.sweep import sweep
from onewindow.core.scope import scope_for
from onewindow.hall import day_counts
from onewindow.hall import services as hall_services
from onewindow.hall.models import ServiceCategory, Ticket, TicketDayCount
from onewindow.oversight.selectors.dashboard import dashboard, node_get
from tests.cases.conftest import all_required, desk  # noqa: F401  (the desk fixture)
from tests.catalog.conftest import cat  # noqa: F401  (the catalog fixture)
from tests.oversight.test_dashboard_clock import accepted, at

DAYS = [dt.date(2026, 11, d) for d in (3, 17, 18, 19, 20, 30)]


def subjects(desk):  # noqa: F811
    return [
        {"department": desk.linxia_market},
        {"department": desk.linxia_police},
        {"center": desk.linxia_center},
        {"center": desk.kangle_center},
        {},
    ]


def assert_counts_match(desk, days=DAYS):  # noqa: F811
    for where in subjects(desk):
        for day in days:
            kept = open_counts.figures(CaseOpenCount.objects.filter(**where), day)
            counted = running_counts(Case.objects.filter(**where).order_by(), day)
            assert kept == counted, (where, day)


def table() -> Counter:
    """The counts without stripes, rows at zero left out."""
    out: Counter = Counter()
    for c, d, g, due, n in CaseOpenCount.objects.values_list(
        "center_id", "department_id", "grp", "due", "n"
    ):
        out[(c, d, g, due)] += n
    return +out


@pytest.mark.django_db
def test_r_sup_4_open_counts_equal_a_hand_count(desk):  # noqa: F811
    alarmed = accepted(desk, "2026-11-02")  # due 11-05: alarmed by the sweep (level 2)
    late = accepted(desk, "2026-11-13")  # due 11-18: warned by the sweep, overdue since
    warned = accepted(desk, "2026-11-16")  # due 11-19: warned, still within its day
    paused = accepted(desk, "2026-11-16")  # due 11-19, but its clock stands
    services.case_start_review(actor=desk.approver, case=paused, now=at("2026-11-16", 11))
    services.case_ask_correction(
        actor=desk.approver,
        case=paused,
        due=dt.date(2026, 12, 30),
        items=[{"note": "经营范围表述不规范"}],
        now=at("2026-11-16", 12),
    )
    decided = accepted(desk, "2026-11-02")  # decided: no longer counted
    services.case_start_review(actor=desk.approver, case=decided, now=at("2026-11-03", 9))
    assert_counts_match(desk)
    services.case_decide(
        actor=desk.approver, case=decided, approve=True, note="", now=at("2026-11-03", 10)
    )
    assert_counts_match(desk)
    sweep(now=at("2026-11-18", 8))  # levels recorded; the first sweep of the day folds
    fresh = accepted(desk, "2026-11-18")  # due 11-23
    assert_counts_match(desk)

    # The hand count of the dashboard's panel on 11-19 (as the case rows say it).
    scope = scope_for(desk.county_admin)
    for param in (f"d{desk.linxia_market.pk}", f"c{desk.linxia_center.pk}"):
        node = node_get(scope=scope, param=param)
        board = dashboard(scope=scope, node=node, now=at("2026-11-19", 15))
        # running: alarmed, late, warned, paused, fresh; warned: warned; overdue: alarmed, late
        assert (board.cases.running, board.cases.warned, board.cases.overdue) == (5, 1, 2)

    kept_before = table()
    # A move to another department of the center, then to another center.
    Case.objects.filter(pk=warned.pk).update(department=desk.linxia_police)
    assert_counts_match(desk)
    Case.objects.filter(pk=late.pk).update(center=desk.kangle_center, department=desk.kangle_market)
    assert_counts_match(desk)
    moved = open_counts.figures(CaseOpenCount.objects.filter(center=desk.kangle_center), DAYS[3])
    assert moved == {"running": 1, "warned": 0, "overdue": 1}
    # State changes out of and back into the open states, a due date moved, a level
    # raised, a decision recorded after the due date on an open case.
    Case.objects.filter(pk=fresh.pk).update(state="delivered")
    assert_counts_match(desk)
    Case.objects.filter(pk=fresh.pk).update(state="in_review", due=dt.date(2026, 11, 25))
    Case.objects.filter(pk=paused.pk).update(warning_level=1)
    Case.objects.filter(pk=alarmed.pk).update(warning_level=0, decided_at=at("2026-11-10"))
    assert_counts_match(desk)
    # A draft is not counted; a case inserted and deleted leaves the counts as they were.
    copy = Case.objects.get(pk=warned.pk)
    copy.pk, copy.number, copy.token, copy.deadline_id = None, "COPY-1", "copy-token-1", None
    copy.statutory_deadline_id = None
    copy.save()
    assert_counts_match(desk)
    Case.objects.filter(pk=copy.pk).update(state="draft")
    assert_counts_match(desk)
    Case.objects.filter(pk=copy.pk).update(state="accepted")
    Case.objects.filter(pk=copy.pk).delete()
    assert_counts_match(desk)
    assert table() != kept_before  # the moves above did move counts

    # ``rebuild-rollups`` recounts the same rows from the cases.
    kept = table()
    call_command("rebuild_rollups", verbosity=0)
    assert table() == kept
    assert_counts_match(desk)

    # The fold moves past due dates into one row per stripe: no figure from that day on
    # changes, no running row before it stays.
    today = dt.date(2026, 11, 19)
    before = {d: open_counts.figures(CaseOpenCount.objects.all(), d) for d in DAYS if d >= today}
    assert open_counts.fold(today) >= 1
    after = {d: open_counts.figures(CaseOpenCount.objects.all(), d) for d in DAYS if d >= today}
    assert after == before
    assert not CaseOpenCount.objects.filter(grp__in=DATED, due__lt=today).exists()
    assert not CaseOpenCount.objects.filter(n=0).exists()
    # A case of a folded date changed after the fold still counts right.
    Case.objects.filter(pk=late.pk).update(state="delivered")
    assert_counts_match(desk, [d for d in DAYS if d >= today])


def ticket_table() -> Counter:
    kept: Counter = Counter()
    day_counts.settle()  # PostgreSQL counts at the commit; the test is one transaction
    for c, day, state, n in TicketDayCount.objects.values_list("center_id", "day", "state", "n"):
        kept[(c, day, state)] += n
    return +kept


def ticket_hand_count() -> Counter:
    counted: Counter = Counter()
    for c, day, state in Ticket.objects.values_list("center_id", "day", "state"):
        counted[(c, day, state)] += 1
    return counted


@pytest.mark.django_db
def test_r_sup_4_ticket_day_counts_equal_a_hand_count(net, settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False
    now = at("2026-11-19", 10)
    today = timezone.localdate(now)
    cats = {
        center.pk: ServiceCategory.objects.create(center=center, letter="A", name="综合", order=1)
        for center in (net.linxia_center, net.kangle_center)
    }
    tickets = [
        hall_services.ticket_issue(
            center=center, category=cats[center.pk], now=now - dt.timedelta(minutes=40 - i)
        )
        for i, center in enumerate([net.linxia_center] * 4 + [net.kangle_center] * 2)
    ]
    assert ticket_table() == ticket_hand_count()
    # Served, moved to another day and to another center, deleted.
    Ticket.objects.filter(pk__in=[tickets[0].pk, tickets[4].pk]).update(state="done")
    Ticket.objects.filter(pk=tickets[1].pk).update(day=today - dt.timedelta(days=1))
    Ticket.objects.filter(pk=tickets[5].pk).update(center=net.linxia_center)
    assert ticket_table() == ticket_hand_count()
    Ticket.objects.filter(pk=tickets[3].pk).delete()
    assert ticket_table() == ticket_hand_count()

    # The dashboard's hall panel of 临夏县's center: waiting 2 (tickets 2 and 5), served 1.
    scope = scope_for(net.root)
    node = node_get(scope=scope, param=f"c{net.linxia_center.pk}")
    hall = dashboard(scope=scope, node=node, now=now).hall
    assert (hall.waiting, hall.served_today) == (2, 1)
    assert hall.longest_wait_minutes == 38  # ticket 2, issued 38 minutes before

    kept = ticket_table()
    call_command("rebuild_rollups", verbosity=0)
    assert ticket_table() == kept == ticket_hand_count()

    # A migration that remakes a table (SQLite) loses its triggers: the next migrate's
    # post_migrate puts them back and recounts.
    with connection.cursor() as cursor:
        for statement in day_counts.drop_sql(connection.vendor):
            cursor.execute(statement)
    Ticket.objects.filter(pk=tickets[2].pk).update(state="done")  # no trigger: not counted
    assert ticket_table() != ticket_hand_count()
    day_counts.drop_orphans(using="default")
    assert ticket_table() == ticket_hand_count()
    Ticket.objects.filter(pk=tickets[2].pk).update(state="waiting")  # the trigger is back
    assert ticket_table() == ticket_hand_count()
    # The same for the cases' triggers (no case here: the triggers are back, none counted).
    with connection.cursor() as cursor:
        for statement in open_counts.drop_sql(connection.vendor):
            cursor.execute(statement)
    open_counts.drop_orphans(using="default")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'cases_case_open%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'cases_case_open%'")
        assert {r[0] for r in cursor.fetchall()} == set(open_counts.TRIGGERS)
    assert not CaseOpenCount.objects.exists()
