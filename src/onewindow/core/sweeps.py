"""The periodic sweep: each app registers what it checks every few minutes (deadline
warnings, default reviews, overdue complaints …) from its ``AppConfig.ready``; the
``onewindow sweep`` command runs everything registered, in registration order (the
order of ``INSTALLED_APPS``).

A sweep is a callable ``sweep(now=None)`` returning a result with ``.summary()``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol


class SweepResult(Protocol):
    def summary(self) -> str: ...


Sweep = Callable[..., SweepResult]

_REGISTERED: dict[str, Sweep] = {}


def register(name: str, sweep: Sweep) -> None:
    """Register an app's sweep under a name (registering a name again replaces it)."""
    _REGISTERED[name] = sweep


def registered() -> dict[str, Sweep]:
    return dict(_REGISTERED)


def run_all(*, now: datetime | None = None, only: list[str] | None = None) -> list[str]:
    """Run the registered sweeps (or the named ones); their summaries in order."""
    unknown = [name for name in only or [] if name not in _REGISTERED]
    if unknown:
        raise KeyError(", ".join(unknown))
    return [
        sweep(now=now).summary()
        for name, sweep in _REGISTERED.items()
        if only is None or name in only
    ]
