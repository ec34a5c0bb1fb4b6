"""One small interface: ``send(message) -> receipt`` or ``GatewayError``."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class GatewayError(Exception):
    """The gateway refused or could not be reached; the attempt is retried later."""


class Gateway(Protocol):
    def send(self, message) -> str:
        """Deliver ``message`` (a ``messaging.Message``); the gateway's receipt id."""


_built: dict[str, Gateway] = {}


def gateway_for(channel: str) -> Gateway:
    if channel not in _built:
        spec = dict(settings.MESSAGING["GATEWAYS"][channel])
        cls = import_string(spec.pop("class"))
        _built[channel] = cls(**spec)
    return _built[channel]


def reset() -> None:
    """Forget built gateways (settings changed: tests, the demo)."""
    _built.clear()
