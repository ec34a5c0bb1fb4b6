"""The printed documents of a case (R-CASE-2): intake receipt (收件凭证, §8: what the
window received before the case is accepted, binding on the department), receipt
(受理通知书), refusal notice
(不予受理通知书), one-time correction notice (补正材料通知书) and conclusion notice
(办结通知书). HTML templates rendered to PDF by WeasyPrint with the Noto CJK font
embedded; each carries the center's name, the case number and a QR code that opens
the case's public progress page."""

from __future__ import annotations

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Case
from onewindow.core import pdf
from onewindow.core.errors import Conflict, NotFound
from onewindow.core.links import public_reverse

KINDS = {
    "intake_receipt": ("收件凭证", None),
    "receipt": (
        "受理通知书",
        {
            states.ACCEPTED,
            states.IN_REVIEW,
            states.CORRECTING,
            states.APPROVED,
            states.DENIED,
            states.READY,
            states.DELIVERED,
            states.ARCHIVED,
        },
    ),
    "refusal": ("不予受理通知书", {states.REFUSED, states.ARCHIVED}),
    "correction": ("补正材料通知书（一次性告知）", None),
    "withdrawal": ("视为撤回申请通知书", {states.WITHDRAWN, states.ARCHIVED}),
    "conclusion": (
        "办结通知书",
        {states.APPROVED, states.DENIED, states.READY, states.DELIVERED, states.ARCHIVED},
    ),
}


def progress_url(case: Case, request=None) -> str:
    """The public progress page of the case, as printed (core/links.py)."""
    return public_reverse("portal:progress_token", request=request, args=[case.token])


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, border=1)


def notice_context(case: Case, kind: str, *, request=None) -> dict:
    if kind not in KINDS:
        raise NotFound("notice.not_found", "没有这种文书。")
    title, allowed = KINDS[kind]
    correction = None
    if kind == "correction":
        correction = case.corrections.order_by("-issued_at").first()
        if correction is None:
            raise Conflict("notice.not_available", "该办件没有补正告知。")
    elif kind == "intake_receipt" and case.intake_clerk_id is None:
        raise Conflict("notice.not_available", "该办件尚未由窗口收件，还不能出具收件凭证。")
    elif kind == "refusal" and not case.refusal_reason:
        raise Conflict("notice.not_available", "该办件未作出不予受理决定。")
    elif kind == "withdrawal":
        correction = case.corrections.filter(state="lapsed").order_by("-issued_at").first()
        if correction is None:
            raise Conflict("notice.not_available", "该办件未因逾期未补正视为撤回。")
    elif allowed is not None and case.state not in allowed:
        raise Conflict(
            "notice.not_available", f"办件当前为“{case.state_label}”，还不能出具{title}。"
        )
    url = progress_url(case, request)
    return {
        "case": case,
        "kind": kind,
        "title": title,
        "version": case.guide_version,
        "documents": case.documents.select_related("material").order_by("material__order"),
        "correction": correction,
        "progress_url": url,
        "qr": qr_svg(url),
        "printed_at": timezone.localtime(),
        "site": settings.ONEWINDOW,
    }


def render_notice_html(case: Case, kind: str, *, request=None) -> str:
    return render_to_string("cases/notice.html", notice_context(case, kind, request=request))


def render_notice_pdf(case: Case, kind: str, *, request=None) -> bytes:
    """The notice as PDF; raises ``core.pdf.PdfUnavailable`` where WeasyPrint cannot
    load (the page then says so in Chinese)."""
    html = render_notice_html(case, kind, request=request)
    return pdf.html_to_pdf(html, base_url=str(settings.BASE_DIR))
