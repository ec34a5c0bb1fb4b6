"""Every write to the catalog. One transaction each, permission and state checked
after locking, audit written in the same transaction.

Who may do what:
- a guide is drafted by staff of the matter's owner department (approver, chief
  representative, leader), a center administrator or government office whose scope
  holds that department, or the superuser;
- a draft whose process (steps, materials, limits, visits) differs from the current
  version is published only through a process change: legality review (司法审查) then
  final review (审改审核) by reviewers whose scope holds the owner department
  (R-CAT-8); a draft that changes only wording, fees or FAQ is published directly;
- a listing is entered, changed, cancelled or withdrawn by a change request that the
  level's government office approves; township and village listings go to their
  county's office (R-CAT-4).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.catalog import guidelint
from onewindow.catalog.models import (
    COMPRESSION_LIMIT,
    Bundle,
    BundleItem,
    ChangeRequest,
    GuideVersion,
    Listing,
    Material,
    MaterialType,
    Matter,
    ProcessChange,
    ReviewState,
    Step,
)
from onewindow.catalog.search import search_index_matter
from onewindow.core.audit import audit_record, diff, snapshot
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import Role, roles_of
from onewindow.core.scope import scope_for
from onewindow.core.text import join_messages
from onewindow.core.validation import full_clean as _clean
from onewindow.org.models import Center, Department, Level, Region

EDITOR_DEPARTMENT_ROLES = frozenset({Role.APPROVER, Role.CHIEF_REP, Role.LEADER})
EDITOR_REGION_ROLES = frozenset({Role.CENTER_ADMIN, Role.GOV_OFFICE})

GUIDE_FIELDS = (
    "legal_basis",
    "conditions",
    "statutory_days",
    "promised_days",
    "limit_unit",
    "visits",
    "online_depth",
    "fees",
    "is_free",
    "result",
    "faq",
    "form_fields",
    "compression_exception_reason",
    "change_note",
)
MATERIAL_FIELDS = (
    "name",
    "form",
    "copies",
    "requirement",
    "condition",
    "source",
    "shared_from",
    "pledge_allowed",
    "paper_needed",
    "note",
)
STEP_FIELDS = ("name", "description", "days")
LISTING_LOCAL_FIELDS = (
    "place",
    "hours",
    "phone",
    "complaint_phone",
    "windows",
    "handled_outside",
    "outside_reason",
    "outside_note",
)


def _in_scope(actor, department: Department) -> bool:
    return Department.objects.visible_to(scope_for(actor)).filter(pk=department.pk).exists()


def can_edit_matter(actor, matter: Matter) -> bool:
    if actor.is_superuser:
        return True
    roles = roles_of(actor)
    profile = getattr(actor, "staff_profile", None)
    if roles & EDITOR_DEPARTMENT_ROLES and profile.department_id == matter.department_id:
        return True
    return bool(roles & EDITOR_REGION_ROLES) and _in_scope(actor, matter.department)


def _require_editor(actor, matter: Matter) -> None:
    if not can_edit_matter(actor, matter):
        if _in_scope(actor, matter.department) or not roles_of(actor):
            raise Forbidden("catalog.not_editor", "只有该事项的标准维护部门可以编辑办事指南。")
        raise NotFound("matter.not_found", "未找到该事项。")


# --- matters ---------------------------------------------------------------------------


@transaction.atomic
def matter_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    level: str,
    department: Department,
    domain: str = "",
    keywords: str = "",
    for_persons: bool = True,
    for_enterprises: bool = False,
) -> Matter:
    matter = Matter(
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        level=level,
        department=department,
        line_id=department.line_id,
        domain=domain,
        keywords=keywords,
        for_persons=for_persons,
        for_enterprises=for_enterprises,
    )
    _require_editor(actor, matter)
    if LEVEL_RANK[department.region.level] > LEVEL_RANK[level]:
        raise InvalidInput(
            "matter.owner_below_level",
            "标准维护部门的层级不能低于事项的实施层级。",
            {"department": "标准维护部门的层级不能低于事项的实施层级。"},
        )
    if Matter.objects.filter(code=matter.code, level=level).exists():
        raise InvalidInput(
            "matter.code_taken",
            "该层级已有相同基本编码的事项。",
            {"code": "该层级已有相同基本编码的事项。"},
        )
    _clean(matter, "matter.invalid", exclude=["current_version"])
    try:
        with transaction.atomic():
            matter.save()
    except IntegrityError:
        raise InvalidInput(
            "matter.code_taken",
            "该层级已有相同基本编码的事项。",
            {"code": "该层级已有相同基本编码的事项。"},
        ) from None
    audit_record(
        actor=actor,
        action="matter.create",
        target=matter,
        department=department,
        after=snapshot(matter),
    )
    search_index_matter(matter)
    return matter


LEVEL_RANK = {Level.PREFECTURE: 0, Level.COUNTY: 1, Level.TOWNSHIP: 2, Level.VILLAGE: 3}


# --- guide drafts ------------------------------------------------------------------------


def _lock_version(version_id: int) -> GuideVersion:
    version = for_update(GuideVersion.objects).filter(pk=version_id).first()
    if version is None:
        raise NotFound("guide.not_found", "未找到该办事指南版本。")
    return version


def _require_draft(version: GuideVersion) -> None:
    if version.status != GuideVersion.Status.DRAFT:
        raise Conflict("guide.frozen", "已发布或审核中的办事指南不能修改，请新建草稿版本。")


@transaction.atomic
def guide_draft_create(*, actor, matter: Matter, **fields) -> GuideVersion:
    """A new draft: a copy of the current version (materials and steps included),
    with ``fields`` changed; or, for a matter without a guide, from ``fields``."""
    matter = for_update(Matter.objects).get(pk=matter.pk)
    _require_editor(actor, matter)
    if matter.status != Matter.Status.ACTIVE:
        raise Conflict("matter.cancelled", "该事项已取消，不能编制新的办事指南。")
    if matter.versions.filter(
        status__in=[GuideVersion.Status.DRAFT, GuideVersion.Status.IN_REVIEW]
    ).exists():
        raise Conflict(
            "guide.draft_exists", "该事项已有未发布的草稿或审核中的版本，请继续编辑该版本。"
        )
    unknown = set(fields) - set(GUIDE_FIELDS)
    if unknown:
        raise InvalidInput("guide.unknown_field", f"未知字段：{', '.join(sorted(unknown))}")
    base = matter.current_version
    number = (matter.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    values = {f: getattr(base, f) for f in GUIDE_FIELDS} if base else {}
    values.update(fields)
    values.setdefault("change_note", "")
    version = GuideVersion(
        matter=matter, number=number, created_by=actor if actor else None, **values
    )
    _clean(version, "guide.invalid", exclude=["matter", "created_by", "published_by"])
    version.save()
    if base is not None:
        for m in base.materials.all():
            Material.objects.create(
                version=version,
                order=m.order,
                material_type=m.material_type,
                blank_form=m.blank_form,
                sample=m.sample,
                **{f: getattr(m, f) for f in MATERIAL_FIELDS},
            )
        for s in base.steps.all():
            Step.objects.create(
                version=version, order=s.order, **{f: getattr(s, f) for f in STEP_FIELDS}
            )
    audit_record(
        actor=actor,
        action="guide.draft_create",
        target=version,
        department=matter.department,
        after={"number": number, "base": base.number if base else None},
    )
    return version


@transaction.atomic
def guide_draft_update(*, actor, version: GuideVersion, **fields) -> GuideVersion:
    version = _lock_version(version.pk)
    _require_editor(actor, version.matter)
    _require_draft(version)
    unknown = set(fields) - set(GUIDE_FIELDS)
    if unknown:
        raise InvalidInput("guide.unknown_field", f"未知字段：{', '.join(sorted(unknown))}")
    before = snapshot(version, list(fields))
    for key, value in fields.items():
        setattr(version, key, value)
    _clean(version, "guide.invalid", exclude=["matter", "created_by", "published_by"])
    if version.promised_days > version.statutory_days:
        raise InvalidInput(
            "guide.promised_over_statutory",
            "承诺时限不能超过法定时限。",
            {"promised_days": "承诺时限不能超过法定时限。"},
        )
    version.save()
    b, a = diff(before, snapshot(version, list(fields)))
    audit_record(
        actor=actor,
        action="guide.draft_update",
        target=version,
        department=version.matter.department,
        before=b,
        after=a,
    )
    return version


def _material_type(value) -> MaterialType | None:
    if value in (None, ""):
        return None
    if isinstance(value, MaterialType):
        return value
    found = MaterialType.objects.filter(code=value).first()
    if found is None:
        raise InvalidInput("guide.unknown_material_type", f"未知的通用材料编码：{value}")
    return found


@transaction.atomic
def guide_materials_set(
    *, actor, version: GuideVersion, materials: Iterable[dict]
) -> list[Material]:
    """Replace the draft's material list (R-CAT-5)."""
    version = _lock_version(version.pk)
    _require_editor(actor, version.matter)
    _require_draft(version)
    before = [m.name for m in version.materials.all()]
    version.materials.all().delete()
    created, fields = [], {}
    for index, raw in enumerate(materials, start=1):
        data = {k: v for k, v in raw.items() if k in MATERIAL_FIELDS}
        material = Material(
            version=version,
            order=index,
            material_type=_material_type(raw.get("material_type")),
            **data,
        )
        try:
            material.full_clean(exclude=["version", "blank_form", "sample"])
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                fields[f"materials[{index}].{key}"] = f"第{index}项材料：" + "；".join(errors)
            continue
        material.save()
        created.append(material)
    if fields:
        raise InvalidInput("guide.invalid_materials", join_messages(fields.values()), fields)
    if len({m.name for m in created}) != len(created):
        raise InvalidInput("guide.duplicate_material", "材料清单中有重复的材料名称。")
    audit_record(
        actor=actor,
        action="guide.materials_set",
        target=version,
        department=version.matter.department,
        before={"materials": before},
        after={"materials": [m.name for m in created]},
    )
    return created


