"""Every write to a case: intake at the front window, the department's review and
decision, delivery at the unified window. One transaction each; the case row is
locked before its state is checked; every step is a CaseEvent and an audit row.

R-CAT-7 is enforced here: a case holds only the materials of the guide version it was
taken in under, pledges only where that version allows them, and form fields only
from that version's form — anything else is refused with a clear message.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import (
    Applicant,
    Case,
    CaseCounter,
    CaseEvent,
    Correction,
    Document,
    Urging,
)
from onewindow.cases.selectors.queues import standing_in
from onewindow.catalog.models import Listing, Material
from onewindow.core import calendar as work_calendar
from onewindow.core import idnumber
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.idnumber import IdNumberError
from onewindow.core.locking import for_update
from onewindow.core.roles import Role, roles_of
from onewindow.core.scope import scope_for
from onewindow.core.text import join_messages
from onewindow.core.validation import full_clean, is_mobile
from onewindow.hall.models import Authorization
from onewindow.hall.services import authorized, ticket_link_case

FRONT_ROLES = frozenset({Role.CLERK, Role.CHIEF_REP, Role.AGENT})
BACK_ROLES = frozenset({Role.APPROVER, Role.CHIEF_REP})


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _event(case: Case, action: str, actor, *, before: str, note: str = "", at=None, **data) -> None:
    label = str(actor) if getattr(actor, "is_authenticated", False) else "申请人"
    stand_in = standing_in(case, actor.pk if getattr(actor, "is_authenticated", False) else None)
    if stand_in is not None:
        mark, data["backup_for"] = stand_in
        note = f"{mark}：{note}" if note else mark
    CaseEvent.objects.create(
        case=case,
        action=action,
        from_state=before,
        to_state=case.state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=label[:100],
        note=note,
        data=data,
        at=at or timezone.now(),
    )
    audit_record(
        actor=actor,
        action=f"case.{action}",
        target=case,
        center=case.center,
        department=case.department,
        before={"state": before},
        after={"state": case.state, **data},
        note=note,
    )
    if case.bundle_application_id:
        # A part moved: the bundle's state and longest due date follow once this commits.
        app_id = case.bundle_application_id
        transaction.on_commit(lambda: _bundle_refresh(app_id))


def _bundle_refresh(app_id: int) -> None:
    from onewindow.cases.models import BundleApplication
    from onewindow.cases.services.bundles import bundle_refresh

    app = BundleApplication.objects.filter(pk=app_id).first()
    if app is not None:
        bundle_refresh(app=app)


def _lock(case: Case) -> Case:
    locked = for_update(Case.objects).filter(pk=case.pk).first()
    if locked is None:
        raise NotFound("case.not_found", "未找到该办件。")
    return locked


def _require_state(case: Case, action: str) -> None:
    spec = states.ACTIONS[action]
    if case.state not in spec.sources:
        raise Conflict("case.wrong_state", f"办件当前为“{case.state_label}”，不能{spec.label}。")


def _in_scope(actor, case: Case) -> bool:
    return Case.objects.visible_to(scope_for(actor)).filter(pk=case.pk).exists()


def is_front_at(actor, center_id: int) -> bool:
    """Whether the actor works at the front window of this center (the superuser may)."""
    if actor.is_superuser:
        return True
    profile = getattr(actor, "staff_profile", None)
    return (
        bool(roles_of(actor) & FRONT_ROLES)
        and profile is not None
        and profile.center_id == center_id
    )


def _require_front(actor, case: Case) -> None:
    if actor.is_superuser:
        return
    if not _in_scope(actor, case):
        raise NotFound("case.not_found", "未找到该办件。")
    if not is_front_at(actor, case.center_id):
        raise Forbidden("case.not_front", "该操作须由本中心窗口工作人员办理。")


def _require_back(actor, case: Case) -> None:
    if actor.is_superuser:
        return
    if not _in_scope(actor, case):
        raise NotFound("case.not_found", "未找到该办件。")
    profile = actor.staff_profile
    own_department = roles_of(actor) & BACK_ROLES and profile.department_id == case.department_id
    decides_on_the_spot = authorized(actor, case.matter, decide=True)
    if not (own_department or decides_on_the_spot):
        raise Forbidden("case.not_back", "该操作须由承办部门审批人员办理。")


def intake_listings(actor):
    """The published listings ``actor`` may take in (R-HALL-5): at the center where
    they work the front window, the matters they are authorised to accept. The one
    rule for the intake page's list and for ``case_intake``; the superuser takes in
    anything (at their own center when they have one)."""
    listings = Listing.objects.public()
    profile = getattr(actor, "staff_profile", None)
    if actor.is_superuser:
        if profile is not None and profile.center_id:
            listings = listings.filter(center_id=profile.center_id)
        return listings
    if profile is None or not profile.active or not is_front_at(actor, profile.center_id):
        return listings.none()
    accepted = Authorization.objects.filter(clerk=actor, may_accept=True).values("matter_id")
    return listings.filter(center_id=profile.center_id, matter_id__in=accepted)


def can_act_front(actor, case: Case) -> bool:
    """Whether ``actor`` may take the front window's steps on ``case`` (for pages)."""
    try:
        _require_front(actor, case)
    except (Forbidden, NotFound):
        return False
    return True


