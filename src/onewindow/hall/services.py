"""Every write of the hall: windows, sign-in, authorisations, and the queue.

Concurrency (R-HALL-2): every action runs in one transaction that locks the rows it
changes (the window, the day counter, the ticket) with ``select_for_update`` and checks
their state after the lock. A ticket is only moved out of "waiting" by an UPDATE that
still finds it waiting; a window holds at most one ticket and a held ticket has exactly
one window (database constraints back both). On SQLite every transaction begins
IMMEDIATE, which serialises writers; on PostgreSQL the row locks do.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from onewindow.catalog.models import Matter
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.idnumber import IdNumberError
from onewindow.core.locking import for_update
from onewindow.core.roles import Role, roles_of
from onewindow.core.validation import is_mobile
from onewindow.hall import hours, states
from onewindow.hall.access import require_center_admin
from onewindow.hall.models import (
    Authorization,
    DayCounter,
    HallSettings,
    ServiceCategory,
    Ticket,
    Window,
    WindowSession,
)
from onewindow.org.models import Center
from onewindow.planning import queueing

# A finished visit (一次一评): the evaluation loop listens to it.
visit_finished = Signal()

WINDOW_ROLES = frozenset({Role.CLERK, Role.CHIEF_REP, Role.AGENT, Role.APPROVER})
MAX_CALL_ATTEMPTS = 8
MAX_SKIPS = 20


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def hall_settings(center: Center) -> HallSettings:
    """The center's queue rules; the defaults (unsaved) until the center sets its own.
    Reading never writes, so the hot path of calling takes no extra lock."""
    return HallSettings.objects.filter(center=center).first() or HallSettings(center=center)


def policy_for(center: Center) -> queueing.Policy:
    s = hall_settings(center)
    return queueing.Policy(mode=s.priority_mode, k=s.priority_k, aging_minutes=s.aging_minutes)


def display_version_key(center_id: int) -> str:
    return f"hall:display:{center_id}"


def _touch_display(center_id: int) -> None:
    """Tell the hall screens something changed (after commit, never on rollback)."""

    def bump():
        key = display_version_key(center_id)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, None)

    transaction.on_commit(bump)


def _audit(actor, action: str, ticket: Ticket, *, before: str, note: str = "", **after) -> None:
    audit_record(
        actor=actor,
        action=f"ticket.{action}",
        target=ticket,
        center=ticket.center,
        before={"state": before},
        after={"state": ticket.state, **after},
        note=note,
    )


# --- windows, sign-in, authorisation -------------------------------------------------------


_require_center_admin = require_center_admin


@transaction.atomic
def window_set_categories(*, actor, window: Window, categories: list[ServiceCategory]) -> Window:
    window = for_update(Window.objects).get(pk=window.pk)
    _require_center_admin(actor, window.center)
    if any(c.center_id != window.center_id for c in categories):
        raise InvalidInput("window.foreign_category", "只能选择本中心的业务类别。")
    before = sorted(window.categories.values_list("letter", flat=True))
    window.categories.set(categories)
    audit_record(
        actor=actor,
        action="window.set_categories",
        target=window,
        center=window.center,
        before={"categories": before},
        after={"categories": sorted(c.letter for c in categories)},
    )
    _touch_display(window.center_id)
    return window


def open_session(window: Window) -> WindowSession | None:
    return (
        WindowSession.objects.filter(window=window, signed_out_at__isnull=True)
        .select_related("clerk")
        .first()
    )


@transaction.atomic
def window_sign_in(*, actor, window: Window) -> WindowSession:
    window = for_update(Window.objects).get(pk=window.pk)
    profile = getattr(actor, "staff_profile", None)
    if not (roles_of(actor) & WINDOW_ROLES) or profile.center_id != window.center_id:
        raise Forbidden("window.not_clerk", "只有本中心的窗口工作人员可以在窗口签到。")
    if not window.is_active:
        raise Conflict("window.inactive", "该窗口已停用。")
    current = open_session(window)
    if current is not None:
        if current.clerk_id == actor.pk:
            return current
        raise Conflict("window.occupied", f"{window}已由{current.clerk}签到，请先由其签退。")
    previous = (
        for_update(WindowSession.objects).filter(clerk=actor, signed_out_at__isnull=True).first()
    )
    if previous is not None:
        if Ticket.objects.filter(window_id=previous.window_id, state__in=states.HELD).exists():
            raise Conflict(
                "window.holding_ticket", f"您在{previous.window}还有未办结的号，请先办结或转移。"
            )
        previous.signed_out_at = timezone.now()
        previous.save(update_fields=["signed_out_at"])
    session = WindowSession.objects.create(window=window, clerk=actor)
    audit_record(actor=actor, action="window.sign_in", target=window, center=window.center)
    _touch_display(window.center_id)
    return session


@transaction.atomic
def window_sign_out(*, actor, window: Window) -> None:
    window = for_update(Window.objects).get(pk=window.pk)
    session = open_session(window)
    if session is None or (
        session.clerk_id != actor.pk and Role.CENTER_ADMIN not in roles_of(actor)
    ):
        raise Conflict("window.not_signed_in", "您未在该窗口签到。")
    if Ticket.objects.filter(window=window, state__in=states.HELD).exists():
        raise Conflict("window.holding_ticket", "窗口还有未办结的号，请先办结或转移。")
    session.signed_out_at = timezone.now()
    session.save(update_fields=["signed_out_at"])
    audit_record(actor=actor, action="window.sign_out", target=window, center=window.center)
    _touch_display(window.center_id)


@transaction.atomic
def authorization_set(
    *, actor, clerk, matter: Matter, may_accept: bool, may_decide: bool
) -> Authorization | None:
    """Grant or withdraw what a clerk may take in and decide on the spot (R-HALL-5)."""
    profile = getattr(clerk, "staff_profile", None)
    if profile is None or profile.center_id is None:
        raise InvalidInput("authorization.not_clerk", "只能为中心工作人员授权。")
    _require_center_admin(actor, profile.center)
    if may_decide and not may_accept:
        raise InvalidInput("authorization.decide_needs_accept", "可当场办结须同时可受理。")
    found = for_update(Authorization.objects).filter(clerk=clerk, matter=matter).first()
    before = {"may_accept": found.may_accept, "may_decide": found.may_decide} if found else None
    if not may_accept:
        if found:
            found.delete()
        result = None
    else:
        found = found or Authorization(clerk=clerk, matter=matter)
        found.may_accept, found.may_decide, found.granted_by = may_accept, may_decide, actor
        found.granted_at = timezone.now()
        found.save()
        result = found
    audit_record(
        actor=actor,
        action="authorization.set",
        target_type="hall.authorization",
        target_id=f"{clerk.pk}:{matter.pk}",
        target_label=f"{clerk} · {matter}",
        center=profile.center,
        before=before,
        after={"may_accept": may_accept, "may_decide": may_decide},
    )
    return result


def authorized(clerk, matter: Matter, *, decide: bool = False) -> bool:
    qs = Authorization.objects.filter(clerk=clerk, matter=matter, may_accept=True)
    if decide:
        qs = qs.filter(may_decide=True)
    return qs.exists()


# --- issuing tickets -------------------------------------------------------------------------


def _enforce_hours(center: Center, category: ServiceCategory, now: datetime) -> None:
    """Tickets that need a clerk are issued only in the center's opening hours (the
    one schedule, ``hall.hours``): every channel issues through here."""
    if not category.needs_clerk or not getattr(settings, "ONEWINDOW_HALL_ENFORCE_HOURS", True):
        return
    message = hours.closed_message(center, now, category=category)
    if message:
        raise Conflict("ticket.closed", message)


def _next_number(category: ServiceCategory, day) -> int:
    DayCounter.objects.bulk_create(
        [DayCounter(center_id=category.center_id, category=category, day=day)],
        ignore_conflicts=True,
    )
    counter = for_update(DayCounter.objects).get(category=category, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def ticket_issue(
    *,
    actor=None,
    center: Center,
    category: ServiceCategory,
    channel: str = Ticket.Channel.TERMINAL,
    priority_reason: str = "",
    priority_note: str = "",
    phone: str = "",
    id_number: str = "",
    appointment=None,
    now: datetime | None = None,
) -> Ticket:
    now = _now(now)
    if category.center_id != center.pk or not category.is_active:
        raise NotFound("category.not_found", "未找到该业务类别。")
    if priority_reason not in Ticket.PriorityReason.values:
        raise InvalidInput("ticket.priority_reason", "绿色通道类型不正确。")
    if priority_reason == Ticket.PriorityReason.OTHER and not priority_note.strip():
        raise InvalidInput(
            "ticket.priority_note",
            "请说明特殊困难情况。",
            {"priority_note": "请说明特殊困难情况。"},
        )
    phone = (phone or "").strip()
    if phone and not is_mobile(phone):
        raise InvalidInput(
            "ticket.phone", "请填写11位手机号码。", {"phone": "请填写11位手机号码。"}
        )
    if appointment is None:
        _enforce_hours(center, category, now)
    day = timezone.localdate(now)
    number = _next_number(category, day)
    ticket = Ticket(
        center=center,
        category=category,
        queue=category,
        day=day,
        number=number,
        code=f"{category.letter}{number:03d}",
        channel=channel,
        priority_reason=priority_reason,
        priority_note=priority_note,
        phone=phone,
        issued_at=now,
        appointment=appointment,
        appointment_at=_slot_start(appointment) if appointment else None,
    )
    try:
        ticket.set_id_number(id_number)
    except IdNumberError as exc:
        raise InvalidInput(exc.code, exc.message, {"id_number": exc.message}) from None
    ticket.save()
    _audit(
        actor,
        "issue",
        ticket,
        before="",
        channel=channel,
        code=ticket.code,
        priority=priority_reason or None,
    )
    _touch_display(center.pk)
    return ticket


def _slot_start(appointment) -> datetime:
    slot = appointment.slot
    return timezone.make_aware(datetime.combine(slot.day, slot.start))


# --- calling -------------------------------------------------------------------------------


def _window_for_action(actor, window: Window) -> Window:
    window = for_update(Window.objects).select_related("center").get(pk=window.pk)
    session = open_session(window)
    if session is None or session.clerk_id != actor.pk:
        raise Conflict("window.not_signed_in", "请先在该窗口签到。无人签到的窗口不能叫号。")
    return window


def _held(window: Window) -> Ticket | None:
    return for_update(Ticket.objects).filter(window=window, state__in=states.HELD).first()


def _candidates(window: Window, day, category_ids: set[int]) -> list[queueing.Candidate]:
    rows = _waiting_for(window, day, category_ids).values_list(
        "pk", "queue_id", "issued_at", "priority_reason", "appointment_at", "target_window_id"
    )
    return [
        queueing.Candidate(
            id=pk,
            category_id=cat,
            arrival=arrival,
            priority=bool(reason),
            appointment_at=appt,
            target_window_id=target,
        )
        for pk, cat, arrival, reason, appt, target in rows
    ]


def _take(
    ticket_id: int, window: Window, actor, now: datetime, *, skip_locked: bool = False
) -> Ticket | None:
    """Lock the ticket and move it to the window if it is still waiting. With
    ``skip_locked`` a ticket another window is taking right now is passed over at once
    (PostgreSQL) instead of waited for."""
    locked = for_update(Ticket.objects)
    if skip_locked:
        locked = locked.select_for_update(of=("self",), skip_locked=True)
    ticket = locked.filter(pk=ticket_id, state=states.WAITING).first()
    if ticket is None:
        return None
    ticket.state = states.CALLED
    ticket.window = window
    ticket.clerk = actor
    ticket.target_window = None
    ticket.called_at = now
    ticket.call_count += 1
    if ticket.wait_seconds is None:
        ticket.wait_seconds = max(0, int((now - ticket.issued_at).total_seconds()))
    ticket.save()
    return ticket


def ticket_call_next(*, actor, window: Window, now: datetime | None = None) -> Ticket | None:
    """Call the next ticket for this window; None when nobody is waiting for it.

    An idle window pressing "next" must not take the write lock (on SQLite one writer
    at a time serves the whole hall): who sits at the window and whether anyone waits
    are read first, outside any transaction; only then is the call made, under locks,
    where everything is checked again."""
    now = _now(now)
    session = open_session(window)
    if session is None or session.clerk_id != actor.pk:
        raise Conflict("window.not_signed_in", "请先在该窗口签到。无人签到的窗口不能叫号。")
    categories = set(window.categories.values_list("pk", flat=True))
    if not _waiting_for(window, timezone.localdate(now), categories).exists():
        if Ticket.objects.filter(window=window, state__in=states.HELD).exists():
            raise Conflict("window.busy", "请先办结、过号或转移当前的号，再叫下一位。")
        return None
    return _call_next_locked(actor=actor, window=window, now=now)


def _waiting_for(window: Window, day, category_ids: set[int]):
    return Ticket.objects.filter(center_id=window.center_id, day=day, state=states.WAITING).filter(
        Q(target_window_id=window.pk) | Q(target_window__isnull=True, queue_id__in=category_ids)
    )


@transaction.atomic
def _call_next_locked(*, actor, window: Window, now: datetime) -> Ticket | None:
    window = _window_for_action(actor, window)
    if _held(window) is not None:
        raise Conflict("window.busy", "请先办结、过号或转移当前的号，再叫下一位。")
    policy = policy_for(window.center)
    day = timezone.localdate(now)
    categories = set(window.categories.values_list("pk", flat=True))
    for _ in range(MAX_CALL_ATTEMPTS):
        ordered = queueing.order(
            _candidates(window, day, categories),
            window_id=window.pk,
            categories=categories,
            policy=policy,
            priority_streak=window.priority_streak,
            now=now,
        )
        if not ordered:
            return None
        # Try the best ticket first; one that another window is taking at this moment is
        # skipped for the next best, without reading the queue again.
        for chosen in ordered[:MAX_SKIPS]:
            ticket = _take(chosen.id, window, actor, now, skip_locked=True)
            if ticket is None:
                continue
            window.priority_streak = queueing.next_streak(
                chosen, streak=window.priority_streak, now=now, policy=policy
            )
            window.save(update_fields=["priority_streak"])
            _audit(actor, "call", ticket, before=states.WAITING, window=window.number)
            _touch_display(window.center_id)
            return ticket
    raise Conflict("ticket.busy", "叫号繁忙，请重试。")


def _lock_ticket(ticket: Ticket) -> Ticket:
    found = for_update(Ticket.objects).filter(pk=ticket.pk).first()
    if found is None:
        raise NotFound("ticket.not_found", "未找到该号。")
    return found


def _require(action: str, ticket: Ticket, window: Window | None = None) -> None:
    transition = states.TRANSITIONS[action]
    if ticket.state not in transition.sources:
        raise Conflict(
            "ticket.wrong_state",
            f"{ticket.code}当前为“{ticket.state_label}”，不能{transition.label}。",
        )
    if transition.by_window and (window is None or ticket.window_id != window.pk):
        raise Conflict("ticket.not_at_window", f"{ticket.code}不在本窗口。")


@transaction.atomic
def ticket_call(*, actor, window: Window, ticket: Ticket, now: datetime | None = None) -> Ticket:
    """Call a chosen ticket from the waiting list."""
    now = _now(now)
    window = _window_for_action(actor, window)
    if _held(window) is not None:
        raise Conflict("window.busy", "请先办结、过号或转移当前的号，再叫下一位。")
    locked = _lock_ticket(ticket)
    _require("call", locked)
    serves = window.categories.filter(pk=locked.queue_id).exists()
    if locked.center_id != window.center_id or not (serves or locked.target_window_id == window.pk):
        raise Conflict("ticket.not_for_window", f"{locked.code}不属于本窗口的服务类别。")
    if locked.target_window_id not in (None, window.pk):
        raise Conflict("ticket.not_for_window", f"{locked.code}已指定到其他窗口。")
    taken = _take(locked.pk, window, actor, now)
    _audit(actor, "call", taken, before=states.WAITING, window=window.number, chosen=True)
    _touch_display(window.center_id)
    return taken


@transaction.atomic
def ticket_recall(*, actor, window: Window, ticket: Ticket, now: datetime | None = None) -> Ticket:
    now = _now(now)
    window = _window_for_action(actor, window)
    ticket = _lock_ticket(ticket)
    _require("recall", ticket, window)
    limit = hall_settings(window.center).recall_limit
    ticket.recall_count += 1
    ticket.call_count += 1
    ticket.called_at = now
    if ticket.recall_count > limit:
        ticket.state, ticket.no_show_at, ticket.window = states.NO_SHOW, now, None
        ticket.save()
        _audit(
            actor,
            "skip",
            ticket,
            before=states.CALLED,
            window=window.number,
            automatic=True,
            note=f"重呼超过{limit}次，自动过号",
        )
    else:
        ticket.save()
        _audit(
            actor,
            "recall",
            ticket,
            before=states.CALLED,
            window=window.number,
            recall_count=ticket.recall_count,
        )
    _touch_display(window.center_id)
    return ticket


@transaction.atomic
def ticket_start(*, actor, window: Window, ticket: Ticket, now: datetime | None = None) -> Ticket:
    now = _now(now)
    window = _window_for_action(actor, window)
    ticket = _lock_ticket(ticket)
    _require("start", ticket, window)
    ticket.state, ticket.served_at = states.SERVING, now
    ticket.save()
    _audit(actor, "start", ticket, before=states.CALLED, window=window.number)
    _touch_display(window.center_id)
    return ticket


@transaction.atomic
def ticket_undo(*, actor, window: Window, ticket: Ticket, now: datetime | None = None) -> Ticket:
    """Undo a mistaken call within the center's few seconds: the ticket goes back to its place."""
    now = _now(now)
    window = _window_for_action(actor, window)
    ticket = _lock_ticket(ticket)
    _require("undo", ticket, window)
    limit = hall_settings(window.center).undo_seconds
    if ticket.recall_count or (now - ticket.called_at).total_seconds() > limit:
        raise Conflict("ticket.undo_too_late", f"只能在叫号后{limit}秒内撤销。")
    if ticket.is_priority and window.priority_streak:
        window.priority_streak -= 1
        window.save(update_fields=["priority_streak"])
    ticket.state, ticket.window, ticket.clerk, ticket.called_at = states.WAITING, None, None, None
    ticket.call_count = max(0, ticket.call_count - 1)
    if ticket.call_count == 0:
        ticket.wait_seconds = None
    ticket.save()
    _audit(actor, "undo", ticket, before=states.CALLED, window=window.number)
    _touch_display(window.center_id)
    return ticket