@transaction.atomic
def guide_steps_set(*, actor, version: GuideVersion, steps: Iterable[dict]) -> list[Step]:
    version = _lock_version(version.pk)
    _require_editor(actor, version.matter)
    _require_draft(version)
    before = [s.name for s in version.steps.all()]
    version.steps.all().delete()
    created = []
    for index, raw in enumerate(steps, start=1):
        step = Step(
            version=version, order=index, **{k: v for k, v in raw.items() if k in STEP_FIELDS}
        )
        _clean(step, "guide.invalid_steps", exclude=["version"])
        step.save()
        created.append(step)
    audit_record(
        actor=actor,
        action="guide.steps_set",
        target=version,
        department=version.matter.department,
        before={"steps": before},
        after={"steps": [s.name for s in created]},
    )
    return created


# --- lint, compression, publication -------------------------------------------------------


def guide_texts(version: GuideVersion) -> dict[str, str]:
    """The texts of a guide by field name, as the lint reads them."""
    texts = {"conditions": version.conditions, "fees": version.fees, "result": version.result}
    for i, m in enumerate(version.materials.all(), start=1):
        texts[f"materials[{i}].name"] = m.name
        texts[f"materials[{i}].condition"] = m.condition
        texts[f"materials[{i}].note"] = m.note
    for i, s in enumerate(version.steps.all(), start=1):
        texts[f"steps[{i}].name"] = s.name
        texts[f"steps[{i}].description"] = s.description
    for i, item in enumerate(version.faq or [], start=1):
        texts[f"faq[{i}].question"] = str(item.get("question", ""))
        texts[f"faq[{i}].answer"] = str(item.get("answer", ""))
    return {k: v for k, v in texts.items() if v}


