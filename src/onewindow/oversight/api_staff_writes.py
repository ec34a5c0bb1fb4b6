"""The writes of the staff records through the API (R-STAFF-1, R-STAFF-2, R-STAFF-4):
each parses its body with the staff page's own form (``staffing.forms``, the same
choices in the caller's scope) and calls the same staffing service; every answer is the
person's records as ``GET staff/{id}`` reads them. A person outside the caller's scope
is 404; a form's fault is a 422 naming the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.paging import MAX_ID, Id, Pagination
from onewindow.core.text import form_errors_text
from onewindow.files import storage
from onewindow.org.models import Center
from onewindow.oversight.api_staff import (
    StaffPersonOut,
    StaffRecruitmentOut,
    person_out,
    recruitment_out,
    require_read,
)
from onewindow.staffing import forms, services
from onewindow.staffing import selectors as staffing
from onewindow.staffing.access import profile_in_scope
from onewindow.staffing.models import PostingChange, Secondment

router = Router(tags=["人员管理"])

OptionalId = Field(None, ge=1, le=MAX_ID)


def parsed(form) -> dict:
    """The form's cleaned data, or a 422 naming every field at fault."""
    if not form.is_valid():
        fields = {name: "；".join(errors) for name, errors in form.errors.items()}
        raise InvalidInput("form.invalid", form_errors_text(form), fields)
    return form.cleaned_data


def _data(payload: Schema) -> dict:
    """The body as the form's input (absent values as empty, as a page sends them)."""
    out = {}
    for key, value in payload.dict().items():
        if value is None:
            continue
        out[key] = (
            str(value)
            if isinstance(value, date | Decimal | int) and not isinstance(value, bool)
            else value
        )
    return out


class StaffRecordIn(Schema):
    team: str = Field(
        ..., description="队伍：stationed 进驻、comprehensive 综合窗口、agency 帮代办"
    )
    establishment: str = Field("", description="编制类型（可空）")
    rank: str = Field("", max_length=50)
    paid_by: str = Field("", max_length=100)
    posting_started: date
    recruitment: int | None = OptionalId


class StaffTrainingIn(Schema):
    kind: str = Field(
        ..., description="pre_job 岗前培训、shadowing 跟班学习、special 专项、routine 日常"
    )
    title: str = Field(..., max_length=100)
    trainer: str = Field(..., max_length=50)
    mentor: int | None = OptionalId
    process_change: int | None = OptionalId
    started_on: date
    ended_on: date
    hours: Decimal = Field(..., ge=Decimal("0.5"), le=Decimal("9999.9"), decimal_places=1)
    passed: bool


class StaffContractIn(Schema):
    company: str = Field(..., max_length=100)
    contract_no: str = Field(..., max_length=50)
    starts_on: date
    ends_on: date


class StaffDeclareIn(Schema):
    declared_on: date


class StaffChangeIn(Schema):
    kind: str = Field(..., description="change 调整（轮换）、recall 召回")
    effective_on: date
    reason: str = Field(..., max_length=1000)
    successor: int | None = OptionalId


class StaffSecondmentIn(Schema):
    to_unit: str = Field(..., max_length=100)
    starts_on: date
    ends_on: date
    reason: str = Field(..., max_length=1000)


class StaffDecideIn(Schema):
    approve: bool
    note: str = Field("", max_length=1000)


class StaffSpotCheckIn(Schema):
    dress_ok: bool = True
    badge_ok: bool = True
    language_ok: bool = True
    conduct_ok: bool = True
    note: str = Field("", max_length=1000, description="情况说明（不合格必填）")


class StaffRecruitmentIn(Schema):
    center: int = Field(..., ge=1, le=MAX_ID)
    team: str = Field(..., description="comprehensive 综合窗口、agency 帮代办")
    held_on: date
    way: str
    openly: bool = True
    announcement: str = Field("", max_length=200)
    positions: int = Field(..., ge=1, le=500)
    hired: int = Field(..., ge=0, le=500)


