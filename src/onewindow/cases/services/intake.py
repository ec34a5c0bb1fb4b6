"""Intake at the front window (R-CASE-1): the applicant registered once (一表申请), the
application taken in under the published guide version of its matter, accepted or refused,
and the one-time correction notice (一次性告知) with the applicant's reply.

R-CAT-7 is enforced here: a case holds only the materials of the guide version it was
taken in under, pledges only where that version allows them, and form fields only
from that version's form — anything else is refused with a clear message.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Applicant, Case, Correction, Document
from onewindow.cases.selectors import missing_materials
from onewindow.cases.selectors.actions import intake_listings, is_front_at
from onewindow.cases.services.clock import clock_sync
from onewindow.cases.services.pledges import pledge_refuse_if_barred
from onewindow.cases.services.steps import (
    event,
    lock,
    require_actor,
    require_state,
)
from onewindow.catalog import selectors as catalog_selectors
from onewindow.catalog.models import Listing, Material
from onewindow.core import calendar as work_calendar
from onewindow.core import idnumber
from onewindow.core.clock import now as clock_now
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.idnumber import IdNumberError
from onewindow.core.locking import for_update
from onewindow.core.numbering import next_in_day
from onewindow.core.text import join_messages
from onewindow.core.validation import full_clean, is_mobile
from onewindow.hall.services import ticket_link_case

# --- applicants (一表申请) ---------------------------------------------------------------------


@transaction.atomic
def applicant_record(
    *,
    kind: str = Applicant.Kind.PERSON,
    name: str,
    phone: str,
    id_number: str = "",
    credit_code: str = "",
    address: str = "",
    profile: dict | None = None,
) -> Applicant:
    """Find the applicant by identity number or credit code, or register them; basic
    information given once is kept and merged for the next form."""
    name, phone = (name or "").strip(), (phone or "").strip()
    fields = {}
    if not name:
        fields["name"] = "请填写申请人姓名或名称。"
    if not is_mobile(phone):
        fields["phone"] = "请填写11位手机号码。"
    if kind == Applicant.Kind.PERSON and not id_number:
        fields["id_number"] = "个人申请须填写身份证号码。"
    if kind == Applicant.Kind.ENTERPRISE and not credit_code:
        fields["credit_code"] = "企业申请须填写统一社会信用代码。"
    if fields:
        raise InvalidInput("applicant.invalid", join_messages(fields.values()), fields)
    digest = ""
    if id_number:
        try:
            digest = Applicant.id_number_lookup(id_number)
        except IdNumberError as exc:
            raise InvalidInput(exc.code, exc.message, {"id_number": exc.message}) from None
    credit_code = credit_code.strip().upper() if credit_code else ""
    details = {"name": name, "phone": phone, "address": address, "profile": profile}
    found = _applicant_found(digest, credit_code)
    if found is not None:
        return _applicant_save(found, kind, id_number, credit_code, details, new=False)
    try:
        # Two windows registering the same new person at one moment: both found nobody,
        # the database lets one insert through; the other takes that record.
        with transaction.atomic():
            return _applicant_save(None, kind, id_number, credit_code, details, new=True)
    except IntegrityError:
        found = _applicant_found(digest, credit_code)
        if found is None:
            raise Conflict("applicant.busy", "该申请人正由其他窗口登记，请稍后重试。") from None
        return _applicant_save(found, kind, id_number, credit_code, details, new=False)


def _applicant_found(digest: str, credit_code: str) -> Applicant | None:
    if digest:
        return for_update(Applicant.objects).filter(id_number_digest=digest).first()
    if credit_code:
        return for_update(Applicant.objects).filter(credit_code=credit_code).first()
    return None


def _applicant_save(found, kind, id_number, credit_code, details, *, new: bool) -> Applicant:
    applicant = found or Applicant(kind=kind)
    applicant.name, applicant.phone = details["name"], details["phone"]
    applicant.address = details["address"] or applicant.address
    applicant.credit_code = credit_code or applicant.credit_code
    # Identity numbers are kept encrypted on the applicant, never in plain in the profile.
    profile = details["profile"] or {}
    kept = {k: v for k, v in profile.items() if not idnumber.is_valid(str(v or ""))}
    applicant.profile = {**(applicant.profile or {}), **kept}
    if id_number and new:
        applicant.set_id_number(id_number)
    full_clean(applicant, "applicant.invalid", exclude=["user"])
    applicant.save()
    return applicant


# --- intake ---------------------------------------------------------------------------------


def next_case_number(center, day: date) -> str:
    """The center's next case number of the day: region code, date, four digits."""
    number = next_in_day(series="case", key=center.pk, day=day)
    return f"{center.region.code}{day:%Y%m%d}{number:04d}"


