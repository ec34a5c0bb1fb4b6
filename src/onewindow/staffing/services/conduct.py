"""Conduct spot checks (§14, R-STAFF-4): dress, badge, language and conduct, recorded by
a supervisor or the center's administrator, with a photo kept as uploads are."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from onewindow.core.audit import audit_record
from onewindow.core.errors import InvalidInput
from onewindow.core.text import clean_text
from onewindow.files.storage import store_upload
from onewindow.org.models import StaffProfile
from onewindow.staffing.access import require, require_profile_in_scope
from onewindow.staffing.models import SpotCheck
from onewindow.staffing.services.common import center_of


@transaction.atomic
def spot_check_record(
    *,
    actor,
    profile: StaffProfile,
    dress_ok: bool,
    badge_ok: bool,
    language_ok: bool,
    conduct_ok: bool,
    note: str = "",
    photo=None,
    checked_at: datetime | None = None,
) -> SpotCheck:
    require(actor, "staff.spot_check")
    require_profile_in_scope(actor, profile.pk)
    passed = dress_ok and badge_ok and language_ok and conduct_ok
    note = clean_text(
        note,
        field="note",
        label="情况说明",
        limit=1000,
        required=not passed,
        message="抽查不合格须写明情况。",
    )
    checked_at = checked_at or timezone.now()
    if checked_at > timezone.now():
        raise InvalidInput("spot_check.in_future", "检查时间不能晚于现在。")
    center = center_of(profile)
    stored = store_upload(photo, uploaded_by=actor) if photo is not None else None
    item = SpotCheck.objects.create(
        profile=profile,
        center=center,
        checked_at=checked_at,
        checked_by=actor,
        dress_ok=dress_ok,
        badge_ok=badge_ok,
        language_ok=language_ok,
        conduct_ok=conduct_ok,
        note=note,
        photo=stored,
    )
    audit_record(
        actor=actor,
        action="spot_check.record",
        target=item,
        center=item.center,
        department=profile.department,
        after={"passed": passed, "failed": item.failed_items, "photo": stored is not None},
    )
    return item