FIELD_LABELS = {
    "conditions": "受理条件",
    "fees": "收费标准",
    "result": "办理结果",
    "materials": "申请材料",
    "steps": "办理环节",
    "faq": "常见问题",
}


def field_label(field: str) -> str:
    head, _, rest = field.partition("[")
    label = FIELD_LABELS.get(head, head)
    if rest:
        index, _, sub = rest.partition("]")
        sub_labels = {
            ".name": "名称",
            ".condition": "适用情形",
            ".note": "说明",
            ".description": "办理要求",
            ".question": "问题",
            ".answer": "解答",
        }
        return f"{label}第{index}项{sub_labels.get(sub, '')}"
    return label


def guide_lint(version: GuideVersion) -> list:
    return guidelint.lint_guide(guide_texts(version))


def _raise_lint(findings) -> None:
    fields = {}
    for f in findings:
        fields.setdefault(f.field, f.message)
    first = findings[0]
    message = f"{field_label(first.field)}：{first.message}"
    if len(findings) > 1:
        message += f"（共{len(findings)}处，请逐一修改）"
    raise InvalidInput("guide.lint", message, fields)


def _check_ready(version: GuideVersion) -> None:
    findings = [f for f in guide_lint(version) if f.severity == "error"]
    if findings:
        _raise_lint(findings)
    if not version.materials.exists():
        raise InvalidInput(
            "guide.no_materials", "办事指南须列明申请材料；确无材料的请填写“无需提交材料”。"
        )
    if not version.steps.exists():
        raise InvalidInput("guide.no_steps", "办事指南须列明办理环节。")


