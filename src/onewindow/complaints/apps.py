from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "onewindow.complaints"
    label = "complaints"
    verbose_name = "投诉咨询"
