"""Six months of staff management at the Linxia centers (R-STAFF-1, R-STAFF-2,
R-STAFF-4): records of stationed staff, postings (some under two years), changes and
secondments filed with the center, the center's recruitment and third-party contracts,
training (one new clerk not yet cleared), spot checks (some failed, with a photo).

Built through the staffing services; idempotent (a second run makes nothing new)."""

from __future__ import annotations

import random
import struct
import zlib
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from onewindow.catalog.models import ProcessChange
from onewindow.core.calendar import calendar_for
from onewindow.demo import data, staff_numbers
from onewindow.hall.models import WindowSession
from onewindow.org import services as org_services
from onewindow.org.models import Center, CenterUnit, StaffProfile
from onewindow.staffing import clearance
from onewindow.staffing import services as staffing
from onewindow.staffing.models import Recruitment, Team, TrainingRecord


def pre_job_training(actor, profile) -> int:
    """The pre-job training a demo clerk passed the weeks before their posting began, so
    they sign in at their window alone (R-STAFF-2)."""
    if not clearance.needs_clearance(profile):
        return 0
    if TrainingRecord.objects.filter(profile=profile, kind=TrainingRecord.Kind.PRE_JOB).exists():
        return 0
    ended = profile.posting_started - timedelta(days=3)
    staffing.training_record(
        actor=actor,
        profile=profile,
        kind=TrainingRecord.Kind.PRE_JOB,
        title="窗口岗前培训：服务规范、业务系统、一次性告知",
        trainer="中心综合科",
        started_on=ended - timedelta(days=4),
        ended_on=ended,
        hours=clearance.PRE_JOB_HOURS,
        passed=True,
    )
    return 1


# --- six months of staff management ---------------------------------------------------------

TRAINEE = ("lxx-trainee", "马晓雯")
RANKS = ["一级科员", "四级主任科员", "三级主任科员", "二级主任科员", "一级主任科员"]
ESTABLISHMENTS = ["administrative", "institution", "institution", "worker"]


