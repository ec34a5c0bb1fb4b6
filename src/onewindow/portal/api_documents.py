"""我的材料 through the API at /api/v1/citizen/ (R-CIT-1): the account's stored documents
(the materials given with its earlier applications, kept for reuse), the ones that fit
each material of one of its applications, and one of them given as a material of that
application instead of a new upload (材料复用: the same file record).

Signed in as the other citizen operations (the portal's citizen session; a write needs
the CSRF token). The same selectors and service as the pages (``account_documents``,
``reusable_for``, ``citizen_document_reuse``, audited); another person's application or
stored document is 404; a material of another kind, or an application past the state
that takes materials, a 4xx that changes nothing."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from onewindow.cases.models import Document
from onewindow.core.api import Status
from onewindow.core.paging import MAX_ID, Id, Pagination
from onewindow.portal.api import CITIZEN
from onewindow.portal.citizens import selectors, services

router = Router(tags=["我的事务"])


class StoredDocumentOut(Schema):
    id: int
    name: str = Field(..., description="材料名称")
    material_type: str | None = Field(None, description="通用材料编码")
    file_name: str
    file_type: str
    file_size: int
    valid_until: date | None
    reusable: bool = Field(..., description="今天仍可复用（未过有效期）")
    source_case: str | None = Field(None, description="最初提交它的办件号")
    created_at: datetime

    @staticmethod
    def resolve_material_type(obj):
        return obj.material_type.code if obj.material_type_id else None

    @staticmethod
    def resolve_file_name(obj):
        return obj.file.original_name

    @staticmethod
    def resolve_file_type(obj):
        return obj.file.content_type

    @staticmethod
    def resolve_file_size(obj):
        return obj.file.size

    @staticmethod
    def resolve_reusable(obj):
        return obj.valid_until is None or obj.valid_until >= timezone.localdate()

    @staticmethod
    def resolve_source_case(obj):
        return obj.source_case.number if obj.source_case_id else None


class ReusableOut(Schema):
    material_id: int
    documents: list[StoredDocumentOut]


class CitizenDocumentReuseIn(Schema):
    material_id: int = Field(..., ge=1, le=MAX_ID, description="申请的材料")
    stored_id: int = Field(..., ge=1, le=MAX_ID, description="我的材料中的一份")


class ReusedDocumentOut(Schema):
    id: int
    case_id: int
    material_id: int
    material: str
    file_name: str
    file_type: str
    file_size: int
    stored_id: int | None

    @staticmethod
    def resolve_material(obj):
        return obj.material.name

    @staticmethod
    def resolve_file_name(obj):
        return obj.file.original_name

    @staticmethod
    def resolve_file_type(obj):
        return obj.file.content_type

    @staticmethod
    def resolve_file_size(obj):
        return obj.file.size

    @staticmethod
    def resolve_stored_id(obj):
        return obj.reused_from_id


@router.get(
    "/documents",
    response=list[StoredDocumentOut],
    auth=CITIZEN,
    summary="我的材料（以往申请提交过、可复用的材料，新的在前）",
)
@paginate(Pagination)
def stored_documents(request):
    return selectors.account_documents(request.auth).order_by("-created_at", "-id")


@router.get(
    "/cases/{case_id}/reusable-documents",
    response=list[ReusableOut],
    auth=CITIZEN,
    summary="我的申请每项材料可复用的我的材料",
)
def reusable_documents(request, case_id: Id):
    case = selectors.case_of(request.auth, case_id)
    found = selectors.reusable_for(request.auth, case)
    return [{"material_id": m, "documents": docs} for m, docs in found.items()]


@router.post(
    "/cases/{case_id}/documents/reuse",
    response={201: ReusedDocumentOut},
    auth=CITIZEN,
    summary="材料复用：用我的材料作为申请的一项材料（无需再次上传）",
)
def reuse_document(request, case_id: Id, payload: CitizenDocumentReuseIn):
    document = services.citizen_document_reuse(
        account=request.auth,
        case_id=case_id,
        material_id=payload.material_id,
        stored_id=payload.stored_id,
    )
    found = Document.objects.select_related("material", "file").get(pk=document.pk)
    return Status(201, found)
