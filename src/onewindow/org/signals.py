"""Role groups and their admin permissions, kept in step after every migrate."""

from __future__ import annotations

from onewindow.core.roles import Role

ROLE_PERMISSIONS = {
    Role.CENTER_ADMIN: [
        "org.view_region",
        "org.view_center",
        "org.change_center",
        "org.view_centerunit",
        "org.add_centerunit",
        "org.change_centerunit",
        "org.view_department",
        "org.change_department",
        "org.view_departmentline",
        "org.view_staffprofile",
        "org.change_staffprofile",
        "core.view_auditevent",
        "core.view_calendaroverride",
        "core.add_calendaroverride",
        "core.change_calendaroverride",
        "core.delete_calendaroverride",
        "core.view_calendaryear",
        "core.view_calendarday",
    ],
    Role.SUPERVISOR: [
        "org.view_region",
        "org.view_center",
        "org.view_centerunit",
        "org.view_department",
        "org.view_staffprofile",
        "core.view_auditevent",
    ],
    Role.GOV_OFFICE: [
        "org.view_region",
        "org.view_center",
        "org.view_department",
        "core.view_auditevent",
    ],
}


def ensure_role_groups(sender=None, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    for code in Role.values:
        group, _ = Group.objects.get_or_create(name=code)
        wanted = ROLE_PERMISSIONS.get(code, [])
        perms = []
        for label in wanted:
            app_label, codename = label.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)
