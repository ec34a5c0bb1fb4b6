"""Every write to the organisation: one function per action, one transaction each,
checking who may do it, writing the audit record in the same transaction."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from onewindow.core import pii
from onewindow.core.audit import audit_record, diff, snapshot
from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.idnumber import IdNumberError
from onewindow.core.locking import for_update
from onewindow.core.roles import (
    BACK_OFFICE,
    FRONT_OFFICE,
    NEEDS_CENTER,
    NEEDS_DEPARTMENT,
    NEEDS_REGION,
    Role,
    has_any,
    holders,
)
from onewindow.core.scope import scope_for
from onewindow.core.text import join_messages
from onewindow.core.validation import full_clean as _full_clean
from onewindow.org.models import (
    Center,
    CenterUnit,
    Department,
    DepartmentLine,
    Region,
    StaffProfile,
)

User = get_user_model()


def _require_manager(actor, *, region: Region | None = None, center: Center | None = None) -> None:
    """Superusers, and center administrators whose scope holds the place."""
    if actor.is_superuser:
        return
    profile = getattr(actor, "staff_profile", None)
    if profile is None or not has_any(profile.roles, "org.manage"):
        raise Forbidden("org.not_manager", "只有中心管理员可以维护组织信息。")
    scope = scope_for(actor)
    if center is not None and not Center.objects.visible_to(scope).filter(pk=center.pk).exists():
        raise NotFound()
    if region is not None and not Region.objects.visible_to(scope).filter(pk=region.pk).exists():
        raise NotFound()


# --- regions and centers ---------------------------------------------------------


@transaction.atomic
def region_create(
    *, actor, code: str, name: str, level: str, parent: Region | None, is_demo: bool = False
) -> Region:
    if parent is not None:
        _require_manager(actor, region=parent)
    elif not actor.is_superuser:
        raise Forbidden("org.not_manager", "只有系统管理员可以创建顶级区划。")
    region = Region(code=code, name=name, level=level, parent=parent, is_demo=is_demo)
    _full_clean(region, "region.invalid")
    region.save()
    audit_record(actor=actor, action="region.create", target=region, after=snapshot(region))
    return region


@transaction.atomic
def center_create(
    *,
    actor,
    region: Region,
    code: str,
    name: str,
    address: str = "",
    phone: str = "",
    complaint_phone: str = "",
    hours: str = "",
) -> Center:
    _require_manager(actor, region=region)
    center = Center(
        region=region,
        code=code,
        name=name,
        address=address,
        phone=phone,
        complaint_phone=complaint_phone,
        hours=hours,
    )
    _full_clean(center, "center.invalid", exclude=["kind"])
    center.save()
    audit_record(
        actor=actor, action="center.create", target=center, center=center, after=snapshot(center)
    )
    return center


CENTER_EDITABLE = ("name", "address", "phone", "complaint_phone", "hours", "is_active")


@transaction.atomic
def center_update(*, actor, center: Center, **changes) -> Center:
    center = for_update(Center.objects).get(pk=center.pk)
    _require_manager(actor, center=center)
    unknown = set(changes) - set(CENTER_EDITABLE)
    if unknown:
        raise InvalidInput("center.field_not_editable", f"不能修改：{', '.join(sorted(unknown))}。")
    before = snapshot(center)
    for key, value in changes.items():
        setattr(center, key, value)
    _full_clean(center, "center.invalid", exclude=["kind"])
    center.save()
    b, a = diff(before, snapshot(center))
    audit_record(
        actor=actor, action="center.update", target=center, center=center, before=b, after=a
    )
    return center


@transaction.atomic
def center_unit_save(
    *,
    actor,
    center: Center,
    kind: str,
    operator: str,
    contractor: str = "",
    contract_start: date | None = None,
    contract_end: date | None = None,
) -> CenterUnit:
    _require_manager(actor, center=center)
    unit = for_update(CenterUnit.objects).filter(center=center, kind=kind).first()
    before = snapshot(unit) if unit else None
    unit = unit or CenterUnit(center=center, kind=kind)
    unit.operator, unit.contractor = operator, contractor
    unit.contract_start, unit.contract_end = contract_start, contract_end
    _full_clean(unit, "center_unit.invalid", exclude=["center"])
    unit.save()
    audit_record(
        actor=actor,
        action="center_unit.save",
        target=unit,
        center=center,
        before=before,
        after=snapshot(unit),
    )
    return unit


# --- departments ---------------------------------------------------------------------


@transaction.atomic
def department_line_create(*, actor, code: str, name: str, body_suffix: str) -> DepartmentLine:
    if not actor.is_superuser:
        raise Forbidden("org.not_manager", "只有系统管理员可以创建部门系统。")
    line = DepartmentLine(code=code, name=name, body_suffix=body_suffix)
    _full_clean(line, "department_line.invalid")
    line.save()
    audit_record(actor=actor, action="department_line.create", target=line, after=snapshot(line))
    return line


@transaction.atomic
def department_create(
    *,
    actor,
    line: DepartmentLine,
    region: Region,
    name: str = "",
    center: Center | None = None,
    phone: str = "",
) -> Department:
    _require_manager(actor, region=region)
    dept = Department(
        line=line,
        region=region,
        center=center,
        phone=phone,
        name=name or f"{region.name}{line.body_suffix}",
    )
    _full_clean(dept, "department.invalid")
    dept.save()
    audit_record(
        actor=actor,
        action="department.create",
        target=dept,
        center=center,
        department=dept,
        after=snapshot(dept),
    )
    return dept


# --- staff ---------------------------------------------------------------------------


def _check_role_places(roles: set[str], *, center, department, region) -> None:
    fields = {}
    if roles & NEEDS_CENTER and center is None:
        fields["center"] = "该角色须指定所在中心。"
    if roles & NEEDS_DEPARTMENT and department is None:
        fields["department"] = "该角色须指定所属部门。"
    if roles & NEEDS_REGION and region is None and center is None:
        fields["region"] = "该角色须指定管辖区划。"
    if fields:
        raise InvalidInput("staff.missing_place", join_messages(fields.values()), fields)


@transaction.atomic
def staff_create(
    *,
    actor,
    username: str,
    full_name: str,
    password: str | None,
    roles: set[str],
    staff_no: str,
    center: Center | None = None,
    department: Department | None = None,
    region: Region | None = None,
    employer_kind: str = StaffProfile.Employer.GOVERNMENT,
    employer_name: str = "",
    title: str = "",
    id_number: str = "",
    phone: str = "",
    posting_started: date | None = None,
    unit: CenterUnit | None = None,
) -> StaffProfile:
    place_center = center or (department.center if department else None)
    _require_manager(actor, center=place_center, region=None if place_center else region)
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise InvalidInput("staff.unknown_role", f"未知角色：{', '.join(sorted(unknown))}。")
    _check_role_places(set(roles), center=center, department=department, region=region)
    if User.objects.filter(username=username).exists():
        raise InvalidInput(
            "staff.username_taken", "该登录名已被使用。", {"username": "该登录名已被使用。"}
        )
    user = User(
        username=username,
        full_name=full_name,
        phone=phone,
        is_staff=bool(set(roles) & holders("admin.site")),
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():  # a parallel request may take the name first
            user.save()
    except IntegrityError:
        raise InvalidInput(
            "staff.username_taken", "该登录名已被使用。", {"username": "该登录名已被使用。"}
        ) from None
    profile = StaffProfile(
        user=user,
        staff_no=staff_no,
        center=center,
        department=department,
        region=region,
        unit=unit,
        employer_kind=employer_kind,
        employer_name=employer_name,
        title=title,
    )
    if posting_started:
        profile.posting_started = posting_started
    try:
        profile.set_id_number(id_number)
    except IdNumberError as exc:
        raise InvalidInput(exc.code, exc.message, {"id_number": exc.message}) from None
    if (
        profile.id_number_digest
        and StaffProfile.objects.filter(id_number_digest=profile.id_number_digest).exists()
    ):
        message = "该身份证号码已登记为其他工作人员。"
        raise InvalidInput("staff.id_number_taken", message, {"id_number": message})
    _full_clean(profile, "staff.invalid", exclude=["user"])
    profile.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    profile._roles = frozenset(roles)
    audit_record(
        actor=actor,
        action="staff.create",
        target=profile,
        center=center,
        department=department,
        after={**snapshot(profile), "roles": sorted(roles)},
    )
    return profile


def _get_visible_profile_for_update(actor, profile_id: int) -> StaffProfile:
    scope = scope_for(actor)
    profile = StaffProfile.objects.visible_to(scope).filter(pk=profile_id).first()
    if profile is None:
        raise NotFound()
    return for_update(StaffProfile.objects).select_related("user").get(pk=profile.pk)


@transaction.atomic
def staff_set_roles(*, actor, profile: StaffProfile, roles: set[str]) -> StaffProfile:
    profile = _get_visible_profile_for_update(actor, profile.pk)
    _require_manager(
        actor, center=profile.center, region=None if profile.center else profile.region
    )
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise InvalidInput("staff.unknown_role", f"未知角色：{', '.join(sorted(unknown))}。")
    if not actor.is_superuser and profile.user_id == actor.pk:
        raise Forbidden("staff.own_roles", "不能修改自己的角色。")
    _check_role_places(
        set(roles), center=profile.center, department=profile.department, region=profile.region
    )
    before = sorted(profile.roles)
    profile.user.groups.set(Group.objects.filter(name__in=roles))
    if not profile.user.is_superuser:
        profile.user.is_staff = bool(set(roles) & holders("admin.site"))
        profile.user.save(update_fields=["is_staff"])
    profile._roles = frozenset(roles)
    audit_record(
        actor=actor,
        action="staff.set_roles",
        target=profile,
        center=profile.center,
        department=profile.department,
        before={"roles": before},
        after={"roles": sorted(roles)},
    )
    return profile


@transaction.atomic
def staff_deactivate(*, actor, profile: StaffProfile, reason: str) -> StaffProfile:
    profile = _get_visible_profile_for_update(actor, profile.pk)
    _require_manager(
        actor, center=profile.center, region=None if profile.center else profile.region
    )
    if not reason.strip():
        raise InvalidInput(
            "staff.reason_required", "请填写离岗原因。", {"reason": "请填写离岗原因。"}
        )
    profile.active = False
    profile.save(update_fields=["active"])
    profile.user.is_active = False
    profile.user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="staff.deactivate",
        target=profile,
        center=profile.center,
        department=profile.department,
        before={"active": True},
        after={"active": False},
        note=reason,
    )
    return profile


@transaction.atomic
def staff_reveal_id_number(*, actor, profile_id: int, reason: str) -> str:
    """The full identity number, for those who need it; every view is logged."""
    profile = _get_visible_profile_for_update(actor, profile_id)
    roles = getattr(getattr(actor, "staff_profile", None), "roles", frozenset())
    if not (actor.is_superuser or has_any(roles, "staff.reveal_id")):
        raise Forbidden("pii.not_allowed", "您无权查看完整身份证号码。")
    pii.log_reveal(
        actor=actor,
        target=profile,
        reason=pii.reveal_reason(reason),
        center=profile.center,
        department=profile.department,
    )
    return profile.decrypted_id_number()


def get_region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound("region.not_found", "未找到该区划。")
    return region


# --- backup roles (AB角, R-CASE-9) ------------------------------------------------------------


def can_manage_backups(actor, profile: StaffProfile) -> bool:
    """A center administrator of the person's scope, or the head (leader, chief
    representative) of the person's own department."""
    if actor.is_superuser:
        return True
    own = getattr(actor, "staff_profile", None)
    if own is None or not own.active:
        return False
    if has_any(own.roles, "org.manage"):
        return StaffProfile.objects.visible_to(scope_for(actor)).filter(pk=profile.pk).exists()
    return bool(
        has_any(own.roles, "org.team_head")
        and own.department_id
        and own.department_id == profile.department_id
    )


