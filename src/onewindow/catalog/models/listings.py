"""Matters at a center (实施清单) and the change requests that enter, change, cancel or
withdraw them (R-CAT-3, R-CAT-4, R-CAT-10)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from onewindow.catalog.models.guides import Matter
from onewindow.org.models import Center, Department, Level, ScopedQuerySet


class ListingQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": "department"}

    def active(self):
        return self.filter(status=Listing.Status.ACTIVE)

    def public(self):
        return self.active().filter(
            matter__status=Matter.Status.ACTIVE,
            matter__current_version__isnull=False,
            center__is_active=True,
        )


class Listing(models.Model):
    """A matter at one center (实施清单): only local facts differ (R-CAT-10)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待批准进驻"
        ACTIVE = "active", "在办"
        CANCELLED = "cancelled", "已取消"
        WITHDRAWN = "withdrawn", "已退出"

    matter = models.ForeignKey(
        Matter, verbose_name="事项", on_delete=models.PROTECT, related_name="listings"
    )
    center = models.ForeignKey(
        Center, verbose_name="服务中心", on_delete=models.PROTECT, related_name="listings"
    )
    department = models.ForeignKey(
        Department, verbose_name="实施部门", on_delete=models.PROTECT, related_name="listings"
    )
    code = models.CharField("实施编码", max_length=60, unique=True)
    place = models.CharField("办理地点", max_length=200, blank=True)
    hours = models.CharField("办理时间", max_length=200, blank=True)
    phone = models.CharField("咨询电话", max_length=50, blank=True)
    complaint_phone = models.CharField("投诉电话", max_length=50, blank=True)
    windows = models.CharField("受理窗口", max_length=200, blank=True)
    handled_outside = models.BooleanField("在中心外办理", default=False)
    outside_reason = models.CharField(
        "中心外办理原因",
        max_length=20,
        blank=True,
        choices=[("space", "场地限制"), ("secret", "涉及国家秘密"), ("other", "其他法定情形")],
    )
    outside_note = models.CharField("中心外办理说明", max_length=300, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = "实施清单"
        verbose_name_plural = "实施清单"
        ordering = ["center", "matter__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "center"], name="one_listing_per_matter_and_center"
            ),
            models.CheckConstraint(
                condition=models.Q(handled_outside=False) | ~models.Q(outside_reason=""),
                name="outside_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter.name}（{self.center.name}）"

    def clean(self):
        errors = {}
        if self.handled_outside and not self.outside_reason:
            errors["outside_reason"] = "在中心外办理须注明原因（场地限制或涉及国家秘密等）。"
        if self.department_id and self.center_id and not self.department_fits_center():
            errors["department"] = (
                "实施部门须为服务中心本级的部门（乡镇、村的事项可由所在县市的部门实施）。"
            )
        if self.department_id and self.matter_id and self.department.line_id != self.matter.line_id:
            errors["department"] = "实施部门须属于该事项的部门系统。"
        if errors:
            raise ValidationError(errors)

    def department_fits_center(self) -> bool:
        dept_region, center_region = self.department.region, self.center.region
        if dept_region.pk == center_region.pk:
            return True
        return (
            center_region.level in (Level.TOWNSHIP, Level.VILLAGE)
            and dept_region.level == Level.COUNTY
            and center_region.path.startswith(dept_region.path)
        )

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def local_hours(self) -> str:
        return self.hours or self.center.hours

    @property
    def local_phone(self) -> str:
        return self.phone or self.department.phone or self.center.phone


# The local facts of a listing: all a center may set or change (R-CAT-10).
LISTING_LOCAL_FIELDS = (
    "place",
    "hours",
    "phone",
    "complaint_phone",
    "windows",
    "handled_outside",
    "outside_reason",
    "outside_note",
)


class ChangeRequestQuerySet(ScopedQuerySet):
    scope_lookups = {"center": "center", "department": "department"}


class ChangeRequest(models.Model):
    """Entering, changing, cancelling or withdrawing a listing (R-CAT-4)."""

    class Kind(models.TextChoices):
        ENTER = "enter", "事项进驻"
        CHANGE = "change", "事项变更"
        CANCEL = "cancel", "事项取消"
        WITHDRAW = "withdraw", "事项退出中心"

    class State(models.TextChoices):
        SUBMITTED = "submitted", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    listing = models.ForeignKey(
        Listing, verbose_name="实施清单", on_delete=models.PROTECT, related_name="change_requests"
    )
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    approver_region = models.ForeignKey(
        "org.Region",
        verbose_name="审批政府办公室所在区划",
        on_delete=models.PROTECT,
        related_name="+",
    )
    payload = models.JSONField("变更内容", default=dict, blank=True)
    reason = models.TextField("申请理由")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    opinion = models.TextField("审批意见", blank=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "事项变更申请"
        verbose_name_plural = "事项变更申请"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing"],
                condition=models.Q(state="submitted"),
                name="one_open_change_request_per_listing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.listing}"

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED

    @property
    def tone(self) -> str:
        """How a badge shows the state: ``ok`` approved, ``bad`` rejected, else ``warn``."""
        return {self.State.APPROVED: "ok", self.State.REJECTED: "bad"}.get(self.state, "warn")
