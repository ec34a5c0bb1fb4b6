"""Every write of a citizen account (R-CIT-1) and its online questions (R-CASE-8).

Signing up takes a phone, a password under the staff's rules (``AUTH_PASSWORD_
VALIDATORS``) and an identity number checked by its check digit and kept encrypted.
Signing in is throttled per phone and per client. A phone is proved with a one-time
code (``codes.py`` sends it); a proved phone brings the affairs done under it without
an account into the account. What the person does from 我的事务 goes through the
services that do it everywhere else.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from onewindow.cases.services import files as file_services
from onewindow.cases.services import online as online_cases
from onewindow.catalog.models import Matter
from onewindow.complaints.services import online_inquiries
from onewindow.core import clock
from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.idnumber import IdNumberError
from onewindow.core.locking import for_update
from onewindow.core.ratelimit import FailureLimit, RateLimited, hit, span
from onewindow.hall import appointments as appt
from onewindow.messaging import services as messaging_services
from onewindow.org.models import Center
from onewindow.portal.citizens import codes, selectors
from onewindow.portal.models import AccountInquiry, CitizenAccount, ClaimedPhone, PhoneCode

PHONE = re.compile(r"^1\d{10}$")
CODE_MINUTES = 10


def _limits() -> dict:
    """(attempts, seconds) per kind; ``ONEWINDOW_CITIZEN_LIMITS`` overrides."""
    return {
        "login": (5, 900),  # failed sign-ins per phone and per client
        "code_send": (5, 3600),  # codes sent per phone
        "code_check": (5, 900),  # wrong codes per phone
        **getattr(settings, "ONEWINDOW_CITIZEN_LIMITS", {}),
    }


def _failures(kind: str) -> FailureLimit:
    attempts, seconds = _limits()[kind]
    return FailureLimit(f"citizen_{kind}", attempts, seconds)


def _phone(raw: str, field: str = "phone") -> str:
    phone = (raw or "").strip().replace(" ", "")
    if not PHONE.match(phone):
        message = "请填写11位手机号码。"
        raise InvalidInput("citizen.bad_phone", message, {field: message})
    return phone


def _password(raw: str, account: CitizenAccount | None = None) -> str:
    try:
        validate_password(raw or "", user=account)
    except ValidationError as exc:
        message = "；".join(exc.messages)
        raise InvalidInput("citizen.weak_password", message, {"password": message}) from None
    return raw


@transaction.atomic
def citizen_register(
    *, phone: str, password: str, name: str, id_number: str, now: datetime | None = None
) -> CitizenAccount:
    """注册: one real-name account per phone and per identity number."""
    phone = _phone(phone)
    name = (name or "").strip()[:50]
    if not name:
        raise InvalidInput("citizen.name_required", "请填写姓名。", {"name": "请填写姓名。"})
    account = CitizenAccount(phone=phone, name=name, created_at=clock.now(now))
    try:
        account.set_id_number(id_number)
    except IdNumberError as exc:
        raise InvalidInput(exc.code, exc.message, {"id_number": exc.message}) from None
    account.set_password(_password(password, account))
    if CitizenAccount.objects.filter(phone=phone).exists():
        message = "该手机号已注册，请直接登录或找回密码。"
        raise InvalidInput("citizen.phone_taken", message, {"phone": message})
    if CitizenAccount.objects.filter(id_number_digest=account.id_number_digest).exists():
        message = "该身份证号已注册账户，请用注册时的手机号登录。"
        raise InvalidInput("citizen.id_taken", message, {"id_number": message})
    account.save()
    audit_record(actor=account, action="citizen.register", target=account)
    return account


@transaction.atomic
def citizen_login(
    *, phone: str, password: str, client: str = "", now: datetime | None = None
) -> CitizenAccount:
    """登录, throttled: past the limit of failures per phone or per client, every
    attempt is refused until the window ends (a right password too)."""
    limit = _failures("login")
    phone = (phone or "").strip()
    if limit.locked(f"phone:{phone}") or limit.locked(f"client:{client}"):
        raise RateLimited(
            "citizen.login_locked", f"登录失败次数过多，请{span(limit.seconds)}后再试。"
        )
    account = CitizenAccount.objects.filter(phone=phone, is_active=True).first()
    if account is None or not account.check_password(password or ""):
        limit.failed(f"phone:{phone}")
        limit.failed(f"client:{client}")
        message = "手机号或密码不正确。"
        raise InvalidInput("citizen.bad_login", message, {"password": message})
    account.last_login = clock.now(now)
    account.save(update_fields=["last_login"])
    audit_record(actor=account, action="citizen.login", target=account)
    return account


@transaction.atomic
def phone_code_issue(
    *,
    phone: str,
    purpose: str,
    account: CitizenAccount | None = None,
    now: datetime | None = None,
) -> PhoneCode:
    """A one-time code for the phone, its SMS written to the outbox in this transaction. For a reset,
    a phone with no account gets no code (and the page says the same either way)."""
    phone = _phone(phone)
    attempts, seconds = _limits()["code_send"]
    hit(
        "citizen_code_send",
        phone,
        limit=attempts,
        seconds=seconds,
        code="citizen.code_limit",
        message=f"验证码发送过于频繁，请{span(seconds)}后再试。",
    )
    if purpose not in PhoneCode.Purpose.values:
        raise InvalidInput("citizen.bad_purpose", "用途不正确。")
    if purpose == PhoneCode.Purpose.RESET:
        account = CitizenAccount.objects.filter(phone=phone, is_active=True).first()
        if account is None:
            return PhoneCode(phone=phone, purpose=purpose)
    now = clock.now(now)
    issued = PhoneCode.objects.create(
        phone=phone,
        purpose=purpose,
        code=f"{secrets.randbelow(10**6):06d}",
        account=account,
        created_at=now,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    label = issued.get_purpose_display()
    codes.send(phone, issued.code, label, key=f"citizen-code:{issued.pk}")
    audit_record(
        actor=account or phone[-4:],
        action="citizen.code_issue",
        target_type="portal.phonecode",
        target_id=str(issued.pk),
        target_label=f"{label} 尾号{phone[-4:]}",
    )
    return issued


def _use_code(*, phone: str, purpose: str, code: str, account=None, now) -> PhoneCode:
    """The latest unused, unexpired code of the phone for the purpose, if it matches;
    wrong codes are counted and, past the limit, every attempt is refused."""
    limit = _failures("code_check")
    if limit.locked(phone):
        raise RateLimited(
            "citizen.code_locked", f"验证码错误次数过多，请{span(limit.seconds)}后再试。"
        )
    rows = for_update(PhoneCode.objects).filter(
        phone=phone, purpose=purpose, used_at__isnull=True, expires_at__gt=now
    )
    if account is not None:
        rows = rows.filter(account=account)
    issued = rows.order_by("-created_at", "-id").first()
    if issued is None or not secrets.compare_digest(issued.code, (code or "").strip()):
        limit.failed(phone)
        message = "验证码不正确或已过期，请重新获取。"
        raise InvalidInput("citizen.bad_code", message, {"code": message})
    issued.used_at = now
    issued.save(update_fields=["used_at"])
    return issued


@transaction.atomic
def citizen_claim_phone(
    *, account: CitizenAccount, phone: str, code: str, now: datetime | None = None
) -> ClaimedPhone:
    """认领: with the code sent to the phone, what was done under it without an account
    (tickets, bookings, cases, complaints, reviews of those) becomes the account's."""
    phone = _phone(phone)
    now = clock.now(now)
    _use_code(phone=phone, purpose=PhoneCode.Purpose.CLAIM, code=code, account=account, now=now)
    held = ClaimedPhone.objects.filter(phone=phone).first()
    if held is not None and held.account_id != account.pk:
        raise Conflict("citizen.phone_claimed", "该手机号名下事务已由其他账户认领。")
    claimed = held or ClaimedPhone.objects.create(account=account, phone=phone, proven_at=now)
    audit_record(
        actor=account,
        action="citizen.claim",
        target=account,
        after={"phone_tail": phone[-4:]},
    )
    return claimed


