"""``onewindow import-catalog FILE.xlsx --actor USERNAME [--publish] [--dry-run]``:
import a catalog workbook (the template of ``onewindow catalog-template``). Every bad
row is printed and nothing changes; a clean file goes through the normal approval
path, or with ``--publish`` (superuser) is published at once."""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from onewindow.catalog import excel

BAR_WIDTH = 30


class TerminalBar:
    """A one-line progress bar, redrawn in place on a terminal; silent otherwise."""

    def __init__(self, stream, *, enabled: bool):
        self.stream, self.enabled, self.drawn = stream, enabled, False

    def __call__(self, done: int, total: int, message: str) -> None:
        if not self.enabled or total == 0:
            return
        filled = BAR_WIDTH * done // total
        percent = 100 * done // total
        line = f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}% {done}/{total} {message[:40]}"
        self.stream.write(line.ljust(BAR_WIDTH + 60), style_func=str, ending="")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("", style_func=str)


class Command(BaseCommand):
    help = "从Excel导入事项清单（有任何错误则整个文件不导入，并逐行列出错误）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="Excel文件（.xlsx），格式见 onewindow catalog-template")
        parser.add_argument("--actor", required=True, help="以该工作人员的身份导入（登录名）")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="直接发布办事指南并使实施清单生效（仅系统管理员，用于导入已经省级平台审定的清单）",
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查，不导入")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **options):
        User = get_user_model()
        actor = User.objects.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"未找到工作人员：{options['actor']}")
        try:
            with open(options["file"], "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{options['file']}（{exc.strerror}）") from None
        tty = hasattr(sys.stderr, "isatty") and sys.stderr.isatty() and not options["no_progress"]
        bar = TerminalBar(self.stderr, enabled=tty)
        report = excel.import_catalog(
            data, actor=actor, publish=options["publish"], dry_run=options["dry_run"], progress=bar
        )
        bar.close()
        if not report.ok:
            for line in report.lines():
                self.stderr.write(line)
            raise CommandError(f"导入未执行，没有任何修改：共{len(report.errors)}处错误。")
        for line in report.summary():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("检查通过（未导入）。")
        else:
            self.stdout.write(self.style.SUCCESS("导入完成。"))
