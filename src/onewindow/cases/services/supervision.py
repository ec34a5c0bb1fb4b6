"""The back office under supervision (R-CASE-4, R-CASE-9, R-CASE-1).

- Special procedures (特别程序: expert review, hearing, public notice, inspection,
  testing): the department starts one during review and ends it with a result; both
  clocks, promised and statutory, stop for the working days it takes.
- Backup roles (AB角): while a handler is away, their cases are handled by their B (or,
  if B is away too, by B's B, stopping at a cycle). Nobody moves the cases: the queue
  shows them to B, and a step B takes on them is recorded as "B角代办（A离岗）".
- Supervisor force steps: a supervisor or center administrator of the case's scope
  reassigns, reopens or moves a case on, with a written reason kept in the history.
- Queue handover: a department head hands all open cases of one person (or the
  unassigned ones) to a colleague in one transaction, one event per case.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from onewindow.cases import rollups, states
from onewindow.cases.models import Case, SpecialProcedure
from onewindow.cases.selectors.actions import (
    can_force,
    can_hand_over,
    in_scope,
)
from onewindow.cases.services.clock import clock_sync
from onewindow.cases.services.steps import event, lock, require_actor, require_state
from onewindow.core import calendar as work_calendar
from onewindow.core.clock import now as clock_now
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import has_any
from onewindow.core.text import clean_text
from onewindow.org.models import StaffProfile

# Free text (a reason, a result) is at most this long (``core.text.clean_text``).
MAX_TEXT, TEXT_LABEL = 2000, "内容"


# --- backup roles (AB角) ----------------------------------------------------------------------


def _require_present(profile: StaffProfile, what: str = "承办人") -> None:
    if profile.away:
        until = f"（预计{profile.away_until:%Y-%m-%d}返岗）" if profile.away_until else ""
        backup = f"，请改派其B角{profile.backup.user}" if profile.backup_id else ""
        message = f"{profile.user}已离岗{until}，不能指定为{what}{backup}。"
        raise InvalidInput("case.assignee_away", message, {"to_user": message})


def _department_handler(user, case: Case) -> StaffProfile:
    """A present approver (or chief representative) of the case's department."""
    profile = StaffProfile.objects.select_related("user", "backup__user").filter(
        user_id=getattr(user, "pk", user), active=True
    )
    profile = profile.first()
    if (
        profile is None
        or profile.department_id != case.department_id
        or not has_any(profile.roles, "case.back")
    ):
        message = "只能指定承办部门的审批人员。"
        raise InvalidInput("case.bad_assignee", message, {"to_user": message})
    _require_present(profile)
    return profile


# --- special procedures (特别程序) ---------------------------------------------------------------


def _pause(actor, case: Case, on: date, reason: str) -> None:
    for deadline in (case.deadline, case.statutory_deadline):
        if deadline is not None:
            work_calendar.deadline_pause(actor=actor, deadline=deadline, on=on, reason=reason)


def _resume(case: Case, on: date) -> None:
    for deadline in (case.deadline, case.statutory_deadline):
        if deadline is not None:
            work_calendar.deadline_resume(actor=None, deadline=deadline, on=on)


@transaction.atomic
def case_special_start(
    *,
    actor,
    case: Case,
    kind: str,
    reason: str,
    planned_end: date | None = None,
    now: datetime | None = None,
) -> SpecialProcedure:
    """The department puts a case under review into a special procedure; both clocks
    stop from the next day until it ends (R-CASE-4)."""
    now = clock_now(now)
    case = lock(case)
    require_actor(actor, case, "start_special")
    require_state(case, "start_special")
    if kind not in SpecialProcedure.Kind.values:
        message = "请选择特别程序的类型（专家评审、听证、公示、现场勘验、检验检测）。"
        raise InvalidInput("special.bad_kind", message, {"kind": message})
    reason = clean_text(
        reason,
        label=TEXT_LABEL,
        limit=MAX_TEXT,
        code="special.reason_required",
        field="reason",
        message="请写明特别程序的事由。",
    )
    today = timezone.localdate(now)
    if planned_end is not None and planned_end < today:
        message = "预计结束日期不能早于今天。"
        raise InvalidInput("special.planned_end", message, {"planned_end": message})
    procedure = SpecialProcedure.objects.create(
        case=case,
        kind=kind,
        reason=reason,
        started_on=today,
        planned_end=planned_end,
        started_by=actor,
    )
    label = SpecialProcedure.Kind(kind).label
    _pause(actor, case, today, f"特别程序：{label}")
    before = case.state
    case.state = states.SPECIAL
    case.save(update_fields=["state", *clock_sync(case)])
    event(
        case,
        "start_special",
        actor,
        before=before,
        note=f"{label}：{reason}",
        at=now,
        kind=kind,
        planned_end=planned_end.isoformat() if planned_end else None,
    )
    return procedure


