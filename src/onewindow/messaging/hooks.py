"""What is sent, and when: receivers of the hooks the lower apps own (``hall``'s
``ticket_stepped`` and ``appointment_cancelled``, ``cases``' ``case_stepped`` and
``case_alerted``, ``complaints``' ``complaint_stepped``). Each is sent inside the
service's transaction, so each message is written in the same transaction as its event.
Reminders that come from the passing of time (the day before an appointment, a
correction about to lapse) are the messaging sweep's (``sweep.py``)."""

from __future__ import annotations

from onewindow.cases import horizon
from onewindow.cases.models import Case, CaseAlert, Correction
from onewindow.cases.signals import case_alerted, case_stepped
from onewindow.complaints.models import Complaint
from onewindow.complaints.services.steps import complaint_stepped
from onewindow.core.links import public_reverse
from onewindow.hall.appointments import appointment_cancelled
from onewindow.hall.models import Appointment, Ticket
from onewindow.hall.selectors.queue import in_line
from onewindow.hall.services.events import ticket_stepped
from onewindow.messaging.outbox import enqueue, enqueue_to_staff

SOON = 3  # a ticket is told when this many people are ahead of it


def fmt_day(day) -> str:
    return f"{day:%Y年%m月%d日}" if day else "—"


# --- hall -----------------------------------------------------------------------------


def on_ticket(sender, ticket: Ticket, action: str, before: str, data: dict, policy=None, **_):
    if action != "call":
        return
    if ticket.phone:
        enqueue(
            key=f"ticket:{ticket.pk}:called",
            template="ticket_called",
            params={"code": ticket.code, "window": data.get("window", "")},
            phone=ticket.phone,
            center=ticket.center,
        )
    # The ticket now with three before it in the queue of the one called: one indexed
    # read of the queue's head (the call's policy when it came with the step).
    soon = in_line(ticket, SOON, policy=policy)
    if soon is not None and soon[2]:
        pk, code, phone = soon
        enqueue(
            key=f"ticket:{pk}:soon",
            template="ticket_soon",
            params={"code": code, "ahead": SOON, "center": ticket.center.name},
            phone=phone,
            center=ticket.center,
        )


def appointment_params(appointment: Appointment, slot) -> dict:
    return {
        "day": fmt_day(appointment.day),
        "start": f"{slot.start:%H:%M}",
        "center": appointment.center.name,
        "category": appointment.category.name,
        "code": appointment.code,
    }


def on_appointment_cancelled(sender, appointment: Appointment, slot, **_):
    params = appointment_params(appointment, slot)
    enqueue(
        key=f"appointment:{appointment.pk}:cancelled",
        template="appointment_cancelled",
        params={k: params[k] for k in ("day", "start", "center", "code")},
        phone=appointment.phone,
        center=appointment.center,
    )


# --- cases ----------------------------------------------------------------------------

RECEIVED = {"intake", "submit"}
CORRECTION = {"ask_correction_intake", "ask_correction"}
ACCEPTED = {"accept", "deem_accept"}


