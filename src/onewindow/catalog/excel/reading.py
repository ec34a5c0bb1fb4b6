"""Reading a workbook: every non-blank row of the four data sheets, each cell parsed by
its column (types, choices), every problem collected as (sheet, row, column, message)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from onewindow.catalog.excel.columns import (
    COLUMNS,
    DATA_SHEETS,
    ENTERPRISES,
    MAX_ROWS,
    NO,
    PERSONS,
    YES,
    Column,
    RowError,
    quoted,
)


@dataclass
class Row:
    sheet: str
    number: int
    values: dict
    bad: set = field(default_factory=set)  # attrs whose cell could not be read

    def get(self, attr, default=None):
        return self.values.get(attr, default)


class Collector:
    def __init__(self):
        self.errors: list[RowError] = []

    def add(self, sheet: str, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(sheet, row, column, message))

    def at(self, row: Row, attr_or_header: str, message: str) -> None:
        header = header_of(row.sheet, attr_or_header)
        self.add(row.sheet, row.number, header, message)


def header_of(sheet: str, attr_or_header: str) -> str:
    for column in COLUMNS.get(sheet, ()):
        if attr_or_header in (column.attr, column.header):
            return column.header
    return attr_or_header


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def _parse(column: Column, value, errors: list[str]):
    text = cell_text(value)
    if not text:
        if column.required:
            errors.append("必须填写。")
        return (
            column.default
            if column.default is not None
            else ("" if column.kind == "text" else None)
        )
    if column.kind == "text":
        if column.max_length and len(text) > column.max_length:
            errors.append(f"不能超过{column.max_length}个字（现为{len(text)}个字）。")
        return text
    if column.kind == "int":
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float):
            number = int(value) if value.is_integer() else None
        else:
            number = int(text) if text.isascii() and text.lstrip("-").isdigit() else None
        if number is None:
            errors.append(f"“{text}”不是整数。")
        elif number < 0:
            errors.append("不能为负数。")
        elif number > column.max_value:
            errors.append(f"不能大于{column.max_value}。")
        else:
            return number
        return None
    if column.kind == "bool":
        if isinstance(value, bool):
            return value
        folded = text.lower()
        if folded in ("是", "y", "yes", "true", "1", "√", "✓"):
            return True
        if folded in ("否", "n", "no", "false", "0", "×", "✗"):
            return False
        errors.append(f"“{text}”应填写“是”或“否”。")
        return None
    if column.kind == "choice":
        table = {label: v for v, label in column.choices}
        table.update({v: v for v, _ in column.choices})
        table.update(dict(column.aliases))
        if text in table:
            return table[text]
        if text.lower() in table:
            return table[text.lower()]
        errors.append(f"“{text}”不是有效的{column.header}，应为：{quoted(column.labels)}。")
        return None
    if column.kind == "audience":
        parts = {
            p
            for p in text.replace("，", "、")
            .replace(",", "、")
            .replace("/", "、")
            .replace(" ", "、")
            .split("、")
            if p
        }
        unknown = parts - {PERSONS, ENTERPRISES}
        if unknown or not parts:
            errors.append(f"“{text}”应填写“个人”“企业”或“个人、企业”。")
            return None
        return text
    raise ValueError(column.kind)


def _open(source):
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source)
    if isinstance(source, str | Path):
        return str(source)
    if hasattr(source, "seek"):
        source.seek(0)
    return source


def read_workbook(source, collector: Collector) -> dict[str, list[Row]] | None:
    """Every non-blank row of the four data sheets, each cell parsed; None when the file
    is not a workbook of this template (the reason is in the collector)."""
    try:
        book = load_workbook(_open(source), data_only=True)
    except Exception:  # openpyxl raises zip, XML and key errors of many kinds
        collector.add("", 0, "", "文件不是有效的Excel工作簿（.xlsx），请使用“下载模板”得到的格式。")
        return None
    try:
        missing = [name for name in DATA_SHEETS if name not in book.sheetnames]
        if len(missing) == len(DATA_SHEETS):
            collector.add(
                "",
                0,
                "",
                f"文件中没有事项清单模板的工作表（{'、'.join(DATA_SHEETS)}），请使用“下载模板”得到的格式。",
            )
            return None
        for name in missing:
            collector.add(name, 0, "", f"缺少工作表“{name}”。")
        sheets: dict[str, list[Row]] = {}
        for name in DATA_SHEETS:
            if name in book.sheetnames:
                sheets[name] = _read_sheet(book[name], name, collector)
        if missing:
            return None
        if not any(sheets.values()) and not collector.errors:
            collector.add("", 0, "", "工作簿中没有任何数据行。")
        return sheets
    finally:
        book.close()


def _read_sheet(ws, name: str, collector: Collector) -> list[Row]:
    columns = COLUMNS[name]
    header_cells = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    positions: dict[str, int] = {}
    for index, value in enumerate(header_cells):
        text = cell_text(value)
        if text and text not in positions:
            positions[text] = index
    lacking = [c.header for c in columns if c.header not in positions]
    for header in lacking:
        collector.add(name, 1, header, f"缺少列“{header}”（表头须在第1行）。")
    if lacking:
        return []
    if ws.max_row - 1 > MAX_ROWS:
        collector.add(name, 0, "", f"数据行超过{MAX_ROWS}行，请分批导入。")
        return []
    rows = []
    for number, cells in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        raw = {
            c.attr: (cells[positions[c.header]] if positions[c.header] < len(cells) else None)
            for c in columns
        }
        if all(cell_text(v) == "" for v in raw.values()):
            continue
        row = Row(name, number, {})
        for column in columns:
            problems: list[str] = []
            row.values[column.attr] = _parse(column, raw[column.attr], problems)
            if problems:
                row.bad.add(column.attr)
                for message in problems:
                    collector.add(name, number, column.header, message)
        rows.append(row)
    return rows
