from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from onewindow.core.admin_scope import ScopedAdmin
from onewindow.core.models import ApiClient, AuditEvent, JobRun, JobState, User


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    """Read-only for everyone, the superuser included: the trail is append-only."""

    list_display = (
        "at",
        "actor_label",
        "action",
        "target_type",
        "target_label",
        "center",
        "client_ip",
    )
    list_filter = ("action", "target_type")
    search_fields = ("actor_label", "target_label", "target_id", "action")
    date_hierarchy = "at"
    list_select_related = ("center",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "phone", "is_active", "is_staff", "last_login")
    search_fields = ("username", "full_name", "phone")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "phone", "email")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "prefix", "created_at", "revoked_at")
    readonly_fields = ("prefix", "created_at")
    fields = ("name", "region", "prefix", "created_at", "revoked_at")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False  # made with `onewindow create-api-client`, which shows the key once

    def has_delete_permission(self, request, obj=None):
        return False


from onewindow.core import admin_calendar  # noqa: E402,F401


@admin.register(JobState)
class JobStateAdmin(admin.ModelAdmin):
    """The periodic jobs of ``onewindow jobs``: their next turn and who runs one now."""

    list_display = ("name", "next_due", "running_since", "holder")
    readonly_fields = ("name", "next_due", "running_since", "holder")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JobRun)
class JobRunAdmin(JobStateAdmin):
    """Every run of a periodic job, read-only."""

    list_display = ("name", "status", "due", "started_at", "finished_at", "holder")
    list_filter = ("name", "status")
    date_hierarchy = "started_at"
    readonly_fields = ("name", "status", "due", "started_at", "finished_at", "holder", "output")
