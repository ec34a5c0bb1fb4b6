"""R-STAFF-3, R-SUP-3 in the Linxia demo: the last finished months' 服务之星 and 红旗窗口
published at the county and prefecture centers, complaints carrying the department's
finding, one abuse finding on the county supervisor's accountability list."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from onewindow.complaints.models import FINDINGS_UPHELD, Complaint
from onewindow.core.scope import scope_for
from onewindow.demo import staff_scores_history
from onewindow.org.models import Center
from onewindow.oversight.models import AbuseFinding, MonthHonours
from onewindow.oversight.selectors.accountability import accountability_list

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(demo_opened):
    return demo_opened


def test_r_staff_3_demo_publishes_the_last_months_stars_and_flags(demo):
    linxia = Center.objects.get(region__code="622921")
    months = list(MonthHonours.objects.filter(center=linxia).values_list("month", flat=True))
    first = timezone.localdate().replace(day=1)
    assert months and all(m < first for m in months)
    latest = MonthHonours.objects.filter(center=linxia).first()
    assert latest.stars and latest.flags and "总分" in latest.formula
    assert staff_scores_history.load() == 0  # idempotent


def test_r_sup_3_demo_complaints_carry_findings_and_one_abuse_finding_is_listed(demo):
    answered = Complaint.objects.filter(kind="complaint", answered_at__isnull=False)
    assert not answered.filter(finding="").exists()
    assert answered.filter(finding__in=sorted(FINDINGS_UPHELD)).exists()
    assert Complaint.objects.filter(finding_staff__isnull=False).exists()
    finding = AbuseFinding.objects.get()
    supervisor = get_user_model().objects.get(username="lxx-supervisor")
    found = accountability_list(scope=scope_for(supervisor), month=finding.recorded_at.date())
    (entry,) = found.of("abuse")
    assert entry.records and all(url for _, url in entry.records)
