"""Six months of staff management at the Linxia centers (R-STAFF-1, R-STAFF-2,
R-STAFF-4): records of stationed staff, postings (some under two years), changes and
secondments filed with the center, the center's recruitment and third-party contracts,
training (one new clerk not yet cleared), spot checks (some failed, with a photo).

Built through the staffing services; idempotent (a second run makes nothing new)."""

from __future__ import annotations

from datetime import timedelta

from onewindow.staffing import clearance
from onewindow.staffing import services as staffing
from onewindow.staffing.models import TrainingRecord


def pre_job_training(actor, profile) -> int:
    """The pre-job training a demo clerk passed the weeks before their posting began, so
    they sign in at their window alone (R-STAFF-2)."""
    if not clearance.needs_clearance(profile):
        return 0
    if TrainingRecord.objects.filter(profile=profile, kind=TrainingRecord.Kind.PRE_JOB).exists():
        return 0
    ended = profile.posting_started - timedelta(days=3)
    staffing.training_record(
        actor=actor,
        profile=profile,
        kind=TrainingRecord.Kind.PRE_JOB,
        title="窗口岗前培训：服务规范、业务系统、一次性告知",
        trainer="中心综合科",
        started_on=ended - timedelta(days=4),
        ended_on=ended,
        hours=clearance.PRE_JOB_HOURS,
        passed=True,
    )
    return 1
