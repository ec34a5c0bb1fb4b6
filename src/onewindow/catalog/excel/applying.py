"""Applying a clean workbook in one transaction through the catalog services: by default
each changed guide goes to review as a process change and each new listing is an entry
request (R-CAT-4, R-CAT-8); with ``publish=True`` (superuser only) guides are published
and listings activated directly. Any error: nothing changes."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from onewindow.catalog import services
from onewindow.catalog.excel.columns import (
    IMPORT_NOTE,
    MATTERS,
    Progress,
    Report,
    RowError,
)
from onewindow.catalog.excel.plan import ListingPlan, MatterPlan
from onewindow.catalog.excel.reading import Row, header_of
from onewindow.catalog.excel.validation import validate
from onewindow.catalog.models import GUIDE_FIELDS
from onewindow.core.errors import DomainError
from onewindow.core.text import join_messages


class _Abort(Exception):
    pass


def import_catalog(
    source,
    *,
    actor,
    publish: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    note: str = IMPORT_NOTE,
) -> Report:
    """Validate the workbook; if it is clean (and not a dry run), apply it in one
    transaction through the catalog services. Any error: nothing changes."""
    report, plan = validate(source, actor=actor, publish=publish)
    if not report.ok or plan is None or dry_run:
        return report
    report.counts = defaultdict(int)
    progress = progress or (lambda done, total, message: None)
    total = plan.work
    done = 0
    progress(0, total, "开始导入")
    current: list[Row | None] = [None]
    try:
        with transaction.atomic():
            for mp in plan.matters:
                if not mp.changed:
                    if mp.row is not None:
                        report.counts["matters_unchanged"] += 1
                    continue
                current[0] = mp.row or mp.first_row
                _apply_matter(mp, actor=actor, publish=publish, note=note, counts=report.counts)
                done += 1
                progress(done, total, f"事项：{mp.code}")
            for lp in plan.listings:
                if lp.action == "none":
                    report.counts["listings_unchanged"] += 1
                    continue
                current[0] = lp.row
                _apply_listing(lp, actor=actor, publish=publish, note=note, counts=report.counts)
                done += 1
                progress(done, total, f"实施清单：{lp.code}")
    except DomainError as exc:
        row = current[0]
        message = exc.message
        if exc.fields:
            message = join_messages([exc.message, *exc.fields.values()])
        report.errors = [
            RowError(
                row.sheet,
                row.number,
                header_of(row.sheet, "code" if row.sheet == MATTERS else "matter"),
                message,
            )
            if row is not None
            else RowError("", 0, "", message)
        ]
        report.counts = defaultdict(int)
        return report
    report.applied = True
    progress(total, total, "导入完成")
    return report


def _apply_matter(mp: MatterPlan, *, actor, publish: bool, note: str, counts) -> None:
    if mp.matter is None:
        mp.matter = services.matter_create(actor=actor, **mp.create)
        counts["matters_created"] += 1
    fields = {k: v for k, v in mp.guide.items() if k in GUIDE_FIELDS and v is not None}
    fields["change_note"] = note
    version = services.guide_draft_create(actor=actor, matter=mp.matter, **fields)
    if mp.materials is not None:
        services.guide_materials_set(actor=actor, version=version, materials=mp.materials)
    if mp.steps is not None:
        services.guide_steps_set(actor=actor, version=version, steps=mp.steps)
    if publish:
        services.catalog_import_publish(actor=actor, version=version, note=note)
        counts["guides_published"] += 1
    else:
        services.process_change_submit(actor=actor, version=version, reason=note)
        counts["guides_submitted"] += 1


def _apply_listing(lp: ListingPlan, *, actor, publish: bool, note: str, counts) -> None:
    matter = lp.matter_plan.matter
    local = {k: v for k, v in lp.local.items() if v is not None}
    if publish:
        services.catalog_import_activate(
            actor=actor,
            matter=matter,
            center=lp.center,
            department=lp.department,
            code=lp.code,
            note=note,
            **local,
        )
        counts["listings_activated"] += 1
    elif lp.action == "enter":
        services.listing_request_entry(
            actor=actor,
            matter=matter,
            center=lp.center,
            department=lp.department,
            code=lp.code,
            reason=note,
            **local,
        )
        counts["listings_requested"] += 1
    else:
        services.listing_request_change(
            actor=actor, listing=lp.existing, kind="change", reason=note, **local
        )
        counts["listing_changes_requested"] += 1
