from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from onewindow.core import partitions
from onewindow.core.partitions import months


class Command(BaseCommand):
    help = (
        "按月分区（仅 PostgreSQL，默认不分区）：--plan 列出将做的改动，--apply 把办件、"
        "排队号、评价三张表改为按月分区，--ensure 建立本月及之后几个月的分区（每日任务）。"
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--plan", action="store_true", help="只列出将做的改动")
        group.add_argument("--apply", action="store_true", help="改为按月分区")
        group.add_argument("--ensure", action="store_true", help="建立缺少的月份分区")
        parser.add_argument(
            "--ahead", type=int, default=months.AHEAD, help="提前建立的月数（默认 3）"
        )

    def handle(self, *args, plan=False, apply=False, ensure=False, ahead=months.AHEAD, **opts):
        if ahead < 0 or ahead > 24:
            raise CommandError("--ahead 须在 0 到 24 之间。")
        if not partitions.supported(connection):
            self.stdout.write(
                f"数据库为 {connection.vendor}：按月分区只用于 PostgreSQL，未做任何改动。"
            )
            return
        if plan:
            lines = partitions.plan(connection, ahead=ahead)
        elif apply:
            lines = partitions.apply(connection, ahead=ahead) or ["各表均已分区，未做改动。"]
        else:
            lines = partitions.ensure(connection, ahead=ahead)
            if not lines:
                tables = [t.table for t in partitions.registered()]
                done = [t for t in tables if partitions.is_partitioned(connection, t)]
                lines = [
                    "分区齐全，未做改动。"
                    if done
                    else "各表未分区（需先运行 partition --apply），未做改动。"
                ]
        for line in lines:
            self.stdout.write(line)