def check_documents(version, submitted: dict[int, dict]) -> list[tuple[Material, dict]]:
    materials = {m.pk: m for m in version.materials.all()}
    extra = [mid for mid in submitted if mid not in materials]
    if extra:
        message = "只能收取办事指南列明的申请材料，不得要求指南以外的材料。"
        raise InvalidInput("case.extra_material", message, {"materials": message})
    checked = []
    for mid, options in submitted.items():
        material = materials[mid]
        if options.get("by_pledge") and not material.pledge_allowed:
            message = f"“{material.name}”不适用告知承诺，须提交材料。"
            raise InvalidInput("case.pledge_not_allowed", message, {f"materials.{mid}": message})
        if material.source == Material.Source.SHARED:
            message = f"“{material.name}”由部门共享获取，不得要求申请人提交。"
            raise InvalidInput("case.shared_material", message, {f"materials.{mid}": message})
        checked.append((material, options))
    return checked


def check_form(version, form_data: dict) -> dict:
    allowed = {f.get("key") for f in (version.form_fields or []) if f.get("key")}
    extra = sorted(set(form_data) - allowed)
    if extra:
        message = f"申请表只能填写办事指南规定的内容，不得附加条件：{', '.join(extra)}。"
        raise InvalidInput("case.extra_field", message, {"form_data": message})
    return form_data


def not_authorized_message(listing: Listing) -> str:
    return f"您未获授权受理“{listing.matter.name}”，请转至有授权的窗口。"


def not_entrusted_message(listing: Listing) -> str:
    dept = listing.department.name
    return (
        f"“{listing.matter.name}”的办理权限在{dept}，{listing.center.name}没有有效的委托"
        f"（未委托，或委托已撤销、已到期），不能在本点受理办理；可按代办收件，转报{dept}审批。"
    )


def handling_note(listing: Listing, entrustment) -> str:
    """How a case at a point is handled, as its intake event says."""
    if entrustment is not None:
        return f"受委托在本点办理：{entrustment.sentence}"
    if catalog_selectors.power_above(listing):
        return f"代办：收件后转报{listing.department.name}审批。"
    return ""


def intake_entrustment(listing: Listing, day: date, decide_here: bool | None):
    """The entrustment a case taken in at this listing today is decided under.

    Where the power lies with a department above a township or village point: with
    ``decide_here`` True the point must hold an entrustment in force today (else
    refused); False takes it in as 代办 for the department; None: entrusted when an
    entrustment covers the point, else 代办. Elsewhere: none."""
    if not catalog_selectors.power_above(listing) or decide_here is False:
        return None
    found = catalog_selectors.entrustment_covering(
        matter_id=listing.matter_id, center_id=listing.center_id, day=day
    )
    if found is None and decide_here:
        raise Forbidden("case.not_entrusted", not_entrusted_message(listing))
    return found