@transaction.atomic
def ticket_skip(*, actor, window: Window, ticket: Ticket, now: datetime | None = None) -> Ticket:
    now = _now(now)
    window = _window_for_action(actor, window)
    ticket = _lock_ticket(ticket)
    _require("skip", ticket, window)
    ticket.state, ticket.no_show_at, ticket.window = states.NO_SHOW, now, None
    ticket.save()
    _audit(actor, "skip", ticket, before=states.CALLED, window=window.number)
    _touch_display(window.center_id)
    return ticket


@transaction.atomic
def ticket_return(*, actor=None, ticket: Ticket, now: datetime | None = None) -> Ticket:
    """A no-show comes back within the grace time: back in the queue at its place."""
    now = _now(now)
    ticket = _lock_ticket(ticket)
    _require("return", ticket)
    grace = hall_settings(ticket.center).grace_minutes
    if now - ticket.no_show_at > timedelta(minutes=grace):
        raise Conflict("ticket.grace_over", f"已超过过号保留时间（{grace}分钟），请重新取号。")
    ticket.state, ticket.no_show_at = states.WAITING, None
    ticket.save()
    _audit(actor, "return", ticket, before=states.NO_SHOW)
    _touch_display(ticket.center_id)
    return ticket


@transaction.atomic
def ticket_transfer(
    *,
    actor,
    window: Window,
    ticket: Ticket,
    to_category: ServiceCategory | None = None,
    to_window: Window | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Ticket:
    """Hand the ticket on: to another category's queue or to a named window, keeping its
    original arrival time. It is back to waiting, so no two windows ever hold it."""
    window = _window_for_action(actor, window)
    ticket = _lock_ticket(ticket)
    _require("transfer", ticket, window)
    if (to_category is None) == (to_window is None):
        raise InvalidInput("ticket.transfer_target", "请选择转入的业务类别或窗口（二选一）。")
    if to_category is not None and (
        to_category.center_id != ticket.center_id or not to_category.is_active
    ):
        raise InvalidInput("ticket.transfer_target", "只能转入本中心启用的业务类别。")
    if to_window is not None and (
        to_window.center_id != ticket.center_id
        or to_window.pk == window.pk
        or not to_window.is_active
    ):
        raise InvalidInput("ticket.transfer_target", "只能转入本中心的其他窗口。")
    before = {"queue": ticket.queue.letter, "window": window.number}
    if to_category is not None:
        ticket.queue, ticket.target_window = to_category, None
    else:
        ticket.target_window = to_window
    ticket.state, ticket.window, ticket.clerk = states.WAITING, None, None
    ticket.transfer_count += 1
    ticket.save()
    _audit(
        actor,
        "transfer",
        ticket,
        before=states.CALLED,
        note=note,
        **{
            "from": before,
            "to_category": to_category.letter if to_category else None,
            "to_window": to_window.number if to_window else None,
        },
    )
    _touch_display(ticket.center_id)
    return ticket


@transaction.atomic
def ticket_finish(
    *, actor, window: Window, ticket: Ticket, case_ref: str = "", now: datetime | None = None
) -> Ticket:
    """The visit ends; it is what the evaluation attaches to (一次一评)."""
    now = _now(now)
    window = _window_for_action(actor, window)
    ticket = _lock_ticket(ticket)
    _require("finish", ticket, window)
    before = ticket.state
    start = ticket.served_at or ticket.called_at
    ticket.state, ticket.finished_at, ticket.served_window = states.DONE, now, window
    ticket.service_seconds = max(0, int((now - start).total_seconds()))
    ticket.window = None
    ticket.case_ref = case_ref[:40]
    ticket.save()
    _audit(actor, "finish", ticket, before=before, window=window.number, case_ref=case_ref or None)
    _touch_display(window.center_id)
    transaction.on_commit(lambda: visit_finished.send(sender=Ticket, ticket=ticket))
    return ticket


@transaction.atomic
def ticket_cancel(*, actor=None, ticket: Ticket, reason: str = "") -> Ticket:
    ticket = _lock_ticket(ticket)
    _require("cancel", ticket)
    before = ticket.state
    ticket.state = states.CANCELLED
    ticket.save()
    _audit(actor, "cancel", ticket, before=before, note=reason)
    _touch_display(ticket.center_id)
    return ticket


def ticket_issue_online(
    *,
    center: Center,
    category: ServiceCategory,
    phone: str,
    client_key: str = "",
    now: datetime | None = None,
) -> Ticket:
    """A ticket taken on the portal (网上取号): a phone number is required, one waiting
    ticket per phone and center at a time, and the same rate limits as booking."""
    from onewindow.hall.appointments.common import rate_limit_hit

    phone = (phone or "").strip()
    if not is_mobile(phone):
        raise InvalidInput(
            "ticket.phone", "网上取号须填写11位手机号码。", {"phone": "请填写11位手机号码。"}
        )
    now = _now(now)
    waiting = Ticket.objects.filter(
        center=center,
        day=timezone.localdate(now),
        phone=phone,
        state__in=[states.WAITING, states.CALLED],
    ).first()
    if waiting is not None:
        raise Conflict("ticket.already_waiting", f"该手机号已取号 {waiting.code}，请勿重复取号。")
    rate_limit_hit("client", client_key)
    rate_limit_hit("phone", phone)
    return ticket_issue(
        center=center, category=category, channel=Ticket.Channel.PORTAL, phone=phone, now=now
    )


@transaction.atomic
def ticket_link_case(*, actor, ticket: Ticket, case_ref: str) -> Ticket:
    """A case was taken in for this visit: the visit and its evaluation point to it."""
    ticket = _lock_ticket(ticket)
    if ticket.case_ref == case_ref:
        return ticket
    ticket.case_ref = case_ref[:40]
    ticket.save(update_fields=["case_ref"])
    _audit(actor, "link_case", ticket, before=ticket.state, case_ref=case_ref)
    return ticket
