"""Demo complaints and consultations: about six months of **simulated** history at the
Linxia centers, written through the complaint services so every step has its event,
its audit row and its working-day clock.

Each center with stationed departments gets complaints and suggestions from every
channel (hall desk, suggestion box, phone, 12345 — with hotline order numbers and
limits —, the portal, the terminal, Open311), on subjects whose frequency changes over
the months (queues at real-estate registration grow, social-security card complaints
fade), so the hot-topic page shows a trend. Older complaints are answered, judged,
revisited and closed; a few were returned once, extended once, reopened once or filed
twice by the same person (linked, not counted twice); the recent ones are open in
every state, and the sweep flags those past their limit. Consultations are logged by
clerks, some answered at once, some handed over to a department first.

Seeded: the same data every time. Skipped when any complaint exists.
"""

from __future__ import annotations

import random
import zlib
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from onewindow.complaints import services, states
from onewindow.complaints.models import Complaint, Inquiry
from onewindow.complaints.services import inquiries
from onewindow.complaints.sweep import sweep
from onewindow.core import clock
from onewindow.core.errors import DomainError
from onewindow.org.models import Center, Department

DAYS = 180
# (subject, text, weight in the first month, weight in the last month)
TOPICS = [
    ("不动产登记排队时间长", "办理不动产登记排队两个多小时，窗口太少。", 1, 6),
    ("营业执照办理来回跑", "个体工商户登记营业执照，材料被要求补了两次。", 3, 3),
    ("社保卡补办太慢", "社会保障卡补办等了一个月还没拿到。", 5, 1),
    ("窗口工作人员态度生硬", "窗口工作人员说话不耐烦，没有一次性告知。", 2, 2),
    ("自助终端打印故障", "自助终端打印不出来，也没人管。", 1, 3),
    ("网上申报系统卡顿", "网上申报页面经常打不开，提交失败。", 2, 4),
    ("停车位不够", "中心门口停车难，建议增加车位。", 2, 2),
    ("食品经营许可现场核查慢", "食品经营许可申请后迟迟没有现场核查。", 2, 2),
    ("户口迁移手续复杂", "户口迁移要跑好几个部门，能否一次办好。", 2, 1),
    ("医保报销材料多", "医疗保险报销要求的材料太多，建议简化。", 1, 2),
]
SURNAMES = "马王李张刘杨何赵罗韩"
GIVEN = ["小红", "建国", "玉兰", "永福", "桂英", "文明", "海燕", "志强", "秀梅", "德胜"]
SOURCES = [
    ("desk", 4),
    ("box", 2),
    ("phone", 3),
    ("hotline", 5),
    ("web", 4),
    ("terminal", 1),
    ("open311", 1),
]
QUESTIONS = [
    "个体户变更经营场所要带什么材料？",
    "不动产登记可以预约吗？",
    "社保卡丢了在哪个窗口补办？",
    "食品经营许可多久能拿到？",
    "外地户口能在这里办居住证吗？",
    "企业开办可以一天办完吗？",
]


def demo_finding(number: str) -> str:
    """The department's finding on a demo complaint, fixed by its number (the random
    stream of the history is left as it was): about 3 in 10 upheld, 1 in 4 partly."""
    n = zlib.crc32(number.encode()) % 20
    return "upheld" if n < 6 else "partly" if n < 11 else "unfounded"


def source_is_staffed(n: int) -> bool:
    """Most complaints come in on working days; every fifth is kept on its weekend day
    (the portal never closes)."""
    return n % 5 != 0


def _users(role: str, **profile):
    User = get_user_model()
    filters = {f"staff_profile__{k}": v for k, v in profile.items()}
    return list(
        User.objects.filter(
            groups__name=role, is_active=True, staff_profile__active=True, **filters
        ).order_by("pk")
    )


def _at(day, rng: random.Random) -> datetime:
    moment = datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def _weighted(rng: random.Random, progress: float):
    weights = [a + (b - a) * progress for _, _, a, b in TOPICS]
    return rng.choices(TOPICS, weights=weights)[0]


