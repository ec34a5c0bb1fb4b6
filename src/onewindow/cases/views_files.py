"""Pages for electronic materials (R-CASE-6): upload a material's file on the case page,
take one from the applicant's file store, download a document's file within the
reader's scope; and the helpers the intake page uses for one form (一表申请) and reuse
(材料复用)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from onewindow.cases import selectors
from onewindow.cases.services import files as file_services
from onewindow.catalog.models import Material
from onewindow.core.errors import DomainError, InvalidInput, NotFound
from onewindow.files import storage


def _case_or_404(request, case_id: int):
    try:
        return selectors.case_get_for(scope=request.scope, case_id=case_id)
    except NotFound:
        raise Http404 from None


def _int(raw) -> int | None:
    raw = str(raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def _date(raw) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            "document.valid_until", "有效期格式不正确。", {"valid_until": "请选择日期。"}
        ) from None


def _back(case_id: int):
    return redirect(f"/workspace/cases/{case_id}/#files")


@csrf_exempt
def document_upload(request, case_id: int):
    """The upload handlers are set before the body is read, so a file past the limit is
    dropped while it streams in; the CSRF check runs right after."""
    if request.method == "POST":
        storage.limit_uploads(request)
    return _document_upload(request, case_id)


@csrf_protect
@login_required
@require_POST
def _document_upload(request, case_id: int):
    case = _case_or_404(request, case_id)
    try:
        storage.check_request(request)
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("file.empty", "请选择要上传的文件。", {"file": "请选择文件。"})
        document = file_services.document_attach(
            actor=request.user,
            case=case,
            material=_int(request.POST.get("material")),
            upload=upload,
            valid_until=_date(request.POST.get("valid_until")),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"已收取“{document.material.name}”的电子材料（{document.file.original_name}），"
            "无需再交纸质材料，并已存入申请人材料库。",
        )
    return _back(case.pk)


@login_required
@require_POST
def document_reuse(request, case_id: int):
    case = _case_or_404(request, case_id)
    try:
        document = file_services.document_reuse(
            actor=request.user,
            case=case,
            material=_int(request.POST.get("material")),
            applicant_document=_int(request.POST.get("stored")),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"已从申请人材料库复用“{document.material.name}”，申请人无需再次提交。"
        )
    return _back(case.pk)


@login_required
@require_GET
def document_file(request, case_id: int, document_id: int):
    """A document's file, only for a reader who sees the case (else 404)."""
    case = _case_or_404(request, case_id)
    document = (
        case.documents.select_related("file").filter(pk=document_id, file__isnull=False).first()
    )
    if document is None:
        raise Http404
    try:
        return storage.file_response(document.file)
    except NotFound:
        raise Http404 from None


# --- the intake page: one form and reuse ------------------------------------------------------


def _hides_identity(field: dict) -> bool:
    """Identity numbers are never prefilled from the profile: they would show unmasked."""
    return field.get("type") == "id_number" or "id_number" in str(field.get("key", ""))


def intake_context(request, version, ticket=None) -> dict:
    """What the intake page shows for the applicant and the materials: the fields
    prefilled from the applicant already known (by the identity number or credit code
    the clerk entered, or the called ticket's phone), and the stored documents that
    can be reused, ticked unless the clerk unticked them."""
    post = request.POST if request.method == "POST" else {}
    looked_up = "lookup" in post
    known = None
    if post:
        known = file_services.applicant_find(
            id_number=post.get("id_number", ""),
            credit_code=post.get("credit_code", ""),
            phone=post.get("phone", "") if looked_up else "",
        )
    elif ticket is not None and ticket.phone:
        known = file_services.applicant_find(phone=ticket.phone)
    profile = (known.profile or {}) if known else {}

    def pick(key: str, stored: str = "") -> str:
        return (post.get(key) or "").strip() or stored or ""

    values = {
        "kind": post.get("kind") or (known.kind if known else "person"),
        "name": pick("name", known.name if known else ""),
        "phone": pick("phone", known.phone if known else (ticket.phone if ticket else "")),
        "id_number": pick("id_number"),
        "credit_code": pick("credit_code", known.credit_code if known else ""),
        "address": pick("address", known.address if known else ""),
    }
    form_rows = []
    for field in version.form_fields or []:
        key = field.get("key")
        if not key:
            continue
        stored = "" if _hides_identity(field) else str(profile.get(key) or "")
        form_rows.append((field, pick(f"form_{key}", stored)))
    reusable = file_services.reusable_documents(known, version)
    submitted = bool(post) and not looked_up
    material_rows = []
    for material in version.materials.exclude(source=Material.Source.SHARED).order_by("order"):
        stored = reusable.get(material.pk)
        ticked = bool(stored) and (
            post.get(f"reuse_{material.pk}") == str(stored.pk) if submitted else True
        )
        material_rows.append((material, stored, ticked))
    lookup_note = ""
    if looked_up:
        lookup_note = (
            f"已带出申请人“{known.name}”的基本信息，请核对。"
            if known
            else "未找到已登记的申请人，请完整填写基本信息。"
        )
    return {
        "values": values,
        "initial_phone": values["phone"],
        "known_applicant": known,
        "form_rows": form_rows,
        "material_rows": material_rows,
        "reusable_count": len(reusable),
        "lookup_note": lookup_note,
        "is_lookup": looked_up,
    }


def reuse_choice(post, version) -> dict[int, int]:
    """The stored documents the clerk kept ticked: material id → stored document id."""
    chosen = {}
    for material in version.materials.all():
        stored_id = _int(post.get(f"reuse_{material.pk}"))
        if stored_id is not None:
            chosen[material.pk] = stored_id
    return chosen