@transaction.atomic
def case_intake(
    *,
    actor,
    listing: Listing,
    applicant: Applicant,
    materials: dict[int, dict] | None = None,
    form_data: dict | None = None,
    channel: str = Case.Channel.WINDOW,
    ticket=None,
    now: datetime | None = None,
    decide_here: bool | None = None,
) -> Case:
    """Take in an application at the front window (R-CASE-1): the case is pinned to the
    published guide version of its matter and holds only that version's materials. At a
    township or village point, ``decide_here`` asks to decide there (needs an entrustment
    in force, ``intake_entrustment``); without it the point takes the case as 代办."""
    now = clock_now(now)
    listing = (
        Listing.objects.public()
        .select_related("matter__current_version", "center__region", "department")
        .filter(pk=listing.pk)
        .first()
    )
    if listing is None:
        raise NotFound("listing.not_found", "该事项未在本中心办理或尚未发布。")
    if not actor.is_superuser:
        if not is_front_at(actor, listing.center_id):
            raise Forbidden("case.not_front", "只有本中心的窗口工作人员可以收件。")
        if not intake_listings(actor).filter(pk=listing.pk).exists():
            raise Forbidden("case.not_authorized", not_authorized_message(listing))
    entrustment = intake_entrustment(listing, timezone.localdate(now), decide_here)
    version = listing.matter.current_version
    checked = check_documents(version, materials or {})
    pledge_refuse_if_barred(applicant, checked)
    form = check_form(version, form_data or {})
    case = Case.objects.create(
        number=next_case_number(listing.center, timezone.localdate(now)),
        token=secrets.token_urlsafe(16),
        center=listing.center,
        department=listing.department,
        listing=listing,
        matter=listing.matter,
        guide_version=version,
        applicant=applicant,
        entrustment=entrustment,
        channel=channel,
        state=states.INTAKE,
        intake_clerk=actor,
        form_data=form,
        received_at=now,
        ticket=ticket,
    )
    for material, options in checked:
        Document.objects.create(
            case=case,
            material=material,
            electronic=bool(options.get("electronic")),
            paper_received=not options.get("electronic") and not options.get("by_pledge"),
            by_pledge=bool(options.get("by_pledge")),
            received_by=actor,
        )
    if ticket is not None:
        ticket_link_case(actor=actor, ticket=ticket, case_ref=case.number)
    event(
        case,
        "intake",
        actor,
        before="",
        at=now,
        version=version.number,
        note=handling_note(listing, entrustment),
        materials=[m.name for m, _ in checked],
    )
    return case


def start_clocks(case: Case, actor, on: date) -> None:
    version = case.guide_version
    case.deadline = work_calendar.deadline_start(
        actor=actor,
        center=case.center,
        purpose=f"办件{case.number}承诺时限",
        start=on,
        days=version.promised_days,
        unit=version.limit_unit,
    )
    case.statutory_deadline = work_calendar.deadline_start(
        actor=actor,
        center=case.center,
        purpose=f"办件{case.number}法定时限",
        start=on,
        days=version.statutory_days,
        unit=version.limit_unit,
    )


@transaction.atomic
def case_accept(*, actor, case: Case, now: datetime | None = None) -> Case:
    """受理: every required material is there; the clocks start (day 0 is today)."""
    now = clock_now(now)
    case = lock(case)
    require_actor(actor, case, "accept")
    require_state(case, "accept")
    missing = missing_materials(case)
    if missing:
        names = "、".join(m.name for m in missing)
        raise Conflict(
            "case.materials_missing", f"材料不齐，不能受理。缺少：{names}。请出具一次性补正告知。"
        )
    before = case.state
    case.state, case.accepted_at = states.ACCEPTED, now
    start_clocks(case, actor, timezone.localdate(now))
    clock_sync(case)
    case.save()
    event(
        case,
        "accept",
        actor,
        before=before,
        at=now,
        due=case.deadline.due.isoformat() if case.deadline.due else None,
    )
    return case


@transaction.atomic
def case_refuse(*, actor, case: Case, reason: str, now: datetime | None = None) -> Case:
    case = lock(case)
    require_actor(actor, case, "refuse")
    require_state(case, "refuse")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "case.reason_required", "不予受理须写明理由。", {"reason": "请写明不予受理的理由。"}
        )
    before = case.state
    case.state, case.refusal_reason = states.REFUSED, reason
    case.save()
    event(case, "refuse", actor, before=before, note=reason, at=now)
    return case


