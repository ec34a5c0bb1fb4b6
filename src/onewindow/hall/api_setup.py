"""The center administrator's hall set-up through the API at
/api/v1/hall/centers/{center_id}/… (R-HALL-1, R-HALL-5): the overview (windows,
categories, clerks with their authorisations counted), a window added, changed,
stopped or started again, a service category added or changed, a clerk's authorisation
for a matter granted or taken back.

Each body is parsed by the set-up page's own form (``hall.forms_setup``: the same
choices, the categories and matters of the center) and goes to the same service
(``hall.services.setup``). A center the caller does not administer, a window, category
or clerk not of the center is 404; a form's fault is a 422 naming the field; a
conflict (a window number or a letter taken) a 409 that changes nothing."""

from __future__ import annotations

from ninja import Field, Router, Schema

from onewindow.core.api import AUTH, Status
from onewindow.core.errors import InvalidInput
from onewindow.core.paging import MAX_ID, Id
from onewindow.core.text import form_errors_text
from onewindow.hall.appointments import center_for_admin
from onewindow.hall.forms_setup import CategoryForm, GrantForm, WindowForm
from onewindow.hall.models import Window
from onewindow.hall.selectors import setup as selectors_setup
from onewindow.hall.services import setup

router = Router(tags=["大厅设置"], auth=AUTH)


def _one_of(values) -> str:
    return "^(" + "|".join(sorted(values)) + ")$"


class SetupWindowIn(Schema):
    number: int = Field(..., ge=1, le=999)
    name: str = Field("", max_length=50)
    kind: str = Field(..., pattern=_one_of(Window.Kind.values))
    scope: str = Field(..., pattern=_one_of(Window.Scope.values))
    pace: str = Field(..., pattern=_one_of(Window.Pace.values))
    domain: str = Field("", max_length=50, description="领域（分领域窗口填写）")
    single_reason: str = Field("", max_length=200, description="设置单业务窗口的理由")
    categories: list[int] = Field(default_factory=list, max_length=100, description="服务类别")


class SetupActiveIn(Schema):
    active: bool


class SetupCategoryIn(Schema):
    letter: str = Field(..., max_length=2, description="号码字母，1-2个大写字母")
    name: str = Field(..., max_length=50)
    description: str = Field("", max_length=200)
    order: int = Field(0, ge=0, le=999)
    needs_clerk: bool = True
    is_active: bool = Field(True, description="修改时有效；新增的类别总是启用")
    matters: list[int] = Field(default_factory=list, max_length=500, description="事项")


class SetupGrantIn(Schema):
    matter_id: int = Field(..., ge=1, le=MAX_ID)
    may_decide: bool = Field(False, description="可当场办结（即收即办）")


class SetupRevokeIn(Schema):
    matter_id: int = Field(..., ge=1, le=MAX_ID)


class SetupWindowOut(Schema):
    id: int
    number: int
    name: str
    kind: str
    scope: str
    pace: str
    domain: str
    single_reason: str
    is_active: bool
    categories: list[int]


class SetupCategoryOut(Schema):
    id: int
    letter: str
    name: str
    description: str
    order: int
    needs_clerk: bool
    is_active: bool
    matters: list[int]


class SetupClerkOut(Schema):
    user_id: int
    name: str
    may_accept: int = Field(..., description="可受理的事项数")
    may_decide: int = Field(..., description="其中可当场办结的事项数")


class SetupOut(Schema):
    center_id: int
    windows: list[SetupWindowOut]
    categories: list[SetupCategoryOut]
    clerks: list[SetupClerkOut]


class SetupAuthorizationOut(Schema):
    matter_id: int
    matter: str
    may_decide: bool


def _parsed(form) -> dict:
    if not form.is_valid():
        fields = {name: "；".join(errors) for name, errors in form.errors.items()}
        raise InvalidInput("form.invalid", form_errors_text(form), fields)
    return dict(form.cleaned_data)


def _form_data(payload: Schema, many: str) -> dict:
    data = payload.dict()
    data[many] = [str(pk) for pk in data[many]]
    return {k: v for k, v in data.items() if v is not False}  # an unticked box is absent


def _window(w: Window) -> dict:
    return {
        **{f: getattr(w, f) for f in SetupWindowOut.model_fields if f not in ("id", "categories")},
        "id": w.pk,
        "categories": sorted(c.pk for c in w.categories.all()),
    }


def _category(c) -> dict:
    return {
        **{f: getattr(c, f) for f in SetupCategoryOut.model_fields if f not in ("id", "matters")},
        "id": c.pk,
        "matters": sorted(m.pk for m in c.matters.all()),
    }


def _authorizations(clerk) -> list[dict]:
    return [
        {"matter_id": a.matter_id, "matter": a.matter.name, "may_decide": a.may_decide}
        for a in selectors_setup.authorizations_of(clerk)
    ]