@transaction.atomic
def case_special_end(
    *, actor, case: Case, result: str, now: datetime | None = None
) -> SpecialProcedure:
    """The special procedure ends with its result; the clocks resume the next working
    day and both due dates move by the working days it took."""
    now = clock_now(now)
    case = lock(case)
    require_actor(actor, case, "end_special")
    require_state(case, "end_special")
    result = clean_text(
        result,
        label=TEXT_LABEL,
        limit=MAX_TEXT,
        code="special.result_required",
        field="result",
        message="请填写特别程序的结果。",
    )
    procedure = (
        for_update(SpecialProcedure.objects).filter(case=case, ended_on__isnull=True).first()
    )
    if procedure is None:
        raise Conflict("special.none", "该办件没有进行中的特别程序。")
    today = timezone.localdate(now)
    if today < procedure.started_on:
        raise InvalidInput("special.end_before_start", "结束日期不能早于开始日期。")
    procedure.ended_on, procedure.result, procedure.ended_by = today, result, actor
    procedure.save(update_fields=["ended_on", "result", "ended_by"])
    _resume(case, today)
    spent = work_calendar.calendar_for(center=case.center).working_days_between(
        procedure.started_on, today
    )
    before = case.state
    case.state = states.IN_REVIEW
    case.save(update_fields=["state", *clock_sync(case)])
    if case.deadline_id:
        case.deadline.refresh_from_db()
    event(
        case,
        "end_special",
        actor,
        before=before,
        note=f"{procedure.get_kind_display()}结束：{result}（暂停{spent}个工作日）",
        at=now,
        kind=procedure.kind,
        working_days=spent,
        due=case.deadline.due.isoformat() if case.deadline and case.deadline.due else None,
    )
    return procedure


# --- supervisor force steps ----------------------------------------------------------------------


def _reopen_clocks(case: Case, today: date) -> None:
    """Counting resumes: a clock still paused (a withdrawn correction) resumes today; a
    clock that ran on after the decision has the days since the decision taken out."""
    since = timezone.localdate(case.decided_at) if case.decided_at else None
    for deadline in (case.deadline, case.statutory_deadline):
        if deadline is None:
            continue
        if deadline.paused or deadline.pauses.filter(end__isnull=True).exists():
            work_calendar.deadline_resume(actor=None, deadline=deadline, on=today)
            continue
        if since is None or since >= today:
            continue
        last = deadline.pauses.exclude(end__isnull=True).order_by("-end").first()
        start = max(since, deadline.start, last.end if last else deadline.start)
        if start >= today:
            continue
        work_calendar.deadline_pause(actor=None, deadline=deadline, on=start, reason="重新打开")
        work_calendar.deadline_resume(actor=None, deadline=deadline, on=today)


