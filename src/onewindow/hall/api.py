"""The hall through the API: tickets for terminals and portals, the window's calls,
the display feed, appointments.

Who calls what:
- terminals and the portal issue tickets with a machine client key (``X-Api-Key``,
  limited to the client's region) or as signed-in staff;
- the person holding a ticket follows it with the ticket's token (``selectors.ticket_token``:
  the id and a keyed HMAC, printed in the slip's QR code), staff of the center without one;
- clerks act at the window they are signed in at (session or bearer token); a window
  or ticket outside the caller's scope answers 404;
- the display feed and ``/ping`` are public. ``/ping`` is the trivial baseline the
  load benchmark compares against.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.db.models import Q
from django.utils import timezone
from ninja import Router, Schema

from onewindow.core.api import BearerToken, ClientKey, Status, request_scope, session_auth
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.models import ApiClient
from onewindow.core.paging import MAX_ID
from onewindow.core.scope import scope_for
from onewindow.core.tokens import user_for_token
from onewindow.hall import selectors, services, states
from onewindow.hall.models import ServiceCategory, Ticket, Window
from onewindow.org import selectors as org_selectors
from onewindow.org.models import Center

router = Router(tags=["大厅"])

# The bearer token is tried before the session: ninja's session auth refuses an unsafe
# request without a CSRF token before any later method is tried, which would turn away
# every API client that posts with a token. Sessions still need CSRF.
CLERK_AUTH = [BearerToken(), session_auth]
ISSUE_AUTH = [ClientKey(), BearerToken(), session_auth]


# --- lookups in the caller's scope ----------------------------------------------------------


def _center_for_issue(request, center_id: int) -> Center:
    center = org_selectors.center_get(
        scope=request_scope(request), center_id=min(center_id, MAX_ID)
    )
    if not center.is_active:
        raise NotFound("center.not_found", "未找到该服务中心。")
    return center


def _category(center: Center, ref: str | int) -> ServiceCategory:
    categories = ServiceCategory.objects.filter(center=center, is_active=True)
    text = str(ref).strip()
    found = None
    if text.isdigit() and text.isascii():
        if int(text) <= MAX_ID:
            found = categories.filter(pk=int(text)).first()
    elif 1 <= len(text) <= 2 and text.isascii() and text.isalpha():
        found = categories.filter(letter=text.upper()).first()
    if found is None:
        raise NotFound("category.not_found", "未找到该业务类别。")
    return found


def _window(request, window_id: int) -> Window:
    scope = scope_for(request.user)
    window = None
    if window_id <= MAX_ID:
        window = (
            Window.objects.filter(scope.q(center="center", department=None), pk=window_id)
            .select_related("center")
            .first()
        )
    if window is None:
        raise NotFound("window.not_found", "未找到该窗口。")
    return window


def _ticket_at(window: Window, ticket_id: int) -> Ticket:
    ticket = None
    if ticket_id <= MAX_ID:
        ticket = Ticket.objects.filter(pk=ticket_id, center_id=window.center_id).first()
    if ticket is None:
        raise NotFound("ticket.not_found", "未找到该号。")
    return ticket


def _staff_caller(request):
    """The signed-in user of a public endpoint: the session's, else a bearer token's."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() == "bearer" and key.strip():
        return user_for_token(key.strip())
    return None


# --- schemas ---------------------------------------------------------------------------------


class Ok(Schema):
    ok: bool


class TicketIssueIn(Schema):
    category: str | int
    priority_reason: str = ""
    priority_note: str = ""
    phone: str = ""
    channel: Literal["terminal", "portal", "mobile", "window"] | None = None


class TicketIssued(Schema):
    id: int
    code: str
    number: int
    category: str
    category_name: str
    state: str
    priority: bool
    issued_at: datetime
    waiting_ahead: int
    token: str


class TicketStatusOut(Schema):
    id: int
    code: str
    state: str
    state_label: str
    category: str
    category_name: str
    queue: str
    waiting_ahead: int | None
    window_number: int | None
    issued_at: datetime
    called_at: datetime | None
    finished_at: datetime | None


class TicketOut(Schema):
    id: int
    code: str
    state: str
    state_label: str
    category: str
    queue: str
    priority_reason: str
    window_number: int | None
    issued_at: datetime
    called_at: datetime | None
    served_at: datetime | None
    finished_at: datetime | None
    wait_seconds: int | None
    service_seconds: int | None
    recall_count: int
    transfer_count: int


class CallNextOut(Schema):
    ticket: TicketOut | None


class WindowSessionOut(Schema):
    window_id: int
    window_number: int
    clerk: str
    signed_in_at: datetime


class WindowStateOut(Schema):
    id: int
    number: int
    name: str
    center_id: int
    is_active: bool
    clerk: str | None
    categories: list[str]
    ticket: TicketOut | None
    waiting: int


class TransferIn(Schema):
    to_category: str | int | None = None
    to_window_number: int | None = None
    note: str = ""


class FinishIn(Schema):
    case_ref: str = ""


