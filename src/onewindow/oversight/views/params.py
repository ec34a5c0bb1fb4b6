"""Small parsers of query and form parameters the oversight pages share."""

from __future__ import annotations


def int_param(request, name: str, *, source=None) -> int | None:
    """A positive integer from the query string (or ``source``); else absent."""
    raw = ((source if source is not None else request.GET).get(name) or "").strip()
    if not raw.isdigit() or len(raw) > 9:
        return None
    return int(raw)
