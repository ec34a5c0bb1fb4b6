"""A department's queue one page at a time (R-CASE-4), by keyset: the page after a case
starts right after that case's place in the queue's order (due date, paused last; then
acceptance time; then id), so a page is one range of the partial index
``case_department_queue_idx`` read from its start, whatever page it is: no count of the
queue and no OFFSET. The cursor (``?after=``) carries the last case's three sort values,
so a page stays where it was when cases before it leave the queue meanwhile.

One row more than the page is read to know whether a next page exists. Only the columns
the page shows are loaded (the case row, its matter's and applicant's names, its
assignee's name and its two deadlines)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.db.models import Q

from onewindow.cases import horizon
from onewindow.cases.models import Case
from onewindow.cases.selectors.queues import department_queue
from onewindow.core.errors import InvalidInput

PAGE_SIZE = 30
NONE = "-"
_CURSOR = re.compile(r"^(\d{8}|-)\.(\d{1,19}|-)\.(\d{1,19})$")

# What the queue page shows of each case and its related rows.
SHOWN = (
    "number",
    "state",
    "due",
    "accepted_at",
    "decided_at",
    "warning_level",
    "assignee_id",
    "deadline_id",
    "statutory_deadline_id",
    "matter__name",
    "applicant__name",
    "assignee__username",
    "assignee__full_name",
    "deadline__due",
    "deadline__paused",
    "deadline__provisional",
    "statutory_deadline__due",
    "statutory_deadline__paused",
)


@dataclass(frozen=True)
class Cursor:
    """A place in the queue's order: the sort values of the last case of a page."""

    due: date | None
    accepted_at: datetime | None
    pk: int

    @classmethod
    def of(cls, case: Case) -> Cursor:
        return cls(case.due, case.accepted_at, case.pk)

    def encode(self) -> str:
        due = self.due.strftime("%Y%m%d") if self.due else NONE
        at = NONE
        if self.accepted_at is not None:
            delta = self.accepted_at - datetime(1970, 1, 1, tzinfo=UTC)
            at = str((delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds)
        return f"{due}.{at}.{self.pk}"

    @classmethod
    def parse(cls, raw: str) -> Cursor:
        """A cursor from ``?after=``; ``InvalidInput`` for anything this page never wrote."""
        found = _CURSOR.match((raw or "").strip())
        try:
            if found is None:
                raise ValueError(raw)
            due_raw, at_raw, pk_raw = found.groups()
            due = None if due_raw == NONE else datetime.strptime(due_raw, "%Y%m%d").date()
            at = None
            if at_raw != NONE:
                micro = int(at_raw)
                at = datetime.fromtimestamp(micro // 1_000_000, UTC).replace(
                    microsecond=micro % 1_000_000
                )
            return cls(due, at, int(pk_raw))
        except (ValueError, OverflowError, OSError):
            message = "翻页参数不正确，已回到第一页。"
            raise InvalidInput("queue.bad_cursor", message, {"after": message}) from None

    def after_q(self) -> Q:
        """The cases after this place in the order (due and acceptance nulls last)."""
        if self.accepted_at is None:
            same_due = Q(accepted_at__isnull=True, pk__gt=self.pk)
        else:
            same_due = (
                Q(accepted_at__gt=self.accepted_at)
                | Q(accepted_at__isnull=True)
                | Q(accepted_at=self.accepted_at, pk__gt=self.pk)
            )
        if self.due is None:
            return Q(due__isnull=True) & same_due
        return Q(due__gt=self.due) | Q(due__isnull=True) | (Q(due=self.due) & same_due)


@dataclass
class QueuePage:
    cases: list[Case] = field(default_factory=list)
    after: str = ""  # the cursor this page was read after ("" on the first page)
    next_after: str | None = None  # the cursor of the next page (None: this is the last)

    @property
    def first(self) -> bool:
        return not self.after


def department_queue_page(
    scope,
    department_id: int,
    *,
    user=None,
    who: str = "all",
    after: str | None = None,
    size: int | None = None,
) -> QueuePage:
    """One page of the department's queue (``queues.department_queue``'s cases and
    order) after the cursor ``after`` (none: the first page). ``InvalidInput`` for a
    cursor this page never wrote."""
    size = size or PAGE_SIZE
    cursor = Cursor.parse(after) if after else None
    rows = list(page_query(scope, department_id, user=user, who=who, cursor=cursor, size=size))
    page = QueuePage(cases=rows[:size], after=cursor.encode() if cursor else "")
    if len(rows) > size:
        page.next_after = Cursor.of(rows[size - 1]).encode()
    return page


def page_query(
    scope, department_id: int, *, user=None, who: str = "all", cursor=None, size: int = PAGE_SIZE
):
    """The query of one page: the page's rows and one more, after ``cursor``."""
    cases = department_queue(scope, department_id, user=user, who=who).only(*SHOWN)
    months = horizon.window()
    if months is not None:  # partitioned by month: only the months open cases are in
        cases = cases.filter(received_at__gte=months[0], received_at__lt=months[1])
    if cursor is not None:
        cases = cases.filter(cursor.after_q())
    return cases[: size + 1]