def _backup_profile_for(actor, profile_id: int) -> StaffProfile:
    profile = _get_visible_profile_for_update(actor, profile_id)
    if not can_manage_backups(actor, profile):
        raise Forbidden(
            "staff.not_team_head", "只有部门负责人（部门领导、首席代表）或中心管理员可以安排AB角。"
        )
    return profile


@transaction.atomic
def staff_set_backup(*, actor, profile: StaffProfile, backup: StaffProfile | None) -> StaffProfile:
    """Name a person's B (替岗人): a colleague of the same department (window clerks
    without a department: of the same center) who can do the same work."""
    profile = _backup_profile_for(actor, profile.pk)
    before = profile.backup_id
    if backup is None and profile.away:
        message = "该人员离岗中，须先办理返岗才能取消B角。"
        raise InvalidInput("staff.bad_backup", message, {"backup": message})
    if backup is not None:
        backup = StaffProfile.objects.visible_to(scope_for(actor)).filter(pk=backup.pk).first()
        if backup is None:
            raise NotFound("staff.not_found", "未找到该工作人员。")
        message = ""
        if backup.pk == profile.pk:
            message = "不能指定本人为自己的B角。"
        elif not backup.active:
            message = "B角须为在岗的工作人员。"
        elif profile.department_id and backup.department_id != profile.department_id:
            message = "B角须与A角属于同一部门。"
        elif not profile.department_id and (
            not profile.center_id or backup.center_id != profile.center_id
        ):
            message = "B角须与A角在同一中心的窗口工作。"
        elif profile.roles & BACK_OFFICE and not backup.roles & BACK_OFFICE:
            message = "A角承担后台审批，B角也须是本部门审批人员或首席代表。"
        elif (
            not profile.department_id
            and profile.roles & FRONT_OFFICE
            and not backup.roles & FRONT_OFFICE
        ):
            message = "A角承担窗口工作，B角也须是窗口工作人员。"
        if message:
            raise InvalidInput("staff.bad_backup", message, {"backup": message})
    profile.backup = backup
    profile.save(update_fields=["backup"])
    audit_record(
        actor=actor,
        action="staff.set_backup",
        target=profile,
        center=profile.center,
        department=profile.department,
        before={"backup": before},
        after={"backup": profile.backup_id},
    )
    return profile