class DisplayFeedOut(Schema):
    """``state`` is ``selectors.display_state``: the latest calls, the waiting count of each
    category, the hours; it is left out (``unchanged``) when the caller already has
    ``version``."""

    version: int
    server_time: str
    unchanged: bool
    state: dict | None = None


def _ticket_out(ticket: Ticket) -> dict:
    return {
        "id": ticket.pk,
        "code": ticket.code,
        "state": ticket.state,
        "state_label": ticket.state_label,
        "category": ticket.category.letter,
        "queue": ticket.queue.letter,
        "priority_reason": ticket.priority_reason,
        "window_number": ticket.window.number if ticket.window_id else None,
        "issued_at": ticket.issued_at,
        "called_at": ticket.called_at,
        "served_at": ticket.served_at,
        "finished_at": ticket.finished_at,
        "wait_seconds": ticket.wait_seconds,
        "service_seconds": ticket.service_seconds,
        "recall_count": ticket.recall_count,
        "transfer_count": ticket.transfer_count,
    }


# --- baseline ----------------------------------------------------------------------------------


@router.get("/ping", response=Ok, auth=None, summary="连通性检查（基准测试的基线）")
def ping(request):
    return {"ok": True}


# --- tickets: issue and follow ---------------------------------------------------------------


@router.post(
    "/centers/{center_id}/tickets",
    response={201: TicketIssued},
    auth=ISSUE_AUTH,
    summary="取号（自助终端、网上取号、窗口代取）",
)
def issue_ticket(request, center_id: int, payload: TicketIssueIn):
    center = _center_for_issue(request, center_id)
    category = _category(center, payload.category)
    is_client = isinstance(request.auth, ApiClient)
    if is_client and payload.channel == Ticket.Channel.WINDOW:
        raise InvalidInput(
            "ticket.channel", "接入终端不能以窗口代取渠道取号。", {"channel": "渠道不正确。"}
        )
    channel = payload.channel or (Ticket.Channel.TERMINAL if is_client else Ticket.Channel.WINDOW)
    ticket = services.ticket_issue(
        actor=None if is_client else request.user,
        center=center,
        category=category,
        channel=channel,
        priority_reason=payload.priority_reason,
        priority_note=payload.priority_note,
        phone=payload.phone,
    )
    return Status(
        201,
        {
            "id": ticket.pk,
            "code": ticket.code,
            "number": ticket.number,
            "category": category.letter,
            "category_name": category.name,
            "state": ticket.state,
            "priority": ticket.is_priority,
            "issued_at": ticket.issued_at,
            "waiting_ahead": selectors.people_ahead(ticket) or 0,
            "token": selectors.ticket_token(ticket),
        },
    )


@router.get(
    "/tickets/{ticket_id}",
    response=TicketStatusOut,
    auth=None,
    summary="排队进度（凭号码上的查询码，或本中心工作人员）",
)
def ticket_status(request, ticket_id: int, token: str = ""):
    ticket = None
    if token and token.partition(".")[0] == str(ticket_id):
        try:
            ticket = selectors.ticket_by_token(token)
        except NotFound:
            ticket = None
    if ticket is None and ticket_id <= MAX_ID:
        user = _staff_caller(request)
        if user is not None:
            scope = scope_for(user)
            ticket = (
                Ticket.objects.filter(scope.q(center="center", department=None), pk=ticket_id)
                .select_related("category", "queue", "window")
                .first()
            )
    if ticket is None:
        raise NotFound("ticket.not_found", "未找到该号，请核对查询码。")
    return {
        "id": ticket.pk,
        "code": ticket.code,
        "state": ticket.state,
        "state_label": ticket.state_label,
        "category": ticket.category.letter,
        "category_name": ticket.category.name,
        "queue": ticket.queue.letter,
        "waiting_ahead": selectors.people_ahead(ticket),
        "window_number": ticket.window.number if ticket.window_id else None,
        "issued_at": ticket.issued_at,
        "called_at": ticket.called_at,
        "finished_at": ticket.finished_at,
    }


# --- the display feed --------------------------------------------------------------------------


@router.get(
    "/centers/{center_id}/display",
    response=DisplayFeedOut,
    auth=None,
    summary="大厅显示屏数据：最新叫号、各类别等候人数（公开；带 version 时未变化只回 unchanged）",
)
def display(request, center_id: int, version: str | None = None):
    center = selectors.display_center(min(center_id, MAX_ID))
    return selectors.display_feed(center, version)


# --- the window ----------------------------------------------------------------------------------


@router.get("/windows/{window_id}", response=WindowStateOut, auth=CLERK_AUTH, summary="窗口状态")
def window_state(request, window_id: int):
    window = _window(request, window_id)
    session = selectors.open_session(window)
    held = (
        Ticket.objects.filter(window=window, state__in=sorted(states.HELD))
        .select_related("category", "queue", "window")
        .first()
    )
    categories = list(window.categories.order_by("order", "letter"))
    waiting = Ticket.objects.filter(
        Q(target_window=window) | Q(target_window__isnull=True, queue__in=categories),
        center_id=window.center_id,
        day=timezone.localdate(),
        state=states.WAITING,
    ).count()
    return {
        "id": window.pk,
        "number": window.number,
        "name": window.name,
        "center_id": window.center_id,
        "is_active": window.is_active,
        "clerk": str(session.clerk) if session else None,
        "categories": [c.letter for c in categories],
        "ticket": _ticket_out(held) if held else None,
        "waiting": waiting,
    }


