"""A department's queue one page at a time (R-CASE-4): pages follow each other by a
cursor in the queue's deadline order (paused cases last), each read in one query with
no count and no OFFSET; a cursor the page never wrote shows the first page with a
message, never an error."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onewindow.cases.models import Case
from onewindow.cases.selectors import department_queue, queue_page
from onewindow.cases.services import supervision
from onewindow.cases.sweep import sweep
from onewindow.core import statements
from onewindow.core.errors import InvalidInput
from onewindow.core.scope import scope_for
from tests.cases.test_supervision import accepted, at, reviewed


@pytest.fixture
def queue(desk):
    """Six cases in the market department's queue: two share a due date and acceptance
    time (the id breaks the tie), one is paused (no due date: last)."""
    late = reviewed(desk, day="2026-11-02")
    paused = reviewed(desk, day="2026-11-03")
    supervision.case_special_start(
        actor=desk.approver, case=paused, kind="testing", reason="送检", now=at("2026-11-04")
    )
    twins = [reviewed(desk, day="2026-11-20"), reviewed(desk, day="2026-11-20")]
    fresh = accepted(desk, day="2026-11-24")
    soon = reviewed(desk, day="2026-11-10")
    sweep(now=at("2026-11-24", 9))
    desk.queue_order = [late.pk, soon.pk, *[c.pk for c in twins], fresh.pk, paused.pk]
    return desk


def _walk(scope, department_id, size):
    """Every page from the first, following ``next_after``; the ids of each page."""
    pages, after = [], None
    while True:
        page = queue_page.department_queue_page(scope, department_id, after=after, size=size)
        pages.append([c.pk for c in page.cases])
        if page.next_after is None:
            return pages
        after = page.next_after


def test_r_case_4_queue_pages_follow_by_cursor_in_deadline_order(queue):
    scope = scope_for(queue.approver)
    department_id = queue.linxia_market.pk
    order = queue.queue_order
    assert [c.pk for c in department_queue(scope, department_id)] == order
    for size in (1, 2, 4, 6, 30):
        pages = _walk(scope, department_id, size)
        assert [pk for page in pages for pk in page] == order, size
        assert all(len(page) == size for page in pages[:-1]) and pages[-1]
    # One statement per page: the queue's index range, one row more than the page, no
    # count and no OFFSET. On PostgreSQL a connection prepares it once (here afresh) and
    # then only executes it: a page read again is one round trip that sends no SQL.
    setattr(connection, statements.PREPARED_ATTRIBUTE, (object(), {}))
    with CaptureQueriesContext(connection) as captured:
        first = queue_page.department_queue_page(scope, department_id, size=2)
    sent = [q["sql"] for q in captured.captured_queries]
    (sql,) = [text for text in sent if not text.startswith("EXECUTE")]
    assert "LIMIT 3" in sql and "OFFSET" not in sql.upper() and "COUNT(" not in sql.upper()
    assert len(sent) == (2 if connection.vendor == "postgresql" else 1)
    with CaptureQueriesContext(connection) as captured:
        assert queue_page.department_queue_page(scope, department_id, size=2) == first
    (again,) = [q["sql"] for q in captured.captured_queries]
    assert again.startswith("EXECUTE") == (connection.vendor == "postgresql")
    assert first.first and first.after == "" and first.next_after
    second = queue_page.department_queue_page(scope, department_id, after=first.next_after, size=2)
    assert not second.first and [c.pk for c in second.cases] == order[2:4]
    # The cursor holds its place: the first case leaving the queue moves nothing after it.
    gone = Case.objects.get(pk=first.cases[0].pk)
    supervision.case_special_start(
        actor=queue.approver, case=gone, kind="testing", reason="送检", now=at("2026-11-24", 10)
    )
    again = queue_page.department_queue_page(scope, department_id, after=first.next_after, size=2)
    assert [c.pk for c in again.cases] == order[2:4]
    # Another department's reader gets no page of this department.
    other = queue_page.department_queue_page(scope_for(queue.police_approver), department_id)
    assert other.cases == [] and other.next_after is None
    for bad in ("x", "1.2", "20261301.-.5", "-.-.-1", "2026110.-.5", "99999999.-.1"):
        with pytest.raises(InvalidInput):
            queue_page.department_queue_page(scope, department_id, after=bad)


def test_r_case_4_queue_page_links_first_and_next_and_survives_a_bad_cursor(
    client, queue, monkeypatch
):
    monkeypatch.setattr(queue_page, "PAGE_SIZE", 4)
    client.force_login(queue.approver)
    url = f"/workspace/queue/?department={queue.linxia_market.pk}&who=all"
    first = client.get(url)
    html = first.content.decode()
    assert first.status_code == 200 and 'data-page="next"' in html
    assert 'data-page="first"' not in html
    cursor = first.context["page"].next_after
    second = client.get(url, {"after": cursor}).content.decode()
    assert 'data-page="first"' in second and 'data-page="next"' not in second
    shown = [c.pk for c in first.context["page"].cases]
    assert shown == queue.queue_order[:4]
    for bad in ("abc", "-.-.x", "1" * 40):
        response = client.get(url, {"after": bad})
        assert response.status_code == 200
        assert "翻页参数不正确" in response.content.decode()
        assert [c.pk for c in response.context["page"].cases] == shown


def test_r_case_4_queue_rows_show_what_their_cases_show(queue):
    """The page reads rows, not cases: each shows its case's number, state, names,
    deadlines and deadline flag as the case itself would."""
    scope = scope_for(queue.approver)
    rows = queue_page.department_queue_page(scope, queue.linxia_market.pk).cases
    assert [row.pk for row in rows] == queue.queue_order
    flags = set()
    for row in rows:
        case = Case.objects.get(pk=row.pk)
        for today in (at("2026-11-01").date(), at("2026-11-24").date(), at("2027-01-01").date()):
            assert row.deadline_flag_on(today) == case.deadline_flag_on(today)
            flags.add(row.deadline_flag_on(today))
        shown = (row.number, row.state, row.state_label, row.due, row.accepted_at)
        assert shown == (case.number, case.state, case.state_label, case.due, case.accepted_at)
        assert (row.matter.name, row.applicant.name) == (case.matter.name, case.applicant.name)
        assert str(row.assignee or "") == str(case.assignee or "")
        assert (row.assignee.pk if row.assignee else None) == case.assignee_id
        for mine, theirs in (
            (row.deadline, case.deadline),
            (row.statutory_deadline, case.statutory_deadline),
        ):
            assert (mine is None) == (theirs is None)
            if mine is not None:
                assert (mine.pk, mine.due, mine.paused) == (theirs.pk, theirs.due, theirs.paused)
        assert row.deadline is None or row.deadline.provisional == case.deadline.provisional
    assert {"overdue", ""} <= flags
