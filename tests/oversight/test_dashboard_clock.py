"""R-SUP-4: the dashboard's running, warned and overdue cases are read on the case row
(its promised due date and the sweep's level) and say what the case pages say.

The desk's matter promises 3 working days; November 2026 has no days off (11-16 is a
Monday). One sweep passes on 11-18 at 08:00; the dashboard is read on 11-19."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onewindow.cases import services
from onewindow.cases.models import Case, overdue_q, warned_q
from onewindow.cases.sweep import sweep
from onewindow.core.scope import scope_for
from onewindow.oversight.selectors.dashboard import dashboard, node_get
from tests.cases.conftest import all_required, desk  # noqa: F401  (the desk fixture)
from tests.catalog.conftest import cat  # noqa: F401  (the catalog fixture)


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def accepted(desk, day: str) -> Case:  # noqa: F811
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
        now=at(day, 9),
    )
    return services.case_accept(actor=desk.clerk, case=case, now=at(day))


@pytest.mark.django_db
def test_r_sup_4_running_warned_and_overdue_match_a_hand_count(desk):  # noqa: F811
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
    decided = accepted(desk, "2026-11-02")  # decided: not running
    services.case_start_review(actor=desk.approver, case=decided, now=at("2026-11-03", 9))
    services.case_decide(
        actor=desk.approver, case=decided, approve=True, note="", now=at("2026-11-03", 10)
    )
    done = sweep(now=at("2026-11-18", 8))
    fresh = accepted(desk, "2026-11-18")  # due 11-23, after the sweep: nothing recorded
    assert done.overdue >= 1 and done.warned >= 2

    levels = dict(Case.objects.values_list("pk", "warning_level"))
    assert levels[alarmed.pk] == 2 and levels[late.pk] == 1 and levels[warned.pk] == 1
    assert levels[paused.pk] == 0 and levels[fresh.pk] == 0
    assert Case.objects.get(pk=paused.pk).state == "correcting"

    scope = scope_for(desk.county_admin)
    for param in (f"d{desk.linxia_market.pk}", f"c{desk.linxia_center.pk}"):
        board = dashboard(
            scope=scope, node=node_get(scope=scope, param=param), now=at("2026-11-19", 15)
        )
        # running: alarmed, late, warned, paused, fresh (not the decided one)
        assert board.cases.running == 5, param
        # warned: only the one still within its day (late is past its due date)
        assert board.cases.warned == 1, param
        # overdue: alarmed (the sweep's level) and late (its due date passed since)
        assert board.cases.overdue == 2, param

    # The same flags as the case pages' rule on the deadlines (``overdue_q``/``warned_q``).
    today = dt.date(2026, 11, 19)
    running = Case.objects.filter(state__in=["accepted", "in_review", "correcting"])
    assert set(running.filter(warned_q(today)).values_list("pk", flat=True)) == {warned.pk}
    assert set(running.filter(overdue_q(today)).values_list("pk", flat=True)) == {
        alarmed.pk,
        late.pk,
    }
