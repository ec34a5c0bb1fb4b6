"""``onewindow jobs``: runs the periodic jobs (``core/jobs.py``) on their schedules.

    onewindow jobs            # keeps running (systemd: onewindow-jobs.service)
    onewindow jobs --once     # runs what is due now and stops (cron, a timer)
    onewindow jobs --list     # the jobs, their schedules, next turns and last runs

Several servers may each run it: a job's turn is claimed in the database, so it runs once.
"""

from __future__ import annotations

import signal
import time as clock

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from onewindow.core import jobs


class Command(BaseCommand):
    help = "定时任务运行器：按计划运行定时检查、爽约登记、会话清理、备份、月度汇总与月报；多台服务器同时运行时每项只运行一次。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只运行当前到期的任务后退出")
        parser.add_argument(
            "--list", action="store_true", help="列出任务、计划、下次运行与上次结果"
        )
        parser.add_argument("--only", nargs="+", metavar="NAME", help="只运行这些任务")
        parser.add_argument("--tick", type=float, default=30.0, help="检查间隔秒数（默认 30）")

    def handle(self, *args, once=False, list=False, only=None, tick=30.0, **options):  # noqa: A002
        known = [job.name for job in jobs.registry()]
        unknown = [name for name in only or [] if name not in known]
        if unknown:
            raise CommandError(f"没有这项任务：{'、'.join(unknown)}（可选：{'、'.join(known)}）")
        if list:
            return self._list()
        if once:
            self._turn(only, tidy=False)
            return
        stopping = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.append(True))
        self.stdout.write(f"定时任务运行器已启动（{jobs.holder_name()}），每 {tick:g} 秒检查一次。")
        while not stopping:
            self._turn(only)
            slept = 0.0
            while slept < tick and not stopping:
                clock.sleep(min(1.0, tick - slept))
                slept += 1.0
        self.stdout.write("定时任务运行器已停止。")

    def _turn(self, only, tidy=True):
        # A long-running process drops a connection the database closed or that is too old,
        # as a web request does; a single turn uses the one it has.
        if tidy:
            close_old_connections()
        try:
            for outcome in jobs.run_due(only=only):
                self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} {outcome.summary()}")
        except DatabaseError as exc:  # the database is away: try again at the next tick
            self.stderr.write(f"数据库不可用，稍后重试：{exc}")
        finally:
            if tidy:
                close_old_connections()

    def _list(self):
        for row in jobs.overview():
            due = row.state.next_due if row.state else None
            shown_due = f"{timezone.localtime(due):%Y-%m-%d %H:%M}" if due else "未排程"
            last = (
                f"{timezone.localtime(row.last.started_at):%Y-%m-%d %H:%M} {row.last.get_status_display()}"
                if row.last
                else "从未运行"
            )
            self.stdout.write(
                f"{row.job.name:<16} {row.job.schedule.label():<14} 下次 {shown_due}  上次 {last}  {row.job.title}"
            )
