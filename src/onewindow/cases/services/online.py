"""Online applications (R-CASE-8): a citizen applies on the portal without an account,
the center pre-reviews (网上预审), and an application nobody takes in within the legal
time counts as accepted from the day it was received (行政许可法 §32).

- The citizen fills the applicant's basic information once (一表申请, merged into the
  applicant's profile), the pinned guide version's form fields and, for each material of
  that version, how they give it; only that version's materials and fields are accepted
  (R-CAT-7). The case gets its number and its secret token when the draft is created;
  the token link is how the citizen comes back.
- Submitting sets the received date, the pre-review date (``ONEWINDOW_PREREVIEW_DAYS``
  working days, default 1) and the acceptance date (``ONEWINDOW_DEEMED_ACCEPT_DAYS``,
  default 5), counted with the work calendar's one rule: the received day is day 0.
- A front-window clerk of the case's center passes the pre-review (→ window intake, then
  accept / refuse / correction as usual) or returns it with a written reason (→ draft; the
  citizen reads the reason on their link and resubmits, which starts both dates again).
- The sweep turns an online case still in pre-review or intake past its acceptance date
  into an accepted one, flagged ``deemed_accepted``, with its clocks started on the day it
  was received; once, under a row lock.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Applicant, Case, CaseEvent, Correction, Document, state_in
from onewindow.cases.selectors import missing_materials
from onewindow.cases.selectors.online import (
    ONLINE_CHANNELS,
    online_listing_get,
)
from onewindow.cases.services.clock import clock_sync
from onewindow.cases.services.intake import (
    applicant_record,
    check_documents,
    check_form,
    intake_entrustment,
    next_case_number,
    start_clocks,
)
from onewindow.cases.services.online_form import check_pledges_accepted, with_basic_values
from onewindow.cases.services.pledges import pledge_refuse_if_barred
from onewindow.cases.services.steps import event, lock, require_actor, require_state
from onewindow.catalog.models import Listing
from onewindow.core import calendar as work_calendar
from onewindow.core.audit import audit_record
from onewindow.core.clock import now as clock_now
from onewindow.core.errors import Conflict, InvalidInput, NotFound
from onewindow.core.idnumber import IdNumberError
from onewindow.core.locking import for_update
from onewindow.core.text import join_messages
from onewindow.core.validation import full_clean, is_mobile

MAX_REASON = 2000


def prereview_days() -> int:
    return int(getattr(settings, "ONEWINDOW_PREREVIEW_DAYS", 1))


def deemed_accept_days() -> int:
    return int(getattr(settings, "ONEWINDOW_DEEMED_ACCEPT_DAYS", 5))


# --- the citizen's draft -----------------------------------------------------------------------


def _online_applicant(*, case: Case | None, data: dict) -> Applicant:
    """一表申请 online: the applicant's record is found by identity number or credit code and
    its profile merged. Nobody is signed in, so a record that already has other cases keeps
    its name and phone: they are checked, never overwritten from the portal."""
    kind = data.get("kind") or Applicant.Kind.PERSON
    if kind not in Applicant.Kind.values:
        raise InvalidInput("applicant.invalid", "申请人类型不正确。", {"kind": "请选择类型。"})
    name = (data.get("name") or "").strip()[:100]
    phone = (data.get("phone") or "").strip()[:20]
    id_number = (data.get("id_number") or "").strip()[:24]
    credit_code = (data.get("credit_code") or "").strip().upper()[:18]
    if kind == Applicant.Kind.PERSON:
        credit_code = ""
    else:
        id_number = ""
    if case is not None and not id_number and not credit_code:
        # Editing a draft: the identity stays the one the draft was made with.
        existing = case.applicant
        if existing.kind == kind:
            found = existing
            if existing.credit_code:
                credit_code = existing.credit_code
        else:
            found = None
    else:
        found = None
        try:
            if id_number:
                digest = Applicant.id_number_lookup(id_number)
                found = Applicant.objects.filter(id_number_digest=digest).first()
            elif credit_code:
                found = Applicant.objects.filter(credit_code=credit_code).first()
        except IdNumberError as exc:
            raise InvalidInput(exc.code, exc.message, {"id_number": exc.message}) from None
    if found is not None:
        others = found.cases.exclude(pk=case.pk if case is not None else None).exists()
        if others and (found.name != name or found.phone != phone):
            message = (
                "该证件号码已有办件记录，姓名或手机号与登记的不一致。请按登记信息填写；"
                "需变更的，请到服务中心窗口核验身份后变更。"
            )
            raise InvalidInput("online.applicant_mismatch", message, {"phone": message})
        if not id_number and not credit_code:
            # Same record, no identity typed again: update it in place.
            return _applicant_update(found, name=name, phone=phone, data=data)
    return applicant_record(
        kind=kind,
        name=name,
        phone=phone,
        id_number=id_number,
        credit_code=credit_code,
        address=(data.get("address") or "").strip()[:200],
        profile=data.get("profile") or {},
    )


def _applicant_update(applicant: Applicant, *, name: str, phone: str, data: dict) -> Applicant:
    fields = {}
    if not name:
        fields["name"] = "请填写申请人姓名或名称。"
    if not is_mobile(phone):
        fields["phone"] = "请填写11位手机号码。"
    if fields:
        raise InvalidInput("applicant.invalid", join_messages(fields.values()), fields)
    applicant = for_update(Applicant.objects).get(pk=applicant.pk)
    applicant.name, applicant.phone = name, phone
    applicant.address = (data.get("address") or "").strip()[:200] or applicant.address
    applicant.profile = {**(applicant.profile or {}), **(data.get("profile") or {})}
    full_clean(applicant, "applicant.invalid", exclude=["user"])
    applicant.save()
    return applicant


def _set_documents(case: Case, checked: list, now: datetime) -> None:
    """The materials the citizen says they give: electronic (declared) or by pledge."""
    chosen = {material.pk for material, _ in checked}
    case.documents.exclude(material_id__in=chosen).delete()
    for material, options in checked:
        by_pledge = bool(options.get("by_pledge"))
        Document.objects.update_or_create(
            case=case,
            material=material,
            defaults={
                "electronic": not by_pledge,
                "by_pledge": by_pledge,
                "paper_received": False,
                "received_at": now,
                "received_by": None,
                "note": "网上申报：申请人已阅读并签署告知承诺，以承诺替代"
                if by_pledge
                else "网上申报：电子材料",
                # A file uploaded for it stays, unless a pledge now replaces the material.
                **({"file": None, "reused_from": None} if by_pledge else {}),
            },
        )


def _check_channel(channel: str) -> str:
    if channel not in ONLINE_CHANNELS:
        raise InvalidInput("online.channel", "申请渠道不正确。", {"channel": "渠道不正确。"})
    return channel


@transaction.atomic
def online_draft_create(
    *,
    listing: Listing,
    applicant: dict,
    materials: dict[int, dict] | None = None,
    form_data: dict | None = None,
    channel: str = Case.Channel.WEB,
    submit: bool = False,
    now: datetime | None = None,
) -> Case:
    """Save an online application as a draft (and submit it at once when ``submit``).

    ``applicant``: kind, name, phone, id_number or credit_code, address. The case is pinned
    to the published guide version and gets its number and secret token now."""
    now = clock_now(now)
    _check_channel(channel)
    listing = online_listing_get(listing_id=listing.pk)
    version = listing.matter.current_version
    checked = check_documents(version, materials or {})
    check_pledges_accepted(checked)
    form = check_form(version, with_basic_values(version, form_data or {}, applicant))
    person = _online_applicant(case=None, data={**applicant, "profile": form})
    pledge_refuse_if_barred(person, checked)
    case = Case.objects.create(
        number=next_case_number(listing.center, timezone.localdate(now)),
        token=secrets.token_urlsafe(16),
        center=listing.center,
        department=listing.department,
        listing=listing,
        matter=listing.matter,
        guide_version=version,
        applicant=person,
        channel=channel,
        state=states.DRAFT,
        form_data=form,
        received_at=now,
    )
    _set_documents(case, checked, now)
    event(case, "draft", None, before="", at=now, version=version.number, channel=channel)
    if submit:
        case = _submit(case, now)
    return case


@transaction.atomic
def online_draft_update(
    *,
    case: Case,
    applicant: dict,
    materials: dict[int, dict] | None = None,
    form_data: dict | None = None,
    submit: bool = False,
    now: datetime | None = None,
) -> Case:
    """The citizen edits their draft (a new one or one returned by pre-review) through
    their link; only the pinned version's materials and form fields are accepted."""
    now = clock_now(now)
    case = lock(case)
    if case.state != states.DRAFT:
        raise Conflict(
            "online.not_draft", f"申请当前为“{case.public_status}”，已提交的申请不能修改。"
        )
    version = case.guide_version
    checked = check_documents(version, materials or {})
    check_pledges_accepted(checked)
    form = check_form(version, with_basic_values(version, form_data or {}, applicant, case=case))
    person = _online_applicant(case=case, data={**applicant, "profile": form})
    pledge_refuse_if_barred(person, checked)
    case.applicant, case.form_data = person, form
    case.save(update_fields=["applicant", "form_data"])
    _set_documents(case, checked, now)
    event(case, "draft_save", None, before=case.state, at=now)
    if submit:
        case = _submit(case, now)
    return case


