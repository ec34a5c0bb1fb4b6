"""Every write of the evaluation (好差评): filing a review from the window's pad, a QR
code, the progress page or the public page; a supervisor's spot check; the
rectification of a bad review step by step; the department's appeal and the center's
decision; pairing a pad to a window.

One transaction each; rows are locked before their state is checked; every step is
audited. Nobody reviews on the citizen's behalf: a citizen's review carrying a staff
session is refused (``evaluation.clerk_cannot_review``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from onewindow.cases import states as case_states
from onewindow.cases.models import Case
from onewindow.core import calendar as work_calendar
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import Role, roles_of
from onewindow.core.scope import scope_for
from onewindow.core.text import join_messages
from onewindow.core.validation import is_mobile
from onewindow.evaluation import scheme, states
from onewindow.evaluation.models import (
    Appeal,
    EvaluationSettings,
    PadDevice,
    Rectification,
    RectificationEvent,
    Review,
)
from onewindow.files.storage import store_upload
from onewindow.hall import states as ticket_states
from onewindow.hall.models import Ticket, Window
from onewindow.org.models import Center
from onewindow.org.names import label_of

# A case can be reviewed once it has concluded (一事一评).
CONCLUDED = frozenset(
    {
        case_states.APPROVED,
        case_states.DENIED,
        case_states.READY,
        case_states.DELIVERED,
        case_states.ARCHIVED,
    }
)
CENTER_ROLES = frozenset({Role.CENTER_ADMIN})
DEPARTMENT_ROLES = frozenset({Role.APPROVER, Role.CHIEF_REP, Role.LEADER})
SPOT_CHECK_ROLES = frozenset({Role.SUPERVISOR})
# The pad offers the window's last finished visit for this long.
PAD_MINUTES = 60


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def default_days() -> int:
    return int(getattr(settings, "ONEWINDOW_EVAL_DEFAULT_DAYS", 7))


def limits_for(center: Center) -> tuple[int, int]:
    """(contact, rectify) working days of a center; defaults 1 and 5."""
    row = EvaluationSettings.objects.filter(center=center).first()
    if row is None:
        return 1, 5
    return row.contact_days, row.rectify_days


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _is_staff_session(actor) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.is_superuser or actor.is_staff or getattr(actor, "staff_profile", None))


def require_citizen(actor) -> None:
    """A citizen's review never carries a staff session (R-EVAL-1: nobody reviews on the
    citizen's behalf)."""
    if _is_staff_session(actor):
        raise Forbidden(
            "evaluation.clerk_cannot_review",
            "工作人员不能代替办事群众评价。请退出工作人员登录后由办事群众本人评价。",
        )


# --- what a review offers and accepts -----------------------------------------------------------
# The pages (what they offer), the API and these services (what they accept) read the
# same form from ``scheme.FORMS``; see ``scheme.form_for``.


def form_for_visit() -> scheme.ReviewForm:
    """一次一评 of a visit at a window (pad, QR code, terminal)."""
    return scheme.form_for(scheme.VISIT)


def form_for_case(case: Case) -> scheme.ReviewForm:
    """一事一评 of a case: the hall's form for a case taken in at a window or by an
    agent, the online form for one applied for on the web, the app or a terminal."""
    return scheme.form_for(scheme.CASE, case_channel=case.channel)


def form_for_general(channel: str) -> scheme.ReviewForm:
    """综合点评 given on a channel (``scheme.CHANNELS``: web, mobile, terminal …)."""
    return scheme.form_for(scheme.UNSOLICITED, channel)


def form_for_spot_check() -> scheme.ReviewForm:
    return scheme.form_for(scheme.SPOT_CHECK)


# --- input -----------------------------------------------------------------------------------


