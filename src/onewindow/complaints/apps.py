from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "onewindow.complaints"
    label = "complaints"
    verbose_name = "投诉咨询"

    def ready(self):
        from onewindow.complaints.sweep import sweep
        from onewindow.core import sweeps

        sweeps.register("complaints", sweep)
