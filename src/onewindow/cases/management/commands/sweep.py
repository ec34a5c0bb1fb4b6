from django.core.management.base import BaseCommand

from onewindow.cases.sweep import sweep


class Command(BaseCommand):
    help = "Deadline warnings and alarms of cases, and withdrawal of lapsed corrections (run every few minutes)."

    def handle(self, *args, **options):
        result = sweep()
        self.stdout.write(
            f"时限巡检：新增预警 {result.warned} 件，新增超时 {result.overdue} 件，逾期未补正视为撤回 {result.withdrawn} 件。"
        )