def _check_compression(version: GuideVersion, *, accepted: bool) -> None:
    if version.meets_compression:
        return
    limit = int(version.statutory_days * COMPRESSION_LIMIT)
    if not version.compression_exception_reason.strip():
        message = (
            f"承诺时限{version.promised_days}个工作日超过法定时限{version.statutory_days}个工作日的40%"
            f"（不超过{limit}个工作日）。请压缩承诺时限，或填写无法压缩的理由报审改部门终审。"
        )
        raise InvalidInput("guide.compression", message, {"promised_days": message})
    if not accepted:
        raise InvalidInput(
            "guide.compression_not_accepted",
            "承诺时限未达压缩要求，须经审改部门终审认可例外后方可实施。",
            {"promised_days": "须经审改部门终审认可。"},
        )


def process_changed(version: GuideVersion) -> bool:
    base = version.matter.current_version
    if base is None:
        return True
    return base.process_facts() != version.process_facts()


def _publish(version: GuideVersion, actor) -> GuideVersion:
    matter = for_update(Matter.objects).get(pk=version.matter_id)
    previous = matter.current_version
    if previous is not None:
        GuideVersion.objects.filter(pk=previous.pk).update(status=GuideVersion.Status.SUPERSEDED)
    GuideVersion.objects.filter(pk=version.pk).update(
        status=GuideVersion.Status.PUBLISHED,
        published_at=timezone.now(),
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        compression_exception_accepted=version.compression_exception_accepted,
    )
    matter.current_version = version
    matter.save(update_fields=["current_version"])
    search_index_matter(matter)
    version.refresh_from_db()
    audit_record(
        actor=actor,
        action="guide.publish",
        target=version,
        department=matter.department,
        before={"version": previous.number if previous else None},
        after={"version": version.number},
    )
    return version


@transaction.atomic
def guide_publish(*, actor, version: GuideVersion) -> GuideVersion:
    """Publish a draft whose process is unchanged (wording, fees, FAQ)."""
    version = _lock_version(version.pk)
    _require_editor(actor, version.matter)
    _require_draft(version)
    _check_ready(version)
    if process_changed(version):
        raise Conflict(
            "guide.needs_process_review",
            "本版本改变了办理环节、申请材料、时限或跑动次数，须提交流程再造审核（司法部门合法性审核、审改部门终审）后实施。",
        )
    _check_compression(
        version,
        accepted=bool(
            version.matter.current_version
            and version.matter.current_version.compression_exception_accepted
        ),
    )
    if version.matter.current_version is not None:
        version.compression_exception_accepted = (
            version.matter.current_version.compression_exception_accepted
        )
    return _publish(version, actor)


# --- process changes (R-CAT-8) -------------------------------------------------------------


