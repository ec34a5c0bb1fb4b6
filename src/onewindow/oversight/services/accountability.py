"""Writes of the accountability list (R-SUP-3): a supervisor records a finding of abuse
(乱作为) against a person or a department, resting on records (case numbers, complaint
numbers, review ids) they can see; audited."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db import transaction

from onewindow.cases.models import Case
from onewindow.complaints.models import Complaint
from onewindow.core.audit import audit_record
from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.roles import may
from onewindow.core.scope import scope_for
from onewindow.core.text import clean_text
from onewindow.evaluation.models import Review
from onewindow.org.models import Center, Department, StaffProfile
from onewindow.oversight.models import AbuseFinding

MAX_RECORDS = 50


def _list(raw) -> list[str]:
    if isinstance(raw, list | tuple):
        items = [str(x) for x in raw]
    else:
        items = re.split(r"[\s,，、;；]+", str(raw or ""))
    return list(dict.fromkeys(x.strip() for x in items if x.strip()))


def _missing(label: str, missing: list[str]) -> InvalidInput:
    return InvalidInput(
        "abuse.record_not_found",
        f"未找到以下{label}（或不在您的管辖范围内）：{'、'.join(missing[:5])}。",
    )


@transaction.atomic
def abuse_finding_record(
    *,
    actor,
    center_id,
    finding: str,
    person_id=None,
    department_id=None,
    case_numbers="",
    complaint_numbers="",
    review_ids="",
) -> AbuseFinding:
    if not may(actor, "accountability.record"):
        raise Forbidden("abuse.forbidden", "只有督查人员可以登记乱作为认定。")
    scope = scope_for(actor)
    raw = str(center_id or "").strip()
    center = Center.objects.visible_to(scope).filter(pk=int(raw)).first() if raw.isdigit() else None
    if center is None:
        raise NotFound("center.not_found", "未找到该服务中心。")
    text = clean_text(finding, field="finding", label="认定情况", limit=2000)
    person = department = None
    raw = str(person_id or "").strip()
    if raw:
        profile = (
            StaffProfile.objects.visible_to(scope).filter(user_id=int(raw)).first()
            if raw.isdigit()
            else None
        )
        if profile is None:
            raise NotFound("staff.not_found", "未找到该工作人员。")
        person = get_user_model().objects.get(pk=profile.user_id)
    if str(department_id or "").strip():
        raw = str(department_id).strip()
        department = (
            Department.objects.visible_to(scope).filter(pk=int(raw)).first()
            if raw.isdigit()
            else None
        )
        if department is None:
            raise NotFound("department.not_found", "未找到该部门。")
    if person is None and department is None:
        raise InvalidInput("abuse.subject_required", "请选择被认定的人员或部门。")
    cases, complaints = _list(case_numbers), _list(complaint_numbers)
    reviews = _list(review_ids)
    if not (cases or complaints or reviews):
        raise InvalidInput(
            "abuse.records_required", "认定须附所依据的记录（办件编号、投诉编号或评价编号）。"
        )
    if len(cases) + len(complaints) + len(reviews) > MAX_RECORDS:
        raise InvalidInput("abuse.too_many", f"所附记录不能超过{MAX_RECORDS}条。")
    found = set(
        Case.objects.visible_to(scope).filter(number__in=cases).values_list("number", flat=True)
    )
    if len(found) < len(cases):
        raise _missing("办件", [c for c in cases if c not in found])
    found = set(
        Complaint.objects.visible_to(scope)
        .filter(number__in=complaints)
        .values_list("number", flat=True)
    )
    if len(found) < len(complaints):
        raise _missing("投诉", [c for c in complaints if c not in found])
    bad_ids = [r for r in reviews if not r.isdigit()]
    if bad_ids:
        raise _missing("评价", bad_ids)
    found = {
        str(pk)
        for pk in Review.objects.visible_to(scope)
        .filter(pk__in=[int(r) for r in reviews])
        .values_list("pk", flat=True)
    }
    if len(found) < len(reviews):
        raise _missing("评价", [r for r in reviews if r not in found])
    row = AbuseFinding.objects.create(
        center=center,
        department=department,
        person=person,
        finding=text,
        case_numbers=cases,
        complaint_numbers=complaints,
        review_ids=[int(r) for r in reviews],
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="accountability.abuse_record",
        target=row,
        target_label=f"乱作为认定：{person or department}",
        center=center,
        department=department,
        after={
            "finding": text,
            "cases": cases,
            "complaints": complaints,
            "reviews": reviews,
        },
    )
    return row
