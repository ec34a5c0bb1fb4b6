"""The back office's queue and the supervision board, always within the reader's scope.

The department queue is one range of the partial index ``case_department_queue_idx``
(the department's back-office cases by the promised due date the case row carries,
acceptance time and id), read in its order up to the page's end; a case whose clock is
paused has no due date and comes after the running ones. A case in scope is filtered with the scope's plain
conditions on the case row (no DISTINCT: every lookup follows a foreign key forward,
so no row can repeat).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import (
    Case,
    SpecialProcedure,
    Urging,
    overdue_row_q,
    state_in,
    warned_row_q,
)
from onewindow.org.models import Department, StaffProfile

# The queue's tabs, in the order they are shown and tried when the page opens.
WHO = {
    "mine": "我的待办",
    "unassigned": "未分派",
    "all": "本部门全部",
}
BOARD_LIMIT = 50


def running_counts(cases: QuerySet[Case], today) -> dict[str, int]:
    """The running cases of ``cases`` (open, not a draft), the warned and the overdue
    among them on ``today``, in one query on the case row alone (``overdue_row_q``,
    ``warned_row_q``: the same flags as ``overdue_q``/``warned_q``, no deadline join)."""
    running = cases.filter(state__in=states.LIST_GROUPS["open"])
    return running.aggregate(
        running=Count("pk"),
        warned=Count("pk", filter=warned_row_q(today)),
        overdue=Count("pk", filter=overdue_row_q(today)),
    )


def handler_for(user) -> StaffProfile | None:
    """Who handles the cases of ``user`` now: the user, or while away their B, or B's B…
    None when everyone along the chain is away (a cycle of absent people)."""
    profile = StaffProfile.objects.filter(user_id=getattr(user, "pk", user)).first()
    seen: set[int] = set()
    while profile is not None and profile.away:
        seen.add(profile.pk)
        if profile.backup_id is None or profile.backup_id in seen:
            return None
        profile = StaffProfile.objects.filter(pk=profile.backup_id).first()
    return profile


def standing_in(case: Case, actor_id: int | None) -> tuple[str, int] | None:
    """When ``actor_id`` takes a step on the case of an away colleague as their stand-in
    (AB角), the mark its history records and the away assignee's id; else None."""
    assignee_id = case.assignee_id
    if actor_id is None or assignee_id is None or assignee_id == actor_id:
        return None
    absent = StaffProfile.objects.select_related("user").filter(user_id=assignee_id).first()
    if absent is None or not absent.away:
        return None
    handler = handler_for(absent.user)
    if handler is None or handler.user_id != actor_id:
        return None
    return f"B角代办（{absent.user}离岗）", assignee_id


def covered_users(user) -> set[int]:
    """The user ids of the away colleagues whose cases ``user`` handles now (as their B,
    or further down the chain); empty when ``user`` is away themself."""
    me = StaffProfile.objects.filter(user_id=getattr(user, "pk", user)).first()
    if me is None or me.away:
        return set()
    covered: set[int] = set()
    frontier, seen = {me.pk}, {me.pk}
    while frontier:
        rows = list(
            StaffProfile.objects.filter(backup_id__in=frontier, away=True)
            .exclude(pk__in=seen)
            .values_list("pk", "user_id")
        )
        frontier = {pk for pk, _ in rows}
        seen |= frontier
        covered |= {user_id for _, user_id in rows}
    return covered


def scoped_cases(scope) -> QuerySet[Case]:
    if scope.everything:
        return Case.objects.all()
    return Case.objects.filter(scope.q(center="center", department="department"))


def department_queue(
    scope, department_id: int, *, user=None, who: str = "all", mine=None
) -> QuerySet[Case]:
    """The department's open back-office cases, the most urgent promised deadline first,
    paused ones after. ``who``: ``mine`` (the user's cases and those of away colleagues
    the user stands in for; ``mine``: those users, when already read), ``unassigned``,
    or ``all``."""
    # The partial index's condition as it is written (``state_in``).
    cases = scoped_cases(scope).filter(
        state_in(Case, states.BACK_QUEUE), department_id=department_id
    )
    if who == "mine" and mine is not None:
        cases = cases.filter(assignee_id__in=sorted(mine))
    elif who == "mine" and user is not None:
        cases = cases.filter(assignee_id__in={user.pk} | covered_users(user))
    elif who == "unassigned":
        cases = cases.filter(assignee__isnull=True)
    return cases.select_related(
        "matter", "applicant", "deadline", "statutory_deadline", "assignee"
    ).order_by(F("due").asc(nulls_last=True), "accepted_at", "pk")


def queue_counts(scope, department_id: int, *, user=None) -> dict[str, int]:
    """How many cases each tab of the department's queue holds (one query)."""
    mine = {user.pk} | covered_users(user) if user is not None else set()
    found = (
        scoped_cases(scope)
        .filter(department_id=department_id, state__in=states.BACK_QUEUE)
        .aggregate(
            all=Count("pk"),
            unassigned=Count("pk", filter=Q(assignee__isnull=True)),
            mine=Count("pk", filter=Q(assignee_id__in=mine)),
        )
    )
    return {who: found[who] or 0 for who in WHO}