@transaction.atomic
def citizen_password_reset(
    *, phone: str, code: str, password: str, now: datetime | None = None
) -> CitizenAccount:
    """找回密码 with the code sent to the account's phone."""
    phone = _phone(phone)
    now = clock.now(now)
    account = for_update(CitizenAccount.objects).filter(phone=phone, is_active=True).first()
    if account is None:  # no code was sent to a phone without an account
        message = "验证码不正确或已过期，请重新获取。"
        raise InvalidInput("citizen.bad_code", message, {"code": message})
    _use_code(phone=phone, purpose=PhoneCode.Purpose.RESET, code=code, account=account, now=now)
    account.set_password(_password(password, account))
    account.save(update_fields=["password"])
    audit_record(actor=account, action="citizen.password_reset", target=account)
    return account


def citizen_withdraw_draft(*, account: CitizenAccount, case_id: int, reason: str = ""):
    """撤回 a draft (or a returned application) of the account: the online service."""
    case = selectors.case_of(account, case_id)
    return online_cases.online_withdraw(case=case, reason=(reason or "")[:500])


@transaction.atomic
def citizen_document_reuse(
    *, account: CitizenAccount, case_id: int, material_id, stored_id, now: datetime | None = None
):
    """材料复用 from 我的材料: the account's own stored document (the same file record)
    becomes the electronic copy of a material of the account's application, through the
    cases' reuse service (state, material and validity checked there)."""
    case = selectors.case_of(account, case_id)
    stored = (
        selectors.account_documents(account)
        .filter(pk=stored_id if isinstance(stored_id, int) else None, applicant=case.applicant)
        .first()
    )
    if stored is None:
        raise NotFound("citizen.document_not_found", "我的材料中没有这份材料。")
    document = file_services.document_reuse(
        actor=None, case=case, material=material_id, applicant_document=stored, now=now
    )
    audit_record(
        actor=account,
        action="citizen.document_reuse",
        target=case,
        center=case.center,
        after={"material": document.material.name, "file": stored.file_id, "stored": stored.pk},
    )
    return document


