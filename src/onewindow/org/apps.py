from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "onewindow.org"
    label = "org"
    verbose_name = "组织与人员"

    def ready(self):
        from django.db.models.signals import post_migrate

        from onewindow.org.signals import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)

        from onewindow.core.audit_labels import register_value_labels
        from onewindow.core.roles import Role

        register_value_labels("roles", Role.choices)  # the audit log names roles
