"""Publication: a draft is published when its lint finds no error, its materials and steps
are listed and its promised limit is compressed (or the exception accepted) (R-CAT-6,
R-CAT-8); a draft whose process is unchanged is published directly."""

from __future__ import annotations

from django.db import transaction

from onewindow.catalog.models import (
    COMPRESSION_LIMIT,
    GuideVersion,
    Matter,
)
from onewindow.catalog.search_index import search_index_matter
from onewindow.catalog.selectors.guides import field_label, guide_lint, process_changed
from onewindow.catalog.services.common import (
    lock_version,
    require_draft,
    require_editor,
)
from onewindow.core.audit import audit_record
from onewindow.core.clock import now
from onewindow.core.errors import Conflict, InvalidInput
from onewindow.core.locking import for_update


def _raise_lint(findings) -> None:
    fields = {}
    for f in findings:
        fields.setdefault(f.field, f.message)
    first = findings[0]
    message = f"{field_label(first.field)}：{first.message}"
    if len(findings) > 1:
        message += f"（共{len(findings)}处，请逐一修改）"
    raise InvalidInput("guide.lint", message, fields)


def check_ready(version: GuideVersion) -> None:
    findings = [f for f in guide_lint(version) if f.severity == "error"]
    if findings:
        _raise_lint(findings)
    if not version.materials.exists():
        raise InvalidInput(
            "guide.no_materials", "办事指南须列明申请材料；确无材料的请填写“无需提交材料”。"
        )
    if not version.steps.exists():
        raise InvalidInput("guide.no_steps", "办事指南须列明办理环节。")


def check_compression(version: GuideVersion, *, accepted: bool) -> None:
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


def publish_version(version: GuideVersion, actor) -> GuideVersion:
    matter = for_update(Matter.objects).get(pk=version.matter_id)
    previous = matter.current_version
    if previous is not None:
        GuideVersion.objects.filter(pk=previous.pk).update(status=GuideVersion.Status.SUPERSEDED)
    GuideVersion.objects.filter(pk=version.pk).update(
        status=GuideVersion.Status.PUBLISHED,
        published_at=now(),
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
    version = lock_version(version.pk)
    require_editor(actor, version.matter)
    require_draft(version)
    check_ready(version)
    if process_changed(version):
        raise Conflict(
            "guide.needs_process_review",
            "本版本改变了办理环节、申请材料、时限或跑动次数，须提交流程再造审核（司法部门合法性审核、审改部门终审）后实施。",
        )
    check_compression(
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
    return publish_version(version, actor)
