"""Which self-service terminal a request comes from (R-HALL-7): the credential the
terminal received at its enrollment, signed with the server's key
(``django.core.signing``) and naming the terminal and its credential generation. A value
nobody signed, a credential of an older enrollment, or one of a revoked terminal proves
nothing; the terminal pages refuse to write with it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core import signing

from onewindow.hall.terminal_models import Terminal
from onewindow.org.models import Center

CREDENTIAL_SALT = "onewindow.hall.terminal"

# Why a request is not an enrolled terminal of the center, as the terminal shows it.
MISSING = "missing"
FORGED = "forged"
REVOKED = "revoked"
ELSEWHERE = "elsewhere"
REFUSALS = {
    MISSING: "本设备尚未登记为本中心的自助终端，不能取号或办理业务。请联系中心管理员登记本终端。",
    FORGED: "本设备的终端凭证无效，不能取号或办理业务。请联系中心管理员重新登记本终端。",
    REVOKED: "本自助终端已停用，不能取号或办理业务。请到服务台或窗口办理。",
    ELSEWHERE: "本终端不是本中心登记的自助终端，不能在此取号或办理业务。",
}


@dataclass(frozen=True)
class TerminalCheck:
    terminal: Terminal | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.terminal is not None and not self.problem

    @property
    def message(self) -> str:
        return REFUSALS.get(self.problem, "")


def enrollment_digest(code: str) -> str:
    return hashlib.sha256(str(code).encode()).hexdigest()


def terminal_credential(terminal: Terminal) -> str:
    """The signed credential of the terminal's current enrollment."""
    return signing.dumps({"t": terminal.pk, "g": terminal.generation}, salt=CREDENTIAL_SALT)


def terminal_check(raw, center: Center) -> TerminalCheck:
    """The enrolled, not revoked terminal of ``center`` the credential ``raw`` names, or
    why there is none."""
    if not raw:
        return TerminalCheck(problem=MISSING)
    try:
        data = signing.loads(str(raw)[:500], salt=CREDENTIAL_SALT)
        terminal_id, generation = int(data["t"]), int(data["g"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return TerminalCheck(problem=FORGED)
    terminal = Terminal.objects.filter(pk=terminal_id).select_related("center").first()
    if terminal is None or terminal.enrolled_at is None:
        return TerminalCheck(problem=FORGED)
    if terminal.revoked_at is not None or terminal.generation != generation:
        return TerminalCheck(terminal, REVOKED)
    if terminal.center_id != center.pk:
        return TerminalCheck(terminal, ELSEWHERE)
    return TerminalCheck(terminal)


def terminal_by_enrollment(code: str) -> Terminal | None:
    """The terminal a one-time enrollment code was issued for (expired or not)."""
    code = str(code or "").strip()
    if not code or len(code) > 100:
        return None
    return (
        Terminal.objects.filter(enrollment_digest=enrollment_digest(code))
        .select_related("center")
        .first()
    )


def center_terminals(center: Center) -> list[Terminal]:
    return list(Terminal.objects.filter(center=center).order_by("code"))


def center_terminal(center: Center, terminal_id) -> Terminal | None:
    if not str(terminal_id).isdigit():
        return None
    return Terminal.objects.filter(center=center, pk=terminal_id).first()
