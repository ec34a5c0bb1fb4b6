from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "onewindow.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self):
        from onewindow.cases.sweep import sweep
        from onewindow.core import sweeps

        sweeps.register("cases", sweep)