@transaction.atomic
def case_ask_correction(
    *,
    actor,
    case: Case,
    items: list[dict],
    due: date,
    now: datetime | None = None,
) -> Correction:
    """The one-time notice (一次性告知): everything missing, listed once. Before
    acceptance the case waits; during review the clock stops until the reply."""
    now = clock_now(now)
    case = lock(case)
    if case.state not in (states.INTAKE, states.IN_REVIEW):
        raise Conflict("case.wrong_state", f"办件当前为“{case.state_label}”，不能发出补正告知。")
    at_intake = case.state == states.INTAKE
    if at_intake:
        action = "ask_correction_intake"
    else:
        action = "ask_correction"
    require_actor(actor, case, action)
    if not items:
        raise InvalidInput(
            "correction.empty", "请列明需要补正的全部内容。", {"items": "至少一项。"}
        )
    materials = {m.pk: m for m in case.guide_version.materials.all()}
    listed = []
    for item in items:
        mid = item.get("material_id")
        note = (item.get("note") or "").strip()
        if mid is not None and mid not in materials:
            raise InvalidInput(
                "case.extra_material",
                "补正只能针对办事指南列明的材料。",
                {"items": "存在指南以外的材料。"},
            )
        if mid is None and not note:
            raise InvalidInput(
                "correction.item_empty", "每一项补正须写明材料或具体问题。", {"items": "请写明。"}
            )
        listed.append(
            {"material_id": mid, "name": materials[mid].name if mid else "", "note": note}
        )
    if at_intake:
        missing = {m.pk for m in missing_materials(case)}
        not_listed = missing - {i["material_id"] for i in listed}
        if not_listed:
            names = "、".join(materials[mid].name for mid in sorted(not_listed))
            raise InvalidInput(
                "correction.not_all_at_once",
                f"一次性告知须列明全部缺少的材料，还缺：{names}。",
                {"items": names},
            )
    if due <= timezone.localdate(now):
        raise InvalidInput(
            "correction.due", "补正期限须晚于今天。", {"due": "补正期限须晚于今天。"}
        )
    correction = Correction.objects.create(
        case=case, stage="intake" if at_intake else "review", items=listed, due=due, issued_by=actor
    )
    before = case.state
    case.state = states.ACTIONS[action].target
    if not at_intake:
        work_calendar.deadline_pause(
            actor=actor, deadline=case.deadline, on=timezone.localdate(now), reason="补正材料"
        )
        work_calendar.deadline_pause(
            actor=actor,
            deadline=case.statutory_deadline,
            on=timezone.localdate(now),
            reason="补正材料",
        )
    clock_sync(case)
    case.save()
    event(
        case,
        action,
        actor,
        before=before,
        at=now,
        items=[i["name"] or i["note"] for i in listed],
        due=due.isoformat(),
    )
    return correction


@transaction.atomic
def case_correction_reply(
    *,
    actor=None,
    case: Case,
    materials: dict[int, dict] | None = None,
    now: datetime | None = None,
) -> Case:
    """The applicant answers the notice; the case resumes where it was."""
    now = clock_now(now)
    case = lock(case)
    correction = (
        for_update(Correction.objects).filter(case=case, state=Correction.State.OPEN).first()
    )
    if correction is None:
        raise Conflict("correction.none", "该办件没有待补正的告知。")
    action = "reply_intake" if case.state == states.CORRECTING_INTAKE else "reply"
    require_state(case, action)
    checked = check_documents(case.guide_version, materials or {})
    pledge_refuse_if_barred(case.applicant, checked)
    for material, options in checked:
        Document.objects.update_or_create(
            case=case,
            material=material,
            defaults={
                "electronic": bool(options.get("electronic")),
                "by_pledge": bool(options.get("by_pledge")),
                "paper_received": not options.get("electronic") and not options.get("by_pledge"),
                "received_at": now,
                "received_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
    correction.state, correction.answered_at = Correction.State.ANSWERED, now
    correction.save(update_fields=["state", "answered_at"])
    before = case.state
    case.state = states.ACTIONS[action].target
    if action == "reply":
        work_calendar.deadline_resume(
            actor=None, deadline=case.deadline, on=timezone.localdate(now)
        )
        work_calendar.deadline_resume(
            actor=None, deadline=case.statutory_deadline, on=timezone.localdate(now)
        )
    clock_sync(case)
    case.save()
    event(case, action, actor, before=before, at=now, materials=[m.name for m, _ in checked])
    return case