@transaction.atomic
def staff_set_away(
    *,
    actor,
    profile: StaffProfile,
    away: bool,
    until: date | None = None,
    reason: str = "",
    today: date | None = None,
) -> StaffProfile:
    """Mark a person away (离岗: leave, training, business trip) with the expected
    return date and the reason, or back. While away, their cases go to their B."""
    from django.utils import timezone

    profile = _backup_profile_for(actor, profile.pk)
    before = {
        "away": profile.away,
        "away_until": profile.away_until.isoformat() if profile.away_until else None,
        "away_reason": profile.away_reason,
    }
    if away:
        reason = (reason or "").strip()
        fields = {}
        if not reason:
            fields["reason"] = "请填写离岗事由（如休假、培训、出差）。"
        elif len(reason) > 100:
            fields["reason"] = "离岗事由不能超过100字。"
        if until is not None and until < (today or timezone.localdate()):
            fields["until"] = "预计返岗日期不能早于今天。"
        if profile.backup_id is None:
            fields["backup"] = "请先为其指定B角，离岗期间的办件由B角办理。"
        if fields:
            raise InvalidInput("staff.bad_away", join_messages(fields.values()), fields)
        profile.away, profile.away_until, profile.away_reason = True, until, reason
    else:
        if not profile.away:
            raise InvalidInput("staff.not_away", "该人员当前在岗。", {"away": "该人员当前在岗。"})
        profile.away, profile.away_until, profile.away_reason = False, None, ""
    profile.save(update_fields=["away", "away_until", "away_reason"])
    audit_record(
        actor=actor,
        action="staff.set_away" if away else "staff.set_back",
        target=profile,
        center=profile.center,
        department=profile.department,
        before=before,
        after={
            "away": profile.away,
            "away_until": profile.away_until.isoformat() if profile.away_until else None,
            "away_reason": profile.away_reason,
        },
        note=profile.away_reason,
    )
    return profile
