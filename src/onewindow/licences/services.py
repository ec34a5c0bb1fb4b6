"""Every write of the licences (R-MSG-2): a center's key pair and seal made once, a
licence issued on an approved case, revoked with a reason, or replaced by a new one.
One transaction each; the rows are locked before their state is checked; an audit row
in the same transaction. Outside the actor's scope is "not found"."""

from __future__ import annotations

from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from onewindow.cases import states
from onewindow.cases.models import Case
from onewindow.cases.selectors.actions import in_scope
from onewindow.cases.services.steps import lock
from onewindow.core.audit import audit_record
from onewindow.core.clock import now as clock_now
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import may
from onewindow.core.text import clean_text
from onewindow.files.storage import store_upload
from onewindow.licences import payload as payloads
from onewindow.licences import seal, signing
from onewindow.licences.models import CenterSigner, Licence
from onewindow.licences.selectors import approved
from onewindow.org.models import Center

ISSUE, REVOKE = "licence.issue", "licence.revoke"


def _require(actor, case: Case, activity: str) -> None:
    if not getattr(actor, "is_authenticated", False) or not (
        actor.is_superuser or in_scope(actor, case)
    ):
        raise NotFound("case.not_found", "未找到该办件。")
    if not may(actor, activity):
        raise Forbidden("licence.forbidden", "您没有签发或撤销电子证照的权限。")


def _reason(text: str) -> str:
    if not str(text or "").replace("\x00", "").strip():
        raise InvalidInput("licence.reason_required", "请写明原因。", {"reason": "请写明原因。"})
    return clean_text(text, field="reason", label="原因", limit=200)


@transaction.atomic
def signer_for(*, actor, center: Center, now: datetime | None = None) -> CenterSigner:
    """The center's key pair and seal, made the first time the center signs."""
    center = for_update(Center.objects).get(pk=center.pk)
    existing = CenterSigner.objects.filter(center=center).first()
    if existing is not None:
        return existing
    key_id, public_pem, private_cipher = signing.new_key_pair()
    image = SimpleUploadedFile(f"seal-{center.code}.png", seal.seal_png(center.name))
    stored = store_upload(image, now=now)
    signer = CenterSigner.objects.create(
        center=center,
        key_id=key_id,
        public_key=public_pem,
        private_key_cipher=private_cipher,
        seal=stored,
        created_at=clock_now(now),
    )
    audit_record(
        actor=actor,
        action="licence.signer_create",
        target=signer,
        center=center,
        after={"key_id": key_id},
    )
    return signer


def _new_licence(*, actor, case: Case, signer: CenterSigner, at: datetime) -> Licence:
    serial = Licence.objects.filter(case=case).count() + 1
    number = f"{case.number}-{serial:02d}"
    for _ in range(5):  # a clash of random codes is astronomically rare; try again
        code = payloads.new_code()
        if not Licence.objects.filter(code=code).exists():
            break
    body = payloads.build(case=case, number=number, code=code, key_id=signer.key_id, issued_at=at)
    return Licence.objects.create(
        case=case,
        signer=signer,
        number=number,
        code=code,
        title=body["title"],
        payload=body,
        signature=signing.sign(signer.private_key_cipher, body),
        issued_at=at,
        issued_by=actor,
    )


def _audit(actor, action: str, licence: Licence, **after) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=licence,
        center=licence.case.center,
        department=licence.case.department,
        after={"number": licence.number, "state": licence.state, **after},
    )


@transaction.atomic
def licence_issue(*, actor, case: Case, now: datetime | None = None) -> Licence:
    """Issue the electronic licence of an approved case (准予, then 待出件, 已送达 or
    已归档); one valid licence per case (a correction is a replacement)."""
    at = clock_now(now)
    _require(actor, case, ISSUE)
    case = lock(case)
    if not approved(case):
        raise Conflict(
            "licence.not_approved",
            f"办件当前为“{case.state_label}”，准予许可后才能签发电子证照。",
        )
    if Licence.objects.filter(case=case, state=Licence.State.VALID).exists():
        raise Conflict("licence.exists", "该办件已有有效的电子证照；如需更正，请换发。")
    signer = signer_for(actor=actor, center=case.center, now=at)
    try:
        with transaction.atomic():
            licence = _new_licence(actor=actor, case=case, signer=signer, at=at)
    except IntegrityError as exc:
        raise Conflict("licence.exists", "该办件已有有效的电子证照；如需更正，请换发。") from exc
    _audit(actor, "licence.issue", licence, code=licence.code)
    return licence


def _locked_valid(actor, licence: Licence) -> Licence:
    case = Case.objects.filter(pk=licence.case_id).first()
    if case is None:
        raise NotFound("licence.not_found", "未找到该电子证照。")
    _require(actor, case, REVOKE)
    lock(case)
    licence = for_update(Licence.objects).filter(pk=licence.pk).first()
    if licence is None:
        raise NotFound("licence.not_found", "未找到该电子证照。")
    if licence.state != Licence.State.VALID:
        raise Conflict(
            "licence.not_valid", f"该电子证照{licence.get_state_display()}，不能再操作。"
        )
    return licence


@transaction.atomic
def licence_revoke(*, actor, licence: Licence, reason: str, now: datetime | None = None) -> Licence:
    """Revoke a valid licence with its reason; the verification page says so from now."""
    at = clock_now(now)
    reason = _reason(reason)
    licence = _locked_valid(actor, licence)
    licence.state, licence.revoked_at, licence.revoked_by = Licence.State.REVOKED, at, actor
    licence.reason = reason
    licence.save(update_fields=["state", "revoked_at", "revoked_by", "reason"])
    _audit(actor, "licence.revoke", licence, reason=reason)
    return licence


@transaction.atomic
def licence_replace(
    *, actor, licence: Licence, reason: str, now: datetime | None = None
) -> Licence:
    """Replace a valid licence by a new one signed now (换发); the old one names it."""
    at = clock_now(now)
    reason = _reason(reason)
    old = _locked_valid(actor, licence)
    case = old.case
    if case.state in states.OPEN or not approved(case):
        raise Conflict("licence.not_approved", "该办件已不是准予许可的决定，不能换发，请撤销。")
    # the old one leaves the valid set first (one valid licence per case), then names
    # its successor (a replaced licence always does)
    old.state, old.revoked_at, old.revoked_by, old.reason = Licence.State.REVOKED, at, actor, reason
    old.save(update_fields=["state", "revoked_at", "revoked_by", "reason"])
    signer = signer_for(actor=actor, center=case.center, now=at)
    new = _new_licence(actor=actor, case=case, signer=signer, at=at)
    old.state, old.replaced_by = Licence.State.REPLACED, new
    old.save(update_fields=["state", "replaced_by"])
    _audit(actor, "licence.replace", old, replaced_by=new.number, reason=reason)
    _audit(actor, "licence.issue", new, code=new.code, replaces=old.number)
    return new