@transaction.atomic
def process_change_submit(*, actor, version: GuideVersion, reason: str) -> ProcessChange:
    version = _lock_version(version.pk)
    _require_editor(actor, version.matter)
    _require_draft(version)
    if not reason.strip():
        raise InvalidInput(
            "process_change.reason_required",
            "请填写流程优化说明。",
            {"reason": "请填写流程优化说明。"},
        )
    _check_ready(version)
    if not version.meets_compression and not version.compression_exception_reason.strip():
        _check_compression(version, accepted=False)
    base = version.matter.current_version
    change, _ = ProcessChange.objects.update_or_create(
        proposed=version,
        defaults={
            "matter": version.matter,
            "base": base,
            "state": ReviewState.LEGALITY_REVIEW,
            "reason": reason,
            "before": base.process_facts() if base else {},
            "after": version.process_facts(),
            "submitted_by": actor,
            "submitted_at": timezone.now(),
            "legality_by": None,
            "legality_at": None,
            "legality_opinion": "",
            "final_by": None,
            "final_at": None,
            "final_opinion": "",
        },
    )
    GuideVersion.objects.filter(pk=version.pk).update(status=GuideVersion.Status.IN_REVIEW)
    audit_record(
        actor=actor,
        action="process_change.submit",
        target=change,
        department=version.matter.department,
        before=change.before,
        after=change.after,
        note=reason,
    )
    return change


def _lock_change(change_id: int) -> ProcessChange:
    change = for_update(ProcessChange.objects).filter(pk=change_id).first()
    if change is None:
        raise NotFound("process_change.not_found", "未找到该流程再造申请。")
    return change


def _require_reviewer(actor, change: ProcessChange, role: str) -> None:
    if actor.is_superuser:
        return
    if not _in_scope(actor, change.matter.department):
        raise NotFound("process_change.not_found", "未找到该流程再造申请。")
    if role not in roles_of(actor):
        label = "司法部门合法性审核" if role == Role.LEGALITY_REVIEWER else "审改部门终审"
        raise Forbidden("process_change.not_reviewer", f"该环节须由{label}人员办理。")


def _return(change: ProcessChange) -> None:
    change.state = ReviewState.RETURNED
    GuideVersion.objects.filter(pk=change.proposed_id).update(status=GuideVersion.Status.DRAFT)


@transaction.atomic
def process_change_legality_review(
    *, actor, change: ProcessChange, approve: bool, opinion: str
) -> ProcessChange:
    change = _lock_change(change.pk)
    _require_reviewer(actor, change, Role.LEGALITY_REVIEWER)
    if change.state != ReviewState.LEGALITY_REVIEW:
        raise Conflict(
            "process_change.wrong_state",
            f"该申请当前为“{change.get_state_display()}”，不在合法性审核环节。",
        )
    if not approve and not opinion.strip():
        raise InvalidInput(
            "process_change.opinion_required",
            "退回时须填写审核意见。",
            {"opinion": "请填写审核意见。"},
        )
    change.legality_by, change.legality_at, change.legality_opinion = actor, timezone.now(), opinion
    if approve:
        change.state = ReviewState.FINAL_REVIEW
    else:
        _return(change)
    change.save()
    audit_record(
        actor=actor,
        action="process_change.legality_review",
        target=change,
        department=change.matter.department,
        after={"approve": approve, "state": change.state},
        note=opinion,
    )
    return change


@transaction.atomic
def process_change_final_review(
    *,
    actor,
    change: ProcessChange,
    approve: bool,
    opinion: str,
    accept_exception: bool = False,
) -> ProcessChange:
    change = _lock_change(change.pk)
    _require_reviewer(actor, change, Role.FINAL_REVIEWER)
    if change.state != ReviewState.FINAL_REVIEW:
        raise Conflict(
            "process_change.wrong_state",
            f"该申请当前为“{change.get_state_display()}”，不在终审环节。",
        )
    if not approve and not opinion.strip():
        raise InvalidInput(
            "process_change.opinion_required",
            "退回时须填写审核意见。",
            {"opinion": "请填写审核意见。"},
        )
    version = for_update(GuideVersion.objects).get(pk=change.proposed_id)
    change.final_by, change.final_at, change.final_opinion = actor, timezone.now(), opinion
    if approve:
        if not version.meets_compression:
            if not accept_exception:
                raise InvalidInput(
                    "guide.compression_not_accepted",
                    "承诺时限超过法定时限的40%，批准须同时认可其无法压缩的理由（列为例外事项）。",
                    {"accept_exception": "请确认是否认可压缩例外。"},
                )
            version.compression_exception_accepted = True
            change.exception_accepted = True
        change.state = ReviewState.APPLIED
        change.save()
        _publish(version, actor)
    else:
        _return(change)
        change.save()
    audit_record(
        actor=actor,
        action="process_change.final_review",
        target=change,
        department=change.matter.department,
        after={
            "approve": approve,
            "state": change.state,
            "exception_accepted": change.exception_accepted,
        },
        note=opinion,
    )
    return change


