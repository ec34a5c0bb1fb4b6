"""Electronic materials of a case and the applicant's file store (R-CASE-6).

- ``document_attach``: an uploaded file becomes the electronic copy of one material of
  the case's pinned guide version (R-CAT-7); no paper copy is then needed (§12), and
  the file goes into the applicant's store for later cases.
- ``reusable_documents`` (read in ``cases/selectors/files.py``): what the store can give
  again for a guide version — valid, unrevoked, matched by the common material type (or,
  without one, the exact name).
- ``document_reuse`` / ``case_intake_with_reuse``: a case's document points at the
  stored one (same file); the applicant does not give it again (材料复用).
- ``applicant_find`` (read in ``cases/selectors/files.py``): the applicant already known by identity number, credit code or
  phone, to prefill a new form (一表申请).

Files may be added while materials are being received (online draft, pre-review,
window intake, the correction stages), never after acceptance closes the list or after
a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Applicant, ApplicantDocument, Case, Correction, Document
from onewindow.cases.selectors.files import (
    same_material,
)
from onewindow.cases.services.intake import case_correction_reply, case_intake, check_documents
from onewindow.cases.services.steps import event, lock, require_back, require_front
from onewindow.catalog.models import Listing, Material
from onewindow.core.audit import TerminalActor
from onewindow.core.clock import now as clock_now
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.files.storage import store_upload

# States in which materials are still being received, by who adds them.
STAFF_ATTACH_STATES = frozenset(
    {states.PRE_REVIEW, states.INTAKE, states.CORRECTING_INTAKE, states.CORRECTING}
)
APPLICANT_ATTACH_STATES = frozenset({states.DRAFT, states.CORRECTING_INTAKE, states.CORRECTING})


def attach_allowed(case: Case, *, applicant: bool = False) -> bool:
    return case.state in (APPLICANT_ATTACH_STATES if applicant else STAFF_ATTACH_STATES)


def _require_attach(actor, case: Case) -> None:
    """Staff of the case (its center's window or its department); ``actor=None`` (or a
    self-service terminal's ``TerminalActor``) is the applicant on their own link or at
    the terminal, already checked by the caller."""
    if actor is None or isinstance(actor, TerminalActor):
        if case.state not in APPLICANT_ATTACH_STATES:
            raise Conflict(
                "document.wrong_state", f"办件当前为“{case.state_label}”，不能再提交材料。"
            )
        return
    try:
        require_front(actor, case)
    except Forbidden:
        try:
            require_back(actor, case)
        except Forbidden:
            raise Forbidden(
                "document.not_staff", "只有本办件的窗口或承办部门工作人员可以收取材料。"
            ) from None
    if case.state not in STAFF_ATTACH_STATES:
        raise Conflict(
            "document.wrong_state",
            f"办件当前为“{case.state_label}”，不能再收取或更换材料"
            "（受理后如需补充，请通过一次性告知补正）。",
        )


def _material_of(case: Case, material) -> Material:
    material_id = material.pk if isinstance(material, Material) else material
    if not isinstance(material_id, int):
        message = "请选择办事指南列明的材料。"
        raise InvalidInput("case.extra_material", message, {"material": message})
    ((checked, _),) = check_documents(case.guide_version, {material_id: {}})
    return checked


def _open_document(case: Case, material: Material) -> Document | None:
    document = for_update(Document.objects).filter(case=case, material=material).first()
    if document is not None and document.by_pledge and hasattr(document, "pledge_check"):
        raise Conflict(
            "document.pledged",
            f"“{material.name}”已以告知承诺替代并进入核查，不能再更换为文件。",
        )
    return document


def _receive(case, material, document, *, actor, now, file, reused_from=None) -> Document:
    received_by = actor if getattr(actor, "is_authenticated", False) else None
    if document is None:
        return Document.objects.create(
            case=case,
            material=material,
            electronic=True,
            paper_received=False,
            by_pledge=False,
            file=file,
            reused_from=reused_from,
            received_at=now,
            received_by=received_by,
        )
    document.electronic, document.by_pledge = True, False
    document.file, document.reused_from = file, reused_from
    document.received_at, document.received_by = now, received_by
    document.save(
        update_fields=[
            "electronic",
            "by_pledge",
            "file",
            "reused_from",
            "received_at",
            "received_by",
        ]
    )
    return document


@transaction.atomic
def document_attach(
    *,
    actor,
    case: Case,
    material,
    upload,
    now: datetime | None = None,
    valid_until: date | None = None,
) -> Document:
    """Receive ``upload`` (a Django ``UploadedFile``) as the electronic copy of
    ``material`` in ``case``; it also goes into the applicant's file store."""
    now = clock_now(now)
    case = lock(case)
    _require_attach(actor, case)
    material = _material_of(case, material)
    if valid_until is not None and valid_until < timezone.localdate(now):
        message = "有效期不能早于今天：已过期的材料不能收取。"
        raise InvalidInput("document.expired", message, {"valid_until": message})
    document = _open_document(case, material)
    replaced = document.file if document is not None and document.file_id else None
    stored = store_upload(upload, uploaded_by=actor, now=now)
    document = _receive(case, material, document, actor=actor, now=now, file=stored)
    ApplicantDocument.objects.create(
        applicant=case.applicant,
        material_type=material.material_type,
        name=material.name,
        file=stored,
        source_case=case,
        valid_until=valid_until,
        created_at=now,
    )
    event(
        case,
        "document_attach",
        actor,
        before=case.state,
        at=now,
        note=f"{material.name}：{stored.original_name}",
        material=material.name,
        file=stored.pk,
        sha256=stored.sha256,
        size=stored.size,
        replaced=replaced.pk if replaced else None,
    )
    return document


# --- the applicant's correction, given online or at the terminal ------------------------------


@dataclass(frozen=True)
class Attached:
    """A file the applicant gave, and whether it completed the open correction notice
    (the notice is then answered and the case is back where it was)."""

    document: Document
    correction_closed: bool


def correction_complete(case: Case, correction: Correction) -> bool:
    """Every item of the one-time notice names a material, and each such material has a
    file (or a pledge) received since the notice. An item that is only a written
    question (no material) needs a person to judge it: never complete by itself."""
    items = correction.items or []
    asked = [item.get("material_id") for item in items]
    if not asked or None in asked:
        return False
    given = {
        d.material_id
        for d in Document.objects.filter(case=case, material_id__in=asked)
        if (d.file_id or d.by_pledge) and d.received_at and d.received_at >= correction.issued_at
    }
    return set(asked) <= given


@transaction.atomic
def correction_document_attach(
    *,
    actor=None,
    case: Case,
    material,
    upload,
    now: datetime | None = None,
) -> Attached:
    """The applicant (their own link: ``actor=None``; the terminal: a ``TerminalActor``)
    gives a file. When the case waits on a correction (补正) and this file completes the
    one-time notice, the notice is answered at once through ``case_correction_reply``:
    the case goes back to intake, or to the department's review with its clock running
    again, without waiting for a clerk (R-CASE-2, R-CASE-8)."""
    if getattr(actor, "is_authenticated", False):
        raise Forbidden("document.not_applicant", "工作人员请在办件页面收取材料。")
    now = clock_now(now)
    document = document_attach(actor=actor, case=case, material=material, upload=upload, now=now)
    case = lock(case)
    if case.state not in (states.CORRECTING_INTAKE, states.CORRECTING):
        return Attached(document, False)
    correction = for_update(Correction.objects).filter(case=case, state="open").first()
    if correction is None or not correction_complete(case, correction):
        return Attached(document, False)
    asked = {item["material_id"]: {"electronic": True} for item in correction.items}
    given = {
        d.material_id: d for d in Document.objects.filter(case=case, material_id__in=list(asked))
    }
    for mid, options in asked.items():
        if given[mid].by_pledge and not given[mid].file_id:
            options.update(electronic=False, by_pledge=True)
    case_correction_reply(actor=actor, case=case, materials=asked, now=now)
    document.refresh_from_db()
    return Attached(document, True)


# --- the applicant's file store (材料复用) ----------------------------------------------------


def _reuse_one(case: Case, material: Material, stored_id, *, actor, now) -> Document:
    stored = (
        for_update(ApplicantDocument.objects)
        .filter(pk=stored_id if isinstance(stored_id, int) else None, applicant=case.applicant)
        .first()
    )
    if stored is None:
        raise NotFound("document.stored_not_found", "申请人材料库中没有这份材料。")
    today = timezone.localdate(now)
    if stored.revoked or (stored.valid_until is not None and stored.valid_until < today):
        message = f"材料库中的“{stored.name}”已过期或失效，不能复用，请申请人重新提交。"
        raise InvalidInput("document.reuse_expired", message, {f"reuse_{material.pk}": message})
    if not same_material(stored, material):
        message = f"材料库中的“{stored.name}”与“{material.name}”不是同一种材料，不能复用。"
        raise InvalidInput("document.reuse_mismatch", message, {f"reuse_{material.pk}": message})
    document = _open_document(case, material)
    return _receive(
        case, material, document, actor=actor, now=now, file=stored.file, reused_from=stored
    )


@transaction.atomic
def document_reuse(
    *, actor, case: Case, material, applicant_document, now: datetime | None = None
) -> Document:
    """Take a material from the applicant's file store instead of asking for it again."""
    now = clock_now(now)
    case = lock(case)
    _require_attach(actor, case)
    material = _material_of(case, material)
    stored_id = getattr(applicant_document, "pk", applicant_document)
    document = _reuse_one(case, material, stored_id, actor=actor, now=now)
    event(
        case,
        "document_reuse",
        actor,
        before=case.state,
        at=now,
        note=material.name,
        materials=[material.name],
        stored=[stored_id],
    )
    return document


@transaction.atomic
def case_intake_with_reuse(
    *,
    actor,
    listing: Listing,
    applicant: Applicant,
    materials: dict[int, dict] | None = None,
    form_data: dict | None = None,
    reuse: dict[int, int] | None = None,
    ticket=None,
    now: datetime | None = None,
    decide_here: bool | None = None,
) -> Case:
    """Window intake (``case_intake``) where some materials come from the applicant's
    file store: ``reuse`` maps a material id to the stored document to use. One
    transaction: a bad choice leaves no case behind."""
    now = clock_now(now)
    reuse = reuse or {}
    given = {mid: opts for mid, opts in (materials or {}).items() if mid not in reuse}
    case = case_intake(
        actor=actor,
        listing=listing,
        applicant=applicant,
        materials=given,
        form_data=form_data,
        ticket=ticket,
        now=now,
        decide_here=decide_here,
    )
    if not reuse:
        return case
    checked = check_documents(case.guide_version, {mid: {} for mid in reuse})
    names = []
    for material, _ in sorted(checked, key=lambda pair: pair[0].order):
        _reuse_one(case, material, reuse[material.pk], actor=actor, now=now)
        names.append(material.name)
    event(
        case,
        "document_reuse",
        actor,
        before=case.state,
        at=now,
        note="、".join(names),
        materials=names,
        stored=[reuse[mid] for mid in sorted(reuse)],
    )
    return case


__all__ = [
    "APPLICANT_ATTACH_STATES",
    "STAFF_ATTACH_STATES",
    "Attached",
    "attach_allowed",
    "case_intake_with_reuse",
    "correction_complete",
    "correction_document_attach",
    "document_attach",
    "document_reuse",
]
