"""R-CASE-4 with two deadline sweeps at once: each crossing (a case reaching the warning
or the alarm) is recorded exactly once — one alert, one event, one audit row — and
counted by one of the two passes. Real threads, each with its own database connection
(PostgreSQL: the sweep's advisory lock; SQLite: its IMMEDIATE transactions).

Dates: the desk's matter promises 3 working days; official 2026 data has 10-01..10-07
off and Sat 10-10 a working day."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onewindow.cases import crossings, open_counts, services
from onewindow.cases import sweep as sweep_module
from onewindow.cases.models import Case, CaseAlert, CaseEvent, CaseOpenCount
from onewindow.cases.selectors.queues import running_counts
from onewindow.cases.sweep import SweepResult, sweep
from onewindow.core.models import AuditEvent
from tests.cases.conftest import all_required

pytestmark = pytest.mark.django_db(transaction=True)

NOW = "2026-10-12"  # a Monday
RECORDS = ('"cases_casealert"', '"cases_caseevent"', '"core_auditevent"', "cases_caseopencount")


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def accepted_on(desk, day: str) -> Case:
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
        now=at(day, 9),
    )
    return services.case_accept(actor=desk.clerk, case=case, now=at(day))


def world(desk) -> dict[str, Case]:
    """On Mon 10-12 at 8: ``late`` (due Fri 10-09, never warned) and ``warned`` (due
    10-09, warned on 09-30) are past due; ``today`` (due 10-12) and ``tomorrow`` (due
    Tue 10-13, one working day left) reach the warning; ``far`` nothing."""
    warned = accepted_on(desk, "2026-09-29")
    assert sweep(now=at("2026-09-30", 8)).warned == 1
    cases = {
        "warned": warned,
        "late": accepted_on(desk, "2026-09-29"),
        "today": accepted_on(desk, "2026-10-08"),
        "tomorrow": accepted_on(desk, "2026-10-09"),
        "far": accepted_on(desk, "2026-11-20"),
    }
    dues = {k: Case.objects.get(pk=c.pk).due for k, c in cases.items()}
    assert dues == {
        "warned": dt.date(2026, 10, 9),
        "late": dt.date(2026, 10, 9),
        "today": dt.date(2026, 10, 12),
        "tomorrow": dt.date(2026, 10, 13),
        "far": dt.date(2026, 11, 25),
    }
    return cases


def recorded(cases: dict[str, Case]) -> dict[str, list[int]]:
    return {
        name: sorted(CaseAlert.objects.filter(case=case).values_list("level", flat=True))
        for name, case in cases.items()
    }


def assert_each_crossing_once(cases: dict[str, Case]) -> None:
    assert recorded(cases) == {
        "warned": [1, 2],
        "late": [1, 2],
        "today": [1],
        "tomorrow": [1],
        "far": [],
    }
    pks = [c.pk for c in cases.values()]
    events = Counter(
        CaseEvent.objects.filter(case_id__in=pks, action="alert").values_list("case_id", "note")
    )
    assert set(events.values()) == {1} and len(events) == 6
    audits = Counter(
        (target, after["level"], after["due"])
        for target, after in AuditEvent.objects.filter(
            action="case.alert", target_type="cases.case"
        ).values_list("target_id", "after")
    )
    assert set(audits.values()) == {1} and len(audits) == 6
    levels = {
        name: Case.objects.filter(pk=c.pk).values_list("warning_level", "line__alert_on").get()
        for name, c in cases.items()
    }
    assert levels["late"] == (2, None) and levels["warned"] == (2, None)
    assert levels["today"] == (1, dt.date(2026, 10, 13))
    assert levels["tomorrow"] == (1, dt.date(2026, 10, 14))


def run_threads(targets) -> None:
    errors: list[BaseException] = []

    def wrap(fn):
        def inner():
            try:
                fn()
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                connections.close_all()

        return inner

    threads = [threading.Thread(target=wrap(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a sweep hung"
    if errors:
        raise errors[0]


def test_r_case_4_two_sweeps_at_once_record_each_crossing_exactly_once(desk, monkeypatch):
    cases = world(desk)
    # One range per case: many transactions.
    monkeypatch.setattr(sweep_module, "CHUNK", 1)
    monkeypatch.setattr(sweep_module, "PG_CHUNK", 1)
    barrier = threading.Barrier(2)
    results: list[SweepResult] = []

    def one_sweep():
        barrier.wait()
        results.append(sweep(now=at(NOW, 8)))

    run_threads([one_sweep, one_sweep])
    assert sum(r.warned for r in results) == 2
    assert sum(r.overdue for r in results) == 2
    assert_each_crossing_once(cases)
    again = sweep(now=at(NOW, 9))
    assert (again.warned, again.overdue, again.examined) == (0, 0, 0)


def test_r_case_4_a_sweep_waits_for_the_claim_of_another_and_then_records_nothing(desk):
    cases = world(desk)
    holding, release = threading.Event(), threading.Event()
    first: list[SweepResult] = []
    second: list[SweepResult] = []

    def holder():
        with transaction.atomic():
            crossings.claim()
            # SQLite: the IMMEDIATE transaction holds the write lock once it writes.
            Case.objects.filter(pk=cases["far"].pk).update(decision_note="")
            holding.set()
            release.wait(30)
            first.append(sweep(now=at(NOW, 8)))

    def waiter():
        holding.wait(30)
        second.append(sweep(now=at(NOW, 8)))

    def referee():
        holding.wait(30)
        time.sleep(0.5)
        # The second pass is waiting for the claim: nothing recorded yet.
        assert not second and not CaseAlert.objects.filter(level=2).exists()
        release.set()

    run_threads([holder, waiter, referee])
    assert (first[0].warned, first[0].overdue, first[0].examined) == (2, 2, 4)
    assert (second[0].warned, second[0].overdue) == (0, 0)
    assert_each_crossing_once(cases)


def counts_match(day: dt.date) -> bool:
    kept = open_counts.figures(CaseOpenCount.objects.all(), day)
    return kept == running_counts(Case.objects.order_by(), day)


def test_r_case_4_the_first_run_moves_levels_records_and_counts_in_one_statement(desk):
    """PostgreSQL: the moves, the alerts, events and audit rows, the lines and the
    open-case counts of a range in one statement (the count trigger does not fire for
    it, and fires again for the next update in the same transaction); SQLite: a few
    statements. Either way each crossing is recorded once and the counts stay true."""
    cases = world(desk)
    today = dt.date(2026, 10, 12)
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        result = sweep(now=at(NOW, 8))
        # The trigger counts the next update again, in the same transaction.
        Case.objects.filter(pk=cases["far"].pk).update(state="delivered")
    assert (result.warned, result.overdue, result.examined) == (2, 2, 4)
    writes = [
        q["sql"]
        for q in captured.captured_queries
        if 'UPDATE "cases_case"' in q["sql"] and "warning_level" in q["sql"]
    ]
    if connection.vendor == "postgresql":
        assert len(writes) == 1
        assert all(f"INSERT INTO {t}" in writes[0] for t in RECORDS)
    assert_each_crossing_once(cases)
    assert counts_match(today) and counts_match(today + dt.timedelta(days=1))