# --- listings and change requests (R-CAT-3, R-CAT-4) -----------------------------------------


def approver_region_for(center: Center) -> Region:
    """The government office that approves: the center's own level for prefecture and
    county centers; the county for township and village centers."""
    region = center.region
    while region.level in (Level.TOWNSHIP, Level.VILLAGE):
        region = region.parent
    return region


def _require_listing_requester(actor, center: Center, department: Department) -> None:
    if actor.is_superuser:
        return
    roles = roles_of(actor)
    scope = scope_for(actor)
    if not Center.objects.visible_to(scope).filter(pk=center.pk).exists():
        raise NotFound("center.not_found", "未找到该服务中心。")
    profile = actor.staff_profile
    own_dept = roles & EDITOR_DEPARTMENT_ROLES and profile.department_id == department.pk
    if not (own_dept or Role.CENTER_ADMIN in roles):
        raise Forbidden(
            "listing.not_requester",
            "只有实施部门或中心管理员可以提出事项进驻、变更、取消或退出申请。",
        )


def _open_request(listing: Listing) -> None:
    if listing.change_requests.filter(state=ChangeRequest.State.SUBMITTED).exists():
        raise Conflict("change_request.open", "该事项已有待审批的申请，请等待审批结果。")


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
    _require_listing_requester(actor, center, department)
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
    _clean(listing, "listing.invalid")
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
    _require_listing_requester(actor, listing.center, listing.department)
    if kind not in (
        ChangeRequest.Kind.CHANGE,
        ChangeRequest.Kind.CANCEL,
        ChangeRequest.Kind.WITHDRAW,
    ):
        raise InvalidInput("change_request.kind", "申请类型不正确。")
    if listing.status != Listing.Status.ACTIVE:
        raise Conflict("listing.not_active", "只有在办的事项可以申请变更、取消或退出。")
    _open_request(listing)
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
        _clean(probe, "listing.invalid", exclude=["code"], unique=False)
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


def can_decide(actor, request: ChangeRequest) -> bool:
    if actor.is_superuser:
        return True
    profile = getattr(actor, "staff_profile", None)
    return (
        Role.GOV_OFFICE in roles_of(actor)
        and profile.home_region is not None
        and profile.home_region.pk == request.approver_region_id
    )


@transaction.atomic
def change_request_decide(
    *, actor, request: ChangeRequest, approve: bool, opinion: str = ""
) -> ChangeRequest:
    request = for_update(ChangeRequest.objects).filter(pk=request.pk).first()
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
    listing = for_update(Listing.objects).get(pk=request.listing_id)
    before = snapshot(listing)
    request.state = ChangeRequest.State.APPROVED if approve else ChangeRequest.State.REJECTED
    request.decided_by, request.decided_at, request.opinion = actor, timezone.now(), opinion
    request.save()
    if approve:
        if request.kind == ChangeRequest.Kind.ENTER:
            listing.status = Listing.Status.ACTIVE
        elif request.kind == ChangeRequest.Kind.CANCEL:
            listing.status = Listing.Status.CANCELLED
        else:  # change, withdraw: local facts
            for key, value in request.payload.items():
                setattr(listing, key, value)
        listing.updated_at = timezone.now()
        _clean(listing, "listing.invalid")
        listing.save()
    elif request.kind == ChangeRequest.Kind.ENTER:
        listing.status = Listing.Status.WITHDRAWN
        listing.save(update_fields=["status"])
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


# --- bundles ---------------------------------------------------------------------------------


