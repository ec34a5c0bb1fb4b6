"""“One thing” bundles (一件事一次办, R-CASE-7): one application at the window for a life
event that groups several matters.

- One merged form: the form fields of the chosen matters' published guide versions,
  each key asked once; each sub-case keeps only its own version's keys.
- One deduplicated material list: materials of the same common type (or the same name)
  are given once and recorded in every sub-case whose version asks for them; nothing
  outside the chosen versions can be taken (R-CAT-7 holds per sub-case).
- A sub-case per matter, taken in through ``case_intake`` (so numbering, the pinned
  version, the clerk's authorization for each matter and the document checks are the
  single-case ones), routed to its own department and linked to the application.
- Accepted together: every part must be complete; otherwise one notice lists everything
  missing for the whole application (issued as each part's one-time notice).
- Parallel processing (并联办理): each department reviews its part on its own; the
  application's due date is the LATEST of its parts' due dates, never their sum.
- One delivery: when every part is ready the application is ready; ``bundle_deliver``
  delivers all parts at once. A part cannot be delivered alone.

Application numbers have their own daily sequence per center: ``Y`` + the case number
scheme (region code, date, four digits).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Applicant, BundleApplication, Case, Correction
from onewindow.cases.services import (
    case_accept,
    case_ask_correction,
    case_correction_reply,
    case_deliver,
    case_intake,
    is_front_at,
    missing_materials,
)
from onewindow.catalog.models import Bundle, GuideVersion, Listing, Material, Matter
from onewindow.catalog.selectors import material_key, merge_form_fields
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.scope import scope_for
from onewindow.hall.services import ticket_link_case
from onewindow.org.models import Center

# A part that has left the application (refused at intake, withdrawn after a lapsed
# notice) is not waited for and not delivered.
PART_OUT = frozenset({states.REFUSED, states.WITHDRAWN})
PART_DELIVERED = frozenset({states.DELIVERED, states.ARCHIVED})


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# --- the plan: chosen matters, merged form, merged materials -----------------------------------


@dataclass
class Part:
    matter: Matter
    listing: Listing
    version: GuideVersion
    optional: bool
    keys: set[str] = field(default_factory=set)


@dataclass
class MergedMaterial:
    key: str
    name: str
    form: str
    copies: int
    required: bool
    pledge_allowed: bool
    conditions: list[str]
    matters: list[str]
    material_ids: list[int]

    @property
    def field_id(self) -> int:
        """The id a page names this material by (its first version's material)."""
        return self.material_ids[0]


@dataclass
class Plan:
    bundle: Bundle
    center: Center
    parts: list[Part]
    fields: list[dict]
    materials: list[MergedMaterial]
    shared: list[str]


@dataclass
class Choice:
    """An item of the bundle as the intake page offers it at a center."""

    matter: Matter
    optional: bool
    note: str
    listing: Listing | None
    published: bool

    @property
    def available(self) -> bool:
        return self.published and self.listing is not None


def _listing_at(center: Center, matter: Matter) -> Listing | None:
    return (
        Listing.objects.public()
        .select_related("department", "center__region", "matter__current_version")
        .filter(center=center, matter=matter)
        .order_by("pk")
        .first()
    )


def bundle_choices(*, bundle: Bundle, center: Center) -> list[Choice]:
    """Each matter of the bundle, whether it is required, and its listing at the center."""
    return [
        Choice(
            matter=item.matter,
            optional=item.optional,
            note=item.note,
            listing=_listing_at(center, item.matter),
            published=item.matter.status == Matter.Status.ACTIVE
            and item.matter.current_version_id is not None,
        )
        for item in bundle.items.select_related("matter__current_version").order_by("order", "id")
    ]


def _merge_fields(parts: list[Part]) -> list[dict]:
    """The merged application form: each key once (required if any guide requires it);
    a key a chosen part outputs is not asked of the applicant (the catalog's rule)."""
    for part in parts:
        part.keys.update(f.get("key") for f in part.version.form_fields or [] if f.get("key"))
    return merge_form_fields((part.matter.name, part.version.form_fields) for part in parts)


def _merge_materials(parts: list[Part]) -> tuple[list[MergedMaterial], list[str]]:
    """One list, each material once (same common type or same name, as the catalog's
    bundle page merges them): the most copies, required if any part requires it, a
    pledge only where every part allows it. Shared materials are never asked for."""
    merged: dict[str, MergedMaterial] = {}
    shared: list[str] = []
    for part in parts:
        for material in part.version.materials.select_related("material_type").order_by("order"):
            if material.source == Material.Source.SHARED:
                if material.name not in shared:
                    shared.append(material.name)
                continue
            key = material_key(material)
            required = material.requirement == Material.Requirement.REQUIRED
            item = merged.get(key)
            if item is None:
                merged[key] = MergedMaterial(
                    key=key,
                    name=material.material_type.name
                    if material.material_type_id
                    else material.name,
                    form=material.get_form_display(),
                    copies=material.copies,
                    required=required,
                    pledge_allowed=material.pledge_allowed,
                    conditions=[material.condition] if material.condition else [],
                    matters=[part.matter.name],
                    material_ids=[material.pk],
                )
                continue
            item.copies = max(item.copies, material.copies)
            item.required = item.required or required
            item.pledge_allowed = item.pledge_allowed and material.pledge_allowed
            item.material_ids.append(material.pk)
            if part.matter.name not in item.matters:
                item.matters.append(part.matter.name)
            if material.condition and material.condition not in item.conditions:
                item.conditions.append(material.condition)
    return list(merged.values()), shared


def bundle_plan(*, bundle: Bundle, center: Center, matters=()) -> Plan:
    """The parts an application takes at a center: every required matter and the chosen
    optional ones, each with its published listing there; the merged form and list."""
    if not bundle.is_active:
        raise NotFound("bundle.not_found", "未找到该“一件事”。")
    chosen = {m.pk if isinstance(m, Matter) else int(m) for m in matters}
    choices = bundle_choices(bundle=bundle, center=center)
    unknown = chosen - {c.matter.pk for c in choices}
    if unknown:
        raise InvalidInput(
            "bundle.matter_not_in_bundle",
            "所选事项不属于该“一件事”。",
            {"matters": "所选事项不属于该“一件事”。"},
        )
    parts = []
    for choice in choices:
        if choice.optional and choice.matter.pk not in chosen:
            continue
        if not choice.published:
            message = f"“{choice.matter.name}”暂无现行办事指南，不能作为一件事受理。"
            raise InvalidInput("bundle.matter_unpublished", message, {"matters": message})
        if choice.listing is None:
            message = f"“{choice.matter.name}”未在{center.name}进驻办理，不能作为一件事受理。"
            raise InvalidInput("bundle.matter_not_listed", message, {"matters": message})
        parts.append(
            Part(
                matter=choice.matter,
                listing=choice.listing,
                version=choice.listing.matter.current_version,
                optional=choice.optional,
            )
        )
    if not parts:
        raise InvalidInput(
            "bundle.no_matter", "请至少选择一个办理事项。", {"matters": "请至少选择一个事项。"}
        )
    fields = _merge_fields(parts)
    materials, shared = _merge_materials(parts)
    return Plan(
        bundle=bundle,
        center=center,
        parts=parts,
        fields=fields,
        materials=materials,
        shared=shared,
    )


# --- checks -----------------------------------------------------------------------------------


def _require_front_at(actor, center: Center) -> None:
    if not is_front_at(actor, center.pk):
        raise Forbidden("case.not_front", "只有本中心的窗口工作人员可以办理一件事收件和出件。")


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


def _lock(app: BundleApplication, actor=None) -> BundleApplication:
    locked = (
        for_update(BundleApplication.objects)
        .select_related("bundle", "center__region", "applicant")
        .filter(pk=app.pk)
        .first()
    )
    if locked is None or (
        actor is not None
        and not actor.is_superuser
        and not bundles_for(scope=scope_for(actor)).filter(pk=app.pk).exists()
    ):
        raise NotFound("bundle_application.not_found", "未找到该一件事申请。")
    return locked


def _parts(app: BundleApplication, *, lock: bool = False) -> list[Case]:
    qs = Case.objects.filter(bundle_application=app)
    if lock:
        return list(for_update(qs).order_by("pk"))
    return list(
        qs.select_related("matter", "department", "deadline", "guide_version").order_by("pk")
    )


def _audit(actor, app: BundleApplication, action: str, *, before: str, **data) -> None:
    audit_record(
        actor=actor,
        action=f"bundle_application.{action}",
        target=app,
        center=app.center,
        before={"state": before},
        after={"state": app.state, **data},
    )


def _next_number(center: Center, day: date) -> str:
    """The next application number of the center's region and day (Y + the case scheme).
    The center row is held (FOR NO KEY UPDATE, so inserts that reference it go on)."""
    Center.objects.select_for_update(of=("self",), no_key=True).order_by().filter(
        pk=center.pk
    ).first()
    prefix = f"Y{center.region.code}{day:%Y%m%d}"
    last = (
        BundleApplication.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    suffix = last[len(prefix) :] if last else ""
    following = int(suffix) + 1 if suffix.isdigit() else 1
    return f"{prefix}{following:04d}"


# --- intake -----------------------------------------------------------------------------------


@transaction.atomic
def bundle_intake(
    *,
    actor,
    bundle: Bundle,
    center: Center,
    applicant: Applicant,
    matters=(),
    materials: dict[int, dict] | None = None,
    form_data: dict | None = None,
    ticket=None,
    channel: str = Case.Channel.WINDOW,
    now: datetime | None = None,
) -> BundleApplication:
    """Take in a bundle application: one merged form and one deduplicated material list;
    a sub-case per matter (required ones and the chosen optional ones), each through
    ``case_intake`` so each matter needs the clerk's own authorization.

    ``materials`` maps a material id of any chosen version to its options (as in
    ``case_intake``); a material given once counts for every part that asks for it."""
    now = _now(now)
    _require_front_at(actor, center)
    plan = bundle_plan(bundle=bundle, center=center, matters=matters)
    by_id = {mid: item for item in plan.materials for mid in item.material_ids}
    materials = materials or {}
    if any(mid not in by_id for mid in materials):
        message = "只能收取该“一件事”所含事项办事指南列明的申请材料，不得要求指南以外的材料。"
        raise InvalidInput("case.extra_material", message, {"materials": message})
    given = {by_id[mid].key: dict(options) for mid, options in materials.items()}
    form_data = {k: v for k, v in (form_data or {}).items()}
    extra = sorted(set(form_data) - {f["key"] for f in plan.fields})
    if extra:
        message = f"申请表只能填写办事指南规定的内容，不得附加条件：{', '.join(extra)}。"
        raise InvalidInput("case.extra_field", message, {"form_data": message})
    app = BundleApplication.objects.create(
        number=_next_number(center, timezone.localdate(now)),
        token=secrets.token_urlsafe(16),
        bundle=bundle,
        center=center,
        applicant=applicant,
        channel=channel,
        form_data=form_data,
        intake_clerk=actor,
        received_at=now,
    )
    numbers = []
    for part in plan.parts:
        own = {
            m.pk: given[material_key(m)]
            for m in part.version.materials.select_related("material_type")
            if m.source != Material.Source.SHARED and material_key(m) in given
        }
        case = case_intake(
            actor=actor,
            listing=part.listing,
            applicant=applicant,
            materials=own,
            form_data={k: v for k, v in form_data.items() if k in part.keys},
            channel=channel,
            now=now,
        )
        Case.objects.filter(pk=case.pk).update(bundle_application=app, ticket=ticket)
        numbers.append(case.number)
    if ticket is not None:
        ticket_link_case(actor=actor, ticket=ticket, case_ref=app.number)
    _audit(
        actor,
        app,
        "intake",
        before="",
        bundle=bundle.code,
        cases=numbers,
        materials=[item.name for item in plan.materials if item.key in given],
    )
    return app


# --- the parts and the whole ------------------------------------------------------------------


def bundle_missing(app: BundleApplication) -> list[MergedMaterial]:
    """The required materials still missing across the parts that wait at intake, each
    once (merged as on the intake list), with the parts that need it."""
    merged: dict[str, MergedMaterial] = {}
    for case in _parts(app):
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


def _whole(parts: list[Case], current: str) -> tuple[str, date | None, bool, bool]:
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
    parts = _parts(app)
    state, due, paused, provisional = _whole(parts, app.state)
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


@transaction.atomic
def bundle_refresh(*, app: BundleApplication, actor=None) -> BundleApplication:
    """Bring the stored state and due date in line with the parts (after a part moves:
    accepted, paused for a correction or special procedure, resumed, made ready)."""
    app = _lock(app)
    before = app.state
    state, due, _, _ = _whole(_parts(app), app.state)
    if (state, due) != (app.state, app.due):
        app.state, app.due = state, due
        app.save(update_fields=["state", "due"])
        if state != before:
            _audit(actor, app, "refresh", before=before, due=due.isoformat() if due else None)
    return app


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


# --- acceptance and the one-time notice -------------------------------------------------------


def _missing_message(missing: list[MergedMaterial]) -> str:
    return "、".join(m.name for m in missing)


@transaction.atomic
def bundle_accept(*, actor, app: BundleApplication, now: datetime | None = None):
    """受理 all parts together: only when nothing is missing across the application."""
    now = _now(now)
    app = _lock(app, actor)
    _require_front_at(actor, app.center)
    if app.state != BundleApplication.State.OPEN:
        raise Conflict("bundle.wrong_state", f"该申请当前为“{app.get_state_display()}”，不能受理。")
    parts = _parts(app, lock=True)
    waiting = [c for c in parts if c.state == states.CORRECTING_INTAKE]
    if waiting:
        names = "、".join(c.matter.name for c in waiting)
        raise Conflict("bundle.correcting", f"{names}尚在补正，补正后才能一并受理。")
    to_accept = [c for c in parts if c.state == states.INTAKE]
    if not to_accept:
        raise Conflict("bundle.nothing_to_accept", "该申请没有待受理的事项。")
    missing = bundle_missing(app)
    if missing:
        raise Conflict(
            "bundle.materials_missing",
            f"材料不齐，不能受理。缺少：{_missing_message(missing)}。请出具一次性补正告知。",
        )
    for case in to_accept:
        case_accept(actor=actor, case=case, now=now)
    before = app.state
    state, due, _, _ = _whole(_parts(app), app.state)
    app.state, app.due = state, due
    app.save(update_fields=["state", "due"])
    _audit(
        actor,
        app,
        "accept",
        before=before,
        cases=[c.number for c in to_accept],
        due=due.isoformat() if due else None,
    )
    return app


@transaction.atomic
def bundle_ask_correction(
    *,
    actor,
    app: BundleApplication,
    due: date,
    notes: dict[int, str] | None = None,
    other_note: str = "",
    now: datetime | None = None,
) -> list[Correction]:
    """One notice for the whole application (一次性告知): everything missing across the
    parts, listed once for the applicant. It is recorded as each incomplete part's
    one-time notice (the single-case rule checks each part lists all its own missing
    materials); ``notes`` by material id say what exactly is needed."""
    now = _now(now)
    app = _lock(app, actor)
    _require_front_at(actor, app.center)
    if app.state != BundleApplication.State.OPEN:
        raise Conflict(
            "bundle.wrong_state", f"该申请当前为“{app.get_state_display()}”，不能发出补正告知。"
        )
    parts = _parts(app, lock=True)
    if any(c.state == states.CORRECTING_INTAKE for c in parts):
        raise Conflict("bundle.correcting", "该申请已发出补正告知，请等待申请人补正。")
    notes = {int(k): (v or "").strip() for k, v in (notes or {}).items()}
    by_key = {}
    for item in bundle_missing(app):
        for mid in item.material_ids:
            by_key[item.key] = notes.get(mid) or by_key.get(item.key, "")
    other_note = (other_note or "").strip()
    corrections = []
    for case in parts:
        if case.state != states.INTAKE:
            continue
        items = [
            {"material_id": m.pk, "note": by_key.get(material_key(m), "")}
            for m in missing_materials(case)
        ]
        if other_note:
            items.append({"material_id": None, "note": other_note})
        if items:
            corrections.append(
                case_ask_correction(actor=actor, case=case, items=items, due=due, now=now)
            )
    if not corrections:
        raise InvalidInput(
            "correction.empty",
            "材料已齐全，无需补正；如有其他需要补正的问题，请写明。",
            {"other_note": "请写明需要补正的问题。"},
        )
    _audit(
        actor,
        app,
        "ask_correction",
        before=app.state,
        due=due.isoformat(),
        cases=[c.case.number for c in corrections],
    )
    return corrections


@transaction.atomic
def bundle_correction_reply(
    *,
    actor=None,
    app: BundleApplication,
    materials: dict[int, dict] | None = None,
    now: datetime | None = None,
) -> BundleApplication:
    """The applicant answers the notice: each material given once is recorded in every
    waiting part that asks for it; the parts return to intake."""
    now = _now(now)
    app = _lock(app, actor if getattr(actor, "is_authenticated", False) else None)
    if getattr(actor, "is_authenticated", False):
        _require_front_at(actor, app.center)
    parts = [c for c in _parts(app, lock=True) if c.state == states.CORRECTING_INTAKE]
    if not parts:
        raise Conflict("correction.none", "该申请没有待补正的告知。")
    versions = Material.objects.filter(
        version__in=[c.guide_version_id for c in parts]
    ).select_related("material_type")
    by_id = {m.pk: m for m in versions if m.source != Material.Source.SHARED}
    materials = materials or {}
    if any(mid not in by_id for mid in materials):
        message = "只能收取办事指南列明的申请材料，不得要求指南以外的材料。"
        raise InvalidInput("case.extra_material", message, {"materials": message})
    given = {material_key(by_id[mid]): dict(options) for mid, options in materials.items()}
    for case in parts:
        own = {
            m.pk: given[material_key(m)]
            for m in by_id.values()
            if m.version_id == case.guide_version_id and material_key(m) in given
        }
        case_correction_reply(actor=actor, case=case, materials=own, now=now)
    _audit(actor, app, "correction_reply", before=app.state, cases=[c.number for c in parts])
    return app


# --- one delivery -----------------------------------------------------------------------------


@transaction.atomic
def bundle_deliver(
    *,
    actor,
    app: BundleApplication,
    method: str = "window",
    tracking_number: str = "",
    now: datetime | None = None,
) -> BundleApplication:
    """出件 once for the whole application: every part that is ready is delivered (one
    event each), at the unified window or by free mail with one tracking number."""
    now = _now(now)
    app = _lock(app, actor)
    _require_front_at(actor, app.center)
    if method not in ("window", "mail"):
        raise InvalidInput("case.delivery_method", "送达方式不正确。", {"method": "请选择。"})
    tracking_number = (tracking_number or "").strip()[:40]
    if method == "mail" and not tracking_number:
        raise InvalidInput(
            "case.tracking_required",
            "邮寄送达须填写邮寄单号。",
            {"tracking_number": "请填写邮寄单号。"},
        )
    if app.state == BundleApplication.State.DELIVERED:
        raise Conflict("bundle.already_delivered", "该申请已统一出件。")
    parts = _parts(app, lock=True)
    state, due, _, _ = _whole(parts, app.state)
    if state != BundleApplication.State.READY:
        waiting = [
            c.matter.name for c in parts if c.state not in PART_OUT and c.state != states.READY
        ]
        raise Conflict(
            "bundle.not_ready",
            f"一件事须全部办结后统一出件，尚未办结：{'、'.join(waiting) or '无'}。",
        )
    delivered = []
    for case in parts:
        if case.state == states.READY:
            case_deliver(
                actor=actor,
                case=case,
                method=method,
                tracking_number=tracking_number,
                now=now,
                bundle_delivery=True,
            )
            delivered.append(case.number)
    before = app.state
    app.state, app.due, app.delivered_at = BundleApplication.State.DELIVERED, due, now
    app.delivery_method, app.tracking_number = method, tracking_number
    app.save(update_fields=["state", "due", "delivered_at", "delivery_method", "tracking_number"])
    _audit(actor, app, "deliver", before=before, method=method, cases=delivered)
    return app
