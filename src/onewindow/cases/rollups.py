"""The cases' monthly rollup (``CaseMonth``): kept by every step of a case in its own
transaction (``case_stepped``, called by ``services.steps.event``; ``case_undecided``
when a supervisor takes a decision back), rebuilt exactly from the cases by
``rebuild`` (``onewindow rebuild-rollups``).

The rules are those of the statistics that read it (case statistics, the 网办率,
即办率 and 按时办结率 indicators, the dashboard):
- received: a case not in draft, in the local month of ``received_at``, per channel;
- decided: in the local month of ``decided_at``; on the spot when accepted the same
  local day; dated when its deadline has a due date, on time when decided no later;
- per matter and person who decided (``CaseDecisionMonth``): decided, and quick when
  decided less than five minutes after the last start of review with no opinion
  written (the 收发室 and 体外循环 signs)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Case, CaseDecisionMonth, CaseEvent, CaseMonth
from onewindow.core import rollups


def received_keys(center_id, department_id, matter_id, clerk_id):
    return rollups.subjects(
        center=center_id, department=department_id, matter=matter_id, clerk=clerk_id
    )


def received_counts(channel: str, sign: int = 1) -> dict[str, int]:
    return {"received": sign, f"received_{channel}": sign}


def decided_counts(accepted_at, decided_at, due: dt.date | None, sign: int = 1) -> dict[str, int]:
    day = timezone.localdate(decided_at)
    spot = accepted_at is not None and timezone.localdate(accepted_at) == day
    return {
        "decided": sign,
        "on_the_spot": sign * spot,
        "dated": sign * (due is not None),
        "on_time": sign * (due is not None and day <= due),
    }


QUICK_DECISION = dt.timedelta(minutes=5)


def is_quick(started_at, decided_at, note: str) -> bool:
    return started_at is not None and decided_at - started_at < QUICK_DECISION and not note.strip()


def decision_ident(month, center_id, department_id, matter_id, clerk_id) -> dict:
    return {
        "subject": rollups.MATTER,
        "subject_key": matter_id or 0,
        "month": month,
        "center_id": center_id,
        "department_id": department_id,
        "dept_key": department_id or 0,
        "clerk_key": clerk_id or 0,
    }


def _started(case: Case):
    return CaseEvent.objects.filter(case=case, action="start_review").aggregate(m=Max("at"))["m"]


def _due(case: Case) -> dt.date | None:
    return case.deadline.due if case.deadline_id else None


def _bump_received(case: Case, sign: int) -> None:
    rollups.bump(
        CaseMonth,
        month=rollups.month_of(case.received_at),
        center_id=case.center_id,
        department_id=case.department_id,
        keys=received_keys(
            case.center_id, case.department_id, case.matter_id, case.intake_clerk_id
        ),
        **received_counts(case.channel, sign),
    )


def _bump_decided(case: Case, sign: int) -> None:
    rollups.bump(
        CaseMonth,
        month=rollups.month_of(case.decided_at),
        center_id=case.center_id,
        department_id=case.department_id,
        keys=received_keys(case.center_id, case.department_id, case.matter_id, case.decided_by_id),
        **decided_counts(case.accepted_at, case.decided_at, _due(case), sign),
    )
    quick = is_quick(_started(case), case.decided_at, case.decision_note)
    ident = decision_ident(
        rollups.month_of(case.decided_at),
        case.center_id,
        case.department_id,
        case.matter_id,
        case.decided_by_id,
    )
    rollups.upsert(CaseDecisionMonth, [ident], {"decided": sign, "quick": sign * quick})


def case_stepped(case: Case, action: str, before: str) -> None:
    """A step was taken (``before`` → ``case.state``): count what it changed."""
    was = before not in ("", states.DRAFT)
    now = case.state != states.DRAFT
    if was != now and case.received_at is not None:
        _bump_received(case, 1 if now else -1)
    if action in ("approve", "deny") and case.decided_at is not None:
        _bump_decided(case, 1)


def case_undecided(case: Case) -> None:
    """A decision is about to be taken back (the case row still holds it)."""
    if case.decided_at is not None:
        _bump_decided(case, -1)


COLUMNS = ("center_id", "department_id", "matter_id", "channel")


def rebuild(months: list[dt.date] | None) -> int:
    rollups.clear(CaseMonth, months)
    rollups.clear(CaseDecisionMonth, months)
    tally = rollups.Tally(CaseMonth)
    received = Case.objects.exclude(state=states.DRAFT).filter(received_at__isnull=False)
    decided = Case.objects.filter(decided_at__isnull=False)
    if months is not None:
        lo, hi = rollups.month_bounds(months)
        received = received.filter(received_at__gte=lo, received_at__lt=hi)
        decided = decided.filter(decided_at__gte=lo, decided_at__lt=hi)
    wanted = None if months is None else set(months)
    rows = received.order_by().values_list(*COLUMNS, "intake_clerk_id", "received_at")
    for center, dept, matter, channel, clerk, at in rows.iterator(chunk_size=20000):
        month = rollups.month_of(at)
        if wanted is None or month in wanted:
            keys = received_keys(center, dept, matter, clerk)
            tally.add(month, center, dept, keys, **received_counts(channel))
    started = dict(
        CaseEvent.objects.filter(case__in=decided, action="start_review")
        .order_by()
        .values("case_id")
        .annotate(last=Max("at"))
        .values_list("case_id", "last")
    )
    decisions = rollups.Tally(CaseDecisionMonth)
    rows = decided.order_by().values_list(
        *COLUMNS,
        "decided_by_id",
        "accepted_at",
        "decided_at",
        "deadline__due",
        "pk",
        "decision_note",
    )
    for center, dept, matter, _ch, by, accepted, at, due, pk, note in rows.iterator(
        chunk_size=20000
    ):
        month = rollups.month_of(at)
        if wanted is None or month in wanted:
            keys = received_keys(center, dept, matter, by)
            tally.add(month, center, dept, keys, **decided_counts(accepted, at, due))
            if center:
                decisions.add_row(
                    decision_ident(month, center, dept, matter, by),
                    decided=1,
                    quick=is_quick(started.get(pk), at, note),
                )
    return tally.save() + decisions.save()
