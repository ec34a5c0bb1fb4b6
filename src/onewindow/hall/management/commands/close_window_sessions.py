"""Sign out every window sign-in left open from an earlier day, at the hall's closing
time of that day (R-STAFF-2: attendance counts the hours at the window, not the night).
Run daily after midnight by ``onewindow jobs``; safe to run again:

    onewindow close-window-sessions
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from onewindow.hall.services.windows import window_sessions_close_left_open


class Command(BaseCommand):
    help = "前一日及更早未签退的窗口签到，按当日营业结束时间签退。每日零点后运行，可重复运行。"

    def handle(self, *args, **options):
        closed = window_sessions_close_left_open()
        self.stdout.write(f"未签退的窗口签到：已签退 {closed} 个。")
