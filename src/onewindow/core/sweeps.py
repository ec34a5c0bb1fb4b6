"""The periodic sweep: each app registers what it checks every few minutes (deadline
warnings, default reviews, overdue complaints …) from its ``AppConfig.ready``; the
``onewindow sweep`` command runs everything registered, in registration order (the
order of ``INSTALLED_APPS``).

A sweep is a callable ``sweep(now=None)`` returning a result with ``.summary()``.
A sweep that reads only what changed since its last pass keeps its watermark with
``last_pass`` / ``record_pass`` (``SweepMark``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from django.db import connection

from onewindow.core.models import SweepMark


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


def last_pass(name: str) -> tuple[datetime | None, dict]:
    """When the sweep ``name`` last ran (None: never) and the settings it ran with."""
    found = SweepMark.objects.filter(name=name).values_list("last_pass", "params").first()
    return found if found is not None else (None, {})


def record_pass(name: str, at: datetime, params: dict | None = None) -> None:
    """Move the watermark of the sweep ``name`` to ``at`` (never backwards): one
    statement, the row inserted the first time."""
    table = connection.ops.quote_name(SweepMark._meta.db_table)
    latest = "GREATEST" if connection.vendor == "postgresql" else "max"
    values = [
        name,
        connection.ops.adapt_datetimefield_value(at),
        SweepMark._meta.get_field("params").get_db_prep_save(params or {}, connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, last_pass, params) VALUES (%s, %s, %s) "
            f"ON CONFLICT (name) DO UPDATE SET last_pass = {latest}({table}.last_pass, "
            "excluded.last_pass), params = excluded.params",
            values,
        )
