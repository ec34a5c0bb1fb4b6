"""Pages for electronic materials (R-CASE-6): upload a material's file on the case page,
take one from the applicant's file store, download a document's file within the
reader's scope."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from onewindow.cases import selectors
from onewindow.cases.selectors import pages
from onewindow.cases.services import files as file_services
from onewindow.core.errors import InvalidInput
from onewindow.core.pages import back_to
from onewindow.files import storage


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


def _files_of(request, case_id: int) -> str:
    """The case page's materials panel: where the action returns, done or refused."""
    return back_to(request, f"{reverse('cases:case_detail', args=[case_id])}#files")


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
    case = selectors.case_get_for(scope=request.scope, case_id=case_id)
    back = _files_of(request, case.pk)
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
    messages.success(
        request,
        f"已收取“{document.material.name}”的电子材料（{document.file.original_name}），"
        "无需再交纸质材料，并已存入申请人材料库。",
    )
    return redirect(back)


@login_required
@require_POST
def document_reuse(request, case_id: int):
    case = selectors.case_get_for(scope=request.scope, case_id=case_id)
    back = _files_of(request, case.pk)
    stored = pages.stored_document(case, request.POST.get("stored"))
    if stored is None:  # told on the case page, as any refused step
        raise InvalidInput("document.stored_not_found", "申请人材料库中没有这份材料。")
    document = file_services.document_reuse(
        actor=request.user,
        case=case,
        material=_int(request.POST.get("material")),
        applicant_document=stored.pk,
    )
    messages.success(
        request, f"已从申请人材料库复用“{document.material.name}”，申请人无需再次提交。"
    )
    return redirect(back)


@login_required
@require_GET
def document_file(request, case_id: int, document_id: int):
    """A document's file, only for a reader who sees the case (else 404)."""
    case = selectors.case_get_for(scope=request.scope, case_id=case_id)
    document = pages.document_with_file(case, document_id)
    if document is None:
        raise Http404
    return storage.file_response(document.file)
