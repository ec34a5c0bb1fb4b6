from django.core.management.base import BaseCommand, CommandError

from onewindow.core import sweeps


class Command(BaseCommand):
    help = (
        "每隔几分钟运行一次：各模块登记的定时检查（办件时限预警与超期、逾期补正视为撤回、"
        "逾期视为受理；默认好评与整改超期；投诉超期）。可用 --only 指定其中几项。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            nargs="+",
            metavar="NAME",
            help="只运行这些检查：" + "、".join(sweeps.registered()),
        )

    def handle(self, *args, only=None, **options):
        try:
            summaries = sweeps.run_all(only=only)
        except KeyError as exc:
            raise CommandError(f"没有这项检查：{exc.args[0]}") from None
        for summary in summaries:
            self.stdout.write(summary)
