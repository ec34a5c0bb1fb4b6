from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "onewindow.oversight"
    label = "oversight"
    verbose_name = "监督管理"
