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

Application numbers have their own daily sequence per center (``core/numbering.py``,
series ``bundle``): ``Y`` + the case number scheme (region code, date, four digits).
The reads (the plan, the overview, what is missing) are ``cases/selectors/bundles.py``
and ``cases/selectors/bundle_plan.py``; the application follows its parts through the
hook ``bundle_refresh_after_part_moved``, run when a step on a part commits.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Applicant, BundleApplication, Case, Correction
from onewindow.cases.selectors import missing_materials
from onewindow.cases.selectors.actions import is_front_at
from onewindow.cases.selectors.bundle_plan import (  # the plan is read before intake
    MergedMaterial,
    bundle_plan,
)
from onewindow.cases.selectors.bundles import (
    PART_OUT,
    bundle_missing,
    bundle_parts,
    bundles_for,
    whole_of,
)
from onewindow.cases.services.decision import case_deliver
from onewindow.cases.services.intake import (
    case_accept,
    case_ask_correction,
    case_correction_reply,
    case_intake,
)
from onewindow.cases.services.steps import when_part_moves
from onewindow.catalog.models import Bundle, Material
from onewindow.catalog.selectors import material_key
from onewindow.core.audit import audit_record
from onewindow.core.clock import now as clock_now
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.numbering import next_in_day
from onewindow.core.scope import scope_for
from onewindow.hall.services import ticket_link_case
from onewindow.org.models import Center

__all__ = [
    "bundle_accept",
    "bundle_ask_correction",
    "bundle_correction_reply",
    "bundle_deliver",
    "bundle_intake",
    "bundle_refresh",
]


def _require_front_at(actor, center: Center) -> None:
    if not is_front_at(actor, center.pk):
        raise Forbidden("case.not_front", "只有本中心的窗口工作人员可以办理一件事收件和出件。")


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


def _audit(actor, app: BundleApplication, action: str, *, before: str, **data) -> None:
    audit_record(
        actor=actor,
        action=f"bundle_application.{action}",
        target=app,
        center=app.center,
        before={"state": before},
        after={"state": app.state, **data},
    )


def next_bundle_number(center: Center, day: date) -> str:
    """The next application number of the center's region and day (Y + the case number
    scheme); counted per region, as the number names the region, not the center."""
    number = next_in_day(series="bundle", key=center.region.code, day=day)
    return f"Y{center.region.code}{day:%Y%m%d}{number:04d}"


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
    now = clock_now(now)
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
        number=next_bundle_number(center, timezone.localdate(now)),
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


@transaction.atomic
def bundle_refresh(*, app: BundleApplication, actor=None) -> BundleApplication:
    """Bring the stored state and due date in line with the parts (after a part moves:
    accepted, paused for a correction or special procedure, resumed, made ready)."""
    app = _lock(app)
    before = app.state
    state, due, _, _ = whole_of(bundle_parts(app), app.state)
    if (state, due) != (app.state, app.due):
        app.state, app.due = state, due
        app.save(update_fields=["state", "due"])
        if state != before:
            _audit(actor, app, "refresh", before=before, due=due.isoformat() if due else None)
    return app


@when_part_moves
def bundle_refresh_after_part_moved(app_id: int) -> None:
    """A step on a part committed: the application follows (state, longest due date)."""
    app = BundleApplication.objects.filter(pk=app_id).first()
    if app is not None:
        bundle_refresh(app=app)


# --- acceptance and the one-time notice -------------------------------------------------------


def _missing_message(missing: list[MergedMaterial]) -> str:
    return "、".join(m.name for m in missing)


@transaction.atomic
def bundle_accept(*, actor, app: BundleApplication, now: datetime | None = None):
    """受理 all parts together: only when nothing is missing across the application."""
    now = clock_now(now)
    app = _lock(app, actor)
    _require_front_at(actor, app.center)
    if app.state != BundleApplication.State.OPEN:
        raise Conflict("bundle.wrong_state", f"该申请当前为“{app.get_state_display()}”，不能受理。")
    parts = bundle_parts(app, lock=True)
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
    state, due, _, _ = whole_of(bundle_parts(app), app.state)
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
    now = clock_now(now)
    app = _lock(app, actor)
    _require_front_at(actor, app.center)
    if app.state != BundleApplication.State.OPEN:
        raise Conflict(
            "bundle.wrong_state", f"该申请当前为“{app.get_state_display()}”，不能发出补正告知。"
        )
    parts = bundle_parts(app, lock=True)
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
    now = clock_now(now)
    app = _lock(app, actor if getattr(actor, "is_authenticated", False) else None)
    if getattr(actor, "is_authenticated", False):
        _require_front_at(actor, app.center)
    parts = [c for c in bundle_parts(app, lock=True) if c.state == states.CORRECTING_INTAKE]
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
    now = clock_now(now)
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
    parts = bundle_parts(app, lock=True)
    state, due, _, _ = whole_of(parts, app.state)
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
