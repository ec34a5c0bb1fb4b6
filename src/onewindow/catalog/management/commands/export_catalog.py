"""``onewindow export-catalog FILE.xlsx [--center CODE] [--actor USERNAME]``: write the
current catalog (of one center, or of everything the actor may see) in the import
template's format."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from onewindow.catalog import excel
from onewindow.core.scope import scope_for
from onewindow.org.models import Center


class Command(BaseCommand):
    help = "把事项清单导出为Excel（与导入模板格式相同）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="写入的Excel文件（.xlsx）")
        parser.add_argument("--center", help="只导出该服务中心（编码）的实施清单")
        parser.add_argument("--actor", help="只导出该工作人员可见的范围（登录名）；不填则导出全部")

    def handle(self, *args, **options):
        actor = None
        if options["actor"]:
            actor = (
                get_user_model().objects.filter(username=options["actor"], is_active=True).first()
            )
            if actor is None:
                raise CommandError(f"未找到工作人员：{options['actor']}")
        center = None
        if options["center"]:
            centers = (
                Center.objects.all()
                if actor is None
                else Center.objects.visible_to(scope_for(actor))
            )
            center = centers.filter(code=options["center"]).first()
            if center is None:
                raise CommandError(f"未找到服务中心：{options['center']}")
        book = excel.export_workbook(actor=actor, center=center)
        try:
            book.save(options["file"])
        except OSError as exc:
            raise CommandError(f"无法写入文件：{options['file']}（{exc.strerror}）") from None
        counts = {name: book[name].max_row - 1 for name in excel.DATA_SHEETS}
        self.stdout.write("已导出：" + "，".join(f"{name}{n}行" for name, n in counts.items()))