class _Loader:
    def __init__(self, now: datetime):
        self.now = now
        self.rng = random.Random(20261001)
        self.made = 0
        self.User = get_user_model()
        self.root = self.User.objects.filter(is_superuser=True, is_active=True).first()

    def _dept_actor(self, department):
        people = _users("approver", department=department) or _users(
            "chief_rep", department=department
        )
        return people[0] if people else self.root

    def load(self) -> int:
        centers = [
            c
            for c in Center.objects.filter(is_active=True).order_by("code")
            if Department.objects.filter(center=c).exists()
            and (_users("clerk", center=c) or _users("center_admin", center=c))
        ]
        for center in centers:
            self._center(center)
        sweep(now=self.now)
        return self.made

    def _center(self, center: Center) -> None:
        rng = self.rng
        clerks = _users("clerk", center=center) or _users("center_admin", center=center)
        admins = _users("center_admin", center=center) or [self.root]
        departments = list(Department.objects.filter(center=center).order_by("pk"))
        clerk = clerks[0]
        people: list[tuple[str, str]] = []
        order = 0
        count = 60 if center.region.path.count("/") <= 3 else 30
        for n in range(count):
            progress = n / count
            day = (self.now - timedelta(days=int(DAYS * (1 - progress) ** 1.3))).date()
            if day.weekday() >= 5 and source_is_staffed(n):
                day -= timedelta(days=day.weekday() - 4)
            received = _at(day, rng)
            if received >= self.now:
                received = self.now - timedelta(hours=2)
            subject, text, _, _ = _weighted(rng, progress)
            source = rng.choices([s for s, _ in SOURCES], weights=[w for _, w in SOURCES])[0]
            anonymous = source == "box" and rng.random() < 0.6
            if people and rng.random() < 0.06:
                name, phone = rng.choice(people)  # the same person again
            else:
                name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                phone = f"139{rng.randint(0, 99_999_999):08d}"
                people.append((name, phone))
            extra = {}
            if source == "hotline":
                order += 1
                extra = {
                    "hotline_order": f"LX12345{center.region.code}{received:%Y%m%d}{order:03d}",
                    "hotline_due": received + timedelta(days=7),
                }
            kind = "suggestion" if subject.startswith(("停车", "医保")) else "complaint"
            try:
                c = services.complaint_file(
                    actor=None if source in ("web", "terminal", "open311") else clerk,
                    center=center,
                    source=source,
                    kind=kind,
                    subject=subject,
                    content=text,
                    anonymous=anonymous,
                    name="" if anonymous else name,
                    phone="" if anonymous else phone,
                    now=received,
                    **extra,
                )
            except DomainError:
                continue
            self.made += 1
            self._follow(c, received, clerk, admins[0], departments)
        self._inquiries(center, clerks)

    def _follow(self, c: Complaint, received: datetime, clerk, admin, departments) -> None:
        """Walk a complaint as far as its age allows."""
        rng = self.rng
        age = (self.now - received).days
        step = received + timedelta(hours=3)

        def later(hours: float) -> datetime:
            nonlocal step
            step = step + timedelta(hours=hours)
            return min(step, self.now - timedelta(minutes=5))

        if age < 2 and rng.random() < 0.7:
            return  # waiting for the dispatcher
        department = c.suggested_department or rng.choice(departments)
        wrong = rng.random() < 0.08 and len(departments) > 1
        first = rng.choice([d for d in departments if d != department]) if wrong else department
        try:
            services.complaint_dispatch(actor=clerk, complaint=c, department=first, now=later(1))
            if wrong:
                services.complaint_return(
                    actor=self._dept_actor(first),
                    complaint=c,
                    reason="不属于本部门职责，请转相关部门。",
                    now=later(4),
                )
                services.complaint_dispatch(
                    actor=clerk, complaint=c, department=department, now=later(2)
                )
            if age < 4 and rng.random() < 0.5:
                return  # the department is on it
            if rng.random() < 0.1:
                services.complaint_extension_request(
                    actor=self._dept_actor(department),
                    complaint=c,
                    reason="需要现场核查，申请延期。",
                    now=later(20),
                )
                services.complaint_extension_approve(
                    actor=admin, complaint=c, approve=True, now=later(3)
                )
            if rng.random() < 0.05:
                return  # left unanswered: flagged by the sweep
            services.complaint_answer(
                actor=self._dept_actor(department),
                complaint=c,
                answer="经核实，已整改并向您说明情况，感谢监督。",
                finding=demo_finding(c.number),
                now=later(rng.uniform(20, 90)),
            )
            if c.anonymous:
                if age > 10:
                    services.complaint_close(actor=clerk, complaint=c, now=later(24))
                return
            if age < 8 and rng.random() < 0.5:
                return  # waiting for the complainant
            satisfied = rng.random() < 0.8
            c = services.complaint_feedback(token=c.token, satisfied=satisfied, now=later(10))
            if not satisfied and rng.random() < 0.5:
                services.complaint_reopen(token=c.token, reason="问题没有解决。", now=later(2))
                services.complaint_answer(
                    actor=self._dept_actor(department),
                    complaint=c,
                    answer="已再次核查并解决，专人跟进。",
                    finding=demo_finding(c.number),
                    now=later(40),
                )
            if age < 12:
                return
            c = Complaint.objects.get(pk=c.pk)
            if c.state in states.ACTIONS["revisit"].sources:
                services.complaint_revisit(
                    actor=clerk, complaint=c, note="电话回访，已知晓处理结果。", now=later(24)
                )
                services.complaint_close(actor=clerk, complaint=c, now=later(1))
        except DomainError:
            return

    def _inquiries(self, center: Center, clerks) -> None:
        rng = self.rng
        staff = _users("approver", department__center=center) or _users(
            "chief_rep", department__center=center
        )
        for n in range(8):
            asked = _at((self.now - timedelta(days=rng.randint(0, 60))).date(), rng)
            asked = min(asked, self.now - timedelta(hours=1))
            clerk = clerks[n % len(clerks)]
            try:
                i = inquiries.inquiry_log(
                    actor=clerk,
                    question=rng.choice(QUESTIONS),
                    channel=rng.choice(["window", "desk", "phone"]),
                    now=asked,
                )
                self.made += 1
                owner = clerk
                if staff and n % 3 == 0:
                    owner = staff[0]
                    inquiries.inquiry_handover(
                        actor=clerk,
                        inquiry=i,
                        to_user=owner,
                        reason="需部门答复",
                        now=asked + timedelta(minutes=10),
                    )
                if n % 4 != 1:
                    inquiries.inquiry_answer(
                        actor=owner,
                        inquiry=i,
                        answer="已当面答复并告知办事指南。",
                        now=asked + timedelta(minutes=30),
                    )
            except DomainError:
                continue


def load(*, now: datetime | None = None) -> int:
    """Add the simulated complaints and consultations (when there are none yet)."""
    if Complaint.objects.exists() or Inquiry.objects.exists():
        return 0
    with transaction.atomic():
        return _Loader(clock.now(now)).load()
