from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "onewindow.messaging"
    label = "messaging"
    verbose_name = "消息"

    def ready(self):
        from onewindow.core import sweeps
        from onewindow.messaging import exchange, hooks
        from onewindow.messaging.sweep import NAME, sweep

        hooks.connect()
        exchange.connect()
        sweeps.register(NAME, sweep)
