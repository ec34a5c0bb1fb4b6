import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from onewindow.core import rollups


def _month(text: str) -> dt.date:
    try:
        year, month = (int(p) for p in text.split("-")[:2])
        return dt.date(year, month, 1)
    except ValueError:
        raise CommandError(f"月份格式应为 YYYY-MM：{text}") from None


class Command(BaseCommand):
    help = (
        "按办件、评价、投诉、取号记录重新统计月度汇总（按部门、人员、窗口、事项、中心），"
        "默认全部月份；--month 只重算指定月份。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", nargs="+", metavar="YYYY-MM", help="只重算这些月份")

    def handle(self, *args, month=None, **options):
        months = [_month(m) for m in month] if month else None
        for name, rows in rollups.rebuild_all(months).items():
            self.stdout.write(f"{name}：{rows} 行")