def png(width: int = 96, height: int = 64, seed: int = 0) -> bytes:
    """A small generated photo (a grey floor, a dark uniform, a red bar where the
    badge should be): real PNG bytes, so the upload checks accept it."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            if 36 <= x < 60 and 16 <= y < 60:
                pixel = (40, 52, 70)  # uniform
            elif 60 <= x < 70 and 24 <= y < 30:
                pixel = (200, 30, 30)  # badge
            else:
                shade = 210 - (y + seed) % 40
                pixel = (shade, shade, shade - 10)
            row += bytes(pixel)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _people(center) -> list[StaffProfile]:
    return list(
        StaffProfile.objects.filter(active=True)
        .filter(Q(center=center) | Q(center__isnull=True, department__center=center))
        .select_related("user", "department", "unit")
        .order_by("staff_no")
    )


def _recruit(center, actor, today) -> dict[str, Recruitment]:
    short = center.name.replace("政务服务中心", "")
    return {
        team: staffing.recruitment_record(
            actor=actor,
            center=center,
            team=team,
            held_on=held_on,
            way=way,
            openly=True,
            announcement=f"{short}人民政府网 {held_on.year}年第{n}号招聘公告",
            positions=positions,
            hired=hired,
        )
        for team, held_on, way, positions, hired, n in (
            (Team.COMPREHENSIVE, date(2024, 7, 15), "exam", 12, 12, 7),
            (Team.AGENCY, today - timedelta(days=160), "interview", 4, 3, 11),
        )
    }


def _records(center, actor, people, recruitments, rng, today) -> int:
    count = 0
    for i, p in enumerate(people):
        team = (
            Team.STATIONED
            if p.department_id
            else Team.AGENCY
            if p.unit_id and p.unit.kind == "agency"
            else Team.COMPREHENSIVE
            if p.unit_id or clearance.needs_clearance(p)
            else Team.CENTER
        )
        started = p.posting_started
        if p.department_id:  # stationed: some postings are under two years
            started = today - timedelta(days=rng.choice([220, 400, 650, 800, 1100]))
        third = p.employer_kind == StaffProfile.Employer.THIRD_PARTY
        staffing.staff_record_set(
            actor=actor,
            profile=p,
            establishment="none"
            if third or team in (Team.COMPREHENSIVE, Team.AGENCY)
            else ESTABLISHMENTS[i % len(ESTABLISHMENTS)],
            rank="" if third else RANKS[i % len(RANKS)],
            paid_by=(
                p.employer_name
                if third
                else (p.department.name if p.department_id else center.name)
            ),
            team=team,
            posting_started=started,
            recruitment=recruitments.get(team),
        )
        count += 1
        if third:
            staffing.staff_contract_record(
                actor=actor,
                profile=p,
                company=p.employer_name or "甘肃陇原人力资源服务有限公司",
                contract_no=f"LX-HT-{started.year}-{p.staff_no}",
                starts_on=started,
                ends_on=started.replace(year=started.year + 2) - timedelta(days=1),
            )
            count += 1
        if p.department_id and i % 4 != 3:  # one in four has not declared yet
            staffing.staff_declare_no_other_work(actor=actor, profile=p, declared_on=started)
            if i % 4 != 2:
                staffing.staff_confirm_no_other_work(actor=actor, profile=p)
            count += 1
    return count


def _trainee(center, admin, mentor, today) -> int:
    username, name = TRAINEE
    if _user(username) is not None:
        return 0
    profile = org_services.staff_create(
        actor=admin,
        username=username,
        full_name=name,
        password=data.DEMO_PASSWORD,
        roles={"clerk"},
        staff_no=staff_numbers.extra(21),
        center=center,
        title="综合窗口受理员（见习）",
        posting_started=today - timedelta(days=12),
        unit=CenterUnit.objects.filter(center=center, kind=CenterUnit.Kind.ACCEPTANCE).first(),
    )
    start = today - timedelta(days=11)
    staffing.training_record(
        actor=admin,
        profile=profile,
        kind=TrainingRecord.Kind.PRE_JOB,
        title="窗口岗前培训（第一阶段）：服务规范与礼仪",
        trainer="中心综合科",
        started_on=start,
        ended_on=start + timedelta(days=1),
        hours=16,
        passed=True,
    )
    staffing.training_record(
        actor=admin,
        profile=profile,
        kind=TrainingRecord.Kind.SHADOWING,
        title="综合窗口跟班学习",
        trainer=mentor.user.full_name,
        mentor=mentor,
        started_on=start + timedelta(days=2),
        ended_on=start + timedelta(days=5),
        hours=24,
        passed=True,
    )
    return 3


def _routine(center, admin, people, today) -> int:
    count = 0
    clerks = [p for p in people if clearance.needs_clearance(p)]
    change = ProcessChange.objects.select_related("matter").order_by("id").first()
    for back in range(6, 0, -1):
        day = today.replace(day=1) - timedelta(days=30 * back - 20)
        for p in clerks:
            staffing.training_record(
                actor=admin,
                profile=p,
                kind=TrainingRecord.Kind.ROUTINE,
                title=["服务规范与文明用语", "一次性告知与容缺受理", "好差评与投诉处置"][back % 3],
                trainer="中心综合科",
                started_on=day,
                ended_on=day,
                hours=3,
                passed=True,
            )
            count += 1
    if change is not None:
        for p in [p for p in clerks if p.department_id][:3]:
            staffing.training_record(
                actor=admin,
                profile=p,
                kind=TrainingRecord.Kind.SPECIAL,
                title=f"{change.matter.name}流程再造专项培训",
                trainer="州政务服务中心审改科",
                process_change=change,
                started_on=today - timedelta(days=20),
                ended_on=today - timedelta(days=20),
                hours=4,
                passed=True,
            )
            count += 1
    return count


def _moves(center, admin, people, today) -> int:
    stationed = [p for p in people if p.department_id]
    count = 0
    if stationed:
        head = stationed[0]
        past = staffing.secondment_file(
            actor=admin,
            profile=head,
            to_unit="县委巡察办",
            reason="参加县委第三轮巡察",
            starts_on=today - timedelta(days=140),
            ends_on=today - timedelta(days=110),
            on=today - timedelta(days=150),
        )
        staffing.secondment_decide(
            actor=admin, secondment=past, approve=True, note="同意，期间由B角顶岗"
        )
        staffing.secondment_file(
            actor=admin,
            profile=head,
            to_unit="县乡村振兴局",
            reason="抽调参加乡村振兴考核",
            starts_on=today + timedelta(days=7),
            ends_on=today + timedelta(days=37),
        )
        count += 2
    if len(stationed) > 1:
        staffing.posting_change_file(
            actor=admin,
            profile=stationed[1],
            kind="change",
            effective_on=today + timedelta(days=20),
            reason="原单位业务骨干轮换，拟由同科室人员接替",
        )
        count += 1
    return count


def _spot_checks(center, actor, people, rng, today) -> int:
    clerks = [p for p in people if clearance.needs_clearance(p) and p.user.username != TRAINEE[0]]
    count = 0
    day = today - timedelta(days=182)
    while day < today and clerks:
        if day.weekday() == 2:  # every Wednesday morning
            for p in rng.sample(clerks, min(3, len(clerks))):
                failed = {
                    k: rng.random() > 0.9
                    for k in ("dress_ok", "badge_ok", "language_ok", "conduct_ok")
                }
                ok = {k: not v for k, v in failed.items()}
                photo = None
                note = ""
                if not all(ok.values()):
                    labels = [
                        n
                        for k, n in zip(
                            ok,
                            ("未统一着装", "未亮牌上岗", "服务用语不规范", "行为举止不当"),
                            strict=True,
                        )
                        if not ok[k]
                    ]
                    note = "、".join(labels) + "，已当场提醒整改"
                    photo = SimpleUploadedFile(
                        f"抽查{day:%Y%m%d}.png", png(seed=count), "image/png"
                    )
                at = timezone.make_aware(datetime.combine(day, time(9, 40 + rng.randrange(0, 15))))
                staffing.spot_check_record(
                    actor=actor, profile=p, note=note, photo=photo, checked_at=at, **ok
                )
                count += 1
        day += timedelta(days=1)
    return count


def _in_post_trained(actor) -> int:
    """The window staff made by the other demo loaders (the departments' approvers) were
    in post before: their pre-job training is on record too. The trainee is left as is."""
    if actor is None:
        return 0
    waiting = (
        StaffProfile.objects.filter(active=True)
        .exclude(user__username=TRAINEE[0])
        .exclude(staffing_record__cleared_at__isnull=False)
        .select_related("user")
        .prefetch_related("user__groups")
    )
    return sum(pre_job_training(actor, p) for p in waiting)


def _sessions(center, people, rng, today) -> int:
    """Six months of window sign-ins and sign-outs of the center's clerks at the window
    they hold today: mornings 9:00–12:00, afternoons 14:30–17:30 in summer (14:00–17:00
    in winter), now and then a day away or a late start, for attendance (考勤)."""
    open_now = {
        s.clerk_id: s.window_id
        for s in WindowSession.objects.filter(window__center=center, signed_out_at__isnull=True)
    }
    cal = calendar_for(center=center)
    rows = []
    for p in people:
        window_id = open_now.get(p.user_id)
        if window_id is None:
            continue
        day = today - timedelta(days=182)
        while day < today:
            if cal.is_workday(day) and rng.random() > 0.04:
                pm = time(14, 30) if 5 <= day.month <= 9 else time(14)
                for start, hours in ((time(9), 3), (pm, 3)):
                    begin = datetime.combine(day, start) + timedelta(
                        minutes=rng.choice([0, 0, 0, 0, 2, 5, 12, 25])
                    )
                    end = datetime.combine(day, start) + timedelta(
                        hours=hours, minutes=rng.choice([0, 0, 5, 10, -20])
                    )
                    rows.append(
                        WindowSession(
                            window_id=window_id,
                            clerk_id=p.user_id,
                            signed_in_at=timezone.make_aware(begin),
                            signed_out_at=timezone.make_aware(end),
                        )
                    )
            day += timedelta(days=1)
    WindowSession.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def load() -> int:
    """Staff records, training, moves and spot checks at the Linxia county and prefecture
    centers; nothing when they are there already."""
    linxia = Center.objects.filter(region__code="622921").first()
    pref = Center.objects.filter(region__code=data.PREFECTURE_CODE).first()
    admin, pref_admin = _user("lxx-admin"), _user("lxz-admin")
    root = _user("admin")
    supervisor = _user("lxx-supervisor") or admin
    if (
        None in (linxia, pref, admin, pref_admin)
        or Recruitment.objects.filter(center=linxia).exists()
    ):
        return _in_post_trained(root)
    rng = random.Random(2026)
    today = timezone.localdate()
    created = 0
    for center, actor, checker in ((linxia, admin, supervisor), (pref, pref_admin, pref_admin)):
        people = _people(center)
        recruitments = _recruit(center, actor, today)
        created += len(recruitments) + _records(center, actor, people, recruitments, rng, today)
        created += _routine(center, actor, people, today) + _moves(center, actor, people, today)
        created += _spot_checks(center, checker, people, rng, today)
        created += _sessions(center, people, rng, today)
    mentor = StaffProfile.objects.filter(user__username="lxx-clerk").first()
    if mentor is not None:
        created += _trainee(linxia, admin, mentor, today)
    return created + _in_post_trained(root)
