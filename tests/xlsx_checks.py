"""Checks every Excel download passes: the Chinese file name in RFC 5987 form, the
header row frozen, numbers stored as numbers, columns fitted to their content."""

from __future__ import annotations

import io
from urllib.parse import quote

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

DEFAULT_WIDTH = 8.43  # Excel's default column width


def download(response, filename: str):
    """The workbook of a download whose header names ``filename`` (Chinese) in
    ``filename*=UTF-8''…`` beside an ASCII stand-in."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert f"filename*=UTF-8''{quote(filename, safe='')}" in disposition, disposition
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content))


def header_frozen(ws) -> bool:
    return ws.freeze_panes in ("A2", "B2")


def width(ws, header: str) -> float:
    """The width of the column under ``header`` in row 1."""
    for cell in ws[1]:
        if cell.value == header:
            dim = ws.column_dimensions.get(get_column_letter(cell.column))
            return dim.width if dim is not None and dim.width else DEFAULT_WIDTH
    raise AssertionError(f"no column {header}")


def column(ws, header: str) -> list:
    """The cells under ``header`` (below row 1)."""
    for cell in ws[1]:
        if cell.value == header:
            return [
                row[0] for row in ws.iter_rows(min_row=2, min_col=cell.column, max_col=cell.column)
            ]
    raise AssertionError(f"no column {header}")
