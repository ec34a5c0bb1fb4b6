from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HallConfig(AppConfig):
    name = "onewindow.hall"
    label = "hall"
    verbose_name = "大厅与窗口"

    def ready(self):
        from onewindow.core import partitions, rollups
        from onewindow.hall import day_counts
        from onewindow.hall import rollups as ticket_rollups

        rollups.register("hall", ticket_rollups.rebuild)
        rollups.register("ticket_day_counts", day_counts.rebuild)
        # By the day, not the arrival time: every queue query names the day, so it reads
        # one partition; the day's unique numbering includes it.
        partitions.register("hall_ticket", "day")
        post_migrate.connect(day_counts.drop_orphans, sender=self)
