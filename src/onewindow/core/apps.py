from django.apps import AppConfig


def _forget_calendars(sender, **kwargs):
    from onewindow.core.calendar.build import forget_in_transaction

    forget_in_transaction()


def _forget_keys(sender, **kwargs):
    from onewindow.core.tokens import forget_keys

    forget_keys()


class CoreConfig(AppConfig):
    name = "onewindow.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        # What an API key stands for is remembered per process (core.tokens): a change
        # to a user, their roles (groups), a profile or a key made here forgets it at once.
        for model in ("core.User", "core.ApiToken", "core.ApiClient", "org.StaffProfile"):
            post_save.connect(_forget_keys, sender=model, dispatch_uid=f"keys-saved-{model}")
            post_delete.connect(_forget_keys, sender=model, dispatch_uid=f"keys-gone-{model}")
        m2m_changed.connect(
            _forget_keys, sender=get_user_model().groups.through, dispatch_uid="keys-roles"
        )

        # The calendars built in a transaction are kept until it ends (core.calendar.build):
        # any write to the calendar data in it forgets them at once.
        for model in ("core.CalendarOverride", "core.CalendarYear", "core.CalendarDay"):
            post_save.connect(_forget_calendars, sender=model, dispatch_uid=f"cal-saved-{model}")
            post_delete.connect(_forget_calendars, sender=model, dispatch_uid=f"cal-gone-{model}")

        # A lost database connection answers 503, wherever in the request it was met.
        from django.core.signals import got_request_exception

        from onewindow.core.guards import DatabaseUnavailableMiddleware

        got_request_exception.connect(
            DatabaseUnavailableMiddleware.mark, dispatch_uid="database-unavailable"
        )
