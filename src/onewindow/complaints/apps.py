from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "onewindow.complaints"
    label = "complaints"
    verbose_name = "投诉咨询"

    def ready(self):
        from onewindow.complaints import inquiry_sweep
        from onewindow.complaints import rollups as complaint_rollups
        from onewindow.complaints.sweep import sweep
        from onewindow.core import rollups, sweeps

        sweeps.register("complaints", sweep)
        sweeps.register(inquiry_sweep.NAME, inquiry_sweep.sweep)
        rollups.register("complaints", complaint_rollups.rebuild)
