"""Demo citizen account (R-CIT-1) and one answered online question (R-CASE-8).

An applicant of the demo cases at 临夏县 (the one with the most applications there) gets
a real-name account with the demo password; a suggestion filed on the portal and a
booking are added under their phone, then the phone is proved with a one-time code so
their applications, booking and suggestion show in 我的事务. They asked about
个体工商户设立登记 online; 临夏县市场监督管理局 took the question, answered it, and its
chief representative published it as a FAQ of the guide (the asker agreed).

Written through the services. Skipped when any citizen account exists.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from onewindow.cases.models import Applicant
from onewindow.catalog.models import Listing
from onewindow.complaints import services as complaint_services
from onewindow.complaints.models import Complaint
from onewindow.complaints.services import inquiries, online_inquiries
from onewindow.core import clock
from onewindow.core.errors import DomainError
from onewindow.demo import data
from onewindow.hall import appointments as appt
from onewindow.hall.models import AppointmentSlot
from onewindow.portal.citizens import services
from onewindow.portal.models import CitizenAccount, PhoneCode

COUNTY_CENTER = "临夏县政务服务中心"
MATTER = "个体工商户设立登记"
QUESTION = "我在韩集镇开的小卖部想搬到临夏县城，个体户营业执照需要注销重办吗？"
ANSWER = (
    "不需要注销。经营场所在同一登记机关辖区内变更的，办理个体工商户变更登记即可："
    "带营业执照正副本、经营者身份证和新经营场所使用证明，到县政务服务中心综合窗口"
    "或网上申请，材料齐全当场办结。"
)


def _person() -> Applicant | None:
    """The person applicant with the most cases at the county center."""
    return (
        Applicant.objects.filter(kind=Applicant.Kind.PERSON, cases__center__name=COUNTY_CENTER)
        .exclude(id_number_cipher="")
        .annotate(n=Count("cases"))
        .order_by("-n", "pk")
        .first()
    )


def _book(center, phone: str, name: str) -> None:
    now = clock.now()
    slot = (
        AppointmentSlot.objects.filter(
            center=center, day__gt=timezone.localdate(now) + timedelta(1)
        )
        .order_by("day", "start")
        .select_related("category")
        .first()
    )
    if slot is None or slot.booked >= slot.capacity:
        return
    try:
        with transaction.atomic():
            appt.appointment_book(
                center=center, category=slot.category, slot=slot, name=name, phone=phone
            )
    except DomainError:
        pass  # a suspension or a full day: the account shows its other affairs


def _question(account: CitizenAccount, listing: Listing) -> None:
    User = get_user_model()
    approver = User.objects.get(username="lxx-approver")
    chief = User.objects.get(username="lxx-chief")
    asked = clock.now() - timedelta(days=3)
    inquiry = services.citizen_ask(
        account=account,
        matter=listing.matter,
        center=listing.center,
        question=QUESTION,
        publish_consent=True,
        now=asked,
    )
    online_inquiries.inquiry_take(actor=approver, inquiry=inquiry, now=asked + timedelta(hours=1))
    inquiries.inquiry_answer(
        actor=approver, inquiry=inquiry, answer=ANSWER, now=asked + timedelta(hours=3)
    )
    online_inquiries.inquiry_faq_review(
        actor=chief, inquiry=inquiry, publish=True, now=asked + timedelta(days=1)
    )


def load() -> int:
    """Make the demo citizen's account and affairs; return how many rows were made."""
    if CitizenAccount.objects.exists():
        return 0
    person = _person()
    listing = (
        Listing.objects.filter(
            center__name=COUNTY_CENTER, matter__name=MATTER, status=Listing.Status.ACTIVE
        )
        .select_related("center", "matter")
        .first()
    )
    if person is None or listing is None:
        return 0
    account = services.citizen_register(
        phone=person.phone,
        password=data.DEMO_PASSWORD,
        name=person.name,
        id_number=person.decrypted_id_number(),
    )
    complaint_services.complaint_file(
        center=listing.center,
        source=Complaint.Source.WEB,
        kind=Complaint.Kind.SUGGESTION,
        subject="建议周末开放营业执照窗口",
        content="上班族工作日请假不方便，建议周六上午开放企业开办窗口。",
        name=person.name,
        phone=person.phone,
        matter=listing.matter,
    )
    _book(listing.center, person.phone, person.name)
    services.phone_code_issue(phone=person.phone, purpose=PhoneCode.Purpose.CLAIM, account=account)
    code = PhoneCode.objects.filter(phone=person.phone).latest("created_at").code
    services.citizen_claim_phone(account=account, phone=person.phone, code=code)
    _question(account, listing)
    return 5


def account_note() -> str:
    """The demo citizen's sign-in, printed with the demo accounts."""
    account = CitizenAccount.objects.order_by("pk").first()
    if account is None:
        return ""
    return (
        f"演示群众账户（“我的”，/my/）：手机号 {account.phone}，密码 {data.DEMO_PASSWORD}"
        f"（{account.name}）"
    )
