"""Visits a case needed (最多跑一次, R-MSG-2): how many times the applicant came to a
hall for it, against the visits its guide promised (``GuideVersion.visits``).

The count is the number of distinct days on which the applicant was at a window or a
terminal for the case, from what the records hold:

- the intake, when the case was taken in at a window or a self-service terminal (an
  online, mobile or 帮办代办 application is not a visit; its later steps may be);
- the day of the queue ticket the case was taken in under, if one is linked;
- each correction answered at the window (a ``reply``/``reply_intake`` step registered by
  a clerk; a reply through the citizen's own link is not a visit);
- the pickup at the unified delivery window (``deliver`` by ``window``; by mail is not).

Two of these on one day are one visit (the applicant who hands in the materials and
takes the result away the same day came once). Visits the records do not show (asking a
question at the front desk before applying, a visit for a withdrawn attempt) are not
counted: the figure is a floor, and says so on the page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Case, CaseEvent

IN_PERSON_CHANNELS = (Case.Channel.WINDOW, Case.Channel.TERMINAL)
REPLIES = ("reply", "reply_intake")


def visit_days(cases) -> dict[int, set[date]]:
    """The days each case's applicant was at the hall for it (see above), by case id,
    for a queryset of cases (read in two statements, whatever their number)."""
    days: dict[int, set[date]] = defaultdict(set)
    rows = cases.values_list("pk", "channel", "received_at", "ticket__issued_at")
    for pk, channel, received_at, ticket_at in rows:
        if channel in IN_PERSON_CHANNELS:
            days[pk].add(timezone.localdate(received_at))
        if ticket_at is not None:
            days[pk].add(timezone.localdate(ticket_at))
    events = CaseEvent.objects.filter(case_id__in=cases.values("pk")).filter(
        Q(action__in=REPLIES, actor__isnull=False) | Q(action="deliver", data__method="window")
    )
    for pk, at in events.values_list("case_id", "at"):
        days[pk].add(timezone.localdate(at))
    return days


def visits_of(case: Case) -> int:
    return len(visit_days(Case.objects.filter(pk=case.pk)).get(case.pk, ()))


@dataclass
class MatterVisits:
    matter_id: int
    matter: str
    promised: int  # the current guide's visits
    cases: int = 0
    visits: int = 0
    within: int = 0  # cases that needed no more visits than their guide promised
    most: int = 0

    @property
    def average(self) -> float:
        return self.visits / self.cases if self.cases else 0.0

    @property
    def within_share(self) -> float:
        return self.within / self.cases if self.cases else 0.0


# Cases counted: concluded ones (decided, delivered, archived), where the visits are done.
COUNTED = (states.DELIVERED, states.ARCHIVED, states.READY, states.APPROVED, states.DENIED)


def visits_by_matter(cases) -> list[MatterVisits]:
    """Per matter: cases, visits (total, average, most) and how many kept the promise,
    over ``cases`` (a queryset already limited to the reader's scope and period)."""
    counted = cases.filter(state__in=COUNTED)
    rows = list(
        counted.values_list(
            "pk",
            "matter_id",
            "matter__name",
            "matter__current_version__visits",
            "guide_version__visits",
        )
    )
    days = visit_days(counted)
    out: dict[int, MatterVisits] = {}
    for pk, matter_id, name, current, pinned in rows:
        entry = out.setdefault(matter_id, MatterVisits(matter_id, name, current or pinned or 0))
        n = len(days.get(pk, ()))
        entry.cases += 1
        entry.visits += n
        entry.most = max(entry.most, n)
        entry.within += n <= (pinned or 0)
    return sorted(out.values(), key=lambda m: (-m.cases, m.matter))


def received_between(scope, since: date, until: date):
    """The cases in ``scope`` received from ``since`` through ``until`` (local days)."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    return Case.objects.visible_to(scope).filter(received_at__gte=start, received_at__lt=end)
