"""Leader duty (R-SUP-1, R-SUP-3): the roster, sign-in and sign-out (by the desk's QR
code or at the admin desk), the problems found and their close, walks through a process.
"""

from __future__ import annotations

from datetime import datetime

from django.core import signing
from django.db import transaction
from django.utils import timezone

from onewindow.catalog.models import Matter
from onewindow.core import clock
from onewindow.core.audit import audit_record
from onewindow.core.calendar import calendar_for
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.locking import for_update
from onewindow.core.roles import DEPARTMENT_HEADS, Role, may
from onewindow.core.scope import scope_for
from onewindow.core.text import clean_text
from onewindow.org.models import Center, Level, Region, StaffProfile
from onewindow.oversight.models import (
    CountyDutySetting,
    DutyKind,
    DutyPost,
    DutyProblem,
    DutySitting,
    ProcessWalk,
    SignVia,
)

# The desk's QR code names the center and the minute it was shown; a code older than
# this is refused, so a photo of it is no use away from the desk.
QR_MAX_AGE_SECONDS = 15 * 60
QR_SALT = "onewindow.duty.desk"
MAX_WORKING_DAYS = 60


def as_id(value) -> int | None:
    """A record id from a form or a URL; anything else is None (found nowhere)."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def require(actor, activity: str, message: str) -> None:
    if not may(actor, activity):
        raise Forbidden("duty.forbidden", message)


def center_in_scope(actor, center_id) -> Center:
    try:
        return Center.objects.visible_to(scope_for(actor)).get(pk=as_id(center_id))
    except Center.DoesNotExist:
        raise NotFound() from None


def _post_snapshot(post: DutyPost) -> dict:
    return {
        "leader": post.leader.user.full_name,
        "kind": post.kind,
        "department": post.department.name if post.department_id else "",
        "active": post.active,
    }


def _county_adopts(region: Region) -> bool:
    return CountyDutySetting.objects.filter(region=region, adopted=True).exists()


@transaction.atomic
def duty_post_add(*, actor, center_id, leader_id, kind: str, note: str = "", now=None) -> DutyPost:
    """Put a leader on the center's duty roster (the center's administrator)."""
    require(actor, "duty.manage", "只有中心管理员可以维护坐班名单。")
    center = center_in_scope(actor, center_id)
    if kind not in DutyKind.values:
        raise InvalidInput("duty.kind", "请选择坐班类别。", {"kind": "请选择坐班类别。"})
    leader = (
        StaffProfile.objects.select_related("department", "user")
        .filter(pk=as_id(leader_id), active=True)
        .first()
    )
    if leader is None:
        raise InvalidInput("duty.leader", "请选择领导。", {"leader": "请选择领导。"})
    department = None
    if kind == DutyKind.COUNTY:
        if Role.LEADER not in leader.roles or leader.department_id:
            raise InvalidInput("duty.not_county_leader", "县级领导坐班只能安排不属于部门的领导。")
        if center.region.level != Level.COUNTY or leader.home_region != center.region:
            raise InvalidInput("duty.county_center", "县级领导只能在本县政务服务中心坐班。")
        if not _county_adopts(center.region):
            raise Conflict("duty.county_not_adopted", f"{center.region.name}未实行县级领导坐班制。")
    else:
        if not (leader.roles & DEPARTMENT_HEADS) or not leader.department_id:
            raise InvalidInput("duty.not_head", "部门领导坐班只能安排部门领导或首席代表。")
        if leader.department.center_id != center.pk:
            raise InvalidInput("duty.department_center", "该领导的部门未进驻本中心。")
        department = leader.department
    post = (
        DutyPost.objects.select_for_update()
        .filter(center=center, leader=leader)
        .order_by("pk")
        .first()
    )
    before = _post_snapshot(post) if post else None
    if post is not None and post.active:
        raise Conflict("duty.on_roster", f"{leader.user.full_name}已在本中心坐班名单上。")
    if post is None:
        post = DutyPost(center=center, leader=leader)
    post.kind, post.department, post.active = kind, department, True
    post.since = timezone.localdate(clock.now(now))
    post.note = clean_text(note, field="note", label="备注", limit=100, required=False)
    post.save()
    audit_record(
        actor=actor,
        action="duty_post.add",
        target=post,
        center=center,
        department=department,
        before=before,
        after=_post_snapshot(post),
    )
    return post


@transaction.atomic
def duty_post_remove(*, actor, post_id) -> DutyPost:
    require(actor, "duty.manage", "只有中心管理员可以维护坐班名单。")
    post = _post_in_scope(actor, post_id, lock=True)
    before = _post_snapshot(post)
    post.active = False
    post.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="duty_post.remove",
        target=post,
        center=post.center,
        department=post.department,
        before=before,
        after=_post_snapshot(post),
    )
    return post


@transaction.atomic
def county_duty_set(*, actor, region_id, adopted: bool, half_days_per_quarter: int):
    """A county adopts (or drops) county leaders' duty, with its quarterly minimum."""
    require(actor, "duty.county_setting", "只有中心管理员或政府办公室可以设置县级领导坐班。")
    region = Region.objects.visible_to(scope_for(actor)).filter(pk=as_id(region_id)).first()
    if region is None:
        raise NotFound()
    if region.level != Level.COUNTY:
        raise InvalidInput("duty.county_only", "县级领导坐班制按县市设置。")
    try:
        half_days = int(half_days_per_quarter)
    except (TypeError, ValueError):
        half_days = -1
    if not 1 <= half_days <= 130:
        raise InvalidInput("duty.half_days", "每季度半天数应为1至130。", {"half_days": "1至130"})
    setting, _ = CountyDutySetting.objects.select_for_update().get_or_create(region=region)
    before = {"adopted": setting.adopted, "half_days": setting.half_days_per_quarter}
    setting.adopted, setting.half_days_per_quarter = bool(adopted), half_days
    setting.save()
    audit_record(
        actor=actor,
        action="county_duty.set",
        target=setting,
        before=before,
        after={"adopted": setting.adopted, "half_days": setting.half_days_per_quarter},
    )
    return setting


