"""Mark the day's appointments nobody checked in for as no-shows, and suspend online
booking of people with repeated no-shows (R-HALL-6). Run after the hall closes:

    onewindow mark-no-shows              # today
    onewindow mark-no-shows 2026-11-20   # a past day (catch-up); safe to run again
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from onewindow.hall.appointments import appointments_mark_no_shows


class Command(BaseCommand):
    help = "将当天预约后未签到的记为爽约；多次爽约的暂停网上预约。营业结束后运行，可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("day", nargs="?", help="日期，如 2026-11-20；默认今天")

    def handle(self, *args, day: str | None = None, **options):
        if day:
            try:
                when = date.fromisoformat(day)
            except ValueError:
                raise CommandError(f"日期格式不正确：{day}（应为 YYYY-MM-DD）") from None
        else:
            when = timezone.localdate()
        result = appointments_mark_no_shows(day=when)
        self.stdout.write(
            f"{when}：记为爽约 {len(result.marked)} 个，暂停网上预约 {len(result.suspensions)} 人。"
        )
