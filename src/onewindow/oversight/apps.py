from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "onewindow.oversight"
    label = "oversight"
    verbose_name = "监督管理"

    def ready(self):
        from onewindow.core import sweeps
        from onewindow.oversight.services.snapshots import sweep as snapshot_sweep
        from onewindow.oversight.sweep import sweep as planning_sweep

        sweeps.register("planning", planning_sweep)
        sweeps.register("indicators", snapshot_sweep)
