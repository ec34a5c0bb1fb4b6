"""Reads of the staff records, always in the caller's scope (R-STAFF-1, R-STAFF-2).

The roster's flags (each a boolean the page shows as a badge):
- ``short_posting``: a stationed person (with a department) whose current posting began
  less than two years ago (§19: 派驻时间原则上不少于两年);
- ``not_cleared``: a person in a window role not yet cleared by training
  (``staffing.clearance``);
- ``seconded_out``: an approved secondment out covers the day;
- ``undeclared``: a stationed person without the department's declaration "no other
  work of the unit", or with one the center has not confirmed yet;
- ``change_pending``: a change or recall filed and not yet decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q
from django.utils import timezone

from onewindow.catalog.models import ProcessChange
from onewindow.core.roles import WINDOW_STAFF
from onewindow.org.models import StaffProfile
from onewindow.staffing import clearance
from onewindow.staffing.models import (
    Decision,
    Posting,
    PostingChange,
    Recruitment,
    Secondment,
    SpotCheck,
    StaffContract,
    StaffRecord,
    TrainingRecord,
    posting_short,
)

FLAG_LABELS = {
    "short_posting": "进驻未满两年",
    "not_cleared": "未取得上岗资格",
    "seconded_out": "借调中",
    "undeclared": "未确认不承担原单位工作",
    "change_pending": "调整待审批",
}


@dataclass
class RosterRow:
    profile: StaffProfile
    record: StaffRecord | None
    stationed: bool
    short_posting: bool
    not_cleared: bool
    seconded_out: bool
    undeclared: bool
    change_pending: bool
    flags: list[str] = field(default_factory=list)


def people(*, scope, center=None):
    qs = StaffProfile.objects.visible_to(scope).filter(active=True)
    if center is not None:
        qs = qs.filter(Q(center=center) | Q(center__isnull=True, department__center=center))
    return (
        qs.select_related("user", "center", "department", "unit", "staffing_record")
        .prefetch_related("user__groups")
        .order_by("center__region__path", "department__name", "staff_no")
    )


def needs_window(profile) -> bool:
    return bool(profile.roles & WINDOW_STAFF)


def roster(*, scope, center=None, on: date | None = None) -> list[RosterRow]:
    on = on or timezone.localdate()
    profiles = list(people(scope=scope, center=center))
    ids = [p.pk for p in profiles]
    seconded = set(
        Secondment.objects.filter(
            profile_id__in=ids, state=Decision.APPROVED, starts_on__lte=on, ends_on__gte=on
        ).values_list("profile_id", flat=True)
    )
    pending = set(
        PostingChange.objects.filter(profile_id__in=ids, state=Decision.FILED).values_list(
            "profile_id", flat=True
        )
    )
    rows = []
    for p in profiles:
        record = getattr(p, "staffing_record", None)
        stationed = p.department_id is not None
        row = RosterRow(
            profile=p,
            record=record,
            stationed=stationed,
            short_posting=stationed and posting_short(p.posting_started, on),
            not_cleared=needs_window(p) and (record is None or record.cleared_at is None),
            seconded_out=p.pk in seconded,
            undeclared=stationed and (record is None or not record.no_other_work_confirmed_at),
            change_pending=p.pk in pending,
        )
        row.flags = [label for key, label in FLAG_LABELS.items() if getattr(row, key)]
        rows.append(row)
    return rows


def not_cleared(*, scope, center=None) -> list[tuple[StaffProfile, clearance.Clearance]]:
    """Who in a window role may not yet sign in alone, with the hours they have."""
    return [
        (row.profile, clearance.clearance_of(row.profile))
        for row in roster(scope=scope, center=center)
        if row.not_cleared
    ]


@dataclass
class PersonRecords:
    profile: StaffProfile
    record: StaffRecord | None
    clearance: clearance.Clearance
    short_posting: bool
    postings: list
    changes: list
    secondments: list
    trainings: list
    contracts: list
    spot_checks: list


def person_records(*, profile: StaffProfile, on: date | None = None) -> PersonRecords:
    """Everything staffing keeps about one person (the caller fetched the profile in
    scope)."""
    on = on or timezone.localdate()
    return PersonRecords(
        profile=profile,
        record=StaffRecord.objects.filter(profile=profile).select_related("recruitment").first(),
        clearance=clearance.clearance_of(profile),
        short_posting=profile.department_id is not None
        and posting_short(profile.posting_started, on),
        postings=list(
            Posting.objects.filter(profile=profile).select_related("center", "department")
        ),
        changes=list(
            PostingChange.objects.filter(profile=profile).select_related(
                "successor__user", "filed_by", "decided_by"
            )
        ),
        secondments=list(Secondment.objects.filter(profile=profile).select_related("decided_by")),
        trainings=list(
            TrainingRecord.objects.filter(profile=profile).select_related(
                "mentor__user", "process_change__matter"
            )
        ),
        contracts=list(StaffContract.objects.filter(profile=profile)),
        spot_checks=list(
            SpotCheck.objects.filter(profile=profile).select_related("checked_by", "photo")
        ),
    )


def pending_changes(*, scope):
    return (
        PostingChange.objects.visible_to(scope)
        .filter(state=Decision.FILED)
        .select_related("profile__user", "profile__department", "successor__user", "filed_by")
        .order_by("effective_on")
    )


def secondments(*, scope, on: date | None = None):
    """Secondments out: filed ones waiting, and approved ones not yet over."""
    on = on or timezone.localdate()
    return (
        Secondment.objects.visible_to(scope)
        .exclude(state=Decision.REFUSED)
        .filter(ends_on__gte=on)
        .select_related("profile__user", "profile__department", "profile__center")
        .order_by("starts_on")
    )


def recruitments(*, scope):
    return (
        Recruitment.objects.visible_to(scope)
        .select_related("center")
        .prefetch_related(
            Prefetch("recruits", queryset=StaffRecord.objects.select_related("profile__user"))
        )
    )


def spot_check_get(*, scope, spot_check_id) -> SpotCheck | None:
    try:
        pk = int(spot_check_id)
    except (TypeError, ValueError):
        return None
    return SpotCheck.objects.visible_to(scope).select_related("photo").filter(pk=pk).first()


def process_changes_for(profile):
    """The process changes a special training may name: those of the matters of the
    person's department's line (any, for the center's own teams), newest first."""
    qs = ProcessChange.objects.all()
    if profile.department_id:
        qs = qs.filter(matter__line_id=profile.department.line_id)
    return qs.select_related("matter").order_by("-id")[:200]
