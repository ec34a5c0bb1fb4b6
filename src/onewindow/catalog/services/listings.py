"""Listings and change requests (R-CAT-3, R-CAT-4): a listing is entered, changed,
cancelled or withdrawn by a change request that the level's government office approves;
township and village listings go to their county's office."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from onewindow.catalog.models import (
    LISTING_LOCAL_FIELDS,
    ChangeRequest,
    Listing,
    Matter,
)
from onewindow.catalog.search_index import search_index_scopes
from onewindow.catalog.selectors.access import approver_region_for, can_decide
from onewindow.catalog.services.common import require_listing_requester, require_no_open_request
from onewindow.core.audit import audit_record, diff, snapshot
from onewindow.core.clock import now
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.scope import scope_for
from onewindow.core.validation import full_clean
from onewindow.org.models import Center, Department


@transaction.atomic
def listing_request_entry(
    *,
    actor,
    matter: Matter,
    center: Center,
    department: Department,
    code: str,
    reason: str,
    **local,
) -> ChangeRequest:
    """Ask to enter a matter at a center: a pending listing and its request."""
    require_listing_requester(actor, center, department)
    if matter.status != Matter.Status.ACTIVE:
        raise Conflict("matter.cancelled", "该事项已取消。")
    if Listing.objects.filter(matter=matter, center=center).exists():
        raise Conflict("listing.exists", "该中心已有此事项的实施清单，请提出变更申请。")
    unknown = set(local) - set(LISTING_LOCAL_FIELDS)
    if unknown:
        raise InvalidInput(
            "listing.unknown_field",
            f"实施清单只能填写本地信息，不能填写：{', '.join(sorted(unknown))}。",
        )
    if not reason.strip():
        raise InvalidInput(
            "change_request.reason_required", "请填写申请理由。", {"reason": "请填写申请理由。"}
        )
    listing = Listing(
        matter=matter,
        center=center,
        department=department,
        code=code.strip(),
        status=Listing.Status.PENDING,
        **local,
    )
    full_clean(listing, "listing.invalid")
    try:
        with transaction.atomic():
            listing.save()
    except IntegrityError:
        raise InvalidInput(
            "listing.code_taken", "实施编码已被使用。", {"code": "实施编码已被使用。"}
        ) from None
    request = ChangeRequest.objects.create(
        kind=ChangeRequest.Kind.ENTER,
        listing=listing,
        center=center,
        department=department,
        approver_region=approver_region_for(center),
        payload={},
        reason=reason,
        submitted_by=actor,
    )
    audit_record(
        actor=actor,
        action="change_request.submit",
        target=request,
        center=center,
        department=department,
        after={"kind": request.kind, **snapshot(listing, list(LISTING_LOCAL_FIELDS))},
        note=reason,
    )
    return request


@transaction.atomic
def listing_request_change(
    *, actor, listing: Listing, kind: str, reason: str, **payload
) -> ChangeRequest:
    """Ask to change a listing's local facts, cancel it, or withdraw it from the center."""
    listing = for_update(Listing.objects).select_related("center", "department").get(pk=listing.pk)
    require_listing_requester(actor, listing.center, listing.department)
    if kind not in (
        ChangeRequest.Kind.CHANGE,
        ChangeRequest.Kind.CANCEL,
        ChangeRequest.Kind.WITHDRAW,
    ):
        raise InvalidInput("change_request.kind", "申请类型不正确。")
    if listing.status != Listing.Status.ACTIVE:
        raise Conflict("listing.not_active", "只有在办的事项可以申请变更、取消或退出。")
    require_no_open_request(listing)
    if not reason.strip():
        raise InvalidInput(
            "change_request.reason_required", "请填写申请理由。", {"reason": "请填写申请理由。"}
        )
    unknown = set(payload) - set(LISTING_LOCAL_FIELDS)
    if unknown:
        raise InvalidInput(
            "listing.unknown_field",
            f"实施清单只能变更本地信息，不能变更：{', '.join(sorted(unknown))}。",
        )
    if kind == ChangeRequest.Kind.WITHDRAW:
        payload = {**payload, "handled_outside": True}
        if payload.get("outside_reason") not in ("space", "secret", "other"):
            message = "退出中心须注明原因：场地限制、涉及国家秘密或其他法定情形（应进必进）。"
            raise InvalidInput("listing.outside_reason", message, {"outside_reason": message})
    if kind == ChangeRequest.Kind.CHANGE:
        probe = Listing(
            **{**{f: getattr(listing, f) for f in LISTING_LOCAL_FIELDS}, **payload},
            matter=listing.matter,
            center=listing.center,
            department=listing.department,
            code=listing.code,
        )
        full_clean(probe, "listing.invalid", exclude=["code"], unique=False)
    request = ChangeRequest.objects.create(
        kind=kind,
        listing=listing,
        center=listing.center,
        department=listing.department,
        approver_region=approver_region_for(listing.center),
        payload=payload,
        reason=reason,
        submitted_by=actor,
    )
    audit_record(
        actor=actor,
        action="change_request.submit",
        target=request,
        center=listing.center,
        department=listing.department,
        after={"kind": kind, **payload},
        note=reason,
    )
    return request


@transaction.atomic
def change_request_decide(
    *, actor, request: ChangeRequest, approve: bool, opinion: str = ""
) -> ChangeRequest:
    request = (
        for_update(ChangeRequest.objects)
        .select_related("center", "department")
        .filter(pk=request.pk)
        .first()
    )
    if (
        request is None
        or not ChangeRequest.objects.visible_to(scope_for(actor)).filter(pk=request.pk).exists()
    ):
        raise NotFound("change_request.not_found", "未找到该申请。")
    if not can_decide(actor, request):
        raise Forbidden(
            "change_request.not_approver",
            f"该申请须由{request.approver_region.name}人民政府办公室审批。",
        )
    if request.state != ChangeRequest.State.SUBMITTED:
        raise Conflict("change_request.decided", "该申请已审批。")
    if not approve and not opinion.strip():
        raise InvalidInput(
            "change_request.opinion_required",
            "不予批准时须填写审批意见。",
            {"opinion": "请填写审批意见。"},
        )
    # The listing's row alone is locked; what its validation and the audit row read of
    # its matter, center and department comes with it.
    listing = (
        for_update(Listing.objects)
        .select_related("matter", "center__region", "department__region")
        .get(pk=request.listing_id)
    )
    request.listing = listing
    before = snapshot(listing)
    request.state = ChangeRequest.State.APPROVED if approve else ChangeRequest.State.REJECTED
    request.decided_by, request.decided_at, request.opinion = actor, now(), opinion
    request.save()
    if approve:
        if request.kind == ChangeRequest.Kind.ENTER:
            listing.status = Listing.Status.ACTIVE
        elif request.kind == ChangeRequest.Kind.CANCEL:
            listing.status = Listing.Status.CANCELLED
        else:  # change, withdraw: local facts
            for key, value in request.payload.items():
                setattr(listing, key, value)
        listing.updated_at = now()
        full_clean(listing, "listing.invalid")
        listing.save()
    elif request.kind == ChangeRequest.Kind.ENTER:
        listing.status = Listing.Status.WITHDRAWN
        listing.save(update_fields=["status"])
    # Where the matter is offered is part of its search document (same transaction).
    search_index_scopes([listing.matter_id])
    b, a = diff(before, snapshot(listing))
    audit_record(
        actor=actor,
        action="change_request.decide",
        target=request,
        center=request.center,
        department=request.department,
        before=b,
        after={**(a or {}), "approve": approve},
        note=opinion,
    )
    return request
