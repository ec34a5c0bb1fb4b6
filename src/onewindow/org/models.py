"""The four-level network (R-NET-1, R-NET-2), departments (R-NET-3), the acceptance
and agency centers and staff employers (R-NET-4), and staff profiles."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from onewindow.core.models import IdentityNumberFields
from onewindow.core.roles import ROLE_CODES, Role


class Level(models.TextChoices):
    PREFECTURE = "prefecture", "州"
    COUNTY = "county", "县市"
    TOWNSHIP = "township", "乡镇/街道"
    VILLAGE = "village", "村/社区"


LEVEL_ORDER = [Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]
CODE_LENGTH = {Level.PREFECTURE: 6, Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows where its center, department and region are."""

    scope_lookups: dict = {"center": "center", "department": "department"}

    def visible_to(self, scope):
        return scope.filter(self, **self.scope_lookups)


class CenterScopedQuerySet(ScopedQuerySet):
    """Rows of a center that belong to no department (the hall's tickets, windows,
    slots): a department's staff see them through their center or region only."""

    scope_lookups: dict = {"center": "center", "department": None}


class RegionQuerySet(ScopedQuerySet):
    def visible_to(self, scope):
        if scope.everything:
            return self
        from django.db.models import Q

        q = Q(pk__in=[])
        for path in scope.region_paths:
            q |= Q(path__startswith=path)
        q |= Q(centers__in=scope.center_ids) | Q(departments__in=scope.department_ids)
        for line_id, path in scope.line_paths:
            q |= Q(path__startswith=path, departments__line_id=line_id)
        return self.filter(q).distinct()

    def subtree(self, region):
        return self.filter(path__startswith=region.path)


class Region(models.Model):
    """An administrative division with its official code (行政区划代码)."""

    code = models.CharField(
        "区划代码",
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{6}(\d{3}(\d{3})?)?$", "区划代码应为6、9或12位数字。")],
    )
    name = models.CharField("名称", max_length=50)
    level = models.CharField("层级", max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=120, db_index=True, editable=False)
    is_demo = models.BooleanField(
        "演示数据", default=False, help_text="名称与代码为演示用，非官方。"
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.code and self.level and len(self.code) != CODE_LENGTH[self.level]:
            errors["code"] = (
                f"{self.get_level_display()}的区划代码应为{CODE_LENGTH[self.level]}位。"
            )
        if self.parent is None and self.level and self.level != Level.PREFECTURE:
            errors["parent"] = "只有州级区划可以没有上级。"
        if self.parent is not None and self.level:
            expected = LEVEL_ORDER.index(self.parent.level) + 1
            if expected >= len(LEVEL_ORDER) or LEVEL_ORDER[expected] != self.level:
                errors["level"] = (
                    f"{self.parent.get_level_display()}的下级不能是{self.get_level_display()}。"
                )
            elif self.code and self.level in (Level.TOWNSHIP, Level.VILLAGE):
                if not self.code.startswith(self.parent.code[: len(self.parent.code)]):
                    errors["code"] = "下级区划代码应以上级区划代码开头。"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.code}/"
        super().save(*args, **kwargs)

    def ancestors(self) -> list[Region]:
        codes = [c for c in self.path.strip("/").split("/")]
        by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    @property
    def depth(self) -> int:
        return len(self.path.strip("/").split("/"))


class CenterKind(models.TextChoices):
    SERVICE_CENTER = "service_center", "政务服务中心"
    CONVENIENCE_CENTER = "convenience_center", "便民服务中心"
    AGENCY_POINT = "agency_point", "代办点"


KIND_FOR_LEVEL = {
    Level.PREFECTURE: CenterKind.SERVICE_CENTER,
    Level.COUNTY: CenterKind.SERVICE_CENTER,
    Level.TOWNSHIP: CenterKind.CONVENIENCE_CENTER,
    Level.VILLAGE: CenterKind.AGENCY_POINT,
}


class CenterQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "", "department": None, "region_path": "region__path"}

    def visible_to(self, scope):
        """Centers in scope, and the centers where the user's departments sit."""
        if scope.everything:
            return self
        q = scope.q(**self.scope_lookups) | scope.q(center=None, department="departments")
        return self.filter(q).distinct()