@router.post(
    "/windows/{window_id}/sign-in", response=WindowSessionOut, auth=CLERK_AUTH, summary="窗口签到"
)
def window_sign_in(request, window_id: int):
    window = _window(request, window_id)
    session = services.window_sign_in(actor=request.user, window=window)
    return {
        "window_id": window.pk,
        "window_number": window.number,
        "clerk": str(request.user),
        "signed_in_at": session.signed_in_at,
    }


@router.post(
    "/windows/{window_id}/sign-out", response={204: None}, auth=CLERK_AUTH, summary="窗口签退"
)
def window_sign_out(request, window_id: int):
    window = _window(request, window_id)
    services.window_sign_out(actor=request.user, window=window)
    return Status(204, None)


@router.post(
    "/windows/{window_id}/call-next",
    response=CallNextOut,
    auth=CLERK_AUTH,
    summary="叫下一位（无人等候时 ticket 为 null）",
)
def call_next(request, window_id: int):
    window = _window(request, window_id)
    ticket = services.ticket_call_next(actor=request.user, window=window)
    return {"ticket": _ticket_out(ticket) if ticket else None}


def _act(request, window_id: int, ticket_id: int, service, **kwargs) -> dict:
    window = _window(request, window_id)
    ticket = _ticket_at(window, ticket_id)
    return _ticket_out(service(actor=request.user, window=window, ticket=ticket, **kwargs))


@router.post(
    "/windows/{window_id}/tickets/{ticket_id}/call",
    response=TicketOut,
    auth=CLERK_AUTH,
    summary="叫指定的号",
)
def call_ticket(request, window_id: int, ticket_id: int):
    return _act(request, window_id, ticket_id, services.ticket_call)


@router.post(
    "/windows/{window_id}/tickets/{ticket_id}/recall",
    response=TicketOut,
    auth=CLERK_AUTH,
    summary="重呼（超过次数上限自动过号）",
)
def recall_ticket(request, window_id: int, ticket_id: int):
    return _act(request, window_id, ticket_id, services.ticket_recall)


@router.post(
    "/windows/{window_id}/tickets/{ticket_id}/start",
    response=TicketOut,
    auth=CLERK_AUTH,
    summary="开始办理",
)
def start_ticket(request, window_id: int, ticket_id: int):
    return _act(request, window_id, ticket_id, services.ticket_start)


@router.post(
    "/windows/{window_id}/tickets/{ticket_id}/skip",
    response=TicketOut,
    auth=CLERK_AUTH,
    summary="过号",
)
def skip_ticket(request, window_id: int, ticket_id: int):
    return _act(request, window_id, ticket_id, services.ticket_skip)


@router.post(
    "/windows/{window_id}/tickets/{ticket_id}/undo",
    response=TicketOut,
    auth=CLERK_AUTH,
    summary="撤销叫错的号（回到原位）",
)
def undo_ticket(request, window_id: int, ticket_id: int):
    return _act(request, window_id, ticket_id, services.ticket_undo)


@router.post(
    "/windows/{window_id}/tickets/{ticket_id}/transfer",
    response=TicketOut,
    auth=CLERK_AUTH,
    summary="转移到其他类别或窗口（保留原到达时间）",
)
def transfer_ticket(request, window_id: int, ticket_id: int, payload: TransferIn):
    window = _window(request, window_id)
    ticket = _ticket_at(window, ticket_id)
    to_category = to_window = None
    if payload.to_category is not None:
        try:
            to_category = _category(window.center, payload.to_category)
        except NotFound:
            raise InvalidInput(
                "ticket.transfer_target",
                "只能转入本中心启用的业务类别。",
                {"to_category": "本中心没有该业务类别。"},
            ) from None
    number = payload.to_window_number
    if number is not None:
        if 0 < number < 2**15:
            to_window = Window.objects.filter(center_id=window.center_id, number=number).first()
        if to_window is None:
            raise InvalidInput(
                "ticket.transfer_target",
                "只能转入本中心的其他窗口。",
                {"to_window_number": "本中心没有该窗口。"},
            )
    moved = services.ticket_transfer(
        actor=request.user,
        window=window,
        ticket=ticket,
        to_category=to_category,
        to_window=to_window,
        note=payload.note[:200],
    )
    return _ticket_out(moved)


@router.post(
    "/windows/{window_id}/tickets/{ticket_id}/finish",
    response=TicketOut,
    auth=CLERK_AUTH,
    summary="办结",
)
def finish_ticket(request, window_id: int, ticket_id: int, payload: FinishIn | None = None):
    case_ref = payload.case_ref if payload else ""
    return _act(request, window_id, ticket_id, services.ticket_finish, case_ref=case_ref)


# --- appointments (R-HALL-6): their own router, in api_appointments ---------------------------

from onewindow.hall.api_appointments import router as appointments_router  # noqa: E402

router.add_router("/appointments/", appointments_router)
