"""The staff assessment of the demo (R-STAFF-3, R-SUP-3): the last finished months'
服务之星 and 红旗窗口 published by the administrators of the Linxia county and prefecture
centers, the person a few upheld complaints concern, and one finding of abuse (乱作为)
by the county's supervisor resting on late cases and an upheld complaint.

Through the oversight services (the departments' findings on complaints are made when
the complaint history answers them); idempotent: a second run makes nothing new."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from onewindow.cases.models import Case
from onewindow.cases.models.case import overdue_q
from onewindow.complaints.models import FINDINGS_UPHELD, Complaint
from onewindow.core.errors import DomainError
from onewindow.demo import data
from onewindow.org.models import Center, StaffProfile
from onewindow.oversight import services
from onewindow.oversight.models import AbuseFinding, MonthHonours

MONTHS = 3
FINDING = "要求申请人提交办事指南以外的证明材料，致多件办件超期，经核查属实。"


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _months(today, n):
    first = today.replace(day=1)
    out = []
    for _ in range(n):
        first = (first - timedelta(days=1)).replace(day=1)
        out.append(first)
    return out


def _publish(center, admin, today) -> int:
    made = 0
    for month in _months(today, MONTHS):
        if MonthHonours.objects.filter(center=center, month=month).exists():
            continue
        try:
            services.publish_month(actor=admin, center=center, month=month)
        except DomainError:
            continue  # a month without tickets or cases: nothing to publish
        made += 1
    return made


def _complaint_people(center) -> int:
    """The person a few upheld complaints at the center concern: its first clerks."""
    clerks = list(
        StaffProfile.objects.filter(center=center, active=True, user__groups__name="clerk")
        .order_by("staff_no")
        .values_list("user_id", flat=True)[:2]
    )
    if not clerks:
        return 0
    upheld = list(
        Complaint.objects.filter(
            center=center,
            finding__in=sorted(FINDINGS_UPHELD),
            finding_staff__isnull=True,
            answered_at__isnull=False,
        ).order_by("answered_at")[:3]
    )
    if Complaint.objects.filter(center=center, finding_staff__isnull=False).exists():
        return 0
    for i, c in enumerate(upheld):
        Complaint.objects.filter(pk=c.pk).update(finding_staff_id=clerks[i % len(clerks)])
    return len(upheld)


def _abuse(center, supervisor, today) -> int:
    if AbuseFinding.objects.filter(center=center, finding=FINDING).exists():
        return 0
    late = list(
        Case.objects.filter(overdue_q(today), center=center, decided_at__isnull=False)
        .exclude(department__isnull=True)
        .order_by("-decided_at")
        .values_list("number", "department_id")[:30]
    )
    if not late:
        return 0
    department = late[0][1]
    numbers = [n for n, d in late if d == department][:3]
    complaint = (
        Complaint.objects.filter(
            center=center, department_id=department, finding__in=sorted(FINDINGS_UPHELD)
        )
        .values_list("number", flat=True)
        .first()
    )
    services.abuse_finding_record(
        actor=supervisor,
        center_id=center.pk,
        department_id=department,
        finding=FINDING,
        case_numbers=numbers,
        complaint_numbers=[complaint] if complaint else [],
    )
    return 1


@transaction.atomic
def load() -> int:
    today = timezone.localdate()
    made = 0
    pairs = (("622921", "lxx-admin"), (data.PREFECTURE_CODE, "lxz-admin"))
    for code, username in pairs:
        center = Center.objects.filter(region__code=code).first()
        admin = _user(username)
        if center is None or admin is None:
            continue
        made += _publish(center, admin, today) + _complaint_people(center)
    linxia = Center.objects.filter(region__code="622921").first()
    supervisor = _user("lxx-supervisor")
    if linxia is not None and supervisor is not None:
        made += _abuse(linxia, supervisor, today)
    return made