class Center(models.Model):
    """A service center of a region (R-NET-2)."""

    code = models.CharField("中心编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="centers"
    )
    kind = models.CharField("类型", max_length=20, choices=CenterKind.choices, editable=False)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("咨询电话", max_length=50, blank=True)
    complaint_phone = models.CharField("投诉电话", max_length=50, blank=True)
    hours = models.CharField("办公时间", max_length=200, blank=True)
    is_active = models.BooleanField("运行中", default=True)

    objects = CenterQuerySet.as_manager()

    class Meta:
        verbose_name = "服务中心"
        verbose_name_plural = "服务中心"
        ordering = ["region__path", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return self.region.level

    def save(self, *args, **kwargs):
        self.kind = KIND_FOR_LEVEL[self.region.level]
        super().save(*args, **kwargs)


class Operator(models.TextChoices):
    GOVERNMENT = "government", "政府组建"
    THIRD_PARTY = "third_party", "第三方购买服务"


class CenterUnitQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": None}


class CenterUnit(models.Model):
    """An acceptance center (受理中心) or agency center (代办中心) of a center (R-NET-4)."""

    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", "受理中心"
        AGENCY = "agency", "代办中心"

    center = models.ForeignKey(
        Center, verbose_name="中心", on_delete=models.PROTECT, related_name="units"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    operator = models.CharField("运营方式", max_length=12, choices=Operator.choices)
    contractor = models.CharField("承接单位", max_length=100, blank=True)
    contract_start = models.DateField("合同起始", null=True, blank=True)
    contract_end = models.DateField("合同截止", null=True, blank=True)

    objects = CenterUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "受理/代办中心"
        verbose_name_plural = "受理/代办中心"
        constraints = [
            models.UniqueConstraint(fields=["center", "kind"], name="one_unit_of_each_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.center.name}{self.get_kind_display()}"

    def clean(self):
        if self.operator == Operator.THIRD_PARTY and not self.contractor:
            raise ValidationError({"contractor": "第三方运营须填写承接单位。"})
        if self.contract_start and self.contract_end and self.contract_end < self.contract_start:
            raise ValidationError({"contract_end": "合同截止日期不能早于起始日期。"})


class DepartmentLine(models.Model):
    """A line of departments (系统), e.g. market regulation at every level."""

    code = models.CharField("编码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=50, help_text="如：市场监督管理")
    body_suffix = models.CharField("机构名称后缀", max_length=50, help_text="如：市场监督管理局")

    class Meta:
        verbose_name = "部门系统"
        verbose_name_plural = "部门系统"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DepartmentQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": "", "region_path": "region__path"}


class Department(models.Model):
    """One body at one level (临夏县市场监督管理局), stationed at a center."""

    line = models.ForeignKey(
        DepartmentLine, verbose_name="系统", on_delete=models.PROTECT, related_name="departments"
    )
    region = models.ForeignKey(
        Region, verbose_name="层级区划", on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField("名称", max_length=100)
    center = models.ForeignKey(
        Center,
        verbose_name="进驻中心",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
    )
    phone = models.CharField("联系电话", max_length=50, blank=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["region__path", "line__code"]
        constraints = [
            models.UniqueConstraint(fields=["line", "region"], name="one_body_per_line_and_region"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.center_id and self.region_id and self.center.region_id != self.region_id:
            raise ValidationError({"center": "部门只能进驻本级区划的服务中心。"})

    @property
    def upper(self) -> Department | None:
        """The body of the same line one level up, which supervises this one."""
        if not self.region.parent_id:
            return None
        return Department.objects.filter(
            line_id=self.line_id, region_id=self.region.parent_id
        ).first()


class StaffProfileQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": "department", "region_path": "region__path"}

    def visible_to(self, scope):
        if scope.everything:
            return self
        from django.db.models import Q

        q = scope.q(center="center", department="department", region_path="center__region__path")
        for path in scope.region_paths:
            q |= Q(region__path__startswith=path)
        return self.filter(q).distinct()


class StaffProfile(IdentityNumberFields):
    """A staff member: where they work, who employs them, their roles (R-NET-4, R-STAFF-1)."""

    class Employer(models.TextChoices):
        GOVERNMENT = "government", "政府/部门在编"
        THIRD_PARTY = "third_party", "第三方服务机构"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_profile"
    )
    staff_no = models.CharField(
        "工号",
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Za-z0-9_-]+$", "工号只能包含字母、数字、下划线和短横线。")
        ],
    )
    center = models.ForeignKey(
        Center,
        verbose_name="所在中心",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    department = models.ForeignKey(
        Department,
        verbose_name="所属部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    region = models.ForeignKey(
        Region,
        verbose_name="管辖区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text="政府办公室、审查、督查人员及县级领导的管辖范围。",
    )
    unit = models.ForeignKey(
        CenterUnit,
        verbose_name="受理/代办中心",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    employer_kind = models.CharField(
        "用人单位类型", max_length=12, choices=Employer.choices, default=Employer.GOVERNMENT
    )
    employer_name = models.CharField("用人单位", max_length=100, blank=True)
    title = models.CharField("岗位", max_length=50, blank=True)
    posting_started = models.DateField("进驻/上岗日期", default=timezone.localdate)
    active = models.BooleanField("在岗", default=True)
    # Backup roles (AB角, R-CASE-9): while A is away, B takes A's queue.
    backup = models.ForeignKey(
        "self",
        verbose_name="B角（替岗人）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="backs_up",
    )
    away = models.BooleanField("离岗", default=False)
    away_until = models.DateField("预计返岗", null=True, blank=True)
    away_reason = models.CharField("离岗事由", max_length=100, blank=True)

    objects = StaffProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"
        ordering = ["staff_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_digest"],
                condition=~models.Q(id_number_digest=""),
                name="one_staff_profile_per_identity_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.staff_no})"

    @property
    def roles(self) -> frozenset[str]:
        cached = getattr(self, "_roles", None)
        if cached is None:
            cached = frozenset(g.name for g in self.user.groups.all() if g.name in ROLE_CODES)
            self._roles = cached
        return cached

    def role_labels(self) -> list[str]:
        return [Role(r).label for r in Role.values if r in self.roles]

    @property
    def home_region(self) -> Region | None:
        if self.region_id:
            return self.region
        if self.center_id:
            return self.center.region
        if self.department_id:
            return self.department.region
        return None

    def clean(self):
        errors = {}
        if (
            self.department_id
            and self.center_id
            and self.department.center_id not in (None, self.center_id)
        ):
            errors["department"] = "所属部门未进驻所在中心。"
        if self.unit_id and self.unit.center_id != self.center_id:
            errors["unit"] = "受理/代办中心须属于所在中心。"
        if self.employer_kind == self.Employer.THIRD_PARTY and not self.employer_name:
            errors["employer_name"] = "第三方人员须填写用人单位。"
        if errors:
            raise ValidationError(errors)