def _post_in_scope(actor, post_id, *, lock=False) -> DutyPost:
    qs = DutyPost.objects.visible_to(scope_for(actor))
    try:
        post = qs.get(pk=as_id(post_id))
    except DutyPost.DoesNotExist:
        raise NotFound() from None
    if lock:
        post = (
            DutyPost.objects.select_for_update()
            .select_related("center", "leader__user")
            .get(pk=post.pk)
        )
    return post


def own_post(actor, center: Center) -> DutyPost:
    profile = getattr(actor, "staff_profile", None)
    post = (
        DutyPost.objects.filter(center=center, leader=profile, active=True).first()
        if profile is not None
        else None
    )
    if post is None:
        raise Forbidden("duty.not_on_roster", f"您不在{center.name}的坐班名单上，不能在此签到。")
    return post


# --- signing in and out -------------------------------------------------------------------


def desk_token(center: Center) -> str:
    """What the duty desk's QR code carries: the center, signed and dated."""
    return signing.TimestampSigner(salt=QR_SALT).sign(str(center.pk))


def desk_center(token: str) -> Center:
    """The center of a desk code still fresh; an old or forged code is refused."""
    try:
        center_id = signing.TimestampSigner(salt=QR_SALT).unsign(
            str(token)[:200], max_age=QR_MAX_AGE_SECONDS
        )
    except signing.SignatureExpired:
        raise InvalidInput(
            "duty.qr_expired", "二维码已过期，请重新扫描坐班台上的二维码。"
        ) from None
    except signing.BadSignature:
        raise NotFound() from None
    center = Center.objects.filter(pk=center_id, is_active=True).first()
    if center is None:
        raise NotFound()
    return center


def _toggle(*, actor, post: DutyPost, via: str, at: datetime) -> tuple[DutySitting, bool]:
    # The post's row alone is locked; its leader, center and department are read with
    # it (the audit row names them).
    post = (
        for_update(DutyPost.objects)
        .select_related("leader__user", "center", "department")
        .get(pk=post.pk)
    )
    sitting = DutySitting.objects.filter(post=post, ended_at__isnull=True).first()
    if sitting is not None:
        sitting.post = post
    if sitting is None:
        sitting = DutySitting.objects.create(
            post=post, center_id=post.center_id, started_at=at, in_via=via, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action="duty.sign_in",
            target=sitting,
            center=post.center,
            department=post.department,
            after={"at": at, "via": via},
        )
        return sitting, True
    if timezone.localdate(sitting.started_at) != timezone.localdate(at):
        raise Conflict(
            "duty.open_sitting",
            f"{timezone.localtime(sitting.started_at):%Y-%m-%d}的坐班未签退，"
            "请中心管理员在坐班管理台补登签退时间。",
        )
    if at <= sitting.started_at:
        raise InvalidInput("duty.sign_out_time", "签退时间应晚于签到时间。")
    sitting.ended_at, sitting.out_via = at, via
    sitting.save(update_fields=["ended_at", "out_via"])
    audit_record(
        actor=actor,
        action="duty.sign_out",
        target=sitting,
        center=post.center,
        department=post.department,
        after={"at": at, "via": via},
    )
    return sitting, False


