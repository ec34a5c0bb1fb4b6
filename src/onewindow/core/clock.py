"""The one clock helper: services take an optional ``now`` (tests, imports, the demo's
history) and fall back to the current time."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now(at: datetime | None = None) -> datetime:
    """``at`` when given, else the current aware time."""
    return at or timezone.now()
