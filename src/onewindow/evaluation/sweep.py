"""The evaluation's sweep, called by ``onewindow sweep``:
``from onewindow.evaluation.sweep import sweep``.

- A visit or a concluded case left unreviewed for ``ONEWINDOW_EVAL_DEFAULT_DAYS``
  (default 7) days gets a default 基本满意, stored as a default (``is_default``) and
  always counted apart. Only candidates are read: visits by their indexed arrival time
  and cases by their indexed state, within a bounded look-back, without a review.
  The unique constraint makes it idempotent even against a citizen reviewing at once.
- A rectification past its contact or rectify deadline is flagged once and escalated to
  the center's directors and the supervisors above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from onewindow.cases.models import Case
from onewindow.core import clock
from onewindow.evaluation import rollups, scheme, selectors, services, states
from onewindow.evaluation.models import Rectification, Review
from onewindow.hall import states as ticket_states
from onewindow.hall.models import Ticket

# How far back the sweep looks beyond the default period (a sweep that did not run for
# a while still catches up; older visits are left alone).
LOOKBACK_DAYS = 60
BATCH = 500


@dataclass
class SweepResult:
    default_visits: int = 0
    default_cases: int = 0
    overdue: int = 0

    def summary(self) -> str:
        return (
            f"好差评：{self.default_visits}次服务和{self.default_cases}件办件逾期未评价，"
            f"记为默认“基本满意”；{self.overdue}件差评整改超时，已上报中心负责人和督查人员。"
        )


def _default(targets: dict, now: datetime, **kw) -> Review:
    return Review(
        level=scheme.DEFAULT_LEVEL,
        is_default=True,
        created_at=now,
        stage="",
        **targets,
        **kw,
    )


def _insert(rows: list[Review]) -> int:
    if not rows:
        return 0
    with transaction.atomic():
        made = Review.objects.bulk_create(rows, ignore_conflicts=True)
        rollups.defaults_given(rows)
    return len(made) if made and made[0].pk is not None else len(rows)


def _default_visits(cutoff: datetime, lower: datetime, now: datetime) -> int:
    reviewed = Review.objects.filter(ticket=OuterRef("pk"), stage="")
    candidates = (
        Ticket.objects.filter(
            issued_at__gte=lower,
            issued_at__lt=cutoff,
            state=ticket_states.DONE,
            finished_at__lt=cutoff,
        )
        .filter(~Exists(reviewed))
        .select_related("center", "served_window", "clerk__staff_profile__department")
        .order_by("pk")
    )
    count = 0
    batch: list[Review] = []
    for ticket in candidates.iterator(chunk_size=BATCH):
        batch.append(
            _default(
                selectors.visit_targets(ticket), now, kind="visit", channel="pad", ticket=ticket
            )
        )
        if len(batch) >= BATCH:
            count += _counted(batch)
            batch = []
    return count + _counted(batch)


def _counted(batch: list[Review]) -> int:
    if not batch:
        return 0
    tickets = [r.ticket_id for r in batch if r.ticket_id]
    cases = [r.case_id for r in batch if r.case_id]
    before = (
        Review.objects.filter(is_default=True).filter(ticket_id__in=tickets).count()
        + Review.objects.filter(is_default=True, case_id__in=cases).count()
    )
    _insert(batch)
    after = (
        Review.objects.filter(is_default=True).filter(ticket_id__in=tickets).count()
        + Review.objects.filter(is_default=True, case_id__in=cases).count()
    )
    return after - before


def _default_cases(cutoff: datetime, lower: datetime, now: datetime) -> int:
    reviewed = Review.objects.filter(case=OuterRef("pk"), stage="")
    candidates = (
        Case.objects.filter(
            state__in=sorted(selectors.CONCLUDED),
            decided_at__gte=lower,
            decided_at__lt=cutoff,
        )
        .filter(~Exists(reviewed))
        .select_related("center", "department", "matter", "ticket", "decided_by")
        .order_by("pk")
    )
    count = 0
    batch: list[Review] = []
    for case in candidates.iterator(chunk_size=BATCH):
        batch.append(
            _default(selectors.case_targets(case), now, kind="case", channel="web", case=case)
        )
        if len(batch) >= BATCH:
            count += _counted(batch)
            batch = []
    return count + _counted(batch)


def _overdue(now: datetime) -> int:
    today = timezone.localdate(now)
    candidates = (
        Rectification.objects.filter(state__in=sorted(states.BEFORE_REPORT), overdue=False)
        .select_related("contact_deadline", "rectify_deadline", "center__region")
        .order_by("pk")
    )
    flagged = 0
    for rect in candidates.iterator(chunk_size=BATCH):
        if services.rectification_flag_overdue(rect, today=today, now=now):
            flagged += 1
    return flagged


def sweep(now: datetime | None = None) -> SweepResult:
    now = clock.now(now)
    cutoff = now - timedelta(days=selectors.default_days())
    lower = cutoff - timedelta(days=LOOKBACK_DAYS)
    result = SweepResult()
    result.default_visits = _default_visits(cutoff, lower, now)
    result.default_cases = _default_cases(cutoff, lower, now)
    result.overdue = _overdue(now)
    return result
