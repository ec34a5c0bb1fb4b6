"""A hall and a published matter at 临夏县's center: visits finished at a window and
cases concluded by the department, ready to be reviewed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onewindow.cases import services as case_services
from onewindow.hall import services as hall_services
from tests.cases.conftest import all_required, desk  # noqa: F401
from tests.catalog.conftest import cat  # noqa: F401
from tests.hall.conftest import hall  # noqa: F401


@pytest.fixture(autouse=True)
def _hall_open_all_day(settings):
    """Office hours have their own tests in the hall; here visits happen at any time."""
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute))


def finish_visit(ev, *, window=None, clerk=None, now=None, case=False):
    """A citizen takes a ticket, is called at the window and the clerk finishes it."""
    window = window or ev.w1
    clerk = clerk or ev.clerk
    now = now or timezone.now()
    ticket = hall_services.ticket_issue(center=ev.linxia_center, category=ev.cat_a, now=now)
    ticket = hall_services.ticket_call(actor=clerk, window=window, ticket=ticket, now=now)
    ref = ""
    if case:
        made = case_services.case_intake(
            actor=clerk,
            listing=ev.listing,
            applicant=ev.applicant,
            materials=all_required(ev),
            ticket=ticket,
            now=now,
        )
        ref = made.number
        ticket.refresh_from_db()
    return hall_services.ticket_finish(
        actor=clerk, window=window, ticket=ticket, case_ref=ref, now=now + dt.timedelta(minutes=5)
    )


def concluded_case(ev, *, now=None):
    now = now or timezone.now()
    case = case_services.case_intake(
        actor=ev.clerk,
        listing=ev.listing,
        applicant=ev.applicant,
        materials=all_required(ev),
        now=now,
    )
    case = case_services.case_accept(actor=ev.clerk, case=case, now=now)
    case = case_services.case_start_review(actor=ev.approver, case=case, now=now)
    return case_services.case_decide(actor=ev.approver, case=case, approve=True, now=now)


@pytest.fixture
def ev(desk, hall):  # noqa: F811
    return desk
