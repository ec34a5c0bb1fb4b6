"""A case's electronic materials through the API (R-CASE-6), the same services as the
case page: a material's file uploaded (multipart; type told by content, size limited,
507 ``file.disk_full`` when it cannot be stored, nothing kept of a refused file), one
taken from the applicant's file store, and a document's file read back. Outside the
caller's scope is 404; errors have the API's one shape."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.http import Http404
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from onewindow.cases import selectors
from onewindow.cases.models import Document
from onewindow.cases.selectors import pages
from onewindow.cases.services import files as file_services
from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.paging import MAX_ID, Id
from onewindow.files import storage

router = Router(tags=["办件材料"], auth=AUTH)

MaterialField = Annotated[
    int, Form(..., ge=1, le=MAX_ID, description="材料编号（所钉指南版本的材料）")
]
ValidUntil = Annotated[date | None, Form(None, description="材料有效期（存入申请人材料库）")]


class DocumentReuseIn(Schema):
    material_id: int = Field(..., ge=1, le=MAX_ID)
    stored_id: int = Field(..., ge=1, le=MAX_ID, description="申请人材料库中的材料")


class CaseDocumentOut(Schema):
    id: int
    case_id: int
    material_id: int
    material: str
    electronic: bool
    by_pledge: bool
    file_name: str | None
    file_type: str | None
    file_size: int | None
    sha256: str | None

    @staticmethod
    def resolve_material(obj):
        return obj.material.name

    @staticmethod
    def resolve_file_name(obj):
        return obj.file.original_name if obj.file_id else None

    @staticmethod
    def resolve_file_type(obj):
        return obj.file.content_type if obj.file_id else None

    @staticmethod
    def resolve_file_size(obj):
        return obj.file.size if obj.file_id else None

    @staticmethod
    def resolve_sha256(obj):
        return obj.file.sha256 if obj.file_id else None


def _document(document: Document) -> Document:
    return Document.objects.select_related("material", "file").get(pk=document.pk)


@router.post(
    "/{case_id}/documents",
    response={201: CaseDocumentOut},
    summary="上传办件材料的电子文件（PDF、JPG、PNG、OFD，按内容识别）",
)
def upload_document(
    request,
    case_id: Id,
    material_id: MaterialField,
    valid_until: ValidUntil = None,
    file: File[UploadedFile] = None,
):
    case = selectors.case_get_for(scope=request_scope(request), case_id=case_id)
    if file is None:
        raise InvalidInput("file.empty", "请选择要上传的文件。", {"file": "请选择文件。"})
    document = file_services.document_attach(
        actor=request.user, case=case, material=material_id, upload=file, valid_until=valid_until
    )
    return Status(201, _document(document))


@router.post(
    "/{case_id}/documents/reuse",
    response={201: CaseDocumentOut},
    summary="从申请人材料库复用材料",
)
def reuse_document(request, case_id: Id, payload: DocumentReuseIn):
    case = selectors.case_get_for(scope=request_scope(request), case_id=case_id)
    stored = pages.stored_document(case, payload.stored_id)
    if stored is None:
        raise NotFound("document.stored_not_found", "申请人材料库中没有这份材料。")
    document = file_services.document_reuse(
        actor=request.user, case=case, material=payload.material_id, applicant_document=stored.pk
    )
    return Status(201, _document(document))


@router.get(
    "/{case_id}/documents",
    response=list[CaseDocumentOut],
    summary="办件的材料（含电子文件的名称、类型、大小和摘要）",
)
def list_documents(request, case_id: Id):
    case = selectors.case_get_for(scope=request_scope(request), case_id=case_id)
    return list(case.documents.select_related("material", "file").order_by("material__order"))


@router.get(
    "/{case_id}/documents/{document_id}/file",
    response={200: None},
    summary="下载材料的电子文件（原样，类型按内容）",
    openapi_extra={
        "responses": {
            200: {
                "description": "文件内容",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}}
                    for t in sorted(storage.EXTENSIONS)
                },
            }
        }
    },
)
def document_file(request, case_id: Id, document_id: Id):
    case = selectors.case_get_for(scope=request_scope(request), case_id=case_id)
    document = pages.document_with_file(case, document_id)
    if document is None:
        raise Http404
    return storage.file_response(document.file)