def can_act_back(actor, case: Case) -> bool:
    """Whether ``actor`` may take the department's steps on ``case`` (for pages)."""
    try:
        _require_back(actor, case)
    except (Forbidden, NotFound):
        return False
    return True


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
    found = None
    digest = ""
    if id_number:
        try:
            digest = Applicant.id_number_lookup(id_number)
        except IdNumberError as exc:
            raise InvalidInput(exc.code, exc.message, {"id_number": exc.message}) from None
        found = for_update(Applicant.objects).filter(id_number_digest=digest).first()
    elif credit_code:
        found = (
            for_update(Applicant.objects).filter(credit_code=credit_code.strip().upper()).first()
        )
    applicant = found or Applicant(kind=kind)
    applicant.name, applicant.phone = name, phone
    applicant.address = address or applicant.address
    applicant.credit_code = credit_code.strip().upper() if credit_code else applicant.credit_code
    # Identity numbers are kept encrypted on the applicant, never in plain in the profile.
    kept = {k: v for k, v in (profile or {}).items() if not idnumber.is_valid(str(v or ""))}
    applicant.profile = {**(applicant.profile or {}), **kept}
    if id_number and not found:
        applicant.set_id_number(id_number)
    full_clean(applicant, "applicant.invalid", exclude=["user"])
    applicant.save()
    return applicant


# --- intake ---------------------------------------------------------------------------------


