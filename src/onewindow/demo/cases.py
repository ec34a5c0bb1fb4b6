"""Demo cases: about three months of **simulated** case history at the Linxia centers.

For the prefecture center and every county center, a seeded random simulation takes
applications in over the last ~13 weeks on the listings there, and follows each one
along the case life of ``cases/states.py`` as the services would: intake by a clerk of
that center authorised for the matter, a one-time correction notice before acceptance
for some (answered, or left to lapse and withdrawn by the sweep), refusal with a reason
for a few, acceptance with the promised and statutory clocks started on the center's
work calendar, review by an approver of the listing's department, a correction during
review for some (the clocks pause and resume), approval or denial, the unified
delivery window (at the window or by mail), archiving. Whatever lies after the moment
of loading has not happened yet, so the recent cases are open in every state.

Deadline warnings are recorded as the sweep would have recorded them while the cases
ran (``CaseAlert`` and an event at the moment a level was first reached), so running
``onewindow sweep`` right after loading finds nothing new.

Rows are written with ``bulk_create``, not through the case services: a few thousand
cases through the services would take minutes. Numbers follow the services' pattern
(``<region code><YYYYMMDD><4 digits>``) and each center's day counters hold the last
number given, so the next intake continues after them. Every event names the demo staff
member who acted; each center gets one audit record for its simulated cases. Applicants
are invented: persons with valid identity numbers (GB 11643) of the Linxia counties and
enterprises with valid unified social credit codes (GB 32100), all marked as demo data.

Back-office approvers are made (through the organisation's service, unable to log in)
for the departments that have cases and no approver yet; 临夏县's market regulation
department keeps its demo approver account.

The step is skipped when any case exists: loading twice changes nothing.
"""

from __future__ import annotations

import bisect
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import (
    Applicant,
    Case,
    CaseAlert,
    CaseEvent,
    Correction,
    Document,
)
from onewindow.cases.services.clock import clocks_rebuild
from onewindow.catalog.models import Listing, Material
from onewindow.core.audit import audit_record
from onewindow.core.calendar import calendar_for
from onewindow.core.idnumber import make as make_id_number
from onewindow.core.models import DailyCounter, Deadline, DeadlinePause
from onewindow.core.roles import Role
from onewindow.core.workcalendar import Pause, WorkCalendar
from onewindow.demo import data, staff_numbers
from onewindow.demo import hall_data as hd
from onewindow.hall.models import Authorization
from onewindow.org import services as org_services
from onewindow.org.models import Center, StaffProfile

User = get_user_model()

SEED = "onewindow-demo-cases-2026"
CASES = 4000
DAYS = 91  # calendar days back from the load
PERSONS = 420
ENTERPRISES = 70
WARN_DAYS = 2  # the sweep's default threshold (ONEWINDOW_CASE_WARN_DAYS)
SWEEP_MINUTES = 5  # the sweep runs every few minutes

# Shares of the centers' intake (the rest is spread evenly over the other counties).
CENTER_WEIGHT = {"622921": 5.0, "622901": 3.5, data.PREFECTURE_CODE: 2.0}
OTHER_WEIGHT = 1.5

# The shape of a case's path.
REFUSE_RATE = 0.04
INTAKE_CORRECTION_RATE = 0.10
INTAKE_LAPSE_RATE = 0.22  # of intake corrections
REVIEW_CORRECTION_RATE = 0.08
REVIEW_LAPSE_RATE = 0.20
DENY_RATE = 0.07
LATE_RATE = 0.07  # decided after the promised date
MAIL_RATE = 0.25
ARCHIVE_RATE = 0.6

REFUSAL_REASONS = (
    "申请事项不属于本机关职权范围，已告知申请人向有关行政机关申请。",
    "申请人不具备申请资格：申请人不是该事项的权利人，且未提交授权委托书。",
    "依法不需要取得行政许可，已当场告知申请人。",
    "申请事项依法不属于本中心受理范围，已告知向州级部门申请。",
)
DENIAL_REASONS = (
    "经审查，申请人提交的材料与实际情况不符，不符合法定条件，依法不予许可。",
    "现场核查发现经营场所不符合规定的安全条件，不予许可；整改后可重新申请。",
    "申请事项不符合国土空间规划要求，依据相关规定不予批准。",
    "申请人存在未履行完毕的行政处罚，依法暂不予办理。",
)
REVIEW_CORRECTIONS = (
    "申请表中经营范围表述不规范，请按规范用语重新填写。",
    "现场核查发现平面布局图与实际不符，请补正。",
    "证明材料已过有效期，请提交有效期内的证明。",
    "申请人签字与身份证明不一致，请本人签字确认。",
)
INTAKE_NOTES = ("申请表未签字。", "复印件不清晰，请重新提供。")
STREETS = ("解放路", "团结路", "红园路", "滨河路", "前河沿", "新华街", "建设路", "北大街")
TRADES = ("商贸", "农牧", "建材", "餐饮", "物流", "清真食品", "文化传媒", "劳务", "牛羊养殖")
COUNTY_SHORT = {c.code: c.short for c in data.COUNTIES}