@transaction.atomic
def case_force(
    *,
    actor,
    case: Case,
    step: str,
    reason: str,
    to_user=None,
    now: datetime | None = None,
) -> Case:
    """A supervisor or center administrator of the case's scope forces a step with a
    written reason: reassign, reopen, or move on (``FORCE_STEPS``)."""
    now = clock_now(now)
    case = lock(case)
    if not actor.is_superuser:
        if not in_scope(actor, case):
            raise NotFound("case.not_found", "未找到该办件。")
        if not can_force(actor):
            raise Forbidden("case.not_supervisor", "只有督查人员或中心管理员可以强制操作。")
    spec = states.FORCE_STEPS.get(step)
    if spec is None:
        raise InvalidInput("case.bad_force_step", "未知的强制操作。", {"step": "请选择操作。"})
    if case.state not in spec.moves:
        raise Conflict("case.wrong_state", f"办件当前为“{case.state_label}”，不能{spec.label}。")
    reason = clean_text(
        reason,
        label=TEXT_LABEL,
        limit=MAX_TEXT,
        code="case.force_reason_required",
        field="reason",
        message="强制操作须写明理由，理由将记入办理记录。",
    )
    today = timezone.localdate(now)
    before, data = case.state, {"step": step}
    fields = ["state"]
    if step == "reassign":
        if to_user is None:
            message = "请选择新的承办人。"
            raise InvalidInput("case.bad_assignee", message, {"to_user": message})
        handler = _department_handler(to_user, case)
        if handler.user_id == case.assignee_id:
            message = "新承办人与当前承办人相同。"
            raise InvalidInput("case.bad_assignee", message, {"to_user": message})
        data.update(from_user=case.assignee_id, to_user=handler.user_id)
        case.assignee_id = handler.user_id
        fields.append("assignee")
    elif step == "reopen":
        if case.deadline_id is None:
            raise Conflict("case.not_accepted", "该办件未受理，不能重新打开审查。")
        data.update(
            decision=before if before in (states.APPROVED, states.DENIED) else "",
            decided_by=case.decided_by_id,
            decided_at=case.decided_at.isoformat() if case.decided_at else None,
            decision_note=case.decision_note,
        )
        rollups.case_undecided(case)
        _reopen_clocks(case, today)
        case.decided_at, case.decided_by, case.decision_note = None, None, ""
        fields += ["decided_at", "decided_by", "decision_note"]
    elif step == "advance" and before == states.READY:
        case.delivered_at = now
        fields.append("delivered_at")
    elif step == "advance" and to_user is not None:
        handler = _department_handler(to_user, case)
        data.update(to_user=handler.user_id)
        case.assignee_id = handler.user_id
        fields.append("assignee")
    case.state = spec.moves[before]
    case.save(update_fields=[*fields, *clock_sync(case)])
    event(case, f"force_{step}", actor, before=before, note=reason, at=now, **data)
    return case


# --- queue handover --------------------------------------------------------------------------------


@transaction.atomic
def queue_handover(
    *, actor, department, from_user, to_user, reason: str, now: datetime | None = None
) -> int:
    """Hand every open back-office case of ``from_user`` (None: the unassigned ones) in
    the department to ``to_user``; one event per case. Returns how many moved."""
    now = clock_now(now)
    if not can_hand_over(actor, department):
        raise Forbidden(
            "queue.not_head", "只有部门负责人（部门领导、首席代表）或中心管理员可以移交队列。"
        )
    reason = clean_text(
        reason,
        label=TEXT_LABEL,
        limit=MAX_TEXT,
        code="queue.reason_required",
        field="reason",
        message="请写明移交原因。",
    )
    if to_user is None:
        message = "请选择接收人。"
        raise InvalidInput("queue.bad_receiver", message, {"to_user": message})
    receiver_profile = StaffProfile.objects.select_related("user", "backup__user")
    receiver_profile = receiver_profile.filter(user_id=to_user.pk, active=True).first()
    if (
        receiver_profile is None
        or receiver_profile.department_id != department.pk
        or not has_any(receiver_profile.roles, "case.back")
    ):
        message = "接收人须是本部门的审批人员或首席代表。"
        raise InvalidInput("queue.bad_receiver", message, {"to_user": message})
    _require_present(receiver_profile, "接收人")
    from_id = from_user.pk if from_user is not None else None
    if from_id == to_user.pk:
        message = "接收人与原承办人相同。"
        raise InvalidInput("queue.bad_receiver", message, {"to_user": message})
    which = {"assignee_id": from_id} if from_id else {"assignee__isnull": True}
    cases = list(
        for_update(
            Case.objects.filter(department_id=department.pk, state__in=states.BACK_QUEUE, **which)
        ).order_by("pk")
    )
    for case in cases:
        case.assignee_id = to_user.pk
        case.save(update_fields=["assignee"])
        event(
            case,
            "handover",
            actor,
            before=case.state,
            note=reason,
            at=now,
            from_user=from_id,
            to_user=to_user.pk,
        )
    return len(cases)


FORCE_STEPS = states.FORCE_STEPS

__all__ = [
    "FORCE_STEPS",
    "case_force",
    "case_special_end",
    "case_special_start",
    "queue_handover",
]
