"""Every write of the hall, by topic: windows and sign-in (``windows``), issuing and the
window-less steps of a ticket (``tickets``), calling at a window (``calling``), setting
up a hall (``setup``); ``events`` holds what they share. Callers import them from here.

The reads the services use (``hall_settings``, ``open_session``, ``authorized`` …) are
selectors: callers read them from ``onewindow.hall.selectors``.
"""

from onewindow.hall.services.calling import (
    MAX_CALL_ATTEMPTS,
    MAX_SKIPS,
    ticket_call,
    ticket_call_next,
    ticket_finish,
    ticket_recall,
    ticket_skip,
    ticket_start,
    ticket_transfer,
    ticket_undo,
)
from onewindow.hall.services.events import audit_ticket, touch_display, visit_finished
from onewindow.hall.services.setup import (
    authorization_grant,
    authorization_revoke,
    category_create,
    category_update,
    window_create,
    window_set_active,
    window_update,
)
from onewindow.hall.services.tickets import (
    lock_ticket,
    require_transition,
    ticket_cancel,
    ticket_issue,
    ticket_issue_online,
    ticket_link_case,
    ticket_return,
)
from onewindow.hall.services.windows import (
    authorization_set,
    window_set_categories,
    window_sign_in,
    window_sign_out,
)

__all__ = [
    "MAX_CALL_ATTEMPTS",
    "MAX_SKIPS",
    "audit_ticket",
    "authorization_grant",
    "authorization_revoke",
    "authorization_set",
    "category_create",
    "category_update",
    "lock_ticket",
    "require_transition",
    "ticket_call",
    "ticket_call_next",
    "ticket_cancel",
    "ticket_finish",
    "ticket_issue",
    "ticket_issue_online",
    "ticket_link_case",
    "ticket_recall",
    "ticket_return",
    "ticket_skip",
    "ticket_start",
    "ticket_transfer",
    "ticket_undo",
    "touch_display",
    "visit_finished",
    "window_create",
    "window_set_active",
    "window_set_categories",
    "window_sign_in",
    "window_sign_out",
    "window_update",
]