@transaction.atomic
def duty_sign_by_qr(*, actor, token: str, now=None) -> tuple[DutySitting, bool]:
    """A leader signs in (or out, when signed in) with the desk's QR code on the phone.
    Returns the sitting and whether it was a sign-in."""
    center = desk_center(token)
    return _toggle(actor=actor, post=own_post(actor, center), via=SignVia.QR, at=clock.now(now))


@transaction.atomic
def duty_sign_at_desk(*, actor, post_id, now=None) -> tuple[DutySitting, bool]:
    """The center's administrator signs a leader in or out at the admin desk."""
    require(actor, "duty.manage", "只有中心管理员可以在管理台登记坐班。")
    post = _post_in_scope(actor, post_id)
    if not post.active:
        raise Conflict("duty.off_roster", "该领导已不在坐班名单上。")
    return _toggle(actor=actor, post=post, via=SignVia.DESK, at=clock.now(now))


@transaction.atomic
def duty_sitting_close(*, actor, sitting_id, ended_at: datetime) -> DutySitting:
    """Record the sign-out a leader forgot (the administrator, with the real time)."""
    require(actor, "duty.manage", "只有中心管理员可以补登签退。")
    sitting = DutySitting.objects.visible_to(scope_for(actor)).filter(pk=as_id(sitting_id)).first()
    if sitting is None:
        raise NotFound()
    sitting = DutySitting.objects.select_for_update().get(pk=sitting.pk)
    if sitting.ended_at is not None:
        raise Conflict("duty.closed", "该次坐班已签退。")
    if ended_at is None or ended_at <= sitting.started_at:
        raise InvalidInput(
            "duty.sign_out_time", "签退时间应晚于签到时间。", {"ended_at": "晚于签到"}
        )
    if timezone.localdate(ended_at) != timezone.localdate(sitting.started_at):
        raise InvalidInput(
            "duty.sign_out_day", "签退时间应与签到在同一天。", {"ended_at": "同一天"}
        )
    sitting.ended_at, sitting.out_via = ended_at, SignVia.DESK
    sitting.save(update_fields=["ended_at", "out_via"])
    audit_record(
        actor=actor,
        action="duty.sign_out",
        target=sitting,
        center=sitting.center,
        after={"at": ended_at, "via": SignVia.DESK},
        note="补登签退",
    )
    return sitting


# --- problems and walks ---------------------------------------------------------------------


def _owner_at(center: Center, owner_id) -> StaffProfile:
    owner = (
        StaffProfile.objects.select_related("department", "user")
        .filter(pk=as_id(owner_id), active=True)
        .first()
    )
    if owner is None or not (
        owner.center_id == center.pk
        or (owner.department_id and owner.department.center_id == center.pk)
    ):
        raise InvalidInput(
            "duty.owner", "请选择本中心的责任人。", {"owner": "请选择本中心的责任人。"}
        )
    return owner


def _text(value, field: str, label: str, limit: int) -> str:
    return clean_text(value, field=field, label=label, limit=limit, code=f"duty.{field}")