@router.get(
    "/centers/{center_id}/setup", response=SetupOut, summary="大厅设置：窗口、类别、窗口人员"
)
def overview(request, center_id: Id):
    center = center_for_admin(actor=request.user, center_id=center_id)
    found = selectors_setup.center_setup(center)
    return {
        "center_id": center.pk,
        "windows": [_window(w) for w in found["windows"]],
        "categories": [_category(c) for c in found["categories"]],
        "clerks": [
            {"user_id": c.pk, "name": str(c), "may_accept": a, "may_decide": d}
            for c, a, d in found["clerks"]
        ],
    }


def _window_data(center, payload: SetupWindowIn) -> dict:
    data = _parsed(WindowForm(_form_data(payload, "categories"), center=center))
    data["domain"], data["single_reason"] = data["domain"].strip(), data["single_reason"].strip()
    return data


@router.post("/centers/{center_id}/windows", response={201: SetupWindowOut}, summary="新增窗口")
def window_create(request, center_id: Id, payload: SetupWindowIn):
    center = center_for_admin(actor=request.user, center_id=center_id)
    window = setup.window_create(actor=request.user, center=center, **_window_data(center, payload))
    return Status(201, _window(window))


@router.post(
    "/centers/{center_id}/windows/{window_id}", response=SetupWindowOut, summary="修改窗口"
)
def window_update(request, center_id: Id, window_id: Id, payload: SetupWindowIn):
    center = center_for_admin(actor=request.user, center_id=center_id)
    window = selectors_setup.window_of(center, window_id)
    data = _window_data(center, payload)
    return _window(setup.window_update(actor=request.user, window=window, **data))


@router.post(
    "/centers/{center_id}/windows/{window_id}/active",
    response=SetupWindowOut,
    summary="停用或启用窗口",
)
def window_active(request, center_id: Id, window_id: Id, payload: SetupActiveIn):
    center = center_for_admin(actor=request.user, center_id=center_id)
    window = selectors_setup.window_of(center, window_id)
    return _window(
        setup.window_set_active(actor=request.user, window=window, active=payload.active)
    )


@router.post(
    "/centers/{center_id}/categories", response={201: SetupCategoryOut}, summary="新增业务类别"
)
def category_create(request, center_id: Id, payload: SetupCategoryIn):
    center = center_for_admin(actor=request.user, center_id=center_id)
    data = _parsed(CategoryForm(_form_data(payload, "matters"), center=center))
    data.pop("is_active")
    category = setup.category_create(actor=request.user, center=center, **data)
    return Status(201, _category(category))


@router.post(
    "/centers/{center_id}/categories/{category_id}",
    response=SetupCategoryOut,
    summary="修改业务类别（含停用）",
)
def category_update(request, center_id: Id, category_id: Id, payload: SetupCategoryIn):
    center = center_for_admin(actor=request.user, center_id=center_id)
    category = selectors_setup.category_of(center, category_id)
    data = _parsed(CategoryForm(_form_data(payload, "matters"), center=center))
    return _category(setup.category_update(actor=request.user, category=category, **data))


@router.get(
    "/centers/{center_id}/clerks/{user_id}/authorizations",
    response=list[SetupAuthorizationOut],
    summary="窗口人员的受理授权",
)
def authorizations(request, center_id: Id, user_id: Id):
    center = center_for_admin(actor=request.user, center_id=center_id)
    return _authorizations(selectors_setup.clerk_of(center, user_id))


@router.post(
    "/centers/{center_id}/clerks/{user_id}/authorizations",
    response={201: list[SetupAuthorizationOut]},
    summary="授权窗口人员受理（及当场办结）一个事项",
)
def authorization_grant(request, center_id: Id, user_id: Id, payload: SetupGrantIn):
    center = center_for_admin(actor=request.user, center_id=center_id)
    clerk = selectors_setup.clerk_of(center, user_id)
    body = {"matter": str(payload.matter_id)}
    if payload.may_decide:
        body["may_decide"] = "on"
    d = _parsed(GrantForm(body, center=center))
    setup.authorization_grant(
        actor=request.user, clerk=clerk, matter=d["matter"], may_decide=d["may_decide"]
    )
    return Status(201, _authorizations(clerk))


@router.post(
    "/centers/{center_id}/clerks/{user_id}/authorizations/revoke",
    response=list[SetupAuthorizationOut],
    summary="收回窗口人员对一个事项的授权",
)
def authorization_revoke(request, center_id: Id, user_id: Id, payload: SetupRevokeIn):
    center = center_for_admin(actor=request.user, center_id=center_id)
    clerk = selectors_setup.clerk_of(center, user_id)
    found = selectors_setup.authorization_of(clerk, payload.matter_id)
    setup.authorization_revoke(actor=request.user, clerk=clerk, matter=found.matter)
    return _authorizations(clerk)