def _check_complete(case: Case) -> None:
    version = case.guide_version
    empty = [
        f.get("label") or f.get("key")
        for f in version.form_fields or []
        if f.get("required") and not str(case.form_data.get(f.get("key"), "")).strip()
    ]
    missing = [m.name for m in missing_materials(case)]
    if not (empty or missing):
        return
    parts = []
    if empty:
        parts.append(f"申请表未填写：{'、'.join(empty)}")
    if missing:
        parts.append(f"缺少必要材料：{'、'.join(missing)}")
    message = "；".join(parts) + "。请补充后再提交（已填写的内容未保存）。"
    fields = {}
    if empty:
        fields["form_data"] = "、".join(empty)
    if missing:
        fields["materials"] = "、".join(missing)
    raise InvalidInput("online.incomplete", message, fields)


def _due_dates(case: Case, received: date) -> tuple[date, date]:
    cal = work_calendar.calendar_for(center=case.center)
    prereview = cal.add_working_days(received, prereview_days()).date
    intake = cal.add_working_days(received, deemed_accept_days()).date
    return prereview, intake


def _submit(case: Case, now: datetime) -> Case:
    require_state(case, "submit")
    _check_complete(case)
    before = case.state
    received = timezone.localdate(now)
    case.state, case.received_at = states.PRE_REVIEW, now
    case.prereview_due, case.intake_due = _due_dates(case, received)
    case.save(update_fields=["state", "received_at", "prereview_due", "intake_due"])
    event(
        case,
        "submit",
        None,
        before=before,
        at=now,
        prereview_due=case.prereview_due.isoformat(),
        intake_due=case.intake_due.isoformat(),
    )
    return case


