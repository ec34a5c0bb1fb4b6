"""Catalog admin: read access for reference, scoped. Writes go through the pages and
services (drafting, review, change requests), which keep the audit and the rules."""

from django.contrib import admin

from onewindow.catalog.models import (
    Bundle,
    BundleItem,
    ChangeRequest,
    Entrustment,
    GuideVersion,
    Listing,
    Material,
    MaterialType,
    Matter,
    ProcessChange,
    Step,
)
from onewindow.core.admin_scope import ScopedAdmin, visible


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MaterialInline(ReadOnlyMixin, admin.TabularInline):
    model = Material
    extra = 0
    fields = (
        "order",
        "name",
        "form",
        "copies",
        "requirement",
        "condition",
        "source",
        "pledge_allowed",
    )


class StepInline(ReadOnlyMixin, admin.TabularInline):
    model = Step
    extra = 0
    fields = ("order", "name", "description", "days")


@admin.register(Matter)
class MatterAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = ("code", "name", "kind", "level", "department", "status", "current_version")
    list_filter = ("kind", "level", "status", "line")
    search_fields = ("code", "name", "keywords")
    list_select_related = ("department", "current_version")
    audit_center_field = None


@admin.register(GuideVersion)
class GuideVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "matter",
        "number",
        "status",
        "statutory_days",
        "promised_days",
        "visits",
        "published_at",
    )
    list_filter = ("status",)
    search_fields = ("matter__name", "matter__code")
    inlines = [MaterialInline, StepInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(matter__in=visible(Matter.objects.all(), request))
        )


@admin.register(Listing)
class ListingAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = ("code", "matter", "center", "department", "status", "handled_outside")
    list_filter = ("status", "handled_outside")
    search_fields = ("code", "matter__name", "center__name")
    list_select_related = ("matter", "center", "department")


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = ("kind", "listing", "state", "approver_region", "submitted_at", "decided_at")
    list_filter = ("kind", "state")


@admin.register(ProcessChange)
class ProcessChangeAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = (
        "matter",
        "state",
        "submitted_at",
        "legality_at",
        "final_at",
        "exception_accepted",
    )
    list_filter = ("state",)
    audit_center_field = None


@admin.register(MaterialType)
class MaterialTypeAdmin(ScopedAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    audit_center_field = None


class BundleItemInline(ReadOnlyMixin, admin.TabularInline):
    model = BundleItem
    extra = 0


@admin.register(Bundle)
class BundleAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "name", "is_active")
    inlines = [BundleItemInline]


@admin.register(Entrustment)
class EntrustmentAdmin(ReadOnlyMixin, ScopedAdmin):
    """Read only: entrustments are recorded and revoked on the matter's page."""

    list_display = ("matter", "item", "department", "center", "start", "end", "revoked_on")
    list_filter = ("department__line",)
    search_fields = ("matter__name", "center__name", "document_number")
    list_select_related = ("matter", "department", "center")
    audit_department_field = "department"
