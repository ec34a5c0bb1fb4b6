"""Demo oversight records for the Linxia demo data: about six months of **simulated**
leader duty, facility checks, free services and guidance at the Linxia county center
and the prefecture center, written through the oversight services (every record has its
audit row; deadlines come from the work calendar).

- Rosters: six stationed departments per center, each with its head (主要领导) and a
  deputy (分管领导); at 临夏县 (which adopts 县级领导坐班) two county leaders. Most heads
  sit two full days a quarter, two of them only one and a half; most deputies sit half a
  day nearly every week, one about every other week; one county leader falls short.
- Sittings are signed in by the desk's QR code or at the admin desk; about one in four
  heads' sittings records a problem with an owner and a working-day deadline — most
  closed, some late, a few still open past their deadline; heads walk a process
  (走流程) now and then.
- Each working day the hall's facilities are checked; a few faults are found and fixed
  hours later (two are still open); free printing, copying and mailing are counted.
- The guidance desk records 12–30 visitors a day; the share sent online, to the phone
  or to the terminals grows month by month.
- Both centers publish their complaint channels.

Seeded: the same data every time. Skipped when any duty roster exists.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from onewindow.catalog.models import Listing
from onewindow.core import clock
from onewindow.core.calendar import calendar_for
from onewindow.org import services as org_services
from onewindow.org.models import Center, Department, StaffProfile
from onewindow.oversight import services
from onewindow.oversight.models import DutyKind, DutyPost, FacilityFault, GuidanceTopic

DAYS = 182
LINES = ("market", "police", "hrss", "natural_resources", "housing", "medical_insurance")
SURNAMES = "马王李张赵何杨韩妥冯"
GIVEN = (
    "建国",
    "志强",
    "海龙",
    "文斌",
    "玉兰",
    "晓东",
    "国栋",
    "春燕",
    "永福",
    "德明",
    "丽萍",
    "振华",
)
PROBLEMS = [
    (
        "不动产登记窗口等候超过一小时",
        "增开一个不动产登记窗口，高峰时段启用AB角",
        "已增开窗口，平均等候降至25分钟",
    ),
    (
        "综合窗口收件后两天未推送后台",
        "建立收件当日推送台账，每日下班前核对",
        "已建立台账，逐日核对",
    ),
    ("办事指南材料清单与窗口要求不一致", "对照指南逐项核对并更新窗口一次性告知单", "告知单已更新"),
    (
        "自助终端打印功能故障未及时报修",
        "明确终端巡检责任人，每日开厅前检查",
        "已明确责任人并每日检查",
    ),
    ("个别窗口人员未亮牌上岗", "开展着装与亮牌专项检查，纳入月度考核", "专项检查完成，已通报"),
    ("社保卡补办需群众跑两次", "推行补办结果邮寄到家", "已开通免费邮寄"),
    ("帮办代办人员不熟悉新流程", "组织再造流程专项培训", "培训已完成"),
    ("导办台引导网上办理不主动", "导办人员每次引导均询问是否可网上办理", "已纳入导办规范"),
]
WALKS = [
    ("个体工商户设立登记", "取号到领照共40分钟，材料一次收齐", 40),
    ("不动产转移登记", "等候时间偏长，缴税与登记需两次排队", 95),
    ("社会保障卡补办", "窗口当场制卡，全程15分钟", 15),
    ("食品经营许可", "网上预审后到窗口10分钟办结", 10),
    ("机动车驾驶证换证", "自助终端体检信息同步慢，需人工核对", 35),
]
ZONES = {
    "导办服务区": [
        ("water", "", 1),
        ("wheelchair", "", 2),
        ("glasses", "老花镜", 6),
        ("first_aid", "急救药箱", 1),
    ],
    "综合受理区": [
        ("printer", "窗口打印机", 4),
        ("copier", "复印机", 2),
        ("cctv", "受理区监控", 4),
    ],
    "等候区": [
        ("charger", "手机充电站", 2),
        ("water", "等候区饮水机", 1),
        ("cctv", "等候区监控", 2),
    ],
    "自助服务区": [("terminal", "政务自助终端", 3), ("printer", "自助打印机", 1)],
    "安全设施": [("emergency_light", "应急照明灯", 12), ("fire", "灭火器", 10)],
}
FAULTS = {
    "printer": "卡纸，无法打印",
    "copier": "复印件发黑",
    "water": "不出热水",
    "charger": "两个接口不能充电",
    "terminal": "身份证读卡器无反应",
    "cctv": "画面中断",
    "emergency_light": "一盏灯不亮",
    "wheelchair": "刹车松动",
    "glasses": "缺少两副",
    "first_aid": "创可贴用完",
    "fire": "一具压力不足",
}
FIXES = ["已维修", "已更换配件", "已补充", "厂家上门维修", "已调试恢复"]


def _at(day: date, hh: int, mm: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


class _Loader:
    def __init__(self, now: datetime, seed: int):
        self.now = now
        self.today = timezone.localdate(now)
        self.start = self.today - timedelta(days=DAYS)
        self.rng = random.Random(seed)
        self.made = 0
        self.users = get_user_model().objects
        self.names = [a + b for a in SURNAMES for b in GIVEN]
        self.rng.shuffle(self.names)

    def workdays(self, center: Center) -> list[date]:
        cal = calendar_for(center=center)
        days = (self.start + timedelta(days=i) for i in range((self.today - self.start).days))
        return [d for d in days if cal.is_workday(d)]

    # --- people and rosters -----------------------------------------------------------

    def leader(self, admin, key: str, *, department=None, region=None, title: str) -> StaffProfile:
        username = f"duty-{key}"
        found = StaffProfile.objects.filter(user__username=username).first()
        if found:
            return found
        name = self.names.pop()
        self.made += 1
        return org_services.staff_create(
            actor=admin,
            username=username,
            full_name=f"{name}（演示）",
            password=None,
            roles={"leader"},
            staff_no=f"6{self.made:04d}",  # five digits: no other demo series
            department=department,
            region=region,
            title=title,
        )

    def roster(self, center: Center, admin) -> list[DutyPost]:
        posts = []
        since = _at(self.start, 8)
        for line in LINES:
            dept = Department.objects.filter(center=center, line__code=line).first()
            if dept is None:
                continue
            head = StaffProfile.objects.filter(
                department=dept, user__username="lxx-leader"
            ).first() or self.leader(
                admin, f"{center.code}-{line}-head", department=dept, title=f"{dept.name}局长"
            )
            deputy = self.leader(
                admin, f"{center.code}-{line}-deputy", department=dept, title=f"{dept.name}副局长"
            )
            for profile, kind in ((head, DutyKind.HEAD), (deputy, DutyKind.DEPUTY)):
                posts.append(
                    services.duty_post_add(
                        actor=admin, center_id=center.pk, leader_id=profile.pk, kind=kind, now=since
                    )
                )
        return posts

    # --- sittings, problems, walks --------------------------------------------------------

    def sit(self, admin, post: DutyPost, day: date, hours: float) -> None:
        start = _at(day, 8, 30) + timedelta(minutes=self.rng.randrange(0, 50))
        end = start + timedelta(hours=hours)
        if self.rng.random() < 0.6:
            token = services.desk_token(post.center)
            user = post.leader.user
            services.duty_sign_by_qr(actor=user, token=token, now=start)
            services.duty_sign_by_qr(actor=user, token=token, now=end)
        else:
            services.duty_sign_at_desk(actor=admin, post_id=post.pk, now=start)
            services.duty_sign_at_desk(actor=admin, post_id=post.pk, now=end)
        self.made += 1
        if post.kind != DutyKind.DEPUTY and self.rng.random() < 0.3:
            self.problem(post, start + timedelta(hours=1))
        if post.kind == DutyKind.HEAD and self.rng.random() < 0.35:
            subject, findings, minutes = self.rng.choice(WALKS)
            services.process_walk_record(
                actor=post.leader.user,
                center_id=post.center_id,
                subject=subject,
                findings=findings,
                minutes=minutes,
                now=start + timedelta(hours=2),
            )
            self.made += 1

    def problem(self, post: DutyPost, at: datetime) -> None:
        text, fix, result = self.rng.choice(PROBLEMS)
        here = StaffProfile.objects.filter(active=True).exclude(pk=post.leader_id)
        if post.department_id:
            here = here.filter(department=post.department)
        else:
            here = here.filter(center=post.center)
        owners = list(here.order_by("pk")) or [post.leader]
        problem = services.duty_problem_record(
            actor=post.leader.user,
            center_id=post.center_id,
            description=text,
            fix_planned=fix,
            owner_id=self.rng.choice(owners).pk,
            working_days=self.rng.choice([3, 5, 5, 10]),
            now=at,
        )
        self.made += 1
        late = self.rng.random() < 0.25
        close_on = problem.deadline + timedelta(
            days=self.rng.randrange(1, 6) if late else -self.rng.randrange(0, 3)
        )
        close_at = _at(max(close_on, problem.found_on), 16)
        if close_at < self.now and self.rng.random() < 0.85:
            services.duty_problem_close(
                actor=problem.owner.user, problem_id=problem.pk, result=result, now=close_at
            )

    def duty(self, center: Center, admin, county_leaders: list[StaffProfile]) -> None:
        posts = self.roster(center, admin)
        for leader in county_leaders:
            posts.append(
                services.duty_post_add(
                    actor=admin,
                    center_id=center.pk,
                    leader_id=leader.pk,
                    kind=DutyKind.COUNTY,
                    now=_at(self.start, 8),
                )
            )
        days = self.workdays(center)
        heads = [p for p in posts if p.kind == DutyKind.HEAD]
        short_heads = {heads[1].pk, heads[4].pk} if len(heads) > 4 else set()
        sparse_deputy = next((p.pk for p in posts if p.kind == DutyKind.DEPUTY), None)
        plan: list[tuple[date, DutyPost, float]] = []
        by_quarter: dict[tuple[int, int], list[date]] = {}
        for d in days:
            by_quarter.setdefault((d.year, (d.month - 1) // 3), []).append(d)
        for qdays in by_quarter.values():
            for post in heads:
                picks = sorted(self.rng.sample(qdays, min(2, len(qdays))))
                for i, d in enumerate(picks):
                    short = post.pk in short_heads and i == 1
                    plan.append((d, post, 5.0 if short else 7.5 + self.rng.random()))
        weeks: dict[tuple, list[date]] = {}
        for d in days:  # a week split by a quarter's end is due in both quarters
            weeks.setdefault((d.month - 1) // 3, {}).setdefault(d.isocalendar()[:2], []).append(d)
        weeks = {(q, w): wd for q, by_week in weeks.items() for w, wd in by_week.items()}
        deputies = [p.pk for p in posts if p.kind == DutyKind.DEPUTY]
        for post in posts:
            if post.kind == DutyKind.DEPUTY:
                chance = {sparse_deputy: 0.5, deputies[-1]: 0.9}.get(post.pk, 1.0)
                for wdays in weeks.values():
                    if self.rng.random() < chance:
                        plan.append((self.rng.choice(wdays), post, 4.2 + self.rng.random() * 1.5))
            elif post.kind == DutyKind.COUNTY:
                per_month = 1 if post == posts[-1] else 3
                for i in range(0, len(days), 21):
                    for d in self.rng.sample(
                        days[i : i + 21], min(per_month, len(days[i : i + 21]))
                    ):
                        plan.append((d, post, 4.5 if self.rng.random() < 0.6 else 8.0))
        seen: set[tuple[date, int]] = set()
        for d, post, hours in sorted(plan, key=lambda x: (x[0], x[1].pk)):
            if (d, post.pk) not in seen:
                seen.add((d, post.pk))
                self.sit(admin, post, d, hours)

    # --- facilities, free services, guidance -------------------------------------------

    def facilities(self, center: Center, admin, checker) -> None:
        facilities = []
        for zone_name, items in ZONES.items():
            zone = services.hall_zone_add(actor=admin, center_id=center.pk, name=zone_name)
            for kind, name, qty in items:
                facilities.append(
                    services.facility_add(
                        actor=admin, zone_id=zone.pk, kind=kind, name=name, quantity=qty
                    )
                )
                self.made += 1
        days = self.workdays(center)
        for i, d in enumerate(days):
            wrong = {str(f.pk): FAULTS[f.kind] for f in facilities if self.rng.random() < 0.012}
            services.facility_check_record(
                actor=checker, center_id=center.pk, problems=wrong, now=_at(d, 8, 15)
            )
            self.made += 1
            last = i >= len(days) - 2
            for fault in FacilityFault.objects.filter(center=center, fixed_at__isnull=True):
                if last and self.rng.random() < 0.5:
                    continue
                fixed = fault.reported_at + timedelta(
                    hours=self.rng.choice([1, 2, 3, 5, 8, 24, 26])
                )
                if fixed < self.now:
                    services.facility_fault_fix(
                        actor=checker, fault_id=fault.pk, fix_note=self.rng.choice(FIXES), now=fixed
                    )
            for service, low, high in (
                ("printing", 15, 60),
                ("copying", 8, 40),
                ("mailing", 0, 6),
                ("fax", 0, 2),
            ):
                n = self.rng.randint(low, high)
                if n:
                    services.free_service_add(
                        actor=checker,
                        center_id=center.pk,
                        service=service,
                        count=n,
                        now=_at(d, 17, 30),
                    )
                    self.made += 1

        # two faults reported on the last day are still being repaired
        for facility in [f for f in facilities if f.kind in ("printer", "charger")][:2]:
            if not FacilityFault.objects.filter(facility=facility, fixed_at__isnull=True).exists():
                services.facility_fault_report(
                    actor=checker,
                    facility_id=facility.pk,
                    description=FAULTS[facility.kind],
                    now=_at(days[-1], 10, 20),
                )
                self.made += 1

    def guidance(self, center: Center, desk_user) -> None:
        matters = list(
            Listing.objects.filter(center=center, status=Listing.Status.ACTIVE)
            .order_by("matter__code")
            .values_list("matter_id", flat=True)[:12]
        )
        topics = list(GuidanceTopic.values)
        days = self.workdays(center)
        for i, d in enumerate(days):
            other = 0.2 + 0.25 * i / max(1, len(days) - 1)
            for k in range(self.rng.randint(12, 30)):
                at = _at(d, 9) + timedelta(minutes=k * 12 + self.rng.randrange(10))
                x = self.rng.random()
                channel = (
                    "window"
                    if x >= other
                    else self.rng.choice(["online", "online", "phone", "terminal"])
                )
                if matters and self.rng.random() < 0.65:
                    services.guidance_record(
                        actor=desk_user,
                        center_id=center.pk,
                        channel=channel,
                        matter_id=self.rng.choice(matters),
                        now=at,
                    )
                else:
                    services.guidance_record(
                        actor=desk_user,
                        center_id=center.pk,
                        channel=channel,
                        topic=self.rng.choice(topics),
                        now=at,
                    )
                self.made += 1

    def channels(self, center: Center, admin) -> None:
        services.complaint_channels_update(
            actor=admin,
            center_id=center.pk,
            office="中心综合协调股（投诉处置）",
            reception_place="大厅一楼服务台东侧投诉接待室",
            reception_hours="工作日 9:00-12:00，14:30-17:30",
            box_location="大厅入口左侧、二楼电梯口",
            phone=center.complaint_phone,
        )
        self.made += 1

    def load(self) -> int:
        pref = Center.objects.filter(region__code="622900").order_by("pk").first()
        county = Center.objects.filter(region__code="622921").order_by("pk").first()
        if pref is None or county is None:
            return 0
        lxz, lxx = self.users.get(username="lxz-admin"), self.users.get(username="lxx-admin")
        clerk = self.users.filter(username="lxx-clerk").first() or lxx
        services.county_duty_set(
            actor=lxx, region_id=county.region_id, adopted=True, half_days_per_quarter=6
        )
        county_leaders = [
            self.leader(lxx, f"{county.code}-county-{i}", region=county.region, title=title)
            for i, title in enumerate(("县人民政府副县长", "县委常委、常务副县长"), start=1)
        ]
        for center, admin, checker, leaders in (
            (county, lxx, clerk, county_leaders),
            (pref, lxz, lxz, []),
        ):
            self.duty(center, admin, leaders)
            self.facilities(center, admin, checker)
            self.guidance(center, checker)
            self.channels(center, admin)
        return self.made


def load(*, now: datetime | None = None, seed: int = 2026) -> int:
    """Create the demo oversight records; return how many were made (0 when present)."""
    if DutyPost.objects.exists():
        return 0
    with transaction.atomic():
        return _Loader(clock.now(now), seed).load()
