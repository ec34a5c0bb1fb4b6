from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "onewindow.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self):
        from onewindow.cases import horizon, open_counts
        from onewindow.cases import rollups as case_rollups
        from onewindow.cases.services.clock import clocks_recounted
        from onewindow.cases.sweep import NAME, sweep
        from onewindow.core import calendar as work_calendar
        from onewindow.core import partitions, rollups, sweeps

        sweeps.register(NAME, sweep)
        rollups.register("cases", case_rollups.rebuild)
        rollups.register("case_open_counts", open_counts.rebuild)
        partitions.register("cases_case", "received_at")
        partitions.after_change(horizon.recompute)
        post_migrate.connect(open_counts.drop_orphans, sender=self)
        # A recount on changed calendar data moves the due dates the case rows carry.
        work_calendar.when_deadlines_recounted(clocks_recounted)
