"""Windows, sign-in and what a clerk may take in (R-HALL-1, R-HALL-5).

Each action runs in one transaction that locks the window (or the authorisation) it
changes and checks its state after the lock.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from onewindow.catalog.models import Matter
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, Forbidden, InvalidInput
from onewindow.core.locking import for_update
from onewindow.core.roles import Role, has_any, roles_of
from onewindow.hall import hours, states
from onewindow.hall.access import require_center_admin
from onewindow.hall.models import Authorization, ServiceCategory, Ticket, Window, WindowSession
from onewindow.hall.selectors.windows import open_session
from onewindow.hall.services.events import touch_display
from onewindow.staffing.clearance import sign_in_refusal


@transaction.atomic
def window_set_categories(*, actor, window: Window, categories: list[ServiceCategory]) -> Window:
    window = for_update(Window.objects).get(pk=window.pk)
    require_center_admin(actor, window.center)
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
    touch_display(window.center_id)
    return window


@transaction.atomic
def window_sign_in(*, actor, window: Window) -> WindowSession:
    window = for_update(Window.objects).get(pk=window.pk)
    profile = getattr(actor, "staff_profile", None)
    if not has_any(roles_of(actor), "hall.window") or profile.center_id != window.center_id:
        raise Forbidden("window.not_clerk", "只有本中心的窗口工作人员可以在窗口签到。")
    refusal = sign_in_refusal(profile)
    if refusal:
        raise Forbidden("window.not_cleared", refusal)
    if not window.is_active:
        raise Conflict("window.inactive", "该窗口已停用。")
    current = open_session(window)
    if current is not None and _from_an_earlier_day(current):
        _close_left_open(current)  # yesterday's sign-in neither holds the window nor goes on
        current = None
    if current is not None:
        if current.clerk_id == actor.pk:
            return current
        raise Conflict("window.occupied", f"{window}已由{current.clerk}签到，请先由其签退。")
    previous = (
        for_update(WindowSession.objects).filter(clerk=actor, signed_out_at__isnull=True).first()
    )
    if previous is not None and _from_an_earlier_day(previous):
        _close_left_open(previous)
    elif previous is not None:
        if Ticket.objects.filter(window_id=previous.window_id, state__in=states.HELD).exists():
            raise Conflict(
                "window.holding_ticket", f"您在{previous.window}还有未办结的号，请先办结或转移。"
            )
        previous.signed_out_at = timezone.now()
        previous.save(update_fields=["signed_out_at"])
    session = WindowSession.objects.create(window=window, clerk=actor)
    audit_record(actor=actor, action="window.sign_in", target=window, center=window.center)
    touch_display(window.center_id)
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
    touch_display(window.center_id)


@transaction.atomic
def authorization_set(
    *, actor, clerk, matter: Matter, may_accept: bool, may_decide: bool
) -> Authorization | None:
    """Grant or withdraw what a clerk may take in and decide on the spot (R-HALL-5)."""
    profile = getattr(clerk, "staff_profile", None)
    if profile is None or profile.center_id is None:
        raise InvalidInput("authorization.not_clerk", "只能为中心工作人员授权。")
    require_center_admin(actor, profile.center)
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


def _left_open_until(session: WindowSession) -> datetime:
    """When a session left open is taken as ended: the hall's last closing on the day it
    began, or the end of that day when the hall had no hours then or the clerk signed in
    after closing."""
    signed_in = timezone.localtime(session.signed_in_at)
    day = signed_in.date()
    closings = [p.end for p in hours.periods_on(session.window.center, day)]
    end_of_day = datetime.combine(day + timedelta(days=1), time(0), tzinfo=signed_in.tzinfo)
    if closings:
        closing = datetime.combine(day, max(closings), tzinfo=signed_in.tzinfo)
        if closing > signed_in:
            return closing
    return end_of_day


def _from_an_earlier_day(session: WindowSession, now: datetime | None = None) -> bool:
    return timezone.localtime(session.signed_in_at).date() < timezone.localdate(now)


def _close_left_open(session: WindowSession) -> None:
    """Sign out a session left open from an earlier day (the caller holds its lock)."""
    session.signed_out_at = _left_open_until(session)
    session.save(update_fields=["signed_out_at"])
    audit_record(
        actor=None,
        action="window.sign_out_left_open",
        target=session.window,
        center=session.window.center,
        before={"signed_out_at": None},
        after={"signed_out_at": session.signed_out_at.isoformat()},
        note=f"{session.clerk}未签退，按当日营业结束时间签退",
    )


@transaction.atomic
def window_sessions_close_left_open(*, now: datetime | None = None) -> int:
    """Every window sign-in left open from an earlier day is signed out (R-STAFF-2): at
    the hall's closing time of that day, so the attendance does not count the night and
    the next days, and the display and the dashboard stop showing the window as open.
    Audited as the system's, one row per session; safe to run again. Returns how many."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    start_of_today = datetime.combine(today, time(0), tzinfo=timezone.get_current_timezone())
    left = list(
        for_update(WindowSession.objects)
        .filter(signed_out_at__isnull=True, signed_in_at__lt=start_of_today)
        .select_related("window__center", "clerk")
        .order_by("pk")
    )
    centers = set()
    for session in left:
        _close_left_open(session)
        centers.add(session.window.center_id)
    for center_id in sorted(centers):
        touch_display(center_id)
    return len(left)
