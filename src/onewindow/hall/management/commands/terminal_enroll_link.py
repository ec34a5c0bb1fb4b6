"""Print a new one-time enrollment link for a registered self-service terminal
(R-HALL-7), for the operator at the server's console; the center administrator's page
(大厅设置 → 自助终端) does the same. Open the link once in the terminal's browser and
confirm: the terminal keeps its signed credential from then on.

    onewindow terminal-enroll-link LX-SIM-01
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from onewindow.core.audit import terminal_code
from onewindow.hall.models import Terminal
from onewindow.hall.services.terminals import terminal_enrollment_line


class Command(BaseCommand):
    help = "为已登记的自助终端生成新的一次性登记链接（在终端浏览器中打开并确认）。"

    def add_arguments(self, parser):
        parser.add_argument("code", help="终端编号，如 LX-SIM-01")

    def handle(self, *args, code: str, **options):
        terminal = (
            Terminal.objects.select_related("center").filter(code=terminal_code(code)).first()
        )
        if terminal is None:
            raise CommandError(f"没有编号为 {code} 的自助终端。")
        self.stdout.write(terminal_enrollment_line(actor=None, terminal=terminal))
