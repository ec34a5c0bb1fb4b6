"""Stationed staff (R-STAFF-1): the record (establishment, rank, pay, team), the
declaration "no other work of the unit" and the center's confirmation, posting changes
filed in advance and decided by the center, secondments out approved by the center."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, InvalidInput
from onewindow.core.locking import for_update
from onewindow.core.text import clean_text
from onewindow.org.models import StaffProfile
from onewindow.staffing.access import require, require_profile_in_scope
from onewindow.staffing.models import (
    Decision,
    Establishment,
    Posting,
    PostingChange,
    Recruitment,
    Secondment,
    StaffRecord,
    Team,
    posting_short,
)
from onewindow.staffing.services.common import center_of, record_for_update, today


def _choice(value, choices, *, field: str, label: str, blank: bool = False) -> str:
    if blank and not value:
        return ""
    if value not in choices.values:
        message = f"请选择{label}。"
        raise InvalidInput(f"{field}_invalid", message, {field: message})
    return value


@transaction.atomic
def staff_record_set(
    *,
    actor,
    profile: StaffProfile,
    establishment: str,
    rank: str,
    paid_by: str,
    team: str,
    posting_started: date,
    recruitment: Recruitment | None = None,
) -> StaffRecord:
    require(actor, "staff.manage")
    record = record_for_update(actor, profile)
    before = {
        "establishment": record.establishment,
        "rank": record.rank,
        "paid_by": record.paid_by,
        "team": record.team,
        "posting_started": StaffProfile.objects.values_list("posting_started", flat=True).get(
            pk=profile.pk
        ),
    }
    record.establishment = _choice(
        establishment, Establishment, field="establishment", label="编制类型", blank=True
    )
    record.team = _choice(team, Team, field="team", label="队伍")
    record.rank = clean_text(rank, field="rank", label="职级", limit=50, required=False)
    record.paid_by = clean_text(
        paid_by, field="paid_by", label="工资待遇发放单位", limit=100, required=False
    )
    if recruitment is not None and recruitment.center_id != center_of(profile).pk:
        raise InvalidInput("staff.foreign_recruitment", "只能选择本中心的招聘记录。")
    record.recruitment = recruitment
    if posting_started > timezone.localdate():
        raise InvalidInput("staff.posting_in_future", "进驻日期不能晚于今天。")
    record.updated_at = timezone.now()
    record.save()
    posting = Posting.objects.filter(profile=profile, ended_on__isnull=True).first()
    if posting is not None and posting.started_on != posting_started:
        posting.started_on = posting_started
        posting.save(update_fields=["started_on"])
    StaffProfile.objects.filter(pk=profile.pk).update(posting_started=posting_started)
    profile.posting_started = posting_started
    after = {
        "establishment": record.establishment,
        "rank": record.rank,
        "paid_by": record.paid_by,
        "team": record.team,
        "posting_started": posting_started,
    }
    audit_record(
        actor=actor,
        action="staff_record.set",
        target=profile,
        center=profile.center,
        department=profile.department,
        before=before,
        after=after,
    )
    return record


@transaction.atomic
def staff_declare_no_other_work(*, actor, profile: StaffProfile, declared_on: date) -> StaffRecord:
    """The department's declaration that the person does no other work of the unit during
    the posting (§19); a new declaration waits for the center's confirmation again."""
    require(actor, "staff.file")
    record = record_for_update(actor, profile)
    if declared_on > timezone.localdate():
        raise InvalidInput("staff.declared_in_future", "声明日期不能晚于今天。")
    record.no_other_work_declared = True
    record.declared_on = declared_on
    record.no_other_work_confirmed_by = None
    record.no_other_work_confirmed_at = None
    record.save()
    audit_record(
        actor=actor,
        action="staff_record.declare_no_other_work",
        target=profile,
        center=profile.center,
        department=profile.department,
        after={"declared_on": declared_on},
    )
    return record


@transaction.atomic
def staff_confirm_no_other_work(*, actor, profile: StaffProfile) -> StaffRecord:
    require(actor, "staff.manage")
    record = record_for_update(actor, profile)
    if not record.no_other_work_declared:
        raise Conflict("staff.not_declared", "派驻部门尚未声明该人员不承担原单位工作，不能确认。")
    record.no_other_work_confirmed_by = actor
    record.no_other_work_confirmed_at = timezone.now()
    record.save()
    audit_record(
        actor=actor,
        action="staff_record.confirm_no_other_work",
        target=profile,
        center=profile.center,
        department=profile.department,
    )
    return record


