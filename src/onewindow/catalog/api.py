"""The published catalog through the API: matters, listings, guides by version,
bundles, search. Public reads need no login (one source for every channel, R-CAT-9):
the hall, the web, phones and self-service terminals read the same published versions.
Drafts and versions in review are never visible here. The one write here is a new
matter (``POST /matters``, its path shared with the public list); the drafts, reviews and
listing requests are in ``api_staff.py``."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from onewindow.catalog import selectors, services
from onewindow.catalog.models import GuideVersion, Listing, MatterKind
from onewindow.catalog.search import MAX_LIMIT, search_bundles, search_matters
from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.paging import MAX_ID, Offset, Pagination, limit_param
from onewindow.org.models import Center, Department, DepartmentLine, Level

router = Router(tags=["事项目录"])


# --- schemas --------------------------------------------------------------------------------


class MatterOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    level: str
    domain: str
    line_code: str
    line_name: str
    department: str
    version: int
    promised_days: int
    statutory_days: int
    limit_unit: str
    visits: int
    online_depth: str
    online_depth_label: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_line_code(obj):
        return obj.line.code

    @staticmethod
    def resolve_line_name(obj):
        return obj.line.name

    @staticmethod
    def resolve_department(obj):
        return obj.department.name

    @staticmethod
    def resolve_version(obj):
        return obj.current_version.number

    @staticmethod
    def resolve_promised_days(obj):
        return obj.current_version.promised_days

    @staticmethod
    def resolve_statutory_days(obj):
        return obj.current_version.statutory_days

    @staticmethod
    def resolve_limit_unit(obj):
        return obj.current_version.limit_unit

    @staticmethod
    def resolve_visits(obj):
        return obj.current_version.visits

    @staticmethod
    def resolve_online_depth(obj):
        return obj.current_version.online_depth

    @staticmethod
    def resolve_online_depth_label(obj):
        return obj.current_version.get_online_depth_display()


class MatterPage(Schema):
    count: int
    limit: int
    offset: int
    terms: list[str] = Field(description="检索词（去掉“我要”“办”等虚词、展开同义词之后）")
    items: list[MatterOut]


class VersionRef(Schema):
    number: int
    status: str
    published_at: datetime | None


class MatterDetailOut(MatterOut):
    keywords: str
    for_persons: bool
    for_enterprises: bool
    versions: list[VersionRef]

    @staticmethod
    def resolve_versions(obj):
        return list(obj.versions.published().order_by("-number"))


class MaterialOut(Schema):
    order: int
    name: str
    form: str
    form_label: str
    copies: int
    requirement: str
    condition: str
    source: str
    shared_from: str
    pledge_allowed: bool
    paper_needed: bool
    note: str
    blank_form: str | None
    sample: str | None

    @staticmethod
    def resolve_form_label(obj):
        return obj.get_form_display()

    @staticmethod
    def resolve_blank_form(obj):
        return obj.blank_form.url if obj.blank_form else None

    @staticmethod
    def resolve_sample(obj):
        return obj.sample.url if obj.sample else None


class StepOut(Schema):
    order: int
    name: str
    description: str
    days: int


class GuideOut(Schema):
    matter_id: int
    matter_code: str
    matter_name: str
    number: int
    status: str
    is_current: bool
    published_at: datetime | None
    legal_basis: str
    conditions: str
    statutory_days: int
    promised_days: int
    limit_unit: str
    visits: int
    online_depth: str
    fees: str
    is_free: bool
    result: str
    faq: list[dict]
    form_fields: list[dict]
    materials: list[MaterialOut]
    steps: list[StepOut]

    @staticmethod
    def resolve_matter_code(obj):
        return obj.matter.code

    @staticmethod
    def resolve_matter_name(obj):
        return obj.matter.name

    @staticmethod
    def resolve_is_current(obj):
        return obj.status == GuideVersion.Status.PUBLISHED

    @staticmethod
    def resolve_materials(obj):
        return list(obj.materials.all())

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())


class ListingOut(Schema):
    id: int
    code: str
    matter_id: int
    matter_code: str
    matter_name: str
    center_id: int
    center_name: str
    department_id: int
    department_name: str
    place: str
    hours: str
    phone: str
    complaint_phone: str
    windows: str
    handled_outside: bool
    outside_reason: str
    outside_note: str

    @staticmethod
    def resolve_matter_code(obj):
        return obj.matter.code

    @staticmethod
    def resolve_matter_name(obj):
        return obj.matter.name

    @staticmethod
    def resolve_center_name(obj):
        return obj.center.name

    @staticmethod
    def resolve_department_name(obj):
        return obj.department.name

    @staticmethod
    def resolve_hours(obj):
        return obj.local_hours

    @staticmethod
    def resolve_phone(obj):
        return obj.local_phone

    @staticmethod
    def resolve_complaint_phone(obj):
        return obj.complaint_phone or obj.center.complaint_phone


class ListingDetailOut(ListingOut):
    guide: GuideOut = Field(description="标准办事指南（现行版本，各中心相同）")


class BundleMatterOut(Schema):
    id: int
    name: str
    optional: bool


class BundleOut(Schema):
    code: str
    name: str
    description: str
    keywords: str
    matters: list[BundleMatterOut]

    @staticmethod
    def resolve_matters(obj):
        public = {m.pk for m in selectors.bundle_matters(obj)}
        return [
            {"id": item.matter_id, "name": item.matter.name, "optional": item.optional}
            for item in obj.items.all()
            if item.matter_id in public
        ]


class MergedMaterialOut(Schema):
    name: str
    form: str
    copies: int
    required: bool
    pledge_allowed: bool
    source: str
    matters: list[str]
    conditions: list[str]


class BundleDetailOut(BundleOut):
    materials: list[MergedMaterialOut]
    form_fields: list[dict]
    separate_material_count: int
    promised_days: int
    visits: int


# --- parameters -------------------------------------------------------------------------------


def _center(center_id: int | None) -> Center | None:
    if center_id is None:
        return None
    center = Center.objects.filter(pk=center_id, is_active=True).first()
    if center is None:
        raise NotFound("center.not_found", "未找到该服务中心。")
    return center


def _choice(name: str, value: str | None, choices, label: str) -> str | None:
    if value in (None, ""):
        return None
    if value not in choices:
        message = f"未知的{label}：{value[:20]}"
        raise InvalidInput("catalog.invalid_filter", message, {name: message})
    return value


def _line(code: str | None) -> DepartmentLine | None:
    if code in (None, ""):
        return None
    line = DepartmentLine.objects.filter(code=code).first()
    if line is None:
        message = f"未知的部门系统：{code[:20]}"
        raise InvalidInput("catalog.invalid_filter", message, {"line": message})
    return line


# --- matters and guides ---------------------------------------------------------------------


@router.get(
    "/matters", response=MatterPage, auth=None, summary="事项检索（中文词、拼音首字母、同义词）"
)
def list_matters(
    request,
    q: str = "",
    center_id: int | None = None,
    kind: str | None = None,
    level: str | None = None,
    line: str | None = None,
    limit: int = limit_param(20, MAX_LIMIT),
    offset: Offset = 0,
):
    result = search_matters(
        q,
        center=_center(center_id),
        line=_line(line),
        kind=_choice("kind", kind, MatterKind.values, "事项类型"),
        level=_choice("level", level, Level.values, "实施层级"),
        limit=limit,
        offset=offset,
    )
    return {
        "count": result.total,
        "limit": result.limit,
        "offset": result.offset,
        "terms": result.query.terms(),
        "items": result.matters,
    }


@router.get("/matters/{matter_id}", response=MatterDetailOut, auth=None, summary="事项详情")
def get_matter(request, matter_id: int):
    return selectors.matter_get_public(matter_id=matter_id)


@router.get(
    "/matters/{matter_id}/guide",
    response=GuideOut,
    auth=None,
    summary="办事指南（默认现行版本；version=N 取已发布或已被替代的历史版本）",
)
def get_guide(request, matter_id: int, version: int | None = Query(None, ge=1)):
    return selectors.guide_version_get_public(matter_id=matter_id, number=version)


# --- listings -----------------------------------------------------------------------------------


@router.get(
    "/listings", response=list[ListingOut], auth=None, summary="实施清单（可按服务中心、事项筛选）"
)
@paginate(Pagination)
def list_listings(request, center_id: int | None = None, matter_id: int | None = None):
    qs = selectors.public_listings(center=_center(center_id))
    if matter_id is not None:
        qs = qs.filter(matter_id=matter_id)
    return qs.order_by("center__region__path", "center__code", "matter__code", "pk")


@router.get(
    "/listings/{listing_id}",
    response=ListingDetailOut,
    auth=None,
    summary="实施清单详情：本地信息 + 标准办事指南",
)
def get_listing(request, listing_id: int):
    listing: Listing = selectors.listing_get_public(listing_id=listing_id)
    listing.guide = selectors.guide_with_parts(listing.matter.current_version_id)
    return listing


# --- bundles ------------------------------------------------------------------------------------


@router.get("/bundles", response=list[BundleOut], auth=None, summary="“一件事”（可检索）")
def list_bundles(request, q: str = ""):
    return search_bundles(q, limit=MAX_LIMIT)


@router.get(
    "/bundles/{code}", response=BundleDetailOut, auth=None, summary="“一件事”详情：合并后的材料清单"
)
def get_bundle(request, code: str):
    bundle = selectors.bundle_get_public(code=code[:60])
    summary = selectors.bundle_summary(bundle)
    bundle.materials = summary["materials"]
    bundle.form_fields = summary["form_fields"]
    bundle.separate_material_count = summary["separate_material_count"]
    bundle.promised_days = summary["promised_days"]
    bundle.visits = summary["visits"]
    return bundle


# --- writes (the staff's; the rest of the catalog's writes are in api_staff.py) ---------


class MatterIn(Schema):
    code: str = Field(..., min_length=1, max_length=64)
    name: str = Field(..., min_length=1, max_length=200)
    kind: str
    level: str
    department_id: int = Field(..., ge=1, le=MAX_ID)
    domain: str = Field("", max_length=100)
    keywords: str = Field("", max_length=500)
    for_persons: bool = True
    for_enterprises: bool = False


class MatterCreatedOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    level: str
    department_id: int
    status: str


@router.post(
    "/matters", response={201: MatterCreatedOut}, auth=AUTH, summary="新建标准事项（R-CAT-1）"
)
def create_matter(request, payload: MatterIn):
    if payload.kind not in MatterKind.values:
        message = f"可选：{'、'.join(MatterKind.values)}"
        raise InvalidInput("matter.bad_kind", "事项类型不正确。", {"kind": message})
    if payload.level not in Level.values:
        message = f"可选：{'、'.join(Level.values)}"
        raise InvalidInput("matter.bad_level", "实施层级不正确。", {"level": message})
    department = (
        Department.objects.visible_to(request_scope(request))
        .filter(pk=payload.department_id)
        .first()
    )
    if department is None:
        raise NotFound("department.not_found", "未找到该部门。")
    matter = services.matter_create(
        actor=request.user, department=department, **payload.dict(exclude={"department_id"})
    )
    return Status(201, matter)
