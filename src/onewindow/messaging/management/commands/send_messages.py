"""Deliver the outbox: ``onewindow send-messages --once`` sends what is due and exits
(for a timer); without it the worker keeps running (several may run at once)."""

from __future__ import annotations

import signal

from django.core.management.base import BaseCommand

from onewindow.messaging import worker


class Command(BaseCommand):
    help = "发送待发送的消息（--once 发送一轮后退出；否则持续运行）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="发送当前到期的消息后退出")
        parser.add_argument("--batch", type=int, default=20)
        parser.add_argument("--idle", type=float, default=2.0, help="无消息时的等待秒数")

    def handle(self, *args, once=False, batch=20, idle=2.0, **options):
        if once:
            self.stdout.write(worker.run_once(batch=batch).summary())
            return
        stopping = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.append(True))
        worker.run_forever(idle_seconds=idle, batch=batch, stop=lambda: bool(stopping))
