"""Booking a visit and asking for a home visit (R-HALL-6): public, no login,
phone-first. Book (center → category → day → slot → name and phone), the confirmation
with the code, cancel, check in at the hall (shows the ticket), ask for a home visit."""

from __future__ import annotations

from datetime import date

from django.shortcuts import redirect, render

from onewindow.core.middleware import client_ip
from onewindow.core.pages import attempt
from onewindow.core.pii import mask_phone
from onewindow.hall import appointments as appt
from onewindow.hall.appointments import selectors as appt_selectors
from onewindow.hall.forms import BookForm, CancelForm, CheckInForm, HomeVisitForm, apply_error

BOOK = "hall/appointments/book.html"
HOME_VISIT = "hall/appointments/home_visit_request.html"


def _client_key(request) -> str:
    return f"ip:{client_ip(request) or '-'}"


def _parse_day(raw) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


def _picked(request) -> tuple:
    """The center and category in the query string: (center, category, why not found)."""
    raw_center, raw_category = request.GET.get("center"), request.GET.get("category")
    if not raw_center:
        return None, None, ""
    center = appt_selectors.find_public_center(raw_center)
    if center is None:
        return None, None, appt_selectors.CENTER_NOT_FOUND
    if not raw_category:
        return center, None, ""
    category = appt_selectors.find_public_category(center, raw_category)
    if category is None:
        return None, None, appt_selectors.CATEGORY_NOT_FOUND
    return center, category, ""


def _submit(form, call, **kwargs):
    """Run a service for a checked form: (its value, the status to show the form with)."""
    outcome = attempt(call, **kwargs)
    if outcome.ok:
        return outcome.value, 200
    apply_error(form, outcome.error)
    return None, outcome.error.status


def _book_details(request, context: dict, slot):
    context.update(step="details", slot=slot, day=slot.day)
    form = BookForm(request.POST or None, category=context["category"])
    context["form"] = form
    if request.method != "POST":
        return render(request, BOOK, context)
    if not form.is_valid():
        return render(request, BOOK, context, status=422)
    data = form.cleaned_data
    outcome = attempt(
        appt.appointment_book,
        center=context["center"],
        category=context["category"],
        slot=slot,
        name=data["name"],
        phone=data["phone"],
        id_number=data["id_number"],
        matter=data.get("matter"),
        channel="portal",
        client_key=_client_key(request),
    )
    if outcome.ok:
        return redirect("portal:booking_done", code=outcome.value.code)
    apply_error(form, outcome.error)
    return render(request, BOOK, context, status=outcome.error.status)


def book(request):
    """One page, step by step through its query string: center, category, day, slot, details."""
    center, category, missing = _picked(request)
    if missing:
        context = {"step": "center", "error": missing, "centers": appt.public_centers()}
        return render(request, BOOK, context, status=404)
    if center is None:
        return render(request, BOOK, {"step": "center", "centers": appt.public_centers()})
    if category is None:
        categories = appt_selectors.active_categories(center)
        return render(
            request, BOOK, {"step": "category", "center": center, "categories": categories}
        )
    context = {"center": center, "category": category}
    day = _parse_day(request.GET.get("day"))
    slot_id = request.GET.get("slot") or request.POST.get("slot")
    if day is None and not slot_id:
        slots = appt.bookable_slots(center=center, category=category)
        context.update(step="day", days=appt_selectors.booking_days(slots))
        return render(request, BOOK, context)
    day_slots = appt.bookable_slots(center=center, category=category, day=day) if day else []
    if not slot_id:
        return render(request, BOOK, {**context, "step": "slot", "day": day, "slots": day_slots})
    slot = appt_selectors.bookable_slot(center=center, category=category, slot_id=slot_id)
    if slot is None:
        error = "该时段不存在或已过，请重新选择。"
        context.update(step="slot", day=day, slots=day_slots, error=error)
        return render(request, BOOK, context, status=404)
    return _book_details(request, context, slot)


def booking_done(request, code: str):
    found = appt.appointment_get_by_code(code)
    opens, closes = appt.checkin_window(found.slot)
    return render(
        request,
        "hall/appointments/done.html",
        {
            "a": found,
            "is_booked": found.state == found.State.BOOKED,
            "opens": opens,
            "closes": closes,
            "masked_name": found.name[0] + "*" * (len(found.name) - 1),
            "masked_phone": mask_phone(found.phone),
        },
    )


def _cancel(form):
    if not form.is_valid():
        return None, 422
    code, phone_or_id = form.cleaned_data["code"], form.cleaned_data["phone_or_id"]
    if appt_selectors.find_own_appointment(code, phone_or_id) is None:
        form.add_error(None, appt_selectors.CANCEL_NOT_FOUND)
        return None, 404
    return _submit(form, appt.appointment_cancel, code=code, phone_or_id=phone_or_id)


def booking_cancel(request):
    form = CancelForm(request.POST or None, initial={"code": request.GET.get("code", "")[:20]})
    cancelled, status = _cancel(form) if request.method == "POST" else (None, 200)
    context = {"form": form, "cancelled": cancelled}
    return render(request, "hall/appointments/cancel.html", context, status=status)


def _check_in(form):
    if not form.is_valid():
        return None, 422
    if appt_selectors.find_appointment(form.cleaned_data["code"]) is None:
        form.add_error(None, appt_selectors.APPOINTMENT_NOT_FOUND)
        return None, 404
    return _submit(form, appt.appointment_check_in, code=form.cleaned_data["code"])


def checkin(request):
    form = CheckInForm(request.POST or None, initial={"code": request.GET.get("code", "")[:20]})
    ticket, status = _check_in(form) if request.method == "POST" else (None, 200)
    context = {"form": form, "ticket": ticket}
    return render(request, "hall/appointments/checkin.html", context, status=status)


def home_visit_request(request):
    raw = request.GET.get("center")
    center = appt_selectors.find_public_center(raw) if raw else None
    if raw and center is None:
        context = {"centers": appt.public_centers(), "error": appt_selectors.CENTER_NOT_FOUND}
        return render(request, HOME_VISIT, context, status=404)
    if center is None:
        return render(request, HOME_VISIT, {"centers": appt.public_centers()})
    form = HomeVisitForm(request.POST or None, center=center)
    if request.method != "POST":
        return render(request, HOME_VISIT, {"center": center, "form": form})
    if not form.is_valid():
        return render(request, HOME_VISIT, {"center": center, "form": form}, status=422)
    outcome = attempt(
        appt.home_visit_request, center=center, client_key=_client_key(request), **form.cleaned_data
    )
    if outcome.ok:
        return render(request, HOME_VISIT, {"center": center, "done": True})
    apply_error(form, outcome.error)
    return render(
        request, HOME_VISIT, {"center": center, "form": form}, status=outcome.error.status
    )
