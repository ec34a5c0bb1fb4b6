"""Appointments and door-to-door visits (R-HALL-6): services and selectors.

- Slots: a center administrator sets, per category and day, time slots with a
  capacity; off-peak and extended-hours slots (错时延时: lunch, evening, weekends and
  holidays) carry a duty roster of at least one staff member of the center.
- Booking is public (portal and API), by phone or identity number. Capacity holds
  under parallel requests: the slot row is locked, ``booked < capacity`` re-checked
  and then incremented, with the database's ``booked <= capacity`` check as the
  backstop. One booking per person per category and day (a partial unique index
  backs it). Bots meet a rate limit per client (address or API client) and per phone.
- Check-in turns the booking into a ticket (``ticket_issue(..., appointment=...)``)
  that carries the slot's start, so the queue calls it before walk-ins once due.
- After closing, ``appointments_mark_no_shows`` marks bookings nobody checked in
  for; repeated no-shows (by default 3 in 30 days) suspend online booking at that
  center (by default for 30 days), and the person is told why when they try again.
- Home visits (上门服务): requested, assigned to a staff member with a date,
  visited, result mailed with a tracking number (``home_visit_states``).

Every write is one transaction and writes its audit row in it.

Services and selectors live in submodules (``common``, ``slots``, ``booking``,
``home_visits``, ``selectors``); callers import them from here.
"""

from onewindow.hall.appointments.booking import (
    NoShowResult,
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_get_by_code,
    appointments_mark_no_shows,
    checkin_window,
    suspension_message,
)
from onewindow.hall.appointments.common import (
    BOOKING_HORIZON_DAYS,
    CHANNELS,
    SLOT_TEMPLATES,
    RateLimited,
    SlotTemplate,
    appointment_cancelled,
    booking_suspended,
    cn_date,
    normalize_code,
    person_key_for,
    rate_limit_hit,
    slot_end,
    slot_start,
)
from onewindow.hall.appointments.home_visits import (
    home_visit_assign,
    home_visit_cancel,
    home_visit_mark_mailed,
    home_visit_mark_visited,
    home_visit_request,
)
from onewindow.hall.appointments.selectors import (
    bookable_slots,
    center_for_admin,
    center_staff,
    centers_for_admin,
    home_visit_get_for,
    public_category,
    public_center,
    public_centers,
)
from onewindow.hall.appointments.slots import slot_update, slots_create, slots_create_from_template

__all__ = [
    "BOOKING_HORIZON_DAYS",
    "CHANNELS",
    "SLOT_TEMPLATES",
    "NoShowResult",
    "RateLimited",
    "SlotTemplate",
    "appointment_book",
    "appointment_cancel",
    "appointment_check_in",
    "appointment_get_by_code",
    "appointments_mark_no_shows",
    "bookable_slots",
    "appointment_cancelled",
    "booking_suspended",
    "center_for_admin",
    "center_staff",
    "centers_for_admin",
    "checkin_window",
    "cn_date",
    "home_visit_assign",
    "home_visit_cancel",
    "home_visit_get_for",
    "home_visit_mark_mailed",
    "home_visit_mark_visited",
    "home_visit_request",
    "normalize_code",
    "person_key_for",
    "public_category",
    "public_center",
    "public_centers",
    "rate_limit_hit",
    "slot_end",
    "slot_start",
    "slot_update",
    "slots_create",
    "slots_create_from_template",
    "suspension_message",
]
