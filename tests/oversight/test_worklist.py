"""待办 at the top of the workspace: what waits for the reader, with what is near or
past its limit (R-CASE-4), only within the reader's scope, and each line opening the
list it counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from onewindow.cases import services
from onewindow.cases.sweep import sweep
from onewindow.core.scope import scope_for
from onewindow.oversight.selectors.worklist import worklist
from tests.cases.conftest import desk  # noqa: F401  (fixtures)
from tests.cases.test_supervision import accepted, at, reviewed
from tests.catalog.conftest import cat  # noqa: F401

pytestmark = pytest.mark.django_db


def lines(user, today):
    return {line.key: line for line in worklist(user, scope_for(user), today=today)}


def test_r_case_4_the_approver_sees_their_cases_turn_near_then_past_the_limit(desk):
    """Accepted Tue 2026-09-29, promised 3 working days: due Fri 10-09 (National Day
    week off). The sweep warns two working days ahead and alarms after the due date."""
    reviewed(desk, day="2026-09-29")
    quiet = lines(desk.approver, dt.date(2026, 9, 30))["case_queue"]
    assert (quiet.count, quiet.near, quiet.late, quiet.tone) == (1, 0, 0, "")
    assert quiet.url == reverse("cases:queue") + "?who=mine"

    sweep(now=at("2026-10-08", 8))
    near = lines(desk.approver, dt.date(2026, 10, 8))["case_queue"]
    assert (near.count, near.near, near.late, near.tone) == (1, 1, 0, "warn")

    sweep(now=at("2026-10-12", 8))
    late = lines(desk.approver, dt.date(2026, 10, 12))["case_queue"]
    assert (late.count, late.near, late.late, late.tone) == (1, 0, 1, "bad")


def test_r_case_4_a_decided_case_leaves_the_list(desk):
    case = reviewed(desk, day="2026-09-29")
    services.case_decide(actor=desk.approver, case=case, approve=True, now=at("2026-09-30"))
    assert "case_queue" not in lines(desk.approver, dt.date(2026, 9, 30))


def test_r_case_4_the_worklist_keeps_to_the_reader_s_scope(desk):
    """Another department's approver, the window clerk and another county's admin see
    nothing of the market department's case."""
    reviewed(desk, day="2026-09-29")
    for user in (desk.police_approver, desk.clerk, desk.kangle_admin):
        assert "case_queue" not in lines(user, dt.date(2026, 10, 12)), user


def test_r_case_4_an_unassigned_case_shows_as_the_department_s(desk):
    """Accepted but not yet taken by anyone: the department's line, opening that tab."""
    accepted(desk, "2026-09-29")
    line = lines(desk.approver, dt.date(2026, 9, 30))["case_queue"]
    assert (line.label, line.count) == ("本部门未分派办件", 1)
    assert line.url.endswith("?who=unassigned")


def test_r_case_4_the_workspace_shows_the_line_and_it_opens_the_same_cases(client, desk):
    case = reviewed(desk)
    client.force_login(desk.approver)
    page = client.get(reverse("workspace")).content.decode()
    assert 'data-key="case_queue"' in page
    assert "我的待办办件" in page
    queue = client.get(reverse("cases:queue") + "?who=mine").content.decode()
    assert case.number in queue

    client.force_login(desk.police_approver)
    page = client.get(reverse("workspace")).content.decode()
    assert 'data-key="case_queue"' not in page
    assert "眼下没有等您处理的事项" in page
