"""Admin helpers: every admin list, form choice and object is limited to the scope of
the signed-in user (R-NET-3); every change made in the admin is audited."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404

from onewindow.core.audit import audit_record, diff, snapshot
from onewindow.core.scope import scope_for


def visible(queryset, request):
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(scope_for(request.user))
    return queryset


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin that shows only what the user's scope holds; others answer 404."""

    audit_center_field: str | None = "center"
    audit_department_field: str | None = None

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("未找到该记录。")
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = visible(field.queryset, request)
        return field

    def _audit_place(self, obj):
        center = getattr(obj, self.audit_center_field, None) if self.audit_center_field else None
        dept = (
            getattr(obj, self.audit_department_field, None) if self.audit_department_field else None
        )
        if center is not None and center.__class__.__name__ != "Center":
            center = None
        return center, dept

    def save_model(self, request, obj, form, change):
        before = None
        if change and obj.pk:
            old = type(obj).objects.filter(pk=obj.pk).first()
            before = snapshot(old) if old else None
        super().save_model(request, obj, form, change)
        after = snapshot(obj)
        b, a = diff(before, after) if before else (None, after)
        center, dept = self._audit_place(obj)
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.{'update' if change else 'create'}",
            target=obj,
            center=center,
            department=dept,
            before=b,
            after=a,
            note="后台管理",
        )

    def delete_model(self, request, obj):
        center, dept = self._audit_place(obj)
        before = snapshot(obj)
        super().delete_model(request, obj)
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.delete",
            target_type=obj._meta.label_lower,
            target_id=str(before.get("id")),
            target_label=str(obj),
            center=center,
            department=dept,
            before=before,
            note="后台管理",
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
