"""``onewindow catalog-template FILE.xlsx``: write the empty import template, with its
instructions sheet (说明)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from onewindow.catalog import excel


class Command(BaseCommand):
    help = "生成空白的事项清单导入模板（含填写说明）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="写入的Excel文件（.xlsx）")

    def handle(self, *args, **options):
        try:
            excel.template_workbook().save(options["file"])
        except OSError as exc:
            raise CommandError(f"无法写入文件：{options['file']}（{exc.strerror}）") from None
        self.stdout.write(f"已生成模板：{options['file']}")
