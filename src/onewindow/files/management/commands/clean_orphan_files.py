from django.core.management.base import BaseCommand

from onewindow.files import orphans


class Command(BaseCommand):
    help = (
        "列出上传目录中没有任何记录引用、且已超过保留期的文件（回滚留下的文件、中断的写入）；"
        "默认只报告数量，加 --delete 才删除。被记录引用的文件永不删除。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="删除找到的孤立文件")
        parser.add_argument("--list", action="store_true", help="逐个列出孤立文件")

    def handle(self, *args, delete=False, list=False, **options):  # noqa: A002
        report = orphans.sweep(delete=delete)
        if list:
            for name in report.orphans:
                self.stdout.write(name)
        self.stdout.write(report.summary())
