"""``{% keep_link url_or_path label %}``: a link the citizen keeps (their application,
complaint or booking) shown as a short text with a copy button and a QR code, never as
a long raw URL."""

from __future__ import annotations

import segno
from django import template

register = template.Library()


@register.inclusion_tag("includes/keep_link.html", takes_context=True)
def keep_link(context, target: str, label: str, hint: str = "") -> dict:
    request = context.get("request")
    url = request.build_absolute_uri(target) if request is not None else target
    return {
        "url": url,
        "label": label,
        "hint": hint,
        "qr": segno.make(url, error="m").svg_inline(scale=3, border=1, title=f"扫码打开{label}"),
    }
