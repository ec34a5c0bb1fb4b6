"""A department's queue one page at a time (R-CASE-4), by keyset: the page after a case
starts right after that case's place in the queue's order (due date, paused last; then
acceptance time; then id), so a page is one range of the partial index
``case_department_queue_idx`` read from its start, whatever page it is: no count of the
queue and no OFFSET. The cursor (``?after=``) carries the last case's three sort values,
so a page stays where it was when cases before it leave the queue meanwhile.

One row more than the page is read to know whether a next page exists. Only the columns
the page shows are read (the case row, its matter's and applicant's names, its
assignee's name and its two deadlines), as rows (``QueueRow``), not model instances.
The statement is compiled by the ORM once per shape (the reader's scope, the
department, the tab, the cursor's shape; ``core.statements.statement``) and, on
PostgreSQL, prepared once per connection (``prepared_rows``): a page is then one
``EXECUTE`` with the cursor's values, neither compiled nor planned again."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.db.models import Q
from django.utils import timezone

from onewindow.cases import horizon, states
from onewindow.cases.models import Case, deadline_flag
from onewindow.cases.selectors.queues import covered_users, department_queue
from onewindow.core.errors import InvalidInput
from onewindow.core.statements import RowById, aware, prepared_rows, statement

PAGE_SIZE = 30
NONE = "-"
_CURSOR = re.compile(r"^(\d{8}|-)\.(\d{1,19}|-)\.(\d{1,19})$")

# What the page shows of each case and its related rows, in ``QueueRow``'s order.
SHOWN = (
    "id",
    "number",
    "state",
    "due",
    "accepted_at",
    "decided_at",
    "warning_level",
    "assignee_id",
    "matter__name",
    "applicant__name",
    "assignee__username",
    "assignee__full_name",
    "deadline_id",
    "deadline__due",
    "deadline__paused",
    "deadline__provisional",
    "statutory_deadline_id",
    "statutory_deadline__due",
    "statutory_deadline__paused",
)


@dataclass(frozen=True, slots=True)
class Named:
    name: str


@dataclass(frozen=True, slots=True)
class Assignee(RowById):
    id: int
    username: str
    full_name: str

    def __str__(self) -> str:  # as ``User.__str__``
        return self.full_name or self.username


@dataclass(frozen=True, slots=True)
class DeadlineRow(RowById):
    id: int
    due: date | None
    paused: bool
    provisional: bool = False


@dataclass(slots=True)
class QueueRow(RowById):
    """A case of the queue as its page shows it; ``away`` is set by the page (its
    assignee's absence and stand-in)."""

    id: int
    number: str
    state: str
    due: date | None
    accepted_at: datetime | None
    decided_at: datetime | None
    warning_level: int
    assignee_id: int | None
    matter: Named
    applicant: Named
    assignee: Assignee | None
    deadline: DeadlineRow | None
    statutory_deadline: DeadlineRow | None
    away: dict | None = None

    @property
    def state_label(self) -> str:
        return states.LABELS.get(self.state, self.state)

    def deadline_flag_on(self, today) -> str:
        due = self.deadline.due if self.deadline else None
        return deadline_flag(self.state, due, self.decided_at, self.warning_level, today)

    @property
    def deadline_flag(self) -> str:
        return self.deadline_flag_on(timezone.localdate())

    @classmethod
    def of(cls, row: tuple) -> QueueRow:
        (pk, number, state, due, accepted_at, decided_at, level, assignee_id, matter,
         applicant, username, full_name, deadline_id, deadline_due, deadline_paused,
         provisional, statutory_id, statutory_due, statutory_paused) = row  # fmt: skip
        return cls(
            pk,
            number,
            state,
            due,
            aware(accepted_at),
            aware(decided_at),
            level,
            assignee_id,
            Named(matter),
            Named(applicant),
            Assignee(assignee_id, username, full_name) if assignee_id else None,
            DeadlineRow(deadline_id, deadline_due, deadline_paused, provisional)
            if deadline_id
            else None,
            DeadlineRow(statutory_id, statutory_due, statutory_paused) if statutory_id else None,
        )


@dataclass(frozen=True)
class Cursor:
    """A place in the queue's order: the sort values of the last case of a page."""

    due: date | None
    accepted_at: datetime | None
    pk: int

    @classmethod
    def of(cls, case: Case | QueueRow) -> Cursor:
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
    cases: list[QueueRow] = field(default_factory=list)
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
    rows = page_rows(scope, department_id, user=user, who=who, cursor=cursor, size=size)
    page = QueuePage(cases=rows[:size], after=cursor.encode() if cursor else "")
    if len(rows) > size:
        page.next_after = Cursor.of(rows[size - 1]).encode()
    return page


def page_rows(
    scope, department_id: int, *, user=None, who: str = "all", cursor=None, size: int = PAGE_SIZE
) -> list[QueueRow]:
    """The page's rows and one more, after ``cursor``, in one statement."""
    mine = None
    if who == "mine" and user is not None:
        mine = frozenset({user.pk} | covered_users(user))
    months = horizon.window()
    values = {}
    if cursor is not None:
        values["after"] = cursor.pk
        if cursor.due is not None:
            values["after_day"] = cursor.due
        if cursor.accepted_at is not None:
            values["after_at"] = cursor.accepted_at

    def build(after=None, after_day=None, after_at=None):
        at = Cursor(after_day, after_at, after) if after is not None else None
        query = page_query(
            scope, department_id, who=who, cursor=at, size=size, mine=mine, months=months
        )
        return query.query.sql_with_params()

    key = ("cases.queue_page", scope, department_id, who, mine, months, tuple(values), size)
    sql, params = statement(key, build, **values)
    return [QueueRow.of(row) for row in prepared_rows(sql, params)]


def page_query(
    scope,
    department_id: int,
    *,
    user=None,
    who: str = "all",
    cursor=None,
    size: int = PAGE_SIZE,
    mine: frozenset[int] | None = None,
    months=False,
):
    """The query of one page: the page's columns (``SHOWN``) of its rows and one more,
    after ``cursor``. ``mine``: the users of the 我的待办 tab, when already read;
    ``months``: ``horizon.window()``, when already read."""
    cases = department_queue(scope, department_id, user=user, who=who, mine=mine)
    if months is False:
        months = horizon.window()
    if months is not None:  # partitioned by month: only the months open cases are in
        cases = cases.filter(received_at__gte=months[0], received_at__lt=months[1])
    if cursor is not None:
        cases = cases.filter(cursor.after_q())
    return cases.values_list(*SHOWN)[: size + 1]
