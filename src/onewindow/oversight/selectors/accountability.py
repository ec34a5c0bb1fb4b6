"""The accountability list (R-SUP-3, 三(三)): departments and people whose handling is
slow (慢作为) or inactive (不作为), whose service draws repeated bad reviews, whose
complaints were found upheld, and the abuse (乱作为) supervisors found, each entry
backed by its records, for the supervisors and the discipline inspectors.

Each kind of entry is defined once here, with its rule in words shown on the page. The
list reads the records of the reader's scope as they are on ``today``; a month narrows
the decided cases, answers, reviews and complaints to those of the month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from onewindow.cases.models import Case, Urging
from onewindow.cases.models.case import overdue_q
from onewindow.complaints.models import FINDINGS_UPHELD, Complaint
from onewindow.evaluation import scheme
from onewindow.evaluation.models import Review
from onewindow.org.models import Center, Department, StaffProfile
from onewindow.oversight.models import AbuseFinding

# Three bad reviews of one person in one month put them on the list.
BAD_REVIEWS_LISTED = 3


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    rule: str


KINDS = (
    Kind(
        "slow",
        "慢作为：办件超时",
        "承诺时限已过仍未办结的办件，以及本月办结但晚于承诺时限的办件，按承办部门和当前承办人列出。",
    ),
    Kind(
        "inactive",
        "不作为：督办逾期未答复",
        "答复期限已过仍未答复的督办，以及本月答复但晚于答复期限的督办，按被督办部门列出。",
    ),
    Kind(
        "bad_reviews",
        "服务差评：同一人当月差评三次及以上",
        f"本月对同一工作人员的差评（非常不满意、不满意，不含经申诉不计入统计的）达到 {BAD_REVIEWS_LISTED} 次及以上。",
    ),
    Kind(
        "complaints",
        "投诉逾期未答复",
        "答复期限已过仍未答复或答复逾期的投诉，按承办部门列出。",
    ),
    Kind(
        "upheld",
        "投诉经核查属实",
        "本月答复、责任部门核查结论为“属实”或“部分属实”的投诉，按责任部门和经核查涉及的工作人员列出。",
    ),
    Kind(
        "abuse",
        "乱作为：督查认定",
        "督查人员本月登记的乱作为认定，每条附所依据的办件、投诉和评价记录。",
    ),
)
BY_CODE = {k.code: k for k in KINDS}
NOT_MEASURED = "乱作为由督查人员在本页登记认定并附所依据的记录后列入本清单。"


@dataclass
class Entry:
    kind: Kind
    subject: str
    department: str
    count: int
    records: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    note: str = ""


@dataclass(frozen=True)
class AccountabilityList:
    month: dt.date
    today: dt.date
    entries: list[Entry]
    kinds: tuple[Kind, ...] = KINDS
    not_measured: str = NOT_MEASURED

    def of(self, code: str) -> list[Entry]:
        return [e for e in self.entries if e.kind.code == code]


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(month.replace(day=1), dt.time.min)
    following = (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(start, tz),
        timezone.make_aware(dt.datetime.combine(following, dt.time.min), tz),
    )


def _case_link(case: Case) -> tuple[str, str]:
    return (case.number, reverse("cases:case_detail", args=[case.pk]))


def _grouped(rows, key, kind: Kind, subject, department, link) -> list[Entry]:
    groups: dict = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    entries = [
        Entry(kind, subject(items[0]), department(items[0]), len(items), [link(r) for r in items])
        for items in groups.values()
    ]
    return sorted(entries, key=lambda e: (-e.count, e.department, e.subject))


def _slow(scope, today, start, end) -> list[Entry]:
    late = (
        Case.objects.visible_to(scope)
        .filter(overdue_q(today))
        .filter(Q(decided_at__isnull=True) | Q(decided_at__gte=start, decided_at__lt=end))
        .select_related("department", "assignee")
        .order_by("department__name", "number")
    )
    kind = BY_CODE["slow"]
    by_department = _grouped(
        late,
        key=lambda c: c.department_id,
        kind=kind,
        subject=lambda c: c.department.name,
        department=lambda c: c.department.name,
        link=_case_link,
    )
    people = _grouped(
        [c for c in late if c.assignee_id],
        key=lambda c: c.assignee_id,
        kind=kind,
        subject=lambda c: str(c.assignee),
        department=lambda c: c.department.name,
        link=_case_link,
    )
    return by_department + people


def _inactive(scope, today, start, end) -> list[Entry]:
    cases = Case.objects.visible_to(scope)
    urgings = (
        Urging.objects.filter(case__in=cases, reply_by__lt=today)
        .filter(Q(answered_at__isnull=True) | Q(answered_at__gte=start, answered_at__lt=end))
        .select_related("case", "department")
        .order_by("department__name", "reply_by")
    )
    late = [
        u
        for u in urgings
        if u.answered_at is None or timezone.localdate(u.answered_at) > u.reply_by
    ]
    return _grouped(
        late,
        key=lambda u: u.department_id,
        kind=BY_CODE["inactive"],
        subject=lambda u: u.department.name,
        department=lambda u: u.department.name,
        link=lambda u: (f"{u.case.number} 督办", reverse("cases:case_detail", args=[u.case_id])),
    )


def _bad_reviews(scope, start, end) -> list[Entry]:
    reviews = (
        Review.objects.visible_to(scope)
        .filter(
            level__in=scheme.BAD,
            excluded=False,
            staff__isnull=False,
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("staff", "department", "rectification")
        .order_by("created_at")
    )

    def link(review) -> tuple[str, str]:
        rect = getattr(review, "rectification", None)
        when = timezone.localtime(review.created_at).strftime("%m-%d")
        if rect is not None:
            return (f"{when} 差评整改", reverse("evaluation:rectification", args=[rect.pk]))
        return (f"{when} 差评", "")

    entries = _grouped(
        reviews,
        key=lambda r: r.staff_id,
        kind=BY_CODE["bad_reviews"],
        subject=lambda r: str(r.staff),
        department=lambda r: r.department.name if r.department_id else "",
        link=link,
    )
    return [e for e in entries if e.count >= BAD_REVIEWS_LISTED]


def _complaints(scope, today, start, end) -> list[Entry]:
    rows = (
        Complaint.objects.visible_to(scope)
        .filter(kind=Complaint.Kind.COMPLAINT, department__isnull=False, deadline__isnull=False)
        .filter(
            Q(answered_at__isnull=True, deadline__due__lt=today)
            | Q(answered_at__gte=start, answered_at__lt=end)
        )
        .select_related("department", "deadline")
        .order_by("department__name", "received_at")
    )
    late = [
        c
        for c in rows
        if c.answered_at is None or timezone.localdate(c.answered_at) > c.deadline.due
    ]
    return _grouped(
        late,
        key=lambda c: c.department_id,
        kind=BY_CODE["complaints"],
        subject=lambda c: c.department.name,
        department=lambda c: c.department.name,
        link=lambda c: (c.number, reverse("complaints:staff_detail", args=[c.pk])),
    )


def _complaint_link(number: str, pk: int) -> tuple[str, str]:
    return (number, reverse("complaints:staff_detail", args=[pk]))


def _upheld(scope, start, end) -> list[Entry]:
    rows = list(
        Complaint.objects.visible_to(scope)
        .filter(
            kind=Complaint.Kind.COMPLAINT,
            finding__in=sorted(FINDINGS_UPHELD),
            answered_at__gte=start,
            answered_at__lt=end,
        )
        .select_related("department", "finding_staff")
        .order_by("department__name", "answered_at")
    )
    kind = BY_CODE["upheld"]

    def link(c):
        return (f"{c.number}（{c.get_finding_display()}）", _complaint_link(c.number, c.pk)[1])

    by_department = _grouped(
        [c for c in rows if c.department_id],
        key=lambda c: c.department_id,
        kind=kind,
        subject=lambda c: c.department.name,
        department=lambda c: c.department.name,
        link=link,
    )
    people = _grouped(
        [c for c in rows if c.finding_staff_id],
        key=lambda c: c.finding_staff_id,
        kind=kind,
        subject=lambda c: str(c.finding_staff),
        department=lambda c: c.department.name if c.department_id else "",
        link=link,
    )
    return by_department + people


def _abuse(scope, start, end) -> list[Entry]:
    findings = list(
        AbuseFinding.objects.visible_to(scope)
        .filter(recorded_at__gte=start, recorded_at__lt=end)
        .select_related("department", "person", "person__staff_profile__department")
        .order_by("-recorded_at")
    )
    cases = dict(
        Case.objects.visible_to(scope)
        .filter(number__in={n for f in findings for n in f.case_numbers})
        .values_list("number", "pk")
    )
    complaints = dict(
        Complaint.objects.visible_to(scope)
        .filter(number__in={n for f in findings for n in f.complaint_numbers})
        .values_list("number", "pk")
    )
    rects = dict(
        Review.objects.visible_to(scope)
        .filter(pk__in={n for f in findings for n in f.review_ids}, rectification__isnull=False)
        .values_list("pk", "rectification")
    )
    entries = []
    for f in findings:
        records = [
            (n, reverse("cases:case_detail", args=[cases[n]]) if n in cases else "")
            for n in f.case_numbers
        ]
        records += [
            _complaint_link(n, complaints[n]) if n in complaints else (n, "")
            for n in f.complaint_numbers
        ]
        records += [
            (
                f"评价{r}",
                reverse("evaluation:rectification", args=[rects[r]])
                if r in rects
                else reverse("evaluation:reviews"),
            )
            for r in f.review_ids
        ]
        person_dept = ""
        if f.person_id and getattr(f.person, "staff_profile", None):
            dept = f.person.staff_profile.department
            person_dept = dept.name if dept else ""
        entries.append(
            Entry(
                BY_CODE["abuse"],
                str(f.person) if f.person_id else f.department.name,
                f.department.name if f.department_id else person_dept,
                len(records),
                records,
                note=f.finding,
            )
        )
    return entries


def accountability_list(
    *, scope, month: dt.date | None = None, today: dt.date | None = None
) -> AccountabilityList:
    today = today or timezone.localdate()
    month = (month or today).replace(day=1)
    start, end = _month_bounds(month)
    entries = (
        _slow(scope, today, start, end)
        + _inactive(scope, today, start, end)
        + _bad_reviews(scope, start, end)
        + _complaints(scope, today, start, end)
        + _upheld(scope, start, end)
        + _abuse(scope, start, end)
    )
    return AccountabilityList(month=month, today=today, entries=entries)


def abuse_form_choices(scope) -> dict:
    """The centers, people and departments a supervisor may record a finding against."""
    return {
        "centers": list(Center.objects.visible_to(scope).order_by("region__path", "code")),
        "people": list(
            StaffProfile.objects.visible_to(scope)
            .filter(active=True)
            .select_related("user", "department", "center")
            .order_by("staff_no")[:500]
        ),
        "departments": list(Department.objects.visible_to(scope).order_by("name")),
    }
