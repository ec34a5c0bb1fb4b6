"""``{% keep_link url_or_path label %}``: a link the citizen keeps (their application,
complaint or booking) shown as a short text with a copy button and a QR code, never as
a long raw URL."""

from __future__ import annotations

import segno
from django import template

from onewindow.core.links import public_url

register = template.Library()


@register.inclusion_tag("includes/keep_link.html", takes_context=True)
def keep_link(context, target: str, label: str, hint: str = "") -> dict:
    url = target if "://" in target else public_url(target, context.get("request"))
    return {
        "url": url,
        "label": label,
        "hint": hint,
        "qr": segno.make(url, error="m").svg_inline(scale=3, border=1, title=f"扫码打开{label}"),
    }