def _person(request, profile_id: int):
    return profile_in_scope(request.user, profile_id)


@router.post(
    "/people/{profile_id}/record", response=StaffPersonOut, auth=AUTH, summary="保存人员管理档案"
)
def record_set(request, profile_id: Id, payload: StaffRecordIn):
    profile = _person(request, profile_id)
    recruitments = staffing.recruitments(scope=request_scope(request))
    data = parsed(forms.RecordForm(_data(payload), recruitments=recruitments))
    services.staff_record_set(actor=request.user, profile=profile, **data)
    return person_out(request, profile)


@router.post(
    "/people/{profile_id}/trainings",
    response={201: StaffPersonOut},
    auth=AUTH,
    summary="登记培训、跟班学习",
)
def training_add(request, profile_id: Id, payload: StaffTrainingIn):
    profile = _person(request, profile_id)
    people = staffing.people(scope=request_scope(request))
    form = forms.TrainingForm(
        {**_data(payload), "passed": "1" if payload.passed else "0"},
        mentors=people,
        process_changes=staffing.process_changes_for(profile),
    )
    data = parsed(form)
    data["passed"] = data["passed"] == "1"
    services.training_record(actor=request.user, profile=profile, **data)
    return Status(201, person_out(request, profile))


@router.post(
    "/people/{profile_id}/contracts",
    response={201: StaffPersonOut},
    auth=AUTH,
    summary="登记劳务合同",
)
def contract_add(request, profile_id: Id, payload: StaffContractIn):
    profile = _person(request, profile_id)
    data = parsed(forms.ContractForm(_data(payload)))
    services.staff_contract_record(actor=request.user, profile=profile, **data)
    return Status(201, person_out(request, profile))


@router.post(
    "/people/{profile_id}/declare",
    response=StaffPersonOut,
    auth=AUTH,
    summary="登记不承担原单位工作的声明",
)
def declare(request, profile_id: Id, payload: StaffDeclareIn):
    profile = _person(request, profile_id)
    data = parsed(forms.DeclareForm(_data(payload)))
    services.staff_declare_no_other_work(actor=request.user, profile=profile, **data)
    return person_out(request, profile)


@router.post(
    "/people/{profile_id}/confirm",
    response=StaffPersonOut,
    auth=AUTH,
    summary="中心确认不承担原单位工作",
)
def confirm(request, profile_id: Id):
    profile = _person(request, profile_id)
    services.staff_confirm_no_other_work(actor=request.user, profile=profile)
    return person_out(request, profile)


@router.post(
    "/people/{profile_id}/changes",
    response={201: StaffPersonOut},
    auth=AUTH,
    summary="提交人员调整、召回备案",
)
def change_file(request, profile_id: Id, payload: StaffChangeIn):
    profile = _person(request, profile_id)
    people = staffing.people(scope=request_scope(request))
    data = parsed(forms.ChangeForm(_data(payload), successors=people))
    services.posting_change_file(actor=request.user, profile=profile, **data)
    return Status(201, person_out(request, profile))


@router.post(
    "/people/{profile_id}/secondments",
    response={201: StaffPersonOut},
    auth=AUTH,
    summary="提交借调申请",
)
def secondment_file(request, profile_id: Id, payload: StaffSecondmentIn):
    profile = _person(request, profile_id)
    data = parsed(forms.SecondmentForm(_data(payload)))
    services.secondment_file(actor=request.user, profile=profile, **data)
    return Status(201, person_out(request, profile))


@router.post(
    "/people/{profile_id}/spot-checks",
    response={201: StaffPersonOut},
    auth=AUTH,
    summary="登记仪容仪表、服务规范抽查（附照片用 …/spot-checks/photo）",
)
def spot_check_add(request, profile_id: Id, payload: StaffSpotCheckIn):
    profile = _person(request, profile_id)
    data = parsed(forms.SpotCheckForm(_data(payload)))
    services.spot_check_record(actor=request.user, profile=profile, photo=None, **data)
    return Status(201, person_out(request, profile))


