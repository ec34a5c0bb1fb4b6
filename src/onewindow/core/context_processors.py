from django.conf import settings


def onewindow(request):
    return {"ONEWINDOW": settings.ONEWINDOW}


def csp_nonce(request):
    """The nonce of this response's Content-Security-Policy (``core.guards``): inline
    ``<script>`` and ``<style>`` carry ``nonce="{{ csp_nonce }}"``."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
