"""Excel workbooks as a government office expects them, for every export: a bold,
frozen header row; columns as wide as their content (a Chinese character counts as
two); counts, days and durations stored as numbers, rates as fractions shown in
percent; and a download whose Chinese file name survives (RFC 5987 ``filename*``).

    book = Workbook()
    xlsx.add_sheet(book, "概况", ["名称", "件数", "满意度"], rows,
                   formats={"满意度": xlsx.PERCENT}, first=True)
    return xlsx.response(book, "好差评统计-2026-12-03.xlsx")

A sheet built by hand (the catalog's template) calls ``finish_sheet`` instead.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"
INTEGER = "0"
DECIMAL_1 = "0.0"
DECIMAL_2 = "0.00"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
TEXT = "@"
MIN_WIDTH = 8
MAX_WIDTH = 60
HEADER_FONT = Font(bold=True)


def text_width(value) -> int:
    """How many columns a value takes in a spreadsheet: wide (CJK, full-width)
    characters count two; the longest line of a multi-line text counts."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    return max(
        (
            sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)
            for line in text.splitlines() or [""]
        ),
        default=0,
    )


def fit_columns(
    ws: Worksheet,
    *,
    at_least: Mapping[int, float] | None = None,
    min_width: int = MIN_WIDTH,
    max_width: int = MAX_WIDTH,
) -> None:
    """Set each column's width to its widest cell (plus a margin), between
    ``min_width`` and ``max_width``; ``at_least`` keeps given columns (1-based) at
    least as wide as asked. Percentages count as the text they show."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            value = cell.value
            if cell.number_format == PERCENT and isinstance(value, int | float):
                value = f"{value * 100:.1f}%"
            widths[cell.column] = max(widths.get(cell.column, 0), text_width(value))
    columns = set(widths) | set(at_least or {})
    for column in columns:
        width = min(max_width, max(min_width, widths.get(column, 0) + 2))
        if at_least and column in at_least:
            width = max(width, at_least[column])
        ws.column_dimensions[get_column_letter(column)].width = width


def number(value):
    """A cell value as Excel should store it: numbers as numbers (a Decimal becomes a
    float, an aware time the local naive time Excel knows), text stays text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    return value


def _format_columns(header: Sequence[str], formats: Mapping | None) -> dict[int, str]:
    out = {}
    for key, fmt in (formats or {}).items():
        index = header.index(key) + 1 if isinstance(key, str) else int(key)
        out[index] = fmt
    return out


def finish_sheet(
    ws: Worksheet,
    *,
    header_row: int = 1,
    freeze: str | None = "A2",
    formats: Mapping[int, str] | None = None,
    at_least: Mapping[int, float] | None = None,
    bold_header: bool = True,
) -> Worksheet:
    """Finish a sheet written by hand: number formats by column (1-based), the header
    row bold and frozen, the columns fitted to their content."""
    if bold_header:
        for cell in ws[header_row]:
            if cell.value is not None and not cell.font.b:
                cell.font = HEADER_FONT
    for column, fmt in (formats or {}).items():
        for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=column, max_col=column):
            if cell.value is not None and not isinstance(cell.value, str):
                cell.number_format = fmt
    if freeze:
        ws.freeze_panes = freeze
    fit_columns(ws, at_least=at_least)
    return ws


def add_sheet(
    book: Workbook,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    formats: Mapping | None = None,
    first: bool = False,
    freeze: str = "A2",
) -> Worksheet:
    """A sheet with a header row and data rows; ``formats`` maps a header (or a
    1-based column) to a number format (``PERCENT``, ``DECIMAL_1``, ``DATETIME`` …)."""
    ws = book.active if first else book.create_sheet()
    ws.title = title
    ws.append(list(header))
    for row in rows:
        ws.append([number(v) for v in row])
    return finish_sheet(ws, freeze=freeze, formats=_format_columns(header, formats))


def to_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def content_disposition(filename: str, *, attachment: bool = True) -> str:
    """``attachment; filename="…"; filename*=UTF-8''…``: the Chinese name for every
    browser that reads RFC 5987 (all current ones), an ASCII stand-in for the rest."""
    stem, dot, ext = filename.rpartition(".") if "." in filename else (filename, "", "")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    ascii_stem = "".join(ch for ch in ascii_stem if ch.isalnum() or ch in "._-").strip("-_.")
    ascii_ext = "".join(ch for ch in ext if ch.isascii() and ch.isalnum())
    fallback = (ascii_stem or "download") + (f".{ascii_ext}" if dot and ascii_ext else "")
    kind = "attachment" if attachment else "inline"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def response(content: bytes | Workbook, filename: str) -> FileResponse:
    """The download of a workbook under its Chinese file name; never cached."""
    data = to_bytes(content) if isinstance(content, Workbook) else content
    out = FileResponse(io.BytesIO(data), content_type=CONTENT_TYPE)
    out["Content-Disposition"] = content_disposition(filename)
    out["Cache-Control"] = "no-store"
    return out
