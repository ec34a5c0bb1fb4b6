"""Appointments through the API (R-HALL-6), mounted at /api/v1/hall/appointments/.

Public (no login): the bookable slots, booking (rate limited per client: a machine
client by its key, anyone else by address; over the limit → 429
``appointment.rate_limited``), cancelling with the code and the phone or identity
number, and check-in at the hall, which answers with the ticket.
"""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Query, Router, Schema

try:
    from ninja import Status
except ImportError:  # django-ninja before 1.6 takes a (status, body) tuple

    def Status(status_code, body):  # noqa: N802
        return status_code, body


from onewindow.catalog.models import Matter
from onewindow.core.api import LocalTime
from onewindow.core.errors import NotFound
from onewindow.core.middleware import client_ip
from onewindow.core.tokens import client_for_key
from onewindow.hall import appointments as appt
from onewindow.hall.models import AppointmentSlot

router = Router(tags=["预约"])


class CategoryOut(Schema):
    id: int
    letter: str
    name: str
    description: str


class SlotOut(Schema):
    id: int
    category_id: int
    category: str
    day: date
    start: LocalTime
    end: LocalTime
    capacity: int
    booked: int
    remaining: int
    extended: bool

    @staticmethod
    def resolve_category(obj):
        return obj.category.name


class SlotQuery(Schema):
    center_id: int
    category_id: int | None = None
    day: date | None = None


class BookIn(Schema):
    center_id: int
    category_id: int
    slot_id: int
    name: str = Field(..., max_length=50)
    phone: str = Field(..., max_length=20)
    id_number: str = Field("", max_length=30)
    matter_id: int | None = None


class AppointmentOut(Schema):
    code: str
    state: str
    state_label: str
    center: str
    category: str
    day: date
    start: LocalTime
    end: LocalTime

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_center(obj):
        return obj.center.name

    @staticmethod
    def resolve_category(obj):
        return obj.category.name

    @staticmethod
    def resolve_start(obj):
        return obj.slot.start

    @staticmethod
    def resolve_end(obj):
        return obj.slot.end


class CancelIn(Schema):
    phone_or_id: str = Field(..., max_length=30)


class CheckInTicketOut(Schema):
    code: str
    category: str
    state: str
    appointment_at: datetime | None
    issued_at: datetime

    @staticmethod
    def resolve_category(obj):
        return obj.category.name


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]


ERRORS = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def client_key(request) -> str:
    """A machine client is limited by its key, anyone else by address."""
    key = request.headers.get("X-Api-Key")
    client = client_for_key(key) if key else None
    if client is not None:
        return f"api:{client.pk}"
    return f"ip:{client_ip(request) or '-'}"


@router.get("/categories", response=list[CategoryOut], auth=None, summary="可预约的业务类别")
def categories(request, center_id: int):
    center = appt.public_center(center_id)
    return list(center.service_categories.filter(is_active=True).order_by("order", "letter"))


@router.get("/slots", response=list[SlotOut], auth=None, summary="可预约时段（含剩余名额）")
def slots(request, filters: Query[SlotQuery]):
    center = appt.public_center(filters.center_id)
    category = appt.public_category(center, filters.category_id) if filters.category_id else None
    return list(appt.bookable_slots(center=center, category=category, day=filters.day))


@router.post(
    "/", response={201: AppointmentOut, **ERRORS}, auth=None, summary="预约（每个客户端每小时限次）"
)
def book(request, payload: BookIn):
    center = appt.public_center(payload.center_id)
    category = appt.public_category(center, payload.category_id)
    slot = AppointmentSlot.objects.filter(pk=payload.slot_id).first()
    if slot is None:
        raise NotFound("appointment.slot_not_found", "未找到该预约时段。")
    matter = None
    if payload.matter_id is not None:
        matter = Matter.objects.active().filter(pk=payload.matter_id).first()
        if matter is None:
            raise NotFound("matter.not_found", "未找到该事项。")
    found = appt.appointment_book(
        center=center,
        category=category,
        slot=slot,
        name=payload.name,
        phone=payload.phone,
        id_number=payload.id_number,
        matter=matter,
        channel="api",
        client_key=client_key(request),
    )
    return Status(201, found)


@router.post(
    "/{code}/cancel",
    response={200: AppointmentOut, **ERRORS},
    auth=None,
    summary="取消预约（凭预约码和手机号或身份证号）",
)
def cancel(request, code: str, payload: CancelIn):
    return appt.appointment_cancel(code=code, phone_or_id=payload.phone_or_id)


@router.post(
    "/{code}/check-in",
    response={200: CheckInTicketOut, **ERRORS},
    auth=None,
    summary="预约签到（在大厅），返回排队号",
)
def check_in(request, code: str):
    return appt.appointment_check_in(code=code)