def opening_tab(counts: dict[str, int], *, member: bool) -> str:
    """The tab the queue opens on: for the department's own staff the first tab with
    work (我的待办, else 未分派, else 本部门全部); for readers from outside, the whole
    department."""
    if not member:
        return "all"
    return next((who for who in WHO if counts.get(who)), "mine")


def queue_departments(scope) -> QuerySet[Department]:
    return Department.objects.visible_to(scope).select_related("region", "center")


def away_handlers(department_id: int) -> dict[int, dict]:
    """For each away person of the department: until when, and who stands in now."""
    found = {}
    for profile in StaffProfile.objects.filter(
        department_id=department_id, away=True
    ).select_related("user"):
        handler = handler_for(profile.user)
        found[profile.user_id] = {
            "until": profile.away_until,
            "reason": profile.away_reason,
            "handler": handler.user if handler is not None else None,
        }
    return found


def department_staff(department_id: int) -> QuerySet[StaffProfile]:
    return (
        StaffProfile.objects.filter(department_id=department_id, active=True)
        .select_related("user", "backup__user")
        .prefetch_related("user__groups")
        .order_by("staff_no")
    )


def center_window_staff(center_id: int) -> QuerySet[StaffProfile]:
    """A center's staff without a department (window clerks, agents)."""
    return (
        StaffProfile.objects.filter(center_id=center_id, department__isnull=True, active=True)
        .select_related("user", "backup__user")
        .prefetch_related("user__groups")
        .order_by("staff_no")
    )


# --- the supervision board ---------------------------------------------------------------------


@dataclass
class Board:
    by_place: list[dict] = field(default_factory=list)
    overdue: list[Case] = field(default_factory=list)
    warned: list[Case] = field(default_factory=list)
    urgings: list[Urging] = field(default_factory=list)
    special: list[SpecialProcedure] = field(default_factory=list)
    prereviews: list[Case] = field(default_factory=list)
    deemed: list[Case] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def supervision_board(*, scope, today=None) -> Board:
    """Warned and overdue open cases by center and department, urgings past their reply
    date, cases in a special procedure, pre-reviews past due and cases deemed accepted,
    all within the scope."""
    today = today or timezone.localdate()
    cases = scoped_cases(scope)
    open_cases = cases.filter(state__in=states.OPEN)
    # The flag each case shows (``cases.models.overdue_q``): a due date already past is
    # overdue even before the sweep has flagged it; read on the case row's clock
    # (``overdue_row_q``/``warned_row_q``, the same flags), without the deadline join.
    overdue, warned = overdue_row_q(today), warned_row_q(today)
    alarmed = open_cases.filter(overdue | warned)
    board = Board()
    board.by_place = list(
        alarmed.values("center_id", "center__name", "department_id", "department__name")
        .annotate(warned=Count("pk", filter=warned), overdue=Count("pk", filter=overdue))
        .order_by("center__name", "department__name")
    )
    listed = ("matter", "center", "department", "applicant", "deadline", "assignee")
    order = (F("due").asc(nulls_last=True), "pk")
    board.overdue = list(
        open_cases.filter(overdue).select_related(*listed).order_by(*order)[:BOARD_LIMIT]
    )
    board.warned = list(
        open_cases.filter(warned).select_related(*listed).order_by(*order)[:BOARD_LIMIT]
    )
    in_scope = cases.values("pk")
    late_urgings = Urging.objects.filter(
        answered_at__isnull=True, reply_by__lt=today, case__state__in=states.OPEN, case__in=in_scope
    )
    board.urgings = list(
        late_urgings.select_related("case", "department", "sent_by").order_by("reply_by", "pk")[
            :BOARD_LIMIT
        ]
    )
    specials = SpecialProcedure.objects.filter(ended_on__isnull=True, case__in=in_scope)
    board.special = list(
        specials.select_related("case__department", "case__center", "started_by").order_by(
            F("planned_end").asc(nulls_last=True), "started_on", "pk"
        )[:BOARD_LIMIT]
    )
    prereviews = cases.filter(state=states.PRE_REVIEW, prereview_due__lt=today)
    board.prereviews = list(
        prereviews.select_related(*listed).order_by("prereview_due", "pk")[:BOARD_LIMIT]
    )
    deemed = cases.filter(deemed_accepted=True, state__in=states.OPEN)
    board.deemed = list(
        deemed.select_related(*listed).order_by("-received_at", "-pk")[:BOARD_LIMIT]
    )
    board.counts = {
        "overdue": open_cases.filter(overdue).count(),
        "warned": open_cases.filter(warned).count(),
        "urgings": late_urgings.count(),
        "special": specials.count(),
        "prereviews": prereviews.count(),
        "deemed": deemed.count(),
    }
    return board
