from django.contrib import admin

from onewindow.core.admin_scope import ScopedAdmin
from onewindow.org.models import (
    Center,
    CenterUnit,
    Department,
    DepartmentLine,
    Region,
    StaffProfile,
)


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ("name", "code", "level", "parent", "is_demo")
    list_filter = ("level", "is_demo")
    search_fields = ("name", "code")
    readonly_fields = ("path",)
    audit_center_field = None


class CenterUnitInline(admin.TabularInline):
    model = CenterUnit
    extra = 0


@admin.register(Center)
class CenterAdmin(ScopedAdmin):
    list_display = ("name", "code", "kind", "region", "phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code", "address")
    readonly_fields = ("kind",)
    list_select_related = ("region",)
    inlines = [CenterUnitInline]
    audit_center_field = None

    def _audit_place(self, obj):
        return obj, None

    def has_delete_permission(self, request, obj=None):
        return False  # centers are closed (is_active), never deleted


@admin.register(CenterUnit)
class CenterUnitAdmin(ScopedAdmin):
    list_display = ("center", "kind", "operator", "contractor", "contract_end")
    list_filter = ("kind", "operator")


@admin.register(DepartmentLine)
class DepartmentLineAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "body_suffix")
    search_fields = ("name", "code")


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    list_display = ("name", "line", "region", "center")
    list_filter = ("line",)
    search_fields = ("name",)
    list_select_related = ("line", "region", "center")
    audit_department_field = None

    def _audit_place(self, obj):
        return obj.center, obj


@admin.register(StaffProfile)
class StaffProfileAdmin(ScopedAdmin):
    list_display = (
        "staff_no",
        "user",
        "center",
        "department",
        "employer_kind",
        "id_number_masked",
        "active",
    )
    list_filter = ("employer_kind", "active")
    search_fields = ("staff_no", "user__full_name", "user__username")
    list_select_related = ("user", "center", "department")
    readonly_fields = ("user", "id_number_masked")
    fields = (
        "user",
        "staff_no",
        "center",
        "department",
        "region",
        "unit",
        "employer_kind",
        "employer_name",
        "title",
        "posting_started",
        "id_number_masked",
        "active",
    )
    audit_department_field = "department"

    def has_add_permission(self, request):
        return False  # staff are created through the staff service (roles, audit, ID checks)

    def has_delete_permission(self, request, obj=None):
        return False