@transaction.atomic
def posting_change_file(
    *,
    actor,
    profile: StaffProfile,
    kind: str,
    effective_on: date,
    reason: str,
    successor: StaffProfile | None = None,
    on: date | None = None,
) -> PostingChange:
    """A change or recall, filed with the center before it takes effect (§19)."""
    require(actor, "staff.file")
    record_for_update(actor, profile)
    kind = _choice(kind, PostingChange.Kind, field="kind", label="调整类型")
    reason = clean_text(reason, field="reason", label="理由", limit=1000)
    now = today(on)
    if effective_on <= now:
        message = "人员调整须提前向中心备案：拟生效日期应晚于今天。"
        raise InvalidInput("posting_change.not_in_advance", message, {"effective_on": message})
    if successor is not None and successor.pk == profile.pk:
        raise InvalidInput("posting_change.self_successor", "接替人员不能是本人。")
    if PostingChange.objects.filter(profile=profile, state=Decision.FILED).exists():
        raise Conflict("posting_change.pending", "该人员已有待中心审批的调整备案。")
    posting = Posting.objects.filter(profile=profile, ended_on__isnull=True).first()
    if posting is None:
        raise Conflict("posting_change.no_posting", "该人员当前没有进驻记录。")
    change = PostingChange.objects.create(
        profile=profile,
        kind=kind,
        effective_on=effective_on,
        reason=reason,
        successor=successor,
        early=posting_short(posting.started_on, effective_on),
        filed_by=actor,
    )
    audit_record(
        actor=actor,
        action="posting_change.file",
        target=change,
        center=center_of(profile),
        department=profile.department,
        after={"kind": kind, "effective_on": effective_on, "early": change.early},
    )
    return change


@transaction.atomic
def posting_change_decide(
    *, actor, change: PostingChange, approve: bool, note: str = ""
) -> PostingChange:
    """The center approves or refuses; an approved change ends the posting on its date,
    the history kept (the successor named is kept on the change; their own posting is
    their record's)."""
    require(actor, "staff.manage")
    require_profile_in_scope(actor, change.profile_id)
    change = for_update(PostingChange.objects).get(pk=change.pk)
    if change.state != Decision.FILED:
        raise Conflict("posting_change.decided", "该备案已审批。")
    note = clean_text(
        note,
        field="note",
        label="审批意见",
        limit=1000,
        required=not approve,
        message="不予批准须写明理由。",
    )
    change.state = Decision.APPROVED if approve else Decision.REFUSED
    change.decided_by, change.decided_at, change.decision_note = actor, timezone.now(), note
    change.save()
    if approve:
        posting = (
            for_update(Posting.objects)
            .filter(profile_id=change.profile_id, ended_on__isnull=True)
            .first()
        )
        if posting is not None:
            posting.ended_on, posting.end_kind, posting.change = (
                change.effective_on,
                change.kind,
                change,
            )
            posting.save(update_fields=["ended_on", "end_kind", "change"])
    audit_record(
        actor=actor,
        action=f"posting_change.{'approve' if approve else 'refuse'}",
        target=change,
        center=center_of(change.profile),
        department=change.profile.department,
        note=note,
    )
    return change


@transaction.atomic
def secondment_file(
    *,
    actor,
    profile: StaffProfile,
    to_unit: str,
    starts_on: date,
    ends_on: date,
    reason: str,
    on: date | None = None,
) -> Secondment:
    """A secondment out during a posting: filed before it starts, for the center to
    decide (§19: 严格控制借调)."""
    require(actor, "staff.file")
    record_for_update(actor, profile)
    to_unit = clean_text(to_unit, field="to_unit", label="借调单位", limit=100)
    reason = clean_text(reason, field="reason", label="事由", limit=1000)
    if starts_on <= today(on):
        message = "借调须事先经中心批准：开始日期应晚于今天。"
        raise InvalidInput("secondment.not_in_advance", message, {"starts_on": message})
    if ends_on < starts_on:
        message = "借调结束日期不能早于开始日期。"
        raise InvalidInput("secondment.ends_before_start", message, {"ends_on": message})
    item = Secondment.objects.create(
        profile=profile,
        to_unit=to_unit,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        filed_by=actor,
    )
    audit_record(
        actor=actor,
        action="secondment.file",
        target=item,
        center=center_of(profile),
        department=profile.department,
        after={"to_unit": to_unit, "starts_on": starts_on, "ends_on": ends_on},
    )
    return item


@transaction.atomic
def secondment_decide(
    *, actor, secondment: Secondment, approve: bool, note: str = ""
) -> Secondment:
    require(actor, "staff.manage")
    require_profile_in_scope(actor, secondment.profile_id)
    item = for_update(Secondment.objects).get(pk=secondment.pk)
    if item.state != Decision.FILED:
        raise Conflict("secondment.decided", "该借调申请已审批。")
    note = clean_text(
        note,
        field="note",
        label="审批意见",
        limit=1000,
        required=not approve,
        message="不予批准须写明理由。",
    )
    item.state = Decision.APPROVED if approve else Decision.REFUSED
    item.decided_by, item.decided_at, item.decision_note = actor, timezone.now(), note
    item.save()
    audit_record(
        actor=actor,
        action=f"secondment.{'approve' if approve else 'refuse'}",
        target=item,
        center=center_of(item.profile),
        department=item.profile.department,
        note=note,
    )
    return item