def on_case(sender, case: Case, action: str, before: str, note: str, data: dict, at=None, **_):
    phone = case.applicant.phone if case.applicant_id else ""
    base = {"number": case.number, "matter": case.matter.name}
    if action in RECEIVED:
        enqueue(
            key=f"case:{case.pk}:received",
            template="case_received",
            params=base,
            phone=phone,
            center=case.center,
            now=at,
        )
    elif action in CORRECTION:
        correction = case.corrections.filter(state=Correction.State.OPEN).order_by("-pk").first()
        if correction is None:
            return
        items = "、".join(str(i) for i in data.get("items", []) if i)[:60] or "见补正告知书"
        enqueue(
            key=f"case:{case.pk}:correction:{correction.pk}",
            template="case_correction",
            params={"number": case.number, "items": items, "due": fmt_day(correction.due)},
            phone=phone,
            center=case.center,
            now=at,
        )
    elif action in ACCEPTED:
        enqueue(
            key=f"case:{case.pk}:accepted",
            template="case_accepted",
            params={**base, "due": fmt_day(case.due)},
            phone=phone,
            center=case.center,
            now=at,
        )
    elif action == "make_ready":
        enqueue(
            key=f"case:{case.pk}:ready",
            template="case_ready",
            params={"number": case.number, "center": case.center.name},
            phone=phone,
            center=case.center,
            now=at,
        )
    elif action == "deliver":
        link = public_reverse("portal:review_by_token", kwargs={"token": case.token})
        enqueue(
            key=f"case:{case.pk}:review",
            template="case_review_link",
            params={"number": case.number, "link": link},
            phone=phone,
            center=case.center,
            now=at,
        )
    elif action == "urge" and case.assignee_id:
        enqueue(
            key=f"case:{case.pk}:urge:{case.events.count()}",
            template="staff_urging",
            params={
                "number": case.number,
                "message": note[:60],
                "reply_by": data.get("reply_by", ""),
            },
            user=case.assignee,
            center=case.center,
            now=at,
        )


def _alerted_cases(cases, ids: list[int]) -> dict[int, tuple]:
    found = {}
    for i in range(0, len(ids), 1000):
        found.update(
            (row[0], row)
            for row in cases.filter(pk__in=ids[i : i + 1000]).values_list(
                "pk", "number", "matter__name", "due", "assignee_id", "intake_clerk_id", "center_id"
            )
        )
    return found


def on_alerts(sender, recorded: list[tuple[int, int]], at=None, **_):
    """A deadline warning or alarm to the case's handler (else its intake clerk): the
    cases read in one statement per thousand (on a partitioned install within the months
    open cases are in, any case outside them read after), the messages in one insert."""
    ids = sorted({pk for pk, _level in recorded})
    months = horizon.window()
    running = Case.objects.all()
    if months is not None:
        running = running.filter(received_at__gte=months[0], received_at__lt=months[1])
    cases = _alerted_cases(running, ids)
    cases.update(_alerted_cases(Case.objects.all(), [pk for pk in ids if pk not in cases]))
    items = []
    for pk, level in recorded:
        _, number, matter, due, assignee_id, clerk_id, center_id = cases[pk]
        person = assignee_id or clerk_id
        if person is None:
            continue
        params = {
            "number": number,
            "matter": matter,
            "level": CaseAlert.Level(level).label,
            "due": fmt_day(due),
        }
        items.append((f"case:{pk}:alert:{level}", params, person, center_id))
    if items:
        enqueue_to_staff(template="staff_deadline", items=items, now=at)


# --- complaints -----------------------------------------------------------------------


def on_complaint(sender, complaint: Complaint, action: str, before: str, data: dict, at=None, **_):
    if not complaint.phone or action not in {"receive", "answer"}:
        return
    if action == "receive":
        due = complaint.deadline.due if complaint.deadline_id else None
        enqueue(
            key=f"complaint:{complaint.pk}:received",
            template="complaint_received",
            params={"number": complaint.number, "due": fmt_day(due)},
            phone=complaint.phone,
            center=complaint.center,
            now=at,
        )
    else:
        link = public_reverse("portal:complaint_track", kwargs={"token": complaint.token})
        enqueue(
            key=f"complaint:{complaint.pk}:answered:{complaint.events.count()}",
            template="complaint_answered",
            params={"number": complaint.number, "link": link},
            phone=complaint.phone,
            center=complaint.center,
            now=at,
        )


def connect() -> None:
    ticket_stepped.connect(on_ticket, dispatch_uid="messaging.ticket")
    appointment_cancelled.connect(on_appointment_cancelled, dispatch_uid="messaging.appointment")
    case_stepped.connect(on_case, dispatch_uid="messaging.case")
    case_alerted.connect(on_alerts, dispatch_uid="messaging.alerts")
    complaint_stepped.connect(on_complaint, dispatch_uid="messaging.complaint")
