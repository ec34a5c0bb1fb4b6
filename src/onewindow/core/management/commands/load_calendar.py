"""Load a year's official holiday schedule from a text file, as the system.

    onewindow load_calendar 2027 schedule-2027.txt --source "国务院办公厅关于2027年部分节假日安排的通知"

The file has one entry a line (``2027-01-01 休 元旦``, ``2027-02-06~2027-02-12 休 春节``,
``2027-02-14 班``); loading replaces an earlier load of the year, is audited, and
recomputes the deadlines it touches.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onewindow.core.calendar import calendar_year_load
from onewindow.core.errors import DomainError


class Command(BaseCommand):
    help = "载入某年度的官方节假日安排（每行：日期或日期范围 休/班 名称），并重新计算受影响的时限。"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="年份，如 2027")
        parser.add_argument("file", help="安排文本文件（UTF-8 或 GBK），- 表示标准输入")
        parser.add_argument("--source", required=True, help="依据：通知名称和文号")

    def handle(self, *args, year: int, file: str, source: str, **options):
        if file == "-":
            import sys

            raw = sys.stdin.buffer.read()
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"找不到文件：{file}")
            raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise CommandError("无法识别文件编码，请使用 UTF-8 文本。")
        try:
            loaded = calendar_year_load(actor=None, year=year, text=text, source=source)
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{loaded.year}年节假日安排已载入：{loaded.days.count()}天；重新计算了{loaded.recomputed}个时限。"
            )
        )