def _clean(
    *,
    form: scheme.ReviewForm,
    level,
    indicators: dict | None,
    reasons: list | None,
    text: str,
    contact_name: str = "",
    contact_phone: str = "",
) -> tuple[int, dict, list, str, str, str]:
    fields = {}
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in scheme.LEVELS:
        fields["level"] = "请选择评价等级（非常满意至非常不满意）。"
    codes = set(form.indicators)
    clean_ind = {}
    for key, value in (indicators or {}).items():
        if value in (None, ""):
            continue
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = 0
        if key not in codes or score not in scheme.LEVELS:
            fields["indicators"] = "分项评价不正确。"
            break
        clean_ind[key] = score
    allowed = {c for c, _ in form.reasons(level if level in scheme.LEVELS else None)}
    clean_reasons = []
    for code in reasons or []:
        if code not in allowed:
            fields["reasons"] = "勾选的原因不正确。"
            break
        if code not in clean_reasons:
            clean_reasons.append(code)
    text = (text or "").replace("\x00", "").strip()
    if len(text) > scheme.MAX_TEXT:
        fields["text"] = f"评价内容不能超过{scheme.MAX_TEXT}字。"
    contact_name = (contact_name or "").replace("\x00", "").strip()
    contact_phone = (contact_phone or "").strip()
    if len(contact_name) > 50:
        fields["contact_name"] = "姓名不能超过50字。"
    if contact_phone and not is_mobile(contact_phone):
        fields["contact_phone"] = "请填写11位手机号码，或留空。"
    if not fields and scheme.is_bad(level) and not clean_reasons and not text:
        fields["reasons"] = "差评请至少勾选一项原因或写明情况，便于整改。"
    if fields:
        raise InvalidInput("evaluation.invalid", join_messages(fields.values()), fields)
    return level, clean_ind, clean_reasons, text, contact_name, contact_phone


# --- what a visit and a case resolve to ---------------------------------------------------------


def _visit_targets(ticket: Ticket) -> dict:
    case = Case.objects.filter(ticket=ticket).select_related("department", "matter").first()
    department = case.department if case else None
    if department is None and ticket.clerk_id:
        profile = getattr(ticket.clerk, "staff_profile", None)
        department = profile.department if profile is not None else None
    return {
        "center": ticket.center,
        "staff": ticket.clerk,
        "window": ticket.served_window,
        "department": department,
        "matter": case.matter if case else None,
    }


def _case_targets(case: Case) -> dict:
    ticket = case.ticket
    return {
        "center": case.center,
        "staff": case.decided_by or case.assignee or case.intake_clerk,
        "window": ticket.served_window if ticket is not None else None,
        "department": case.department,
        "matter": case.matter,
    }


def _snapshot(review: Review) -> dict:
    return {
        "kind": review.kind,
        "channel": review.channel,
        "level": review.level,
        "reasons": review.reasons,
        "is_default": review.is_default,
        "real_name": review.real_name,
        "ticket": review.ticket_id,
        "case": review.case_id,
        "staff": review.staff_id,
        "window": review.window_id,
        "department": review.department_id,
        "matter": review.matter_id,
    }


def _save_review(review: Review, actor) -> Review:
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise Conflict(
            "evaluation.already_reviewed", "本次服务已经评价过，每次服务只能评价一次。"
        ) from None
    audit_record(
        actor=actor if _is_staff_session(actor) else "评价人",
        action="evaluation.review",
        target=review,
        center=review.center,
        department=review.department,
        after=_snapshot(review),
    )
    if review.is_bad and not review.is_default:
        _open_rectification(review)
    return review


def _build(kind: str, channel: str, targets: dict, data: tuple, now: datetime, **kw) -> Review:
    level, indicators, reasons, text, name, phone = data
    review = Review(
        kind=kind,
        channel=channel,
        level=level,
        indicators=indicators,
        reasons=reasons,
        text=text,
        created_at=now,
        **targets,
        **kw,
    )
    review.set_contact(name, phone)
    return review


# --- citizens' reviews ---------------------------------------------------------------------------


def _check_channel(channel: str) -> str:
    if channel not in scheme.CHANNELS:
        raise InvalidInput("evaluation.channel", "评价渠道不正确。", {"channel": "渠道不正确。"})
    return channel


