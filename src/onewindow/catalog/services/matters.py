"""Matters: a new standard matter of a department line at a level (R-CAT-1)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from onewindow.catalog.models import Matter
from onewindow.catalog.search_index import search_index_matter
from onewindow.catalog.services.common import require_editor
from onewindow.core.audit import audit_record, snapshot
from onewindow.core.errors import InvalidInput
from onewindow.core.validation import full_clean
from onewindow.org.models import Department, Level


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
    require_editor(actor, matter)
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
    full_clean(matter, "matter.invalid", exclude=["current_version"])
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