@transaction.atomic
def online_submit(*, case: Case, now: datetime | None = None) -> Case:
    """Submit a draft: received today; pre-review and acceptance dates start again."""
    now = clock_now(now)
    return _submit(lock(case), now)


@transaction.atomic
def online_withdraw(*, case: Case, reason: str = "", now: datetime | None = None) -> Case:
    """The citizen withdraws their own application through their link: only while it is
    theirs (a draft, or one pre-review returned to them); never once it was accepted."""
    now = clock_now(now)
    case = lock(case)
    if case.channel not in ONLINE_CHANNELS:
        raise NotFound("case.not_found", "未找到该申请，请核对链接。")
    require_state(case, "applicant_withdraw")
    before = case.state
    case.state = states.WITHDRAWN
    case.prereview_due = case.intake_due = None
    case.save(update_fields=["state", "prereview_due", "intake_due"])
    note = (reason or "").strip()[:MAX_REASON] or "申请人通过申请链接撤回"
    event(case, "applicant_withdraw", None, before=before, note=note, at=now)
    return case


# --- pre-review at the center -----------------------------------------------------------------


@transaction.atomic
def online_prereview_pass(*, actor, case: Case, note: str = "", now: datetime | None = None):
    """预审通过: the application goes to window intake, where it is accepted, refused or
    corrected as usual; the acceptance date stays the one counted from receipt."""
    now = clock_now(now)
    case = lock(case)
    require_actor(actor, case, "prereview_pass")
    require_state(case, "prereview_pass")
    note = (note or "").strip()[:MAX_REASON]
    before = case.state
    case.state, case.intake_clerk = states.INTAKE, actor
    # at a township or village point: decided there only under an entrustment in force
    case.entrustment = intake_entrustment(case.listing, timezone.localdate(now), None)
    case.save(update_fields=["state", "intake_clerk", "entrustment"])
    event(case, "prereview_pass", actor, before=before, note=note, at=now)
    return case


