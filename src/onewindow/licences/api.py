"""Electronic licences through the API (R-MSG-2): a case's licences, issue, revoke,
replace (staff, within scope: a case outside it answers 404), and the public
verification by code (no sign-in; the same answer as the portal's page)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema

from onewindow.cases import selectors as case_selectors
from onewindow.core.api import Status
from onewindow.core.middleware import client_ip
from onewindow.core.paging import MAX_ID
from onewindow.core.scope import scope_for
from onewindow.licences import selectors, services
from onewindow.licences.models import Licence
from onewindow.licences.payload import grouped

router = Router(tags=["电子证照"])


class LicenceOut(Schema):
    id: int
    case_id: int
    number: str
    code: str = Field(..., description="核验码（四位一组）")
    title: str
    state: str = Field(..., description="valid（有效）、revoked（已撤销）、replaced（已换发）")
    state_label: str
    issued_at: datetime
    revoked_at: datetime | None
    reason: str
    replaced_by: str = Field("", description="换发后的证照编号")
    verify_path: str


class LicenceReasonIn(Schema):
    reason: str = Field(..., max_length=200, description="撤销或换发的原因")


class LicenceFieldOut(Schema):
    label: str
    value: str


class LicenceVerifyOut(Schema):
    code: str
    status: str = Field(
        ..., description="valid、revoked、replaced、tampered（签名不符）或 unknown（无此核验码）"
    )
    label: str
    fields: list[LicenceFieldOut]
    at: datetime | None = Field(None, description="撤销或换发的时间")
    reason: str
    replaced_by: str = Field("", description="换发后的证照编号")
    replaced_by_code: str = Field("", description="换发后的证照核验码")


def _out(licence: Licence) -> dict:
    return {
        "id": licence.pk,
        "case_id": licence.case_id,
        "number": licence.number,
        "code": grouped(licence.code),
        "title": licence.title,
        "state": licence.state,
        "state_label": licence.get_state_display(),
        "issued_at": licence.issued_at,
        "revoked_at": licence.revoked_at,
        "reason": licence.reason,
        "replaced_by": licence.replaced_by.number if licence.replaced_by_id else "",
        "verify_path": f"/licence/verify/{licence.code}/",
    }


def _licence(request, licence_id: int) -> Licence:
    return selectors.licence_get_for(
        scope=scope_for(request.user), licence_id=min(licence_id, MAX_ID)
    )


@router.get("/verify", response=LicenceVerifyOut, auth=None, summary="核验电子证照（公开）")
def verify(request, code: str):
    result = selectors.verify_code(code, client=client_ip(request) or "")
    return {
        "code": grouped(result.code),
        "status": result.status,
        "label": result.label,
        "fields": [{"label": label, "value": value} for label, value in result.fields],
        "at": result.at,
        "reason": result.reason,
        "replaced_by": result.replaced_by,
        "replaced_by_code": result.replaced_by_code,
    }


@router.get("/cases/{case_id}", response=list[LicenceOut], summary="办件的电子证照")
def case_licences(request, case_id: int):
    scope = scope_for(request.user)
    case = case_selectors.case_get_for(scope=scope, case_id=min(case_id, MAX_ID))
    return [_out(lic) for lic in selectors.licences_of_case(scope=scope, case=case)]


@router.post("/cases/{case_id}", response={201: LicenceOut}, summary="签发电子证照")
def issue(request, case_id: int):
    scope = scope_for(request.user)
    case = case_selectors.case_get_for(scope=scope, case_id=min(case_id, MAX_ID))
    return Status(201, _out(services.licence_issue(actor=request.user, case=case)))


@router.post("/{licence_id}/revoke", response=LicenceOut, summary="撤销电子证照")
def revoke(request, licence_id: int, payload: LicenceReasonIn):
    licence = services.licence_revoke(
        actor=request.user, licence=_licence(request, licence_id), reason=payload.reason
    )
    return _out(licence)


@router.post("/{licence_id}/replace", response={201: LicenceOut}, summary="换发电子证照")
def replace(request, licence_id: int, payload: LicenceReasonIn):
    new = services.licence_replace(
        actor=request.user, licence=_licence(request, licence_id), reason=payload.reason
    )
    return Status(201, _out(new))
