"""Home visits and the appointment slots through the API (R-HALL-6), the same services as
the center administrator's pages and the portal's request form.

- A home visit (上门服务) is asked for without an account (limited per client and per
  phone, as the portal's form), or taken down by the center's staff; the center
  administrator assigns it (a staff member of the center and a date), the assigned
  person or the administrator marks it visited and the result mailed; the administrator
  cancels it with a reason.
- The slots of a day: listed with their bookings, added one by one or cut from the
  center's office hours by a template, their capacity and duty roster changed.

A center the caller does not administer, and a visit or slot of such a center, is 404;
errors have the API's one shape."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from onewindow.core.api import AUTH, LocalTime, Status
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.paging import MAX_ID, Id, Pagination
from onewindow.hall import appointments as appt
from onewindow.hall import home_visit_states as hv
from onewindow.hall.api_appointments import client_key
from onewindow.hall.appointments import selectors as appt_selectors
from onewindow.hall.models import HomeVisit

router = Router(tags=["上门服务与预约时段"], auth=AUTH)

VISIT_STATES = ("open", *HomeVisit.State.values, "all")


class HomeVisitIn(Schema):
    matter_id: int = Field(..., ge=1, le=MAX_ID)
    name: str = Field(..., max_length=50)
    phone: str = Field(..., max_length=20)
    address: str = Field(..., max_length=200)
    note: str = Field("", max_length=1000)


class PublicHomeVisitIn(HomeVisitIn):
    center_id: int = Field(..., ge=1, le=MAX_ID)


class HomeVisitRequestedOut(Schema):
    id: int
    center: str
    matter: str
    state: str
    state_label: str

    @staticmethod
    def resolve_center(obj):
        return obj.center.name

    @staticmethod
    def resolve_matter(obj):
        return obj.matter.name

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()


class HomeVisitOut(HomeVisitRequestedOut):
    center_id: int
    matter_id: int
    name: str
    phone: str
    address: str
    note: str
    staff_id: int | None
    staff: str | None
    visit_on: date | None
    visited_at: datetime | None
    tracking_number: str
    mailed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str
    created_at: datetime

    @staticmethod
    def resolve_staff(obj):
        return str(obj.staff) if obj.staff_id else None


class VisitAssignIn(Schema):
    staff_id: int = Field(..., ge=1, le=MAX_ID, description="上门人员（本中心在岗工作人员）")
    visit_on: date


class VisitDoneIn(Schema):
    note: str = Field("", max_length=500)


class VisitMailIn(Schema):
    tracking_number: str = Field(..., max_length=40)


class VisitCancelIn(Schema):
    reason: str = Field(..., max_length=200)


class StaffSlotOut(Schema):
    id: int
    category_id: int
    category: str
    day: date
    start: LocalTime
    end: LocalTime
    capacity: int
    booked: int
    extended: bool
    duty_staff_ids: list[int]

    @staticmethod
    def resolve_category(obj):
        return obj.category.name

    @staticmethod
    def resolve_duty_staff_ids(obj):
        return sorted(u.pk for u in obj.duty_staff.all())


class SlotBookingOut(Schema):
    code: str
    slot_id: int
    category: str
    name: str
    phone: str
    matter: str | None
    state: str
    channel: str
    created_at: datetime

    @staticmethod
    def resolve_category(obj):
        return obj.category.name

    @staticmethod
    def resolve_matter(obj):
        return obj.matter.name if obj.matter_id else None


class SlotDayOut(Schema):
    center_id: int
    day: date
    slots: list[StaffSlotOut]
    bookings: list[SlotBookingOut]


class SlotCreateIn(Schema):
    category_id: int = Field(..., ge=1, le=MAX_ID)
    day: date
    start: LocalTime
    end: LocalTime
    capacity: int = Field(..., ge=1, le=999)
    extended: bool = Field(False, description="错时延时时段（须有值班人员）")
    duty_staff_ids: list[int] = Field([], max_length=100)


class SlotTemplateIn(Schema):
    category_id: int = Field(..., ge=1, le=MAX_ID)
    day: date
    template: str = Field(..., max_length=20, description="、".join(appt.SLOT_TEMPLATES))
    capacity: int = Field(..., ge=1, le=999)
    duty_staff_ids: list[int] = Field([], max_length=100)


class SlotUpdateIn(Schema):
    capacity: int = Field(..., ge=0, le=999, description="0 为停止预约")
    duty_staff_ids: list[int] = Field([], max_length=100)


# --- helpers -------------------------------------------------------------------------------------


def _center(request, center_id: int):
    return appt.center_for_admin(actor=request.user, center_id=center_id)


def _matter(center, matter_id: int):
    matter = appt_selectors.home_visit_matters(center).filter(pk=matter_id).first()
    if matter is None:
        message = "该中心不提供此事项的上门服务，请选择办理事项。"
        raise InvalidInput("home_visit.matter", message, {"matter_id": message})
    return matter


def _staff(center, ids: list[int], field: str) -> list:
    ids = sorted(set(ids))
    found = list(appt_selectors.center_staff(center).filter(pk__in=[i for i in ids if i <= MAX_ID]))
    if len(found) != len(ids):
        message = "值班人员须为本中心在岗工作人员。"
        raise InvalidInput("slot.duty_staff", message, {field: message})
    return found


def _category(center, category_id: int):
    category = appt_selectors.active_categories(center).filter(pk=category_id).first()
    if category is None:
        message = "未找到该业务类别。"
        raise InvalidInput("slot.category", message, {"category_id": message})
    return category


def _visit(request, visit_id: int) -> HomeVisit:
    return appt_selectors.home_visit_get_for(actor=request.user, visit_id=visit_id)


def _visit_out(visit: HomeVisit) -> HomeVisit:
    return HomeVisit.objects.select_related("center", "matter", "staff").get(pk=visit.pk)


def _slots(center, day: date) -> dict:
    data = appt_selectors.staff_day(center, day, timezone.localdate())
    return {
        "center_id": center.pk,
        "day": day,
        "slots": data["slots"],
        "bookings": list(data["bookings"]),
    }


# --- home visits ---------------------------------------------------------------------------------


@router.post(
    "/home-visits",
    response={201: HomeVisitRequestedOut},
    auth=None,
    summary="申请上门服务（无需登录，按来源和电话限流）",
)
def request_home_visit(request, payload: PublicHomeVisitIn):
    center = appt_selectors.find_public_center(payload.center_id)
    if center is None:
        raise NotFound("center.not_found", appt_selectors.CENTER_NOT_FOUND)
    data = payload.dict(exclude={"center_id", "matter_id"})
    visit = appt.home_visit_request(
        center=center,
        matter=_matter(center, payload.matter_id),
        client_key=client_key(request),
        **data,
    )
    return Status(201, _visit_out(visit))


@router.get(
    "/centers/{center_id}/home-visits",
    response=list[HomeVisitOut],
    summary="中心的上门服务（中心管理员）",
)
@paginate(Pagination)
def list_home_visits(request, center_id: int, state: str = "open"):
    # plain types: the paginated view's annotations are read outside this module
    center = _center(request, min(center_id, MAX_ID))
    if state not in VISIT_STATES:
        message = f"可选：{'、'.join(VISIT_STATES)}"
        raise InvalidInput("home_visit.bad_state", "状态不正确。", {"state": message})
    visits = HomeVisit.objects.filter(center=center).select_related("center", "matter", "staff")
    if state == "open":
        visits = visits.filter(state__in=sorted(hv.OPEN))
    elif state != "all":
        visits = visits.filter(state=state)
    return visits.order_by("created_at", "id")


@router.post(
    "/centers/{center_id}/home-visits",
    response={201: HomeVisitOut},
    summary="登记上门服务申请（中心工作人员代为登记）",
)
def take_home_visit(request, center_id: Id, payload: HomeVisitIn):
    center = _center(request, center_id)
    visit = appt.home_visit_request(
        center=center,
        matter=_matter(center, payload.matter_id),
        actor=request.user,
        **payload.dict(exclude={"matter_id"}),
    )
    return Status(201, _visit_out(visit))


@router.get("/home-visits/{visit_id}", response=HomeVisitOut, summary="上门服务详情")
def get_home_visit(request, visit_id: Id):
    return _visit(request, visit_id)


@router.post("/home-visits/{visit_id}/assign", response=HomeVisitOut, summary="派员上门（定日期）")
def assign_home_visit(request, visit_id: Id, payload: VisitAssignIn):
    visit = _visit(request, visit_id)
    staff = appt_selectors.center_staff(visit.center).filter(pk=payload.staff_id).first()
    if staff is None:
        message = "上门人员须为本中心在岗工作人员。"
        raise InvalidInput("home_visit.staff", message, {"staff_id": message})
    appt.home_visit_assign(actor=request.user, visit=visit, staff=staff, visit_on=payload.visit_on)
    return _visit_out(visit)


@router.post("/home-visits/{visit_id}/visit", response=HomeVisitOut, summary="登记已上门")
def mark_home_visited(request, visit_id: Id, payload: VisitDoneIn):
    visit = _visit(request, visit_id)
    appt.home_visit_mark_visited(actor=request.user, visit=visit, note=payload.note)
    return _visit_out(visit)


@router.post("/home-visits/{visit_id}/mail", response=HomeVisitOut, summary="登记结果已寄出")
def mark_home_visit_mailed(request, visit_id: Id, payload: VisitMailIn):
    visit = _visit(request, visit_id)
    appt.home_visit_mark_mailed(
        actor=request.user, visit=visit, tracking_number=payload.tracking_number
    )
    return _visit_out(visit)


@router.post("/home-visits/{visit_id}/cancel", response=HomeVisitOut, summary="取消上门服务")
def cancel_home_visit(request, visit_id: Id, payload: VisitCancelIn):
    visit = _visit(request, visit_id)
    appt.home_visit_cancel(actor=request.user, visit=visit, reason=payload.reason)
    return _visit_out(visit)


# --- the slots of a day --------------------------------------------------------------------------


@router.get(
    "/centers/{center_id}/slots",
    response=SlotDayOut,
    summary="某日的预约时段及预约（中心管理员）",
)
def day_slots(request, center_id: Id, day: date):
    return _slots(_center(request, center_id), day)


@router.post("/centers/{center_id}/slots", response={201: StaffSlotOut}, summary="添加一个预约时段")
def create_slot(request, center_id: Id, payload: SlotCreateIn):
    center = _center(request, center_id)
    slot = appt.slots_create(
        actor=request.user,
        center=center,
        category=_category(center, payload.category_id),
        day=payload.day,
        start=payload.start,
        end=payload.end,
        capacity=payload.capacity,
        extended=payload.extended,
        duty_staff=_staff(center, payload.duty_staff_ids, "duty_staff_ids"),
    )
    return Status(201, slot)


@router.post(
    "/centers/{center_id}/slots/from-template",
    response={201: SlotDayOut},
    summary="按办公时间模板生成某日的时段（已有的不变）",
)
def create_slots_from_template(request, center_id: Id, payload: SlotTemplateIn):
    center = _center(request, center_id)
    appt.slots_create_from_template(
        actor=request.user,
        center=center,
        category=_category(center, payload.category_id),
        day=payload.day,
        template=payload.template,
        capacity=payload.capacity,
        duty_staff=_staff(center, payload.duty_staff_ids, "duty_staff_ids"),
    )
    return Status(201, _slots(center, payload.day))


@router.patch(
    "/centers/{center_id}/slots/{slot_id}",
    response=StaffSlotOut,
    summary="修改时段的可约人数和值班人员",
)
def update_slot(request, center_id: Id, slot_id: Id, payload: SlotUpdateIn):
    center = _center(request, center_id)
    slot = appt_selectors.slot_at(center, slot_id)
    return appt.slot_update(
        actor=request.user,
        slot=slot,
        capacity=payload.capacity,
        duty_staff=_staff(center, payload.duty_staff_ids, "duty_staff_ids"),
    )
