"""PDF rendering with WeasyPrint, imported only when a PDF is wanted.

WeasyPrint loads Pango (GObject, HarfBuzz, Fontconfig) from the system when it is
imported; where those libraries are missing the import raises ``OSError``. Nothing
imports WeasyPrint at start-up: the server starts, the demo loads, and a printed
notice answers a Chinese page saying PDF rendering is unavailable (``PdfUnavailable``)
until the system packages are installed (``scripts/ensure-system-deps.sh run``).
"""

from __future__ import annotations

import logging

from onewindow.core.errors import DomainError

log = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = (
    "本服务器暂不能生成PDF文书：缺少排版组件（Pango），请联系系统管理员安装后再打印。"
)


class PdfUnavailable(DomainError):
    """WeasyPrint (or the system libraries it needs) cannot be loaded here."""

    status = 503

    def __init__(self, detail: str = ""):
        super().__init__("pdf.unavailable", UNAVAILABLE_MESSAGE)
        self.detail = detail


def _load_html_class():
    """``weasyprint.HTML``, or ``PdfUnavailable`` when it cannot be imported."""
    try:
        from weasyprint import HTML
    except (OSError, ImportError) as exc:  # Pango missing: OSError from cffi's dlopen
        log.warning("PDF rendering unavailable: %s", exc)
        raise PdfUnavailable(str(exc)) from exc
    return HTML


def available() -> bool:
    try:
        _load_html_class()
    except PdfUnavailable:
        return False
    return True


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render ``html`` to PDF bytes; raises ``PdfUnavailable`` where it cannot."""
    HTML = _load_html_class()
    return HTML(string=html, base_url=base_url).write_pdf()


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def placeholder_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF written without WeasyPrint (ASCII lines, Helvetica), for
    generated sample files where PDF rendering is unavailable."""
    ops = ["BT", "/F1 12 Tf", "72 770 Td", "16 TL"]
    ops += [f"({_pdf_text(line.encode('ascii', 'replace').decode())}) '" for line in lines]
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