def citizen_cancel_booking(*, account: CitizenAccount, appointment_id: int):
    """取消预约 of the account: the booking service, with the phone it was booked with."""
    found = selectors.appointment_of(account, appointment_id)
    return appt.appointment_cancel(code=found.code, phone_or_id=found.phone, actor=account)


@transaction.atomic
def citizen_ask(
    *,
    account: CitizenAccount,
    matter: Matter,
    center: Center,
    question: str,
    publish_consent: bool = False,
    now: datetime | None = None,
):
    """网上咨询 from the account: the consultation service, the question kept as theirs."""
    inquiry = online_inquiries.inquiry_ask_online(
        actor=account,
        matter=matter,
        center=center,
        question=question,
        asker_name=account.name,
        asker_phone=account.phone,
        publish_consent=publish_consent,
        now=now,
    )
    AccountInquiry.objects.create(account=account, inquiry=inquiry)
    return inquiry


# --- messages: a citizen refuses (or accepts again) the non-urgent messages (R-MSG-1) --------


@transaction.atomic
def citizen_message_choice(
    *, account: CitizenAccount, phone: str, refused: bool, now: datetime | None = None
) -> bool:
    """On 我的事务: for a phone the account has proved (claimed); whether it changed."""
    phone = _phone(phone)
    if not account.claimed_phones.filter(phone=phone).exists():
        raise Forbidden("citizen.phone_not_proved", "请先认领该手机号，再设置短信通知。")
    return messaging_services.refusal_set(actor=account, phone=phone, refused=refused, now=now)


@transaction.atomic
def phone_message_choice(
    *, phone: str, code: str, refused: bool, now: datetime | None = None
) -> bool:
    """Without an account (the progress page's link): the phone proved by a code sent
    to it; whether it changed."""
    phone = _phone(phone)
    now = clock.now(now)
    _use_code(phone=phone, purpose=PhoneCode.Purpose.MESSAGES, code=code, now=now)
    return messaging_services.refusal_set(
        actor=f"手机尾号{phone[-4:]}", phone=phone, refused=refused, now=now
    )
