from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "onewindow.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self):
        from onewindow.cases import rollups as case_rollups
        from onewindow.cases.sweep import sweep
        from onewindow.core import rollups, sweeps

        sweeps.register("cases", sweep)
        rollups.register("cases", case_rollups.rebuild)