@transaction.atomic
def duty_problem_record(
    *, actor, center_id, description, fix_planned, owner_id, working_days, now=None
) -> DutyProblem:
    """A leader on the center's roster records a problem found and the fix planned; it
    becomes a tracked item with an owner and a working-day deadline."""
    require(actor, "duty.sit", "只有坐班领导可以登记坐班发现的问题。")
    center = Center.objects.filter(pk=as_id(center_id)).first()
    if center is None:
        raise NotFound()
    post = own_post(actor, center)
    at = clock.now(now)
    description = _text(description, "description", "发现的问题", 300)
    fix_planned = _text(fix_planned, "fix_planned", "整改措施", 300)
    owner = _owner_at(center, owner_id)
    try:
        days = int(working_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_WORKING_DAYS:
        raise InvalidInput(
            "duty.working_days",
            f"整改时限应为1至{MAX_WORKING_DAYS}个工作日。",
            {"working_days": f"1至{MAX_WORKING_DAYS}"},
        )
    found_on = timezone.localdate(at)
    deadline = calendar_for(center=center).add_working_days(found_on, days).date
    sitting = post.sittings.filter(started_at__date__lte=found_on).order_by("-started_at").first()
    if sitting is not None and timezone.localdate(sitting.started_at) != found_on:
        sitting = None
    problem = DutyProblem.objects.create(
        center=center,
        department=owner.department or post.department,
        post=post,
        sitting=sitting,
        found_on=found_on,
        description=description,
        fix_planned=fix_planned,
        owner=owner,
        working_days=days,
        deadline=deadline,
    )
    audit_record(
        actor=actor,
        action="duty_problem.record",
        target=problem,
        center=center,
        department=problem.department,
        after={"owner": owner.user.full_name, "deadline": deadline, "description": description},
    )
    return problem


@transaction.atomic
def duty_problem_close(*, actor, problem_id, result, now=None) -> DutyProblem:
    """The owner, the leader who found it or the center's administrator closes an item
    with its result."""
    problem = DutyProblem.objects.visible_to(scope_for(actor)).filter(pk=as_id(problem_id)).first()
    profile = getattr(actor, "staff_profile", None)
    if problem is None and profile is not None:
        problem = DutyProblem.objects.filter(pk=as_id(problem_id), owner=profile).first()
    if problem is None:
        raise NotFound()
    problem = (
        DutyProblem.objects.select_for_update().select_related("post", "owner").get(pk=problem.pk)
    )
    allowed = may(actor, "duty.manage") or (
        profile is not None and profile.pk in (problem.owner_id, problem.post.leader_id)
    )
    if not allowed:
        raise Forbidden("duty.close_forbidden", "只有责任人、发现问题的领导或中心管理员可以办结。")
    if problem.closed_at is not None:
        raise Conflict("duty.problem_closed", "该问题已办结。")
    problem.result = _text(result, "result", "整改结果", 300)
    problem.closed_at, problem.closed_by = clock.now(now), actor
    problem.save(update_fields=["result", "closed_at", "closed_by"])
    audit_record(
        actor=actor,
        action="duty_problem.close",
        target=problem,
        center=problem.center,
        department=problem.department,
        after={"result": problem.result},
    )
    return problem


@transaction.atomic
def process_walk_record(
    *, actor, center_id, subject, findings, matter_id=None, minutes=None, role_played="", now=None
) -> ProcessWalk:
    """走流程: a leader on the roster records going through a matter as an applicant."""
    require(actor, "duty.sit", "只有坐班领导可以登记走流程。")
    center = Center.objects.filter(pk=as_id(center_id)).first()
    if center is None:
        raise NotFound()
    post = own_post(actor, center)
    matter = None
    if matter_id not in (None, ""):
        matter = Matter.objects.filter(pk=as_id(matter_id)).first()
        if matter is None:
            raise InvalidInput("duty.matter", "未找到该事项。", {"matter": "未找到该事项"})
    try:
        mins = int(minutes) if minutes not in (None, "") else None
    except (TypeError, ValueError):
        mins = -1
    if mins is not None and not 1 <= mins <= 600:
        raise InvalidInput("duty.minutes", "用时应为1至600分钟。", {"minutes": "1至600"})
    walk = ProcessWalk.objects.create(
        center=center,
        post=post,
        walked_on=timezone.localdate(clock.now(now)),
        matter=matter,
        subject=_text(subject, "subject", "体验的业务", 100),
        role_played=clean_text(
            role_played, field="role_played", label="体验方式", limit=20, required=False
        )
        or "以办事人身份",
        minutes=mins,
        findings=_text(findings, "findings", "体验情况", 500),
    )
    audit_record(
        actor=actor,
        action="process_walk.record",
        target=walk,
        center=center,
        department=post.department,
        after={"subject": walk.subject, "findings": walk.findings},
    )
    return walk
