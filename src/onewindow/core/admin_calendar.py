"""Admin for the work calendar's data (local overrides, loaded official schedules).

Every write goes through ``onewindow.core.calendar``: local overrides are added and
deleted by its services (scope checked, audited, deadlines recomputed); official
schedules are shown read-only here and loaded on the calendar page or with the
``load_calendar`` command, which recompute the deadlines they touch.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from onewindow.core import calendar as cal
from onewindow.core.admin_scope import ScopedAdmin
from onewindow.core.errors import DomainError
from onewindow.core.models import CalendarDay, CalendarOverride, CalendarYear
from onewindow.core.scope import scope_for


def _warn(request) -> None:
    warning = cal.calendar_warning(timezone.localdate())
    if warning:
        messages.warning(request, warning)


class CalendarOverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ("date", "is_workday", "reason", "region")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        # The service's own rules (scope, duplicates, a day that needs no change),
        # checked without writing so the reason shows beside the form.
        try:
            cal.calendar_override_check(
                actor=self.request.user,
                date=data.get("date"),
                is_workday=data.get("is_workday"),
                reason=data.get("reason"),
                region=data.get("region"),
            )
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ScopedAdmin):
    form = CalendarOverrideForm
    list_display = ("date", "kind", "reason", "region_label", "created_at")
    list_filter = ("is_workday",)
    search_fields = ("reason",)
    date_hierarchy = "date"
    list_select_related = ("region",)
    audit_center_field = None

    @admin.display(description="类型")
    def kind(self, obj):
        return "加班办公" if obj.is_workday else "闭厅休息"

    @admin.display(description="适用地区")
    def region_label(self, obj):
        return obj.region.name if obj.region_id else "全州"

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request).select_related("region")
        scope = scope_for(request.user)
        if scope.everything:
            return qs
        # Overrides that apply to the user's place (above it) and those they manage.
        q = Q(region__isnull=True) | Q(region__path__in=_home_paths(request.user))
        for path in scope.region_paths:
            q |= Q(region__path__startswith=path)
        return qs.filter(q)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def has_add_permission(self, request):
        return request.user.is_superuser or cal.is_center_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # delete and add again: the change is audited and recomputed

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return self.has_add_permission(request)
        return cal.can_manage_calendar(request.user, region=obj.region)

    def changelist_view(self, request, extra_context=None):
        _warn(request)
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        try:
            saved = cal.calendar_override_create(
                actor=request.user,
                date=obj.date,
                is_workday=obj.is_workday,
                reason=obj.reason,
                region=obj.region,
            )
        except DomainError as exc:
            # The form already checked the same rules; a race lands here.
            raise Http404(exc.message) from None
        obj.pk = saved.pk
        obj.created_at = saved.created_at

    def delete_model(self, request, obj):
        cal.calendar_override_delete(actor=request.user, override_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for obj in queryset.order_by("pk"):
            try:
                cal.calendar_override_delete(actor=request.user, override_id=obj.pk)
            except DomainError as exc:
                messages.error(request, f"{obj}：{exc.message}")


def _home_paths(user) -> list[str]:
    profile = getattr(user, "staff_profile", None)
    region = profile.home_region if profile is not None else None
    return cal.ancestor_paths(region.path) if region is not None else []


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ("date", "is_workday", "name")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "day_count", "loaded_at", "loaded_by")
    readonly_fields = ("year", "source", "loaded_at", "loaded_by")
    inlines = [CalendarDayInline]

    @admin.display(description="安排天数")
    def day_count(self, obj):
        return obj.days.count()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        _warn(request)
        messages.info(
            request,
            format_html(
                '载入或更正年度节假日安排请到<a href="{}">工作日历</a>页面，'
                "载入后系统会重新计算受影响的时限。",
                reverse("calendar"),
            ),
        )
        return super().changelist_view(request, extra_context)
