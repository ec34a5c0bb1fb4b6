"""The licence as a PDF (R-MSG-2), rendered as the case notices are (``core/pdf.py``,
WeasyPrint with the Noto CJK font): what the signature covers, the center's seal, the
verification code and a QR code opening the public verification page."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from onewindow.core import pdf
from onewindow.core.links import public_reverse
from onewindow.files.storage import open_stored
from onewindow.licences import payload as payloads
from onewindow.licences.models import Licence
from onewindow.licences.selectors import SHOWN


def verify_url(licence: Licence, request=None) -> str:
    return public_reverse("portal:licence_verify_code", request=request, args=[licence.code])


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, border=1)


def _seal_data_uri(licence: Licence) -> str:
    with open_stored(licence.signer.seal) as handle:
        data = handle.read()
    return "data:image/png;base64," + base64.b64encode(data).decode()


def licence_context(licence: Licence, *, request=None) -> dict:
    url = verify_url(licence, request)
    body = licence.payload
    return {
        "licence": licence,
        "fields": [(label, body.get(key, "")) for key, label in SHOWN if key not in ("title",)],
        "title": body.get("title", licence.title),
        "code": payloads.grouped(licence.code),
        "verify_url": url,
        "qr": qr_svg(url),
        "seal": _seal_data_uri(licence),
        "key_id": licence.signer.key_id,
        "signature": licence.signature,
        "site": settings.ONEWINDOW,
    }


def render_licence_html(licence: Licence, *, request=None) -> str:
    return render_to_string("licences/licence.html", licence_context(licence, request=request))


def render_licence_pdf(licence: Licence, *, request=None) -> bytes:
    """The licence as PDF; ``core.pdf.PdfUnavailable`` where WeasyPrint cannot load."""
    html = render_licence_html(licence, request=request)
    return pdf.html_to_pdf(html, base_url=str(settings.BASE_DIR))


def pdf_response(licence: Licence, request=None) -> HttpResponse:
    response = HttpResponse(
        render_licence_pdf(licence, request=request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="licence-{licence.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
