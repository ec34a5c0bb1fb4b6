"""Writing a workbook: the empty template with its instructions, and the export of a
center's (or a scope's) current catalog in exactly the import's format, so that an
exported file re-imports with nothing to change."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from onewindow.catalog.excel.columns import (
    COLUMNS,
    DATA_SHEETS,
    GUIDE_ATTRS,
    LISTING_COLUMNS,
    LISTING_LOCAL,
    MATERIAL_COLUMNS,
    MATTER_COLUMNS,
    MAX_ROWS,
    NO,
    README,
    SHEET_HELP,
    STEP_COLUMNS,
    YES,
    Column,
    audience_text,
    material_dict,
    quoted,
    scope_of,
    step_dict,
)
from onewindow.catalog.models import Listing, Matter
from onewindow.core import xlsx
from onewindow.org.models import Center

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B42318")
REQUIRED_FILL = PatternFill("solid", fgColor="7A1810")


def _sheet(book: Workbook, name: str, *, first: bool = False):
    ws = book.active if first else book.create_sheet(name)
    ws.title = name
    for index, column in enumerate(COLUMNS[name], start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = column.width
        options = (
            column.labels
            if column.kind == "choice"
            else [YES, NO]
            if column.kind == "bool"
            else None
        )
        if options:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(options) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="取值不正确",
                error=f"{column.header}应为：{quoted(options)}",
            )
            letter = get_column_letter(index)
            dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "B2"
    return ws


def _readme(book: Workbook) -> None:
    ws = book.create_sheet(README)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 8
    ws.column_dimensions["D"].width = 40
    ws.column_dimensions["E"].width = 50
    lines = [
        ("政务服务事项清单导入模板",),
        (
            "填写前请阅读：表头在第1行，不要修改表头文字；从第2行起每行一条记录；深红色表头为必填列。",
        ),
        (
            "导入时先检查全部行：只要有一处错误，整个文件都不会导入，并逐行列出错误所在的工作表、行号和列。",
        ),
        (
            "默认导入走正常审批：新建或修改的办事指南提交流程再造审核（司法部门合法性审核、审改部门终审），"
            "新的实施清单提交事项进驻申请，由政府办公室批准后生效。",
        ),
        (
            "办事指南不得使用“其他材料”“相关材料”“等材料”等兜底表述；承诺时限原则上不超过法定时限的40%。",
        ),
        (),
        ("工作表", "列", "必填", "取值", "说明"),
    ]
    for sheet in DATA_SHEETS:
        lines.append((sheet, "", "", "", SHEET_HELP[sheet]))
        for column in COLUMNS[sheet]:
            if column.kind == "choice":
                values = quoted(column.labels)
            elif column.kind == "bool":
                values = "“是”“否”"
            elif column.kind == "int":
                values = "不小于0的整数"
            elif column.kind == "audience":
                values = "“个人”“企业”“个人、企业”"
            else:
                values = f"文字，不超过{column.max_length}字" if column.max_length else "文字"
            lines.append(("", column.header, "是" if column.required else "", values, column.help))
    for line in lines:
        ws.append(list(line))
    ws["A1"].font = Font(bold=True, size=14)
    for cell in ws[7]:
        cell.font = Font(bold=True)
    for row in ws.iter_rows(min_row=8):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def template_workbook() -> Workbook:
    book = Workbook()
    for i, name in enumerate(DATA_SHEETS):
        _finish(_sheet(book, name, first=i == 0))
    _readme(book)
    return book


def _yes(value: bool) -> str:
    return YES if value else NO


def _label(column: Column, value) -> str:
    return dict(column.choices).get(str(value), "") if value not in (None, "") else ""


def _cells(columns, values: dict) -> list:
    out = []
    for column in columns:
        value = values.get(column.attr)
        if column.kind == "choice":
            out.append(_label(column, value))
        elif column.kind == "bool":
            out.append(_yes(bool(value)))
        elif column.kind == "int":
            out.append(int(value) if value not in (None, "") else None)
        else:
            out.append(value if value is not None else "")
    return out


def catalog_for_export(*, actor=None, center: Center | None = None):
    """The matters (with their current guides) and active listings to export: of one
    center, or of everything in the actor's scope."""
    scope = scope_of(actor)
    listings = Listing.objects.visible_to(scope).filter(status=Listing.Status.ACTIVE)
    if center is not None:
        listings = listings.filter(center=center)
    listings = listings.select_related("matter", "center", "department").order_by(
        "center__region__path", "center__code", "matter__code"
    )
    matter_ids = set(listings.values_list("matter_id", flat=True))
    if center is None:
        matter_ids |= set(Matter.objects.visible_to(scope).values_list("pk", flat=True))
    matters = (
        Matter.objects.filter(
            pk__in=matter_ids, status=Matter.Status.ACTIVE, current_version__isnull=False
        )
        .select_related("department", "current_version")
        .order_by("code", "level")
    )
    return list(matters), list(listings)


def export_workbook(*, actor=None, center: Center | None = None) -> Workbook:
    matters, listings = catalog_for_export(actor=actor, center=center)
    book = template_workbook()
    ws_m, ws_a, ws_s, ws_l = (book[name] for name in DATA_SHEETS)
    for matter in matters:
        v = matter.current_version
        values = {
            "code": matter.code,
            "name": matter.name,
            "kind": matter.kind,
            "level": matter.level,
            "department": matter.department.name,
            "domain": matter.domain,
            "keywords": matter.keywords,
            "audience": audience_text(matter),
            **{a: getattr(v, a) for a in GUIDE_ATTRS},
        }
        ws_m.append(_cells(MATTER_COLUMNS, values))
        for i, m in enumerate(v.materials.all(), start=1):
            ws_a.append(
                _cells(MATERIAL_COLUMNS, {"matter": matter.code, "order": i, **material_dict(m)})
            )
        for i, s in enumerate(v.steps.all(), start=1):
            ws_s.append(_cells(STEP_COLUMNS, {"matter": matter.code, "order": i, **step_dict(s)}))
    for listing in listings:
        values = {
            "matter": listing.matter.code,
            "center": listing.center.code,
            "department": listing.department.name,
            "code": listing.code,
            **{f: getattr(listing, f) for f in LISTING_LOCAL},
        }
        ws_l.append(_cells(LISTING_COLUMNS, values))
    for ws in (ws_m, ws_a, ws_s, ws_l):
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.number_format = "@" if isinstance(cell.value, str) else cell.number_format
        _finish(ws)
    return book


def _finish(ws) -> None:
    """Counts and days as whole numbers; the header frozen with the code column; each
    column fitted to its content, never narrower than the template's width."""
    columns = COLUMNS[ws.title]
    xlsx.finish_sheet(
        ws,
        freeze="B2",
        bold_header=False,
        formats={i: xlsx.INTEGER for i, c in enumerate(columns, start=1) if c.kind == "int"},
        at_least={i: c.width for i, c in enumerate(columns, start=1)},
    )


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
