"""The demo's self-service terminal (R-HALL-7): ``LX-SIM-01`` (the device simulator's
code) at 临夏县政务服务中心, registered when the demo is loaded. The load prints its
one-time enrollment link; afterwards ``onewindow terminal-enroll-link LX-SIM-01`` prints
a new one (the printout says so, and writes nothing itself)."""

from __future__ import annotations

from onewindow.hall.devices.simulator import SIMULATOR_TERMINAL
from onewindow.hall.models import Terminal
from onewindow.hall.services.terminals import terminal_enrollment_line, terminal_register
from onewindow.org.models import Center

CENTER_CODE = "C622921"  # 临夏县政务服务中心
_fresh: list[str] = []  # the link of the terminal this process registered


def load() -> int:
    center = Center.objects.filter(code=CENTER_CODE).first()
    if center is None or Terminal.objects.filter(code=SIMULATOR_TERMINAL).exists():
        return 0
    terminal, _code = terminal_register(
        actor=None, center=center, code=SIMULATOR_TERMINAL, place="一楼大厅入口"
    )
    _fresh[:] = [terminal_enrollment_line(actor=None, terminal=terminal)]
    return 1


def note() -> str:
    """How the demo terminal is enrolled, printed with the demo accounts."""
    if _fresh:
        return "演示自助终端：" + _fresh.pop()
    return (
        f"演示自助终端 {SIMULATOR_TERMINAL}（临夏县政务服务中心）：运行 "
        f"onewindow terminal-enroll-link {SIMULATOR_TERMINAL} 取得一次性登记链接，"
        "在充当终端的浏览器中打开并点击“确认登记”。"
    )