def _next_number(center, day: date) -> str:
    CaseCounter.objects.bulk_create([CaseCounter(center=center, day=day)], ignore_conflicts=True)
    counter = for_update(CaseCounter.objects).get(center=center, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{center.region.code}{day:%Y%m%d}{counter.last:04d}"


def _check_documents(version, submitted: dict[int, dict]) -> list[tuple[Material, dict]]:
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


def _check_form(version, form_data: dict) -> dict:
    allowed = {f.get("key") for f in (version.form_fields or []) if f.get("key")}
    extra = sorted(set(form_data) - allowed)
    if extra:
        message = f"申请表只能填写办事指南规定的内容，不得附加条件：{', '.join(extra)}。"
        raise InvalidInput("case.extra_field", message, {"form_data": message})
    return form_data


def not_authorized_message(listing: Listing) -> str:
    return f"您未获授权受理“{listing.matter.name}”，请转至有授权的窗口。"


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
) -> Case:
    """Take in an application at the front window (R-CASE-1): the case is pinned to the
    published guide version of its matter and holds only that version's materials."""
    now = _now(now)
    listing = (
        Listing.objects.public()
        .select_related("matter__current_version", "center__region")
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
    version = listing.matter.current_version
    checked = _check_documents(version, materials or {})
    from onewindow.cases.services.pledges import pledge_refuse_if_barred

    pledge_refuse_if_barred(applicant, checked)
    form = _check_form(version, form_data or {})
    case = Case.objects.create(
        number=_next_number(listing.center, timezone.localdate(now)),
        token=secrets.token_urlsafe(16),
        center=listing.center,
        department=listing.department,
        listing=listing,
        matter=listing.matter,
        guide_version=version,
        applicant=applicant,
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
    _event(
        case,
        "intake",
        actor,
        before="",
        at=now,
        version=version.number,
        materials=[m.name for m, _ in checked],
    )
    return case


def missing_materials(case: Case) -> list[Material]:
    """Required materials of the pinned version the applicant has not given yet
    (shared ones are fetched by the departments, never asked for)."""
    given = set(case.documents.values_list("material_id", flat=True))
    return [
        m
        for m in case.guide_version.materials.all()
        if m.requirement == Material.Requirement.REQUIRED
        and m.source != Material.Source.SHARED
        and m.pk not in given
    ]


def _start_clocks(case: Case, actor, on: date) -> None:
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
    now = _now(now)
    case = _lock(case)
    _require_front(actor, case)
    _require_state(case, "accept")
    missing = missing_materials(case)
    if missing:
        names = "、".join(m.name for m in missing)
        raise Conflict(
            "case.materials_missing", f"材料不齐，不能受理。缺少：{names}。请出具一次性补正告知。"
        )
    before = case.state
    case.state, case.accepted_at = states.ACCEPTED, now
    _start_clocks(case, actor, timezone.localdate(now))
    case.save()
    _event(
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
    case = _lock(case)
    _require_front(actor, case)
    _require_state(case, "refuse")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "case.reason_required", "不予受理须写明理由。", {"reason": "请写明不予受理的理由。"}
        )
    before = case.state
    case.state, case.refusal_reason = states.REFUSED, reason
    case.save()
    _event(case, "refuse", actor, before=before, note=reason, at=now)
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
    now = _now(now)
    case = _lock(case)
    if case.state not in (states.INTAKE, states.IN_REVIEW):
        raise Conflict("case.wrong_state", f"办件当前为“{case.state_label}”，不能发出补正告知。")
    at_intake = case.state == states.INTAKE
    if at_intake:
        _require_front(actor, case)
        action = "ask_correction_intake"
    else:
        _require_back(actor, case)
        action = "ask_correction"
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
    case.save()
    _event(
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
    now = _now(now)
    case = _lock(case)
    correction = (
        for_update(Correction.objects).filter(case=case, state=Correction.State.OPEN).first()
    )
    if correction is None:
        raise Conflict("correction.none", "该办件没有待补正的告知。")
    action = "reply_intake" if case.state == states.CORRECTING_INTAKE else "reply"
    _require_state(case, action)
    checked = _check_documents(case.guide_version, materials or {})
    from onewindow.cases.services.pledges import pledge_refuse_if_barred

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
    case.save()
    _event(case, action, actor, before=before, at=now, materials=[m.name for m, _ in checked])
    return case


# --- back office ---------------------------------------------------------------------------------


@transaction.atomic
def case_start_review(*, actor, case: Case, now: datetime | None = None) -> Case:
    case = _lock(case)
    _require_back(actor, case)
    _require_state(case, "start_review")
    before = case.state
    case.state, case.assignee = states.IN_REVIEW, actor
    case.save()
    _event(case, "start_review", actor, before=before, at=now)
    return case


@transaction.atomic
def case_decide(
    *, actor, case: Case, approve: bool, note: str = "", now: datetime | None = None
) -> Case:
    """准予 or 不予. The case row is locked first: two approvers deciding at once leave
    exactly one decision; the second is told it was already decided."""
    now = _now(now)
    case = _lock(case)
    _require_back(actor, case)
    action = "approve" if approve else "deny"
    if case.state in (states.APPROVED, states.DENIED):
        raise Conflict("case.already_decided", f"该办件已由{case.decided_by}作出决定。")
    _require_state(case, action)
    note = (note or "").strip()
    if not approve and not note:
        raise InvalidInput(
            "case.reason_required", "不予许可须写明理由和依据。", {"note": "请写明理由。"}
        )
    before = case.state
    case.state = states.ACTIONS[action].target
    case.decided_at, case.decided_by, case.decision_note = now, actor, note
    case.save()
    on_time = case.deadline.due is None or timezone.localdate(now) <= case.deadline.due
    _event(case, action, actor, before=before, note=note, at=now, on_time=on_time)
    if approve:
        from onewindow.cases.services.pledges import pledge_checks_create

        pledge_checks_create(actor=actor, case=case, now=now)
    return case


@transaction.atomic
def case_make_ready(*, actor, case: Case, now: datetime | None = None) -> Case:
    case = _lock(case)
    _require_back(actor, case)
    _require_state(case, "make_ready")
    before = case.state
    case.state = states.READY
    case.save()
    _event(case, "make_ready", actor, before=before, at=now)
    return case


@transaction.atomic
def case_deliver(
    *,
    actor,
    case: Case,
    method: str = "window",
    tracking_number: str = "",
    now: datetime | None = None,
    bundle_delivery: bool = False,
) -> Case:
    """出件 at the unified window, or by free mail with a tracking number. A part of a
    "one thing" application is delivered only with the whole (``bundle_deliver``)."""
    now = _now(now)
    case = _lock(case)
    _require_front(actor, case)
    _require_state(case, "deliver")
    if case.bundle_application_id and not bundle_delivery:
        raise Conflict("case.bundle_delivers_once", "一件事须全部办结后统一出件。")
    if method not in ("window", "mail"):
        raise InvalidInput("case.delivery_method", "送达方式不正确。")
    if method == "mail" and not tracking_number.strip():
        raise InvalidInput(
            "case.tracking_required",
            "邮寄送达须填写邮寄单号。",
            {"tracking_number": "请填写邮寄单号。"},
        )
    before = case.state
    case.state, case.delivered_at = states.DELIVERED, now
    case.delivery_method, case.tracking_number = method, tracking_number.strip()
    case.save()
    _event(case, "deliver", actor, before=before, at=now, method=method)
    return case


# --- urging (督办催办) -----------------------------------------------------------------------

URGING_ROLES = frozenset({Role.CENTER_ADMIN, Role.SUPERVISOR})


@transaction.atomic
def case_urge(*, actor, case: Case, message: str, reply_by: date) -> Urging:
    """The center (or a supervisor) urges the department on an open case."""
    case = _lock(case)
    if not actor.is_superuser:
        if not _in_scope(actor, case):
            raise NotFound("case.not_found", "未找到该办件。")
        if not (roles_of(actor) & URGING_ROLES):
            raise Forbidden("urging.not_allowed", "只有中心管理员或督查人员可以督办。")
    if case.state not in states.OPEN:
        raise Conflict("urging.case_closed", "办件已办结，无需督办。")
    message = (message or "").strip()
    if not message:
        raise InvalidInput(
            "urging.message_required", "请写明督办内容。", {"message": "请写明督办内容。"}
        )
    if reply_by < timezone.localdate():
        raise InvalidInput(
            "urging.reply_by", "答复期限不能早于今天。", {"reply_by": "答复期限不能早于今天。"}
        )
    urging = Urging.objects.create(
        case=case, department=case.department, message=message, reply_by=reply_by, sent_by=actor
    )
    _event(case, "urge", actor, before=case.state, note=message, reply_by=reply_by.isoformat())
    return urging


@transaction.atomic
def urging_answer(*, actor, urging: Urging, answer: str) -> Urging:
    urging = for_update(Urging.objects).filter(pk=urging.pk).first()
    if urging is None:
        raise NotFound("urging.not_found", "未找到该督办。")
    case = urging.case
    if not actor.is_superuser:
        profile = getattr(actor, "staff_profile", None)
        if not _in_scope(actor, case):
            raise NotFound("urging.not_found", "未找到该督办。")
        if profile is None or profile.department_id != urging.department_id:
            raise Forbidden("urging.not_department", "督办须由承办部门答复。")
    if urging.answered_at is not None:
        raise Conflict("urging.answered", "该督办已答复。")
    answer = (answer or "").strip()
    if not answer:
        raise InvalidInput(
            "urging.answer_required", "请填写答复内容。", {"answer": "请填写答复内容。"}
        )
    urging.answer, urging.answered_by, urging.answered_at = answer, actor, timezone.now()
    urging.save(update_fields=["answer", "answered_by", "answered_at"])
    _event(case, "urge_answer", actor, before=case.state, note=answer)
    return urging