# --- valid identification numbers (pure) -------------------------------------------------

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code(first8: str) -> str:
    """A 9-character organisation code (GB 11714): 8 digits and their check character."""
    total = sum(int(c) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return first8 + ("X" if check == 10 else "0" if check == 11 else str(check))


def credit_code(region_code: str, serial: int) -> str:
    """A unified social credit code (GB 32100) of an enterprise (91) registered in the
    region, with a valid organisation code and check character."""
    first17 = "91" + region_code[:6] + org_code(f"{serial:08d}")
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return first17 + CREDIT_CHARS[(31 - total % 31) % 31]


def credit_code_valid(code: str) -> bool:
    if len(code) != 18 or any(c not in CREDIT_CHARS for c in code):
        return False
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(code[:17], CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31] == code[17]


# --- the plan of one case (pure apart from the calendar) ---------------------------------


@dataclass
class Step:
    action: str
    at: datetime
    to_state: str
    actor: object = None  # a User, or None for the applicant / the system
    label: str = ""  # when there is no actor
    note: str = ""
    data: dict = field(default_factory=dict)


@dataclass
class Plan:
    """A case's whole path; only the steps up to the moment of loading are written."""

    listing: Listing
    applicant: Applicant
    clerk: object
    received: datetime
    steps: list[Step] = field(default_factory=list)
    missing: list[Material] = field(default_factory=list)  # given at the intake correction
    intake_correction: dict | None = None  # issued, due, answered / lapsed moment
    review_correction: dict | None = None
    accepted: datetime | None = None
    decided: datetime | None = None
    decider: object = None
    approve: bool = True
    decision_note: str = ""
    delivered: datetime | None = None
    method: str = ""
    tracking: str = ""
    refusal: str = ""
    cut: int = 0  # how many steps have happened

    def state_at(self, n: int) -> str:
        return self.steps[n - 1].to_state if n else states.INTAKE


class _Sim:
    def __init__(self, rng: random.Random, now: datetime, cals: dict[int, WorkCalendar]):
        self.rng = rng
        self.now = now
        self.tz = timezone.get_current_timezone()
        self.cals = cals

    def at(self, day: date, earliest: time | None = None) -> datetime:
        """A moment in office hours on ``day`` (not before ``earliest``)."""
        rng = self.rng
        minute = rng.choice(
            (rng.randrange(9 * 60, 12 * 60), rng.randrange(14 * 60 + 30, 17 * 60 + 30))
        )
        moment = time(minute // 60, minute % 60, rng.randrange(60))
        if earliest is not None and moment <= earliest:
            base = datetime.combine(day, earliest) + timedelta(minutes=rng.randrange(3, 40))
            return base.replace(tzinfo=self.tz)
        return datetime.combine(day, moment, tzinfo=self.tz)

    def later(self, moment: datetime, cal: WorkCalendar, working_days: int) -> datetime:
        """Office time ``working_days`` after ``moment`` (0: later the same day)."""
        local = timezone.localtime(moment, self.tz)
        day = local.date()
        if working_days == 0:
            if local.time() >= time(17, 20):
                return local + timedelta(minutes=self.rng.randrange(2, 10))
            return self.at(day, local.time())
        for _ in range(working_days):
            day = cal.next_workday(day)
        return self.at(day)

    def soon(self, moment: datetime, lo: int = 2, hi: int = 25) -> datetime:
        return moment + timedelta(
            minutes=self.rng.randrange(lo, hi), seconds=self.rng.randrange(60)
        )


def _plan(sim: _Sim, p: Plan, *, materials, deciders, approver) -> None:
    rng, cal = sim.rng, sim.cals[p.listing.center_id]
    version = p.listing.matter.current_version
    clerk = p.clerk
    needed = [
        m
        for m in materials.get(version.pk, ())
        if m.requirement == Material.Requirement.REQUIRED and m.source != Material.Source.SHARED
    ]
    steps = p.steps
    t = p.received
    given_names = [m.name for m in needed]

    # intake: refused, corrected before acceptance, or accepted at once
    r = rng.random()
    if r < REFUSE_RATE:
        p.refusal = rng.choice(REFUSAL_REASONS)
        steps.append(Step("intake", t, states.INTAKE, clerk, data={"version": version.number}))
        t = sim.soon(t)
        steps.append(Step("refuse", t, states.REFUSED, clerk, note=p.refusal))
        _archive(sim, p, t, cal, clerk)
        return
    if r < REFUSE_RATE + INTAKE_CORRECTION_RATE:
        p.missing = rng.sample(needed, min(len(needed), rng.choice((1, 1, 2)))) if needed else []
        given_names = [m.name for m in needed if m not in p.missing]
        steps.append(
            Step(
                "intake",
                t,
                states.INTAKE,
                clerk,
                data={"version": version.number, "materials": given_names},
            )
        )
        issued = sim.soon(t)
        due = timezone.localdate(issued)
        for _ in range(5):
            due = cal.next_workday(due)
        items = [{"material_id": m.pk, "name": m.name, "note": ""} for m in p.missing] or [
            {"material_id": None, "name": "", "note": rng.choice(INTAKE_NOTES)}
        ]
        p.intake_correction = {"issued": issued, "due": due, "items": items, "by": clerk}
        steps.append(
            Step(
                "ask_correction_intake",
                issued,
                states.CORRECTING_INTAKE,
                clerk,
                data={"items": [i["name"] or i["note"] for i in items], "due": due.isoformat()},
            )
        )
        if rng.random() < INTAKE_LAPSE_RATE:
            lapsed = datetime.combine(due + timedelta(days=1), time(0, 5), tzinfo=sim.tz)
            p.intake_correction["lapsed"] = lapsed
            steps.append(
                Step(
                    "withdraw",
                    lapsed,
                    states.WITHDRAWN,
                    label="系统",
                    note=f"逾期未补正（期限{due:%Y-%m-%d}），视为撤回",
                )
            )
            _archive(sim, p, lapsed, cal, clerk)
            return
        t = sim.later(issued, cal, rng.randint(1, 4))
        p.intake_correction["answered"] = t
        steps.append(
            Step(
                "reply_intake",
                t,
                states.INTAKE,
                label="申请人",
                data={"materials": [m.name for m in p.missing]},
            )
        )
    else:
        steps.append(
            Step(
                "intake",
                t,
                states.INTAKE,
                clerk,
                data={"version": version.number, "materials": given_names},
            )
        )

    # acceptance: the clocks start, day 0 is today
    t = sim.soon(t, 3, 20)
    p.accepted = t
    start = timezone.localdate(t)
    due0 = cal.due(start, version.promised_days, version.limit_unit).date
    steps.append(Step("accept", t, states.ACCEPTED, clerk, data={"due": due0.isoformat()}))
    instant = version.promised_days == 0
    decider = clerk if instant and clerk is not None and clerk.pk in deciders else approver
    p.decider = decider
    if instant:  # decided on the spot: a few clicks
        t += timedelta(seconds=rng.randrange(10, 30))
    elif rng.random() < 0.3:
        t = sim.later(t, cal, 0)
    else:
        t = sim.later(t, cal, 1)
    steps.append(Step("start_review", t, states.IN_REVIEW, decider))

    # the decision: on time mostly, after the promised date for some
    promised = version.promised_days
    if instant:
        offset = 0
    elif rng.random() < LATE_RATE:
        offset = promised + rng.randint(1, 6)
    else:
        # most departments decide well before the promised date
        offset = max(1, min(promised, round(rng.triangular(1, promised, 1 + promised * 0.3))))
    if version.limit_unit == Deadline.Unit.NATURAL:
        offset = max(1, offset * 5 // 7)
    decide_day = start
    for _ in range(offset):
        decide_day = cal.next_workday(decide_day)
    review_start = timezone.localdate(t)
    if decide_day < review_start:
        decide_day = review_start

    # a correction during review: both clocks pause until the reply
    if not instant and rng.random() < REVIEW_CORRECTION_RATE:
        asked = sim.later(t, cal, rng.randint(0, max(0, min(3, offset - 1))))
        ask_day = timezone.localdate(asked)
        due = ask_day
        for _ in range(rng.choice((5, 10))):
            due = cal.next_workday(due)
        note = rng.choice(REVIEW_CORRECTIONS)
        p.review_correction = {
            "issued": asked,
            "due": due,
            "items": [{"material_id": None, "name": "", "note": note}],
            "by": decider,
        }
        steps.append(
            Step(
                "ask_correction",
                asked,
                states.CORRECTING,
                decider,
                data={"items": [note], "due": due.isoformat()},
            )
        )
        if rng.random() < REVIEW_LAPSE_RATE:
            lapsed = datetime.combine(due + timedelta(days=1), time(0, 5), tzinfo=sim.tz)
            p.review_correction["lapsed"] = lapsed
            steps.append(
                Step(
                    "withdraw",
                    lapsed,
                    states.WITHDRAWN,
                    label="系统",
                    note=f"逾期未补正（期限{due:%Y-%m-%d}），视为撤回",
                )
            )
            _archive(sim, p, lapsed, cal, clerk)
            return
        replied = sim.later(asked, cal, rng.randint(2, 6))
        p.review_correction["answered"] = replied
        steps.append(Step("reply", replied, states.IN_REVIEW, label="申请人"))
        paused = cal.working_days_between(ask_day, timezone.localdate(replied))
        for _ in range(paused):
            decide_day = cal.next_workday(decide_day)
        t = replied
        if decide_day < timezone.localdate(t):
            decide_day = timezone.localdate(t)

    if instant:
        decided = t + timedelta(seconds=rng.randrange(20, 90))
    elif decide_day == timezone.localdate(t):
        decided = sim.later(t, cal, 0)
    else:
        decided = sim.at(decide_day)
    p.decided = decided
    p.approve = rng.random() >= DENY_RATE
    p.decision_note = "" if p.approve else rng.choice(DENIAL_REASONS)
    if p.approve and rng.random() < 0.5:
        p.decision_note = "经审查，申请材料齐全，符合法定条件，准予许可。"
    steps.append(
        Step(
            "approve" if p.approve else "deny",
            decided,
            states.APPROVED if p.approve else states.DENIED,
            decider,
            note=p.decision_note,
        )
    )

    # the unified window: ready, then delivered at the window or by mail
    ready = (
        sim.soon(decided, 1, 5) if instant else sim.later(decided, cal, rng.choice((0, 0, 1, 2)))
    )
    steps.append(Step("make_ready", ready, states.READY, decider))
    delivered = sim.soon(ready, 2, 12) if instant else sim.later(ready, cal, rng.randint(1, 5))
    p.method = "mail" if not instant and rng.random() < MAIL_RATE else "window"
    if p.method == "mail":
        p.tracking = f"11{rng.randrange(10**11):011d}"
    p.delivered = delivered
    steps.append(Step("deliver", delivered, states.DELIVERED, clerk, data={"method": p.method}))
    _archive(sim, p, delivered, cal, clerk)


def _archive(sim: _Sim, p: Plan, after: datetime, cal: WorkCalendar, clerk) -> None:
    if sim.rng.random() < ARCHIVE_RATE:
        p.steps.append(
            Step("archive", sim.later(after, cal, sim.rng.randint(8, 25)), states.ARCHIVED, clerk)
        )


# --- deadlines and the sweep's alerts ------------------------------------------------------


@dataclass
class Clocks:
    due: date | None
    statutory_due: date | None
    paused: bool
    pause: tuple[date, date | None] | None
    alerts: list[tuple[int, datetime, date, str]]  # level, at, due, state


def _clocks(p: Plan, cal: WorkCalendar, now: datetime, tz) -> Clocks:
    """The clocks of an accepted case as the services leave them at ``now``, and the
    alerts the sweep recorded while the case ran."""
    version = p.listing.matter.current_version
    start = timezone.localdate(p.accepted)
    happened = p.steps[: p.cut]
    pause = None
    done = {s.action: s.at for s in happened}
    if "ask_correction" in done:
        answered = done.get("reply")
        pause = (
            timezone.localdate(done["ask_correction"], tz),
            timezone.localdate(answered, tz) if answered else None,
        )
    pauses = [Pause(*pause)] if pause else []
    due = cal.due(start, version.promised_days, version.limit_unit, pauses)
    statutory = cal.due(start, version.statutory_days, version.limit_unit, pauses)

    # running intervals (accepted / in review) with the due date that held in each
    running: list[tuple[datetime, datetime | None, date, list[str]]] = []
    due0 = cal.due(start, version.promised_days, version.limit_unit).date
    begin, current = p.accepted, due0
    for step in happened:
        if step.action in ("ask_correction", "approve", "deny"):
            running.append((begin, step.at, current, []))
            begin = None
        elif step.action == "reply":
            begin, current = step.at, due.date
    if begin is not None:
        running.append((begin, None, current, []))

    level, alerts = 0, []
    for a, b, d, _ in running:
        if level >= CaseAlert.Level.OVERDUE:
            break
        end = b if b is not None else now
        warn_at = _first_tick(
            cal,
            a,
            end,
            d,
            lambda day, d=d: cal.working_days_between(day, d) <= WARN_DAYS,
            now,
            b is None,
            tz,
        )
        late_at = _first_tick(cal, a, end, d, lambda day, d=d: day > d, now, b is None, tz)
        state_at = _state_at(p, happened)
        if (
            late_at is not None
            and level < CaseAlert.Level.WARNING
            and (warn_at is None or warn_at >= late_at)
        ):
            warn_at = late_at
        if warn_at is not None and level < CaseAlert.Level.WARNING:
            alerts.append((CaseAlert.Level.WARNING, warn_at, d, state_at(warn_at)))
            level = CaseAlert.Level.WARNING
        if late_at is not None:
            alerts.append((CaseAlert.Level.OVERDUE, late_at, d, state_at(late_at)))
            level = CaseAlert.Level.OVERDUE
    return Clocks(
        due=due.date,
        statutory_due=statutory.date,
        paused=due.paused,
        pause=pause,
        alerts=alerts,
    )


def _state_at(p: Plan, happened: list[Step]):
    def state(moment: datetime) -> str:
        current = states.INTAKE
        for step in happened:
            if step.at > moment:
                break
            current = step.to_state
        return current

    return state


def _first_tick(cal, a, end, due, holds, now, still_running, tz):
    """The first sweep after ``a`` and before ``end`` that sees ``holds(today)``."""
    day = timezone.localdate(a, tz)
    last = timezone.localdate(end, tz)
    while day <= last:
        if holds(day):
            moment = max(a, datetime.combine(day, time(0), tzinfo=tz))
            minutes = SWEEP_MINUTES - (moment.minute % SWEEP_MINUTES)
            tick = moment.replace(second=0, microsecond=0) + timedelta(minutes=minutes)
            if still_running:
                return min(tick, now)
            return tick if tick < end else None
        day += timedelta(days=1)
    return None


# --- the loader --------------------------------------------------------------------------


class _Loader:
    def __init__(self, now: datetime):
        self.now = now
        self.today = timezone.localdate(now)
        self.tz = timezone.get_current_timezone()
        self.rng = random.Random(SEED)
        self.created = 0
        self.actor = User.objects.get(username=data.SUPERUSER[0], is_superuser=True)

    def centers(self) -> list[Center]:
        codes = [data.PREFECTURE_CODE, *(c.code for c in data.COUNTIES)]
        return list(
            Center.objects.filter(region__code__in=codes).select_related("region").order_by("code")
        )

    def approvers(self, listings: list[Listing]) -> dict[int, object]:
        """An approver of each department with cases (the existing demo one where there is)."""
        result: dict[int, object] = {}
        for profile in (
            StaffProfile.objects.filter(department__isnull=False, active=True)
            .select_related("user")
            .prefetch_related("user__groups")
            .order_by("pk")
        ):
            if Role.APPROVER in profile.roles and profile.department_id not in result:
                result[profile.department_id] = profile.user
        rng = random.Random(f"{SEED}:approvers")
        # the prefecture center's administrator keeps the staff of the whole network
        manager = (
            User.objects.filter(username="lxz-admin", staff_profile__active=True).first()
            or self.actor
        )
        departments = {lst.department_id: lst.department for lst in listings}
        for dept_id in sorted(departments):
            if dept_id in result:
                continue
            dept = departments[dept_id]
            prefix = hd.CLERK_PREFIX.get(dept.region.code, dept.region.code)
            username = f"{prefix}-{dept.line.code}-sp"
            user = User.objects.filter(username=username).first()
            if user is None:
                name = rng.choice(hd.SURNAMES) + rng.choice(hd.GIVEN)
                user = org_services.staff_create(
                    actor=manager,
                    username=username,
                    full_name=name,
                    password=None,
                    roles={Role.APPROVER},
                    staff_no=staff_numbers.approver(dept_id),
                    department=dept,
                    title="审批科科员",
                    posting_started=date(2023, 3, 1),
                ).user
                self.created += 1
            result[dept_id] = user
        return result

    def applicants(self, centers: list[Center]) -> dict[str, list[Applicant]]:
        """Persons and enterprises of each county (the prefecture's seat is 临夏市)."""
        rng = random.Random(f"{SEED}:applicants")
        counties = [c.code for c in data.COUNTIES]
        rows: list[Applicant] = []
        county_of: dict[str, str] = {}  # identity digest or credit code -> county
        for n in range(PERSONS):
            county = counties[n % len(counties)]
            born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
            number = make_id_number(f"{county}{born:%Y%m%d}{100 + n % 800:03d}")
            name = rng.choice(hd.SURNAMES) + rng.choice(hd.GIVEN)
            a = Applicant(
                kind=Applicant.Kind.PERSON,
                name=name,
                phone=f"170{rng.randrange(10**8):08d}",
                address=f"{COUNTY_SHORT[county]}{rng.choice(STREETS)}{rng.randint(1, 300)}号{data.DEMO_MARK}",
                profile={"applicant_name": name},
            )
            a.set_id_number(number)
            county_of[a.id_number_digest] = county
            rows.append(a)
        for n in range(ENTERPRISES):
            county = counties[n % len(counties)]
            short = COUNTY_SHORT[county]
            trade = TRADES[n % len(TRADES)]
            boss = rng.choice(hd.SURNAMES) + rng.choice(hd.GIVEN)
            name = f"{short}{boss[0]}氏{trade}有限公司{data.DEMO_MARK}"
            rows.append(
                Applicant(
                    kind=Applicant.Kind.ENTERPRISE,
                    name=name,
                    credit_code=credit_code(county, 60_000_000 + n * 7919),
                    phone=f"170{rng.randrange(10**8):08d}",
                    address=f"{short}{rng.choice(STREETS)}{rng.randint(1, 300)}号{data.DEMO_MARK}",
                    contact_name=boss,
                    profile={"enterprise_name": name, "legal_representative": boss},
                )
            )
        digests = {a.id_number_digest for a in rows if a.id_number_digest}
        codes = {a.credit_code for a in rows if a.credit_code}
        have_digest = set(
            Applicant.objects.filter(id_number_digest__in=digests).values_list(
                "id_number_digest", flat=True
            )
        )
        have_code = set(
            Applicant.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True)
        )
        new = [
            a
            for a in rows
            if not (a.id_number_digest and a.id_number_digest in have_digest)
            and not (a.credit_code and a.credit_code in have_code)
        ]
        Applicant.objects.bulk_create(new, batch_size=500)
        self.created += len(new)
        pools: dict[str, list[Applicant]] = {}
        everyone = Applicant.objects.filter(
            id_number_digest__in=digests
        ) | Applicant.objects.filter(credit_code__in=codes)
        for a in everyone.order_by("pk"):
            county = a.credit_code[2:8] if a.credit_code else county_of[a.id_number_digest]
            pools.setdefault(f"{a.kind}:{county}", []).append(a)
        return pools

    def load(self) -> int:
        if Case.objects.exists():
            return 0
        centers = self.centers()
        if not centers:
            return 0
        listings = list(
            Listing.objects.public()
            .filter(center__in=centers)
            .select_related(
                "matter__current_version",
                "department__line",
                "department__region",
                "center__region",
            )
            .order_by("pk")
        )
        if not listings:
            return 0
        cals = {c.pk: calendar_for(center=c) for c in centers}
        versions = {lst.matter.current_version_id for lst in listings}
        materials: dict[int, list[Material]] = {}
        for m in Material.objects.filter(version_id__in=versions).order_by(
            "version", "order", "id"
        ):
            materials.setdefault(m.version_id, []).append(m)
        auth: dict[tuple[int, int], list[int]] = {}
        deciders: dict[int, set[int]] = {}
        center_clerks: dict[int, list[int]] = {}
        for clerk_id, matter_id, center_id, decide in Authorization.objects.filter(
            clerk__staff_profile__center__in=centers,
            may_accept=True,
            clerk__staff_profile__active=True,
        ).values_list("clerk_id", "matter_id", "clerk__staff_profile__center_id", "may_decide"):
            auth.setdefault((center_id, matter_id), []).append(clerk_id)
            center_clerks.setdefault(center_id, []).append(clerk_id)
            if decide:
                deciders.setdefault(matter_id, set()).add(clerk_id)
        users = {
            u.pk: u for u in User.objects.filter(pk__in={c for cs in auth.values() for c in cs})
        }
        approvers = self.approvers(listings)
        pools = self.applicants(centers)

        by_center: dict[int, list[Listing]] = {}
        for lst in listings:
            by_center.setdefault(lst.center_id, []).append(lst)
        rng = self.rng
        popularity = {lst.pk: rng.lognormvariate(0, 1.0) for lst in listings}
        center_list = [c for c in centers if c.pk in by_center]
        center_weights = list(
            _cumulative(CENTER_WEIGHT.get(c.region.code, OTHER_WEIGHT) for c in center_list)
        )
        listing_weights = {
            cid: list(_cumulative(popularity[lst.pk] for lst in ls))
            for cid, ls in by_center.items()
        }
        days = {
            c.pk: [
                self.today - timedelta(days=k)
                for k in range(DAYS, -1, -1)
                if cals[c.pk].is_workday(self.today - timedelta(days=k))
            ]
            for c in center_list
        }
        sim = _Sim(rng, self.now, cals)
        plans: list[Plan] = []
        for _ in range(CASES):
            center = center_list[_pick(rng, center_weights)]
            ls = by_center[center.pk]
            listing = ls[_pick(rng, listing_weights[center.pk])]
            matter = listing.matter
            kind = (
                Applicant.Kind.ENTERPRISE
                if matter.for_enterprises and (not matter.for_persons or rng.random() < 0.3)
                else Applicant.Kind.PERSON
            )
            county = center.region.code if center.region.code in COUNTY_SHORT else "622901"
            if rng.random() < 0.15:
                county = rng.choice(list(COUNTY_SHORT))
            pool = pools.get(f"{kind}:{county}") or pools.get(f"{kind}:622901") or []
            if not pool:
                continue
            applicant = rng.choice(pool)
            clerks = auth.get((center.pk, matter.pk)) or center_clerks.get(center.pk) or []
            clerk = users.get(rng.choice(clerks)) if clerks else None
            received = sim.at(rng.choice(days[center.pk]))
            if received > self.now:
                earlier = [d for d in days[center.pk] if d < self.today]
                received = sim.at(rng.choice(earlier))
            p = Plan(listing=listing, applicant=applicant, clerk=clerk, received=received)
            _plan(
                sim,
                p,
                materials=materials,
                deciders=deciders.get(matter.pk, set()),
                approver=approvers[listing.department_id],
            )
            p.cut = sum(1 for s in p.steps if s.at <= self.now)
            plans.append(p)
        plans.sort(key=lambda p: (p.received, p.listing.center_id))
        _cover_every_state(plans, self.now, self.today)
        self.write(plans, cals, materials)
        return self.created

    # --- writing ------------------------------------------------------------------------

    def write(self, plans: list[Plan], cals, materials) -> None:
        now, tz = self.now, self.tz
        counters: dict[tuple[int, date], int] = {}
        cases: list[Case] = []
        clocks: list[Clocks | None] = []
        for p in plans:
            center = p.listing.center
            day = timezone.localdate(p.received, tz)
            n = counters[(center.pk, day)] = counters.get((center.pk, day), 0) + 1
            happened = p.steps[: p.cut]
            state = p.state_at(p.cut)
            done = {s.action for s in happened}
            version = p.listing.matter.current_version
            case = Case(
                number=f"{center.region.code}{day:%Y%m%d}{n:04d}",
                token=secrets.token_urlsafe(16),
                center=center,
                department=p.listing.department,
                listing=p.listing,
                matter=p.listing.matter,
                guide_version=version,
                applicant=p.applicant,
                channel=Case.Channel.WINDOW,
                state=state,
                intake_clerk=p.clerk,
                form_data=_form(version, p.applicant),
                received_at=p.received,
            )
            if "refuse" in done:
                case.refusal_reason = p.refusal
            if "start_review" in done:
                case.assignee = p.decider
            if done & {"approve", "deny"}:
                case.decided_at, case.decided_by = p.decided, p.decider
                case.decision_note = p.decision_note
            if "deliver" in done:
                case.delivered_at = p.delivered
                case.delivery_method, case.tracking_number = p.method, p.tracking
            c = None
            if "accept" in done:
                case.accepted_at = p.accepted
                c = _clocks(p, cals[center.pk], now, tz)
                case.warning_level = max((a[0] for a in c.alerts), default=0)
            cases.append(case)
            clocks.append(c)

        # the clocks: promised and statutory deadlines, with their pauses
        deadlines: list[Deadline] = []
        for case, p, c in zip(cases, plans, clocks, strict=True):
            if c is None:
                continue
            version = case.guide_version
            start = timezone.localdate(p.accepted, tz)
            for purpose, days, due in (
                ("承诺时限", version.promised_days, c.due),
                ("法定时限", version.statutory_days, c.statutory_due),
            ):
                deadlines.append(
                    Deadline(
                        center=case.center,
                        purpose=f"办件{case.number}{purpose}",
                        start=start,
                        days=days,
                        unit=version.limit_unit,
                        due=due,
                        provisional=False,
                        paused=c.paused,
                    )
                )
        Deadline.objects.bulk_create(deadlines, batch_size=1000)
        it = iter(deadlines)
        pauses = []
        for case, c in zip(cases, clocks, strict=True):
            if c is None:
                continue
            case.deadline, case.statutory_deadline = next(it), next(it)
            if c.pause is not None:
                for d in (case.deadline, case.statutory_deadline):
                    pauses.append(
                        DeadlinePause(
                            deadline=d, start=c.pause[0], end=c.pause[1], reason="补正材料"
                        )
                    )
        DeadlinePause.objects.bulk_create(pauses, batch_size=1000)
        Case.objects.bulk_create(cases, batch_size=500)
        # The clock fields the services keep on each row, from the deadlines just written.
        clocks_rebuild(Case.objects.filter(pk__in=[c.pk for c in cases if c.deadline_id]))

        documents, corrections, events, alerts = [], [], [], []
        for case, p, c in zip(cases, plans, clocks, strict=True):
            version = case.guide_version
            needed = [
                m
                for m in materials.get(version.pk, ())
                if m.requirement == Material.Requirement.REQUIRED
                and m.source != Material.Source.SHARED
            ]
            happened = p.steps[: p.cut]
            done = {s.action: s.at for s in happened}
            replied = done.get("reply_intake")
            for m in needed:
                late = m in p.missing
                if late and replied is None:
                    continue
                documents.append(
                    Document(
                        case=case,
                        material=m,
                        electronic=False,
                        paper_received=True,
                        received_at=replied if late else p.received,
                        received_by=p.clerk if not late else None,
                    )
                )
            for key in ("intake_correction", "review_correction"):
                info = getattr(p, key)
                asked, reply = (
                    ("ask_correction_intake", "reply_intake")
                    if key == "intake_correction"
                    else ("ask_correction", "reply")
                )
                if info is None or asked not in done:
                    continue
                state = Correction.State.OPEN
                answered = done.get(reply)
                if answered is not None:
                    state = Correction.State.ANSWERED
                elif "withdraw" in done:
                    state = Correction.State.LAPSED
                corrections.append(
                    Correction(
                        case=case,
                        stage="intake" if key == "intake_correction" else "review",
                        items=info["items"],
                        due=info["due"],
                        state=state,
                        issued_at=info["issued"],
                        issued_by=info["by"],
                        answered_at=answered if state == Correction.State.ANSWERED else None,
                    )
                )
            before = ""
            for step in happened:
                events.append(_event(case, step, before))
                before = step.to_state
            for level, at, due, state in c.alerts if c else ():
                alerts.append(CaseAlert(case=case, level=level, at=at, due=due))
                events.append(
                    CaseEvent(
                        case=case,
                        action="alert",
                        from_state=state,
                        to_state=state,
                        actor_label="系统",
                        note=CaseAlert.Level(level).label,
                        data={"level": level},
                        at=at,
                    )
                )
        Document.objects.bulk_create(documents, batch_size=1000)
        Correction.objects.bulk_create(corrections, batch_size=1000)
        events.sort(key=lambda e: (e.at, e.case.pk))
        CaseEvent.objects.bulk_create(events, batch_size=1000)
        CaseAlert.objects.bulk_create(alerts, batch_size=1000)
        DailyCounter.objects.bulk_create(
            [
                DailyCounter(series="case", key=str(center_id), day=day, last=last)
                for (center_id, day), last in sorted(counters.items())
            ],
            batch_size=1000,
        )
        by_center: dict[int, list[Case]] = {}
        for case in cases:
            by_center.setdefault(case.center_id, []).append(case)
        for center_cases in by_center.values():
            center = center_cases[0].center
            open_count = sum(1 for case in center_cases if case.state in states.OPEN)
            audit_record(
                actor=self.actor,
                action="demo.cases",
                target=center,
                center=center,
                after={"cases": len(center_cases), "open": open_count},
                note="载入演示数据：模拟的近三个月办件（非真实数据）",
            )
        self.created += len(cases) + len(deadlines) + len(events)


def _cumulative(weights):
    total = 0.0
    for w in weights:
        total += w
        yield total


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    return min(bisect.bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def _form(version, applicant: Applicant) -> dict:
    keys = {f.get("key") for f in (version.form_fields or [])}
    values = {
        "applicant_name": applicant.name if applicant.kind == Applicant.Kind.PERSON else "",
        "enterprise_name": applicant.name if applicant.kind == Applicant.Kind.ENTERPRISE else "",
        "credit_code": applicant.credit_code,
        "legal_representative": applicant.contact_name,
        "phone": applicant.phone,
        "address": applicant.address,
    }
    return {k: v for k, v in values.items() if k in keys and v}


def _event(case: Case, step: Step, before: str) -> CaseEvent:
    actor = step.actor
    return CaseEvent(
        case=case,
        action=step.action,
        from_state=before,
        to_state=step.to_state,
        actor=actor,
        actor_label=(str(actor) if actor is not None else step.label)[:100],
        note=step.note,
        data=step.data,
        at=step.at,
    )


# States the demo shows at least once, whatever the moment of loading.
SHOWN = (
    states.INTAKE,
    states.CORRECTING_INTAKE,
    states.ACCEPTED,
    states.IN_REVIEW,
    states.CORRECTING,
    states.APPROVED,
    states.DENIED,
    states.READY,
    states.DELIVERED,
    states.REFUSED,
    states.WITHDRAWN,
    states.ARCHIVED,
)
MIN_SHOWN = 3


def _cover_every_state(plans: list[Plan], now: datetime, today: date) -> None:
    """Make sure each state of ``SHOWN`` has a few cases at the moment of loading, by
    stopping the most recent cases that pass through a missing state at that state (what
    comes after has simply not happened yet). An open correction stops there only if its
    date has not passed (the sweep would have withdrawn it)."""
    used = set()
    for state in SHOWN:
        have = sum(1 for p in plans if p.state_at(p.cut) == state)
        for p in reversed(plans):
            if have >= MIN_SHOWN:
                break
            if id(p) in used or p.state_at(p.cut) in (state,):
                continue
            for n in range(1, p.cut + 1):
                step = p.steps[n - 1]
                if step.to_state != state:
                    continue
                if state == states.CORRECTING_INTAKE and p.intake_correction["due"] < today:
                    continue
                if state == states.CORRECTING and p.review_correction["due"] < today:
                    continue
                if n < p.cut:
                    p.cut = n
                    used.add(id(p))
                    have += 1
                break


def load_demo_cases(*, now: datetime | None = None) -> int:
    """Add the simulated cases (when there are none yet); return how many rows were made."""
    with transaction.atomic():
        return _Loader(now or timezone.now()).load()