@transaction.atomic
def bundle_save(
    *,
    actor,
    code: str,
    name: str,
    matters: list[Matter],
    description: str = "",
    keywords: str = "",
    optional: Iterable[int] = (),
) -> Bundle:
    if not (actor.is_superuser or roles_of(actor) & {Role.CENTER_ADMIN, Role.GOV_OFFICE}):
        raise Forbidden("bundle.not_allowed", "只有中心管理员或政府办公室可以维护“一件事”。")
    if len(matters) < 2:
        raise InvalidInput(
            "bundle.too_few", "“一件事”至少包含两个事项。", {"matters": "至少选择两个事项。"}
        )
    bundle = for_update(Bundle.objects).filter(code=code).first()
    before = None
    if bundle is None:
        bundle = Bundle(code=code)
    else:
        before = {
            "name": bundle.name,
            "matters": list(bundle.items.values_list("matter_id", flat=True)),
        }
    bundle.name, bundle.description, bundle.keywords = name, description, keywords
    _clean(bundle, "bundle.invalid")
    bundle.save()
    bundle.items.all().delete()
    optional = set(optional)
    for index, matter in enumerate(matters, start=1):
        BundleItem.objects.create(
            bundle=bundle, matter=matter, order=index, optional=matter.pk in optional
        )
    audit_record(
        actor=actor,
        action="bundle.save",
        target=bundle,
        before=before,
        after={"name": name, "matters": [m.pk for m in matters]},
    )
    return bundle


# --- loading an approved catalog (Excel import, ``publish=True``) -----------------------------


def _require_superuser(actor) -> None:
    if not getattr(actor, "is_superuser", False):
        raise Forbidden(
            "catalog.import_publish_not_allowed",
            "只有系统管理员可以直接发布导入的事项清单（用于导入已经省级平台审定的清单）。",
        )


@transaction.atomic
def catalog_import_publish(*, actor, version: GuideVersion, note: str) -> GuideVersion:
    """Publish a draft loaded from a catalog already approved on the provincial platform,
    without a second review: superuser only. Lint and completeness still apply; a
    recorded reason for missing the compression counts as accepted there."""
    _require_superuser(actor)
    version = _lock_version(version.pk)
    _require_draft(version)
    _check_ready(version)
    _check_compression(version, accepted=True)
    version.compression_exception_accepted = not version.meets_compression
    previous = version.matter.current_version
    version = _publish(version, actor)
    audit_record(
        actor=actor,
        action="guide.import_publish",
        target=version,
        department=version.matter.department,
        before={"version": previous.number if previous else None},
        after={
            "version": version.number,
            "exception_accepted": version.compression_exception_accepted,
        },
        note=note,
    )
    return version


@transaction.atomic
def catalog_import_activate(
    *,
    actor,
    matter: Matter,
    center: Center,
    department: Department,
    code: str,
    note: str,
    **local,
) -> Listing:
    """Enter (or update the local facts of) a listing from an approved catalog and make it
    active at once: superuser only."""
    _require_superuser(actor)
    unknown = set(local) - set(LISTING_LOCAL_FIELDS)
    if unknown:
        raise InvalidInput(
            "listing.unknown_field",
            f"实施清单只能填写本地信息，不能填写：{', '.join(sorted(unknown))}。",
        )
    listing = for_update(Listing.objects).filter(matter=matter, center=center).first()
    before = snapshot(listing) if listing is not None else None
    if listing is None:
        listing = Listing(matter=matter, center=center, department=department, code=code.strip())
    else:
        _open_request(listing)
    for key, value in local.items():
        setattr(listing, key, value)
    listing.status, listing.updated_at = Listing.Status.ACTIVE, timezone.now()
    _clean(listing, "listing.invalid", exclude=["code"] if listing.pk else None)
    try:
        with transaction.atomic():
            listing.save()
    except IntegrityError:
        raise InvalidInput(
            "listing.code_taken", "实施编码已被使用。", {"code": "实施编码已被使用。"}
        ) from None
    b, a = diff(before, snapshot(listing))
    audit_record(
        actor=actor,
        action="listing.import_activate",
        target=listing,
        center=center,
        department=listing.department,
        before=b,
        after=a,
        note=note,
    )
    return listing
