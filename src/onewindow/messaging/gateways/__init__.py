"""The gateways behind one small interface (``base.Gateway``): each channel's is named
in ``settings.MESSAGING["GATEWAYS"]`` and built once per process by ``gateway_for``."""

from onewindow.messaging.gateways.base import Gateway, GatewayError, gateway_for, reset

__all__ = ["Gateway", "GatewayError", "gateway_for", "reset"]