@transaction.atomic
def online_prereview_return(*, actor, case: Case, reason: str, now: datetime | None = None):
    """预审退回: back to the citizen's draft with a written list of what to fix."""
    now = clock_now(now)
    case = lock(case)
    require_actor(actor, case, "prereview_return")
    require_state(case, "prereview_return")
    reason = (reason or "").strip()
    if not reason:
        message = "退回须写明需要修改的全部内容。"
        raise InvalidInput("online.reason_required", message, {"reason": message})
    if len(reason) > MAX_REASON:
        message = f"退回理由不能超过{MAX_REASON}字。"
        raise InvalidInput("online.reason_too_long", message, {"reason": message})
    before = case.state
    case.state = states.DRAFT
    case.prereview_due = case.intake_due = None
    case.save(update_fields=["state", "prereview_due", "intake_due"])
    event(case, "prereview_return", actor, before=before, note=reason, at=now)
    return case


# --- deemed acceptance (行政许可法 §32), a step of the sweep -------------------------------------


def online_deem_accept_overdue(*, now: datetime | None = None) -> int:
    """Online applications still untaken past their acceptance date become accepted from
    the day they were received, flagged, each once. A correction notice issued in time
    stops this rule, so cases with one are left to the window."""
    now = clock_now(now)
    today = timezone.localdate(now)
    source = states.ACTIONS["deem_accept"].sources
    candidates = list(
        Case.objects.filter(
            state_in(Case, source),
            intake_due__lt=today,
            deemed_accepted=False,
            channel__in=ONLINE_CHANNELS,
        )
        .exclude(Exists(Correction.objects.filter(case_id=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = 0
    for pk in candidates:
        with transaction.atomic():
            case = for_update(Case.objects).filter(pk=pk).first()
            if (
                case is None
                or case.state not in source
                or case.deemed_accepted
                or case.intake_due is None
                or case.intake_due >= today
            ):
                continue
            received = timezone.localdate(case.received_at)
            before = case.state
            case.state, case.accepted_at, case.deemed_accepted = (
                states.ACCEPTED,
                case.received_at,
                True,
            )
            start_clocks(case, None, received)
            clock_sync(case)
            case.save()
            note = (
                f"{case.received_at:%Y-%m-%d} 收到的网上申请，"
                f"至{case.intake_due:%Y-%m-%d}未作受理决定，依法视为受理，自收到之日起计时"
            )
            CaseEvent.objects.create(
                case=case,
                action="deem_accept",
                from_state=before,
                to_state=case.state,
                actor_label="系统",
                note=note,
                data={"received": received.isoformat(), "intake_due": case.intake_due.isoformat()},
                at=now,
            )
            audit_record(
                actor=None,
                action="case.deem_accept",
                target=case,
                center=case.center,
                department=case.department,
                before={"state": before},
                after={
                    "state": case.state,
                    "deemed_accepted": True,
                    "clock_start": received.isoformat(),
                },
                note=note,
            )
            count += 1
    return count


__all__ = [
    "deemed_accept_days",
    "online_deem_accept_overdue",
    "online_draft_create",
    "online_draft_update",
    "online_prereview_pass",
    "online_prereview_return",
    "online_submit",
    "online_withdraw",
    "prereview_days",
]
