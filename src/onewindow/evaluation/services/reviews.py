"""Filing a review: from the window's pad, a QR code, the progress page, the public page
(综合点评), the terminal, and a supervisor's spot check. Nobody reviews on the citizen's
behalf: a citizen's review carrying a staff session is refused
(``evaluation.clerk_cannot_review``). A bad review opens its rectification."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from onewindow.cases.models import Case
from onewindow.catalog.models import Listing
from onewindow.core import clock
from onewindow.core.audit import TerminalActor, audit_record
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import may
from onewindow.core.scope import scope_for
from onewindow.core.text import join_messages
from onewindow.core.validation import is_mobile
from onewindow.evaluation import rollups, scheme
from onewindow.evaluation.models import Review
from onewindow.evaluation.selectors import (
    CONCLUDED,
    case_targets,
    pad_for,
    pad_ticket,
    visit_targets,
)
from onewindow.evaluation.services.guards import is_staff_session, require_citizen
from onewindow.evaluation.services.rectification import open_rectification
from onewindow.evaluation.signals import review_given
from onewindow.hall import states as ticket_states
from onewindow.hall.models import Ticket
from onewindow.org.models import Center

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
        actor=actor
        if is_staff_session(actor)
        else (f"评价人（{actor}）" if isinstance(actor, TerminalActor) else "评价人"),
        action="evaluation.review",
        target=review,
        center=review.center,
        department=review.department,
        after=_snapshot(review),
    )
    rollups.review_given(review)
    if review.is_bad and not review.is_default:
        open_rectification(review)
    review_given.send(sender=Review, review=review)
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


def _check_channel(channel: str) -> str:
    if channel not in scheme.CHANNELS:
        raise InvalidInput("evaluation.channel", "评价渠道不正确。", {"channel": "渠道不正确。"})
    return channel


# --- citizens' reviews ---------------------------------------------------------------------------


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
    now = clock.now(now)
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
    review = _build(Review.Kind.VISIT, channel, visit_targets(ticket), data, now, ticket=ticket)
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
    now = clock.now(now)
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
    review = _build(Review.Kind.CASE, channel, case_targets(case), data, now, case=case)
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
    now = clock.now(now)
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
    if not may(actor, "review.spot_check"):
        raise Forbidden("evaluation.not_supervisor", "只有督查人员可以录入监督查评。")
    if (
        center is not None
        and not Center.objects.visible_to(scope_for(actor)).filter(pk=center.pk).exists()
    ):
        raise NotFound("center.not_found", "未找到该服务中心。")
    now = clock.now(now)
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
