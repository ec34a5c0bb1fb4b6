"""Reads of "one thing" applications (R-CASE-7): those a reader may see, the parts of
one, what is still missing across them, and the whole as the pages show it — its state
and due date worked out from its parts (the LATEST due date of the parts, processed in
parallel, never their sum)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from onewindow.cases import states
from onewindow.cases.models import BundleApplication, Case, Correction
from onewindow.cases.selectors import missing_materials
from onewindow.cases.selectors.bundle_plan import MergedMaterial
from onewindow.catalog.selectors import material_key
from onewindow.core.errors import NotFound
from onewindow.core.locking import for_update

# A part that has left the application (refused at intake, withdrawn after a lapsed
# notice) is not waited for and not delivered.
PART_OUT = frozenset({states.REFUSED, states.WITHDRAWN})
PART_DELIVERED = frozenset({states.DELIVERED, states.ARCHIVED})


def bundles_for(*, scope) -> QuerySet[BundleApplication]:
    """Applications of the reader's centers, and those with a part the reader may see
    (a department sees the applications its parts belong to)."""
    if scope.everything:
        return BundleApplication.objects.all()
    visible_cases = Case.objects.visible_to(scope).filter(bundle_application__isnull=False)
    own = BundleApplication.objects.visible_to(scope).values("pk")
    return BundleApplication.objects.filter(
        Q(pk__in=own) | Q(pk__in=visible_cases.values("bundle_application_id"))
    )


def bundle_get_for(*, scope, app_id: int) -> BundleApplication:
    app = (
        bundles_for(scope=scope)
        .select_related("bundle", "center__region", "applicant", "intake_clerk")
        .filter(pk=app_id)
        .first()
    )
    if app is None:
        raise NotFound("bundle_application.not_found", "未找到该一件事申请。")
    return app


def bundle_parts(app: BundleApplication, *, lock: bool = False) -> list[Case]:
    qs = Case.objects.filter(bundle_application=app)
    if lock:
        return list(for_update(qs).order_by("pk"))
    return list(
        qs.select_related("matter", "department", "deadline", "guide_version").order_by("pk")
    )


def bundle_missing(app: BundleApplication) -> list[MergedMaterial]:
    """The required materials still missing across the parts that wait at intake, each
    once (merged as on the intake list), with the parts that need it."""
    merged: dict[str, MergedMaterial] = {}
    for case in bundle_parts(app):
        if case.state not in (states.INTAKE, states.CORRECTING_INTAKE):
            continue
        for material in missing_materials(case):
            key = material_key(material)
            item = merged.get(key)
            if item is None:
                merged[key] = MergedMaterial(
                    key=key,
                    name=material.material_type.name
                    if material.material_type_id
                    else material.name,
                    form=material.get_form_display(),
                    copies=material.copies,
                    required=True,
                    pledge_allowed=material.pledge_allowed,
                    conditions=[],
                    matters=[case.matter.name],
                    material_ids=[material.pk],
                )
            else:
                item.material_ids.append(material.pk)
                item.matters.append(case.matter.name)
    return list(merged.values())


@dataclass
class Overview:
    app: BundleApplication
    parts: list[Case]
    due: date | None
    paused: bool
    provisional: bool
    ready: bool
    state: str
    missing: list[MergedMaterial]
    correcting: list[Correction]

    @property
    def state_label(self) -> str:
        return BundleApplication.State(self.state).label

    @property
    def public_status(self) -> str:
        if self.state == BundleApplication.State.DELIVERED:
            return "已送达"
        if self.state == BundleApplication.State.READY:
            return "已办结"
        if self.state == BundleApplication.State.CLOSED:
            return "已终结"
        if self.correcting:
            return "待补正"
        if all(c.state in (states.INTAKE, states.PRE_REVIEW, states.DRAFT) for c in self.live):
            return "已提交"
        return "办理中"

    @property
    def live(self) -> list[Case]:
        return [c for c in self.parts if c.state not in PART_OUT]


def whole_of(parts: list[Case], current: str) -> tuple[str, date | None, bool, bool]:
    """The application's state and due date from its parts: due is the latest of the
    parts' due dates (parallel, not summed); unknown while a part's clock is paused."""
    live = [c for c in parts if c.state not in PART_OUT]
    dues = [c.deadline for c in live if c.deadline_id]
    paused = any(d.paused for d in dues)
    known = [d.due for d in dues if d.due]
    due = None if paused or not known else max(known)
    provisional = any(d.provisional for d in dues)
    state = current
    if current in (BundleApplication.State.OPEN, BundleApplication.State.READY):
        if not live:
            state = BundleApplication.State.CLOSED
        elif all(c.state == states.READY for c in live):
            state = BundleApplication.State.READY
        else:
            state = BundleApplication.State.OPEN
    return state, due, paused, provisional


def bundle_overview(app: BundleApplication) -> Overview:
    """The application as the pages show it, computed from its parts as they are now."""
    parts = bundle_parts(app)
    state, due, paused, provisional = whole_of(parts, app.state)
    return Overview(
        app=app,
        parts=parts,
        due=due,
        paused=paused,
        provisional=provisional,
        ready=state == BundleApplication.State.READY,
        state=state,
        missing=bundle_missing(app),
        correcting=list(
            Correction.objects.filter(case__bundle_application=app, state="open")
            .select_related("case__matter")
            .order_by("case_id")
        ),
    )


def bundle_public_progress(*, number: str, phone_tail: str) -> BundleApplication | None:
    """An application by its number and the last four digits of the phone; None when the
    number is not an application's (a wrong tail answers like a missing one)."""
    app = (
        BundleApplication.objects.select_related("bundle", "center", "applicant")
        .filter(number=(number or "").strip())
        .first()
    )
    if app is None:
        return None
    if len(phone_tail or "") != 4 or app.applicant.phone_tail != phone_tail:
        raise NotFound(
            "bundle_application.not_found", "未找到该申请，请核对申请编号和手机号后四位。"
        )
    return app
