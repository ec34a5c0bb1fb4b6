from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "onewindow.portal"
    label = "portal"
    verbose_name = "群众服务"