@transaction.atomic
def review_visit(
    *,
    actor=None,
    ticket: Ticket,
    level,
    channel: str = "qr",
    indicators: dict | None = None,
    reasons: list | None = None,
    text: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    now: datetime | None = None,
) -> Review:
    """一次一评: one review of a finished visit."""
    require_citizen(actor)
    now = _now(now)
    channel = _check_channel(channel)
    ticket = for_update(Ticket.objects).filter(pk=ticket.pk).first()
    if ticket is None:
        raise NotFound("ticket.not_found", "未找到该号。")
    if ticket.state != ticket_states.DONE:
        raise Conflict("evaluation.visit_not_finished", "业务办结后才能评价本次服务。")
    if Review.objects.filter(ticket=ticket, stage="").exists():
        raise Conflict("evaluation.already_reviewed", "本次服务已经评价过，每次服务只能评价一次。")
    data = _clean(
        form=form_for_visit(),
        level=level,
        indicators=indicators,
        reasons=reasons,
        text=text,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    review = _build(Review.Kind.VISIT, channel, _visit_targets(ticket), data, now, ticket=ticket)
    return _save_review(review, actor)


@transaction.atomic
def review_case(
    *,
    actor=None,
    case: Case,
    level,
    channel: str = "web",
    indicators: dict | None = None,
    reasons: list | None = None,
    text: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    now: datetime | None = None,
) -> Review:
    """一事一评: one review of a concluded case."""
    require_citizen(actor)
    now = _now(now)
    channel = _check_channel(channel)
    case = for_update(Case.objects).filter(pk=case.pk).first()
    if case is None:
        raise NotFound("case.not_found", "未找到该办件。")
    if case.state not in CONCLUDED:
        raise Conflict("evaluation.case_not_concluded", "办件办结后才能评价。")
    if Review.objects.filter(case=case, stage="").exists():
        raise Conflict("evaluation.already_reviewed", "该办件已经评价过，每件事只能评价一次。")
    data = _clean(
        form=form_for_case(case),
        level=level,
        indicators=indicators,
        reasons=reasons,
        text=text,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    review = _build(Review.Kind.CASE, channel, _case_targets(case), data, now, case=case)
    return _save_review(review, actor)


def _subject_targets(subject: str, *, center=None, department=None, window=None, matter=None):
    if subject not in scheme.SUBJECTS:
        raise InvalidInput("evaluation.subject", "请选择点评对象。", {"subject": "请选择。"})
    if center is None:
        raise InvalidInput("evaluation.subject", "请选择服务中心。", {"center": "请选择。"})
    targets = {"center": center, "department": None, "window": None, "matter": None}
    if subject == "department":
        if department is None or department.center_id != center.pk:
            raise InvalidInput(
                "evaluation.subject", "请选择该中心进驻的部门。", {"department": "请选择部门。"}
            )
        targets["department"] = department
    elif subject == "window":
        if window is None or window.center_id != center.pk:
            raise InvalidInput(
                "evaluation.subject", "请选择该中心的窗口。", {"window": "请选择窗口。"}
            )
        targets["window"] = window
    elif subject == "matter":
        from onewindow.catalog.models import Listing

        listing = (
            Listing.objects.public().filter(center=center, matter=matter).first()
            if matter is not None
            else None
        )
        if listing is None:
            raise InvalidInput(
                "evaluation.subject", "请选择该中心办理的事项。", {"matter": "请选择事项。"}
            )
        targets["matter"] = matter
        targets["department"] = listing.department
    return targets


@transaction.atomic
def review_unsolicited(
    *,
    actor=None,
    subject: str,
    center: Center | None,
    department=None,
    window=None,
    matter=None,
    level,
    channel: str = "web",
    reasons: list | None = None,
    text: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    now: datetime | None = None,
) -> Review:
    """综合点评 of a matter, a window, a department or a center."""
    require_citizen(actor)
    now = _now(now)
    channel = _check_channel(channel)
    targets = _subject_targets(
        subject, center=center, department=department, window=window, matter=matter
    )
    data = _clean(
        form=form_for_general(channel),
        level=level,
        indicators=None,
        reasons=reasons,
        text=text,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    review = _build(Review.Kind.UNSOLICITED, channel, targets, data, now, subject=subject)
    return _save_review(review, actor)


@transaction.atomic
def review_spot_check(
    *,
    actor,
    subject: str,
    center: Center | None,
    department=None,
    window=None,
    matter=None,
    level,
    reasons: list | None = None,
    text: str = "",
    now: datetime | None = None,
) -> Review:
    """监督查评: a supervisor's review from a spot check, marked as such."""
    if not actor.is_superuser and not (roles_of(actor) & SPOT_CHECK_ROLES):
        raise Forbidden("evaluation.not_supervisor", "只有督查人员可以录入监督查评。")
    if (
        center is not None
        and not Center.objects.visible_to(scope_for(actor)).filter(pk=center.pk).exists()
    ):
        raise NotFound("center.not_found", "未找到该服务中心。")
    now = _now(now)
    targets = _subject_targets(
        subject, center=center, department=department, window=window, matter=matter
    )
    data = _clean(
        form=form_for_spot_check(), level=level, indicators=None, reasons=reasons, text=text
    )
    if not data[3]:
        raise InvalidInput(
            "evaluation.invalid", "监督查评须写明查评情况。", {"text": "请写明查评情况。"}
        )
    review = _build(
        Review.Kind.SPOT_CHECK, "web", targets, data, now, subject=subject, entered_by=actor
    )
    return _save_review(review, actor)


# --- the pad (窗口评价器) ---------------------------------------------------------------------


def _require_center_admin(actor, center: Center) -> None:
    if actor.is_superuser:
        return
    if not Center.objects.visible_to(scope_for(actor)).filter(pk=center.pk).exists():
        raise NotFound("window.not_found", "未找到该窗口。")
    if not roles_of(actor) & CENTER_ROLES:
        raise Forbidden("evaluation.not_center_admin", "只有中心管理员可以配置评价器。")


@transaction.atomic
def pad_pair(*, actor, window: Window) -> tuple[PadDevice, str]:
    """The center pairs a tablet to a window; the clear key is returned once."""
    _require_center_admin(actor, window.center)
    key = "owp_" + secrets.token_urlsafe(24)
    now = timezone.now()
    PadDevice.objects.filter(window=window, revoked_at__isnull=True).update(revoked_at=now)
    pad = PadDevice.objects.create(window=window, digest=_digest(key), created_by=actor)
    audit_record(
        actor=actor,
        action="evaluation.pad_pair",
        target=pad,
        center=window.center,
        note=str(window),
    )
    return pad, key


def pad_for(*, window_id, key: str) -> PadDevice:
    """The paired pad of a window by its key; NotFound for anything else."""
    if not key or not str(window_id).isdigit():
        raise NotFound("evaluation.pad_not_paired", "该评价器未配对或已失效，请联系中心管理员。")
    pad = (
        PadDevice.objects.select_related("window__center")
        .filter(window_id=int(window_id), digest=_digest(key), revoked_at__isnull=True)
        .first()
    )
    if pad is None:
        raise NotFound("evaluation.pad_not_paired", "该评价器未配对或已失效，请联系中心管理员。")
    return pad


def pad_ticket(window: Window, now: datetime | None = None) -> Ticket | None:
    """The window's most recently finished visit, if it is recent and not yet reviewed."""
    now = _now(now)
    last = (
        Ticket.objects.select_related("clerk__staff_profile")
        .filter(served_window=window, state=ticket_states.DONE, day=timezone.localdate(now))
        .order_by("-finished_at", "-pk")
        .first()
    )
    if last is None or last.finished_at is None:
        return None
    if now - last.finished_at > timedelta(minutes=PAD_MINUTES):
        return None
    if Review.objects.filter(ticket=last, stage="").exists():
        return None
    return last


def review_from_pad(
    *,
    actor=None,
    window_id,
    key: str,
    ticket_id,
    level,
    indicators: dict | None = None,
    reasons: list | None = None,
    text: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    now: datetime | None = None,
) -> Review:
    """A review given on the window's pad, for the visit the pad was showing."""
    require_citizen(actor)
    pad = pad_for(window_id=window_id, key=key)
    current = pad_ticket(pad.window, now)
    if current is None or str(current.pk) != str(ticket_id):
        raise Conflict(
            "evaluation.pad_ticket_gone",
            "该次服务已评价或已超过评价器的评价时间，可扫描取号单上的二维码评价。",
        )
    return review_visit(
        actor=actor,
        ticket=current,
        level=level,
        channel="pad",
        indicators=indicators,
        reasons=reasons,
        text=text,
        contact_name=contact_name,
        contact_phone=contact_phone,
        now=now,
    )


# --- rectification (差评整改) ------------------------------------------------------------------


def _rect_event(rect: Rectification, action: str, actor, *, before: str, note="", at=None, **data):
    staff = _is_staff_session(actor)
    label = label_of(actor) if staff else ("评价人" if action in ("accept", "reject") else "系统")
    RectificationEvent.objects.create(
        rectification=rect,
        action=action,
        from_state=before,
        to_state=rect.state,
        actor=actor if staff else None,
        actor_label=label[:100],
        note=note,
        data=data,
        at=at or timezone.now(),
    )
    audit_record(
        actor=actor if staff else label,
        action=f"rectification.{action}",
        target=rect,
        center=rect.center,
        department=rect.department,
        before={"state": before},
        after={"state": rect.state, **data},
        note=note,
    )


def _open_rectification(review: Review) -> Rectification:
    contact_days, rectify_days = limits_for(review.center)
    start = timezone.localdate(review.created_at)
    clocks = {}
    for name, days, purpose in (
        ("contact_deadline", contact_days, "差评联系时限"),
        ("rectify_deadline", rectify_days, "差评整改时限"),
    ):
        clocks[name] = work_calendar.deadline_start(
            actor=None, center=review.center, purpose=purpose, start=start, days=days
        )
    rect = Rectification.objects.create(
        review=review,
        center=review.center,
        department=review.department,
        responsible=review.staff,
        reviewer_token=secrets.token_urlsafe(18),
        opened_at=review.created_at,
        **clocks,
    )
    _rect_event(
        rect,
        "open",
        None,
        before="",
        at=review.created_at,
        contact_due=rect.contact_deadline.due.isoformat() if rect.contact_deadline.due else None,
        rectify_due=rect.rectify_deadline.due.isoformat() if rect.rectify_deadline.due else None,
    )
    return rect


def roles_on(actor, rect: Rectification) -> frozenset[str]:
    """What the actor is on this rectification: center, department, both or neither.
    Out of scope raises NotFound."""
    if actor.is_superuser:
        return frozenset({states.CENTER, states.DEPARTMENT})
    if not Rectification.objects.visible_to(scope_for(actor)).filter(pk=rect.pk).exists():
        raise NotFound("rectification.not_found", "未找到该整改单。")
    roles = roles_of(actor)
    profile = actor.staff_profile
    found = set()
    if (
        roles & CENTER_ROLES
        and Center.objects.visible_to(scope_for(actor)).filter(pk=rect.center_id).exists()
    ):
        found.add(states.CENTER)
        if rect.department_id is None:
            found.add(states.DEPARTMENT)
    if (
        roles & DEPARTMENT_ROLES
        and rect.department_id
        and profile.department_id == rect.department_id
    ):
        found.add(states.DEPARTMENT)
    return frozenset(found)


def _lock_rect(rect) -> Rectification:
    locked = for_update(Rectification.objects).filter(pk=getattr(rect, "pk", rect)).first()
    if locked is None:
        raise NotFound("rectification.not_found", "未找到该整改单。")
    return locked


@transaction.atomic
def rectification_step(
    *, actor, rectification, action: str, text: str = "", now: datetime | None = None
) -> Rectification:
    """Take one step of the rectification's life (``states.ACTIONS``) as center or
    department staff."""
    now = _now(now)
    spec = states.ACTIONS.get(action)
    if spec is None or states.REVIEWER in spec.by or action == "appeal_upheld":
        raise InvalidInput("rectification.bad_action", "不支持该操作。")
    rect = _lock_rect(rectification)
    mine = roles_on(actor, rect)
    if not (mine & spec.by):
        who = "中心" if spec.by == {states.CENTER} else "责任部门或中心"
        raise Forbidden("rectification.not_allowed", f"“{spec.label}”须由{who}办理。")
    if rect.state not in spec.sources:
        raise Conflict(
            "rectification.wrong_state", f"整改单当前为“{rect.state_label}”，不能{spec.label}。"
        )
    text = (text or "").replace("\x00", "").strip()
    if spec.needs_text and not text:
        raise InvalidInput(
            "rectification.text_required", f"请填写{spec.label}的情况。", {"text": "请填写。"}
        )
    if len(text) > 2000:
        raise InvalidInput(
            "rectification.text_too_long", "内容不能超过2000字。", {"text": "不能超过2000字。"}
        )
    before = rect.state
    rect.state = spec.target
    data = {}
    if action == "contact":
        rect.contacted_at, rect.contact_note = now, text
        due = rect.contact_deadline.due
        data["on_time"] = due is None or timezone.localdate(now) <= due
    elif action == "report":
        rect.report, rect.reported_at = text, now
        due = rect.rectify_deadline.due
        rect.on_time = due is None or timezone.localdate(now) <= due
        data["on_time"] = rect.on_time
    elif action == "redo":
        rect.reviewer_accepts = None
    elif action == "check":
        rect.check_note, rect.checked_at = text, now
    elif action == "close":
        rect.closed_at = now
    rect.save()
    _rect_event(rect, action, actor, before=before, note=text, at=now, **data)
    return rect


def rectification_for_reviewer(token: str) -> Rectification:
    rect = (
        Rectification.objects.select_related("review", "center", "department")
        .filter(reviewer_token=(token or "")[:40])
        .first()
    )
    if rect is None or not token:
        raise NotFound("rectification.not_found", "未找到该整改单。")
    return rect


@transaction.atomic
def rectification_reviewer_answer(
    *, actor=None, token: str, accepts: bool, comment: str = "", now: datetime | None = None
) -> Rectification:
    """The reviewer, through their link, says whether they accept the rectification."""
    require_citizen(actor)
    now = _now(now)
    rect = _lock_rect(rectification_for_reviewer(token))
    action = "accept" if accepts else "reject"
    spec = states.ACTIONS[action]
    if rect.state not in spec.sources:
        raise Conflict(
            "rectification.wrong_state",
            "部门尚未报告整改情况，或您已经答复过。"
            if rect.state != states.CLOSED
            else "该整改已办结。",
        )
    comment = (comment or "").replace("\x00", "").strip()
    if len(comment) > scheme.MAX_TEXT:
        raise InvalidInput(
            "rectification.text_too_long",
            f"意见不能超过{scheme.MAX_TEXT}字。",
            {"comment": "内容过长。"},
        )
    if not accepts and not comment:
        raise InvalidInput(
            "rectification.comment_required",
            "不认可时请写明原因，便于再次整改。",
            {"comment": "请写明原因。"},
        )
    before = rect.state
    rect.state = spec.target
    rect.reviewer_accepts, rect.reviewer_comment, rect.reviewer_answered_at = (
        accepts,
        comment,
        now,
    )
    rect.save()
    _rect_event(rect, action, None, before=before, note=comment, at=now)
    return rect


def rectification_flag_overdue(rect: Rectification, *, today, now: datetime) -> bool:
    """Flag once a rectification past its contact or rectify deadline and escalate it to
    the center's directors and the supervisors above it. Returns whether it was flagged."""
    late = (
        rect.state == states.OPENED
        and rect.contact_deadline.due
        and today > rect.contact_deadline.due
    ) or (
        rect.state in states.BEFORE_REPORT
        and rect.rectify_deadline.due
        and today > rect.rectify_deadline.due
    )
    if not late:
        return False
    with transaction.atomic():
        locked = _lock_rect(rect)
        if locked.overdue or locked.state not in states.OPEN:
            return False
        locked.overdue, locked.overdue_at = True, now
        locked.save(update_fields=["overdue", "overdue_at"])
        recipients = escalation_recipients(locked)
        _rect_event(
            locked,
            "overdue",
            None,
            before=locked.state,
            at=now,
            escalated_to=[u.pk for u in recipients],
            escalated_names=[str(u) for u in recipients],
        )
    return True


def escalation_recipients(rect: Rectification) -> list:
    """The center's directors (center administrators) and the supervisors whose region
    holds the center."""
    from onewindow.org.models import StaffProfile

    path = rect.center.region.path
    ancestors = []
    codes = [c for c in path.strip("/").split("/") if c]
    for i in range(len(codes)):
        ancestors.append("/" + "/".join(codes[: i + 1]) + "/")
    profiles = (
        StaffProfile.objects.filter(active=True)
        .select_related("user")
        .filter(
            Q(center=rect.center, user__groups__name=Role.CENTER_ADMIN)
            | Q(region__path__in=ancestors, user__groups__name=Role.SUPERVISOR)
        )
        .distinct()
        .order_by("staff_no")
    )
    return [p.user for p in profiles]


# --- appeals (申诉) ------------------------------------------------------------------------------


@transaction.atomic
def appeal_file(
    *, actor, review: Review, reason: str, evidence=None, now: datetime | None = None
) -> Appeal:
    """The responsible department appeals a bad review it thinks mistaken or malicious,
    with its reasons and, if it has one, a file of evidence (PDF or image)."""
    now = _now(now)
    review = for_update(Review.objects).filter(pk=review.pk).first()
    if review is None:
        raise NotFound("review.not_found", "未找到该评价。")
    rect = Rectification.objects.filter(review=review).first()
    if rect is None:
        if not Review.objects.visible_to(scope_for(actor)).filter(pk=review.pk).exists():
            raise NotFound("review.not_found", "未找到该评价。")
        raise Conflict("appeal.not_bad", "只能对差评提出申诉。")
    if states.DEPARTMENT not in roles_on(actor, rect):
        raise Forbidden("appeal.not_department", "申诉须由责任部门提出。")
    if review.excluded:
        raise Conflict("appeal.already_excluded", "该差评已不计入统计。")
    if Appeal.objects.filter(review=review, state=Appeal.State.PENDING).exists():
        raise Conflict("appeal.pending", "该差评已有申诉在等待裁定。")
    reason = (reason or "").replace("\x00", "").strip()
    if len(reason) < 5 or len(reason) > 2000:
        raise InvalidInput(
            "appeal.reason_required",
            "请写明申诉理由和证据（5至2000字）。",
            {"reason": "请写明申诉理由和证据。"},
        )
    stored = store_upload(evidence, uploaded_by=actor, now=now) if evidence is not None else None
    appeal = Appeal.objects.create(
        review=review, reason=reason, evidence=stored, filed_by=actor, filed_at=now
    )
    _rect_event(rect, "appeal", actor, before=rect.state, note=reason, at=now, appeal=appeal.pk)
    return appeal


@transaction.atomic
def appeal_decide(
    *, actor, appeal: Appeal, upheld: bool, decision: str, now: datetime | None = None
) -> Appeal:
    """The center decides. Upheld: the review is excluded from statistics, with the
    decision and reason kept; its rectification ends. Nothing is deleted."""
    now = _now(now)
    appeal = for_update(Appeal.objects).filter(pk=appeal.pk).first()
    if appeal is None:
        raise NotFound("appeal.not_found", "未找到该申诉。")
    review = for_update(Review.objects).get(pk=appeal.review_id)
    rect = _lock_rect(Rectification.objects.get(review=review))
    if states.CENTER not in roles_on(actor, rect):
        raise Forbidden("appeal.not_center", "申诉须由服务中心裁定。")
    if appeal.state != Appeal.State.PENDING:
        raise Conflict("appeal.decided", "该申诉已经裁定。")
    decision = (decision or "").replace("\x00", "").strip()
    if not decision or len(decision) > 2000:
        raise InvalidInput(
            "appeal.decision_required", "请写明裁定理由。", {"decision": "请写明裁定理由。"}
        )
    appeal.state = Appeal.State.UPHELD if upheld else Appeal.State.REJECTED
    appeal.decision, appeal.decided_by, appeal.decided_at = decision, actor, now
    appeal.save()
    if upheld:
        review.excluded, review.excluded_reason, review.excluded_at = True, decision, now
        review.save(update_fields=["excluded", "excluded_reason", "excluded_at"])
        audit_record(
            actor=actor,
            action="evaluation.exclude",
            target=review,
            center=review.center,
            department=review.department,
            after={"excluded": True, "appeal": appeal.pk},
            note=decision,
        )
        if rect.state in states.OPEN:
            before = rect.state
            rect.state, rect.closed_at = states.CLOSED, now
            rect.save()
            _rect_event(
                rect, "appeal_upheld", actor, before=before, note=decision, at=now, appeal=appeal.pk
            )
        else:
            _rect_event(rect, "appeal_upheld", actor, before=rect.state, note=decision, at=now)
    else:
        _rect_event(rect, "appeal_rejected", actor, before=rect.state, note=decision, at=now)
    return appeal


# --- per-center limits -----------------------------------------------------------------------------


@transaction.atomic
def limits_set(
    *, actor, center: Center, contact_days: int, rectify_days: int
) -> EvaluationSettings:
    _require_center_admin(actor, center)
    for name, value in (("contact_days", contact_days), ("rectify_days", rectify_days)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 30:
            raise InvalidInput(
                "evaluation.bad_limit", "时限须为1至30个工作日。", {name: "须为1至30。"}
            )
    row, _ = EvaluationSettings.objects.update_or_create(
        center=center, defaults={"contact_days": contact_days, "rectify_days": rectify_days}
    )
    audit_record(
        actor=actor,
        action="evaluation.limits",
        target=row,
        center=center,
        after={"contact_days": contact_days, "rectify_days": rectify_days},
    )
    return row