@router.post(
    "/people/{profile_id}/spot-checks/photo",
    response={201: StaffPersonOut},
    auth=AUTH,
    summary="登记抽查并附现场照片（multipart；JPG、PNG、PDF，按内容识别）",
)
def spot_check_with_photo(
    request,
    profile_id: Id,
    dress_ok: Annotated[bool, Form(True)] = True,
    badge_ok: Annotated[bool, Form(True)] = True,
    language_ok: Annotated[bool, Form(True)] = True,
    conduct_ok: Annotated[bool, Form(True)] = True,
    note: Annotated[str, Form("", max_length=1000)] = "",
    photo: File[UploadedFile] = None,
):
    profile = _person(request, profile_id)
    if photo is None:
        raise InvalidInput("file.empty", "请选择现场照片。", {"photo": "请选择照片。"})
    checked = StaffSpotCheckIn(
        dress_ok=dress_ok,
        badge_ok=badge_ok,
        language_ok=language_ok,
        conduct_ok=conduct_ok,
        note=note,
    )
    data = parsed(forms.SpotCheckForm(_data(checked)))
    services.spot_check_record(actor=request.user, profile=profile, photo=photo, **data)
    return Status(201, person_out(request, profile))


@router.get(
    "/spot-checks/{check_id}/photo",
    response={200: None},
    auth=AUTH,
    summary="抽查的现场照片（原样，类型按内容）",
    openapi_extra={
        "responses": {
            200: {
                "description": "照片",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}}
                    for t in sorted(storage.EXTENSIONS)
                },
            }
        }
    },
)
def spot_check_photo(request, check_id: Id):
    require_read(request)
    found = staffing.spot_check_get(scope=request_scope(request), spot_check_id=check_id)
    if found is None or found.photo is None:
        raise NotFound("staff.photo_not_found", "未找到该照片。")
    return storage.file_response(found.photo)


def _decided(request, model, pk: int):
    found = model.objects.visible_to(request_scope(request)).filter(pk=pk).first()
    if found is None:
        raise NotFound("staff.filing_not_found", "未找到该备案。")
    return found


@router.post(
    "/changes/{change_id}/decide", response=StaffPersonOut, auth=AUTH, summary="审批人员调整备案"
)
def change_decide(request, change_id: Id, payload: StaffDecideIn):
    change = _decided(request, PostingChange, change_id)
    services.posting_change_decide(
        actor=request.user, change=change, approve=payload.approve, note=payload.note
    )
    return person_out(request, _person(request, change.profile_id))


@router.post(
    "/secondments/{secondment_id}/decide", response=StaffPersonOut, auth=AUTH, summary="审批借调"
)
def secondment_decide(request, secondment_id: Id, payload: StaffDecideIn):
    item = _decided(request, Secondment, secondment_id)
    services.secondment_decide(
        actor=request.user, secondment=item, approve=payload.approve, note=payload.note
    )
    return person_out(request, _person(request, item.profile_id))


@router.get(
    "/recruitments",
    response=list[StaffRecruitmentOut],
    auth=AUTH,
    summary="综合窗口与帮代办队伍招聘",
)
@paginate(Pagination)
def recruitments(request):
    require_read(request)
    return [recruitment_out(x) for x in staffing.recruitments(scope=request_scope(request))]


@router.post("/recruitments", response={201: StaffRecruitmentOut}, auth=AUTH, summary="登记招聘")
def recruitment_add(request, payload: StaffRecruitmentIn):
    centers = Center.objects.visible_to(request_scope(request))
    data = parsed(forms.RecruitmentForm(_data(payload), centers=centers))
    item = services.recruitment_record(actor=request.user, **data)
    return Status(
        201, recruitment_out(staffing.recruitments(scope=request_scope(request)).get(pk=item.pk))
    )
