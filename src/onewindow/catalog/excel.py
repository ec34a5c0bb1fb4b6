"""The catalog as an Excel workbook: template, export and import (R-CAT-2, R-CAT-5).

The workbook has four data sheets with Chinese headers in row 1 (事项, 材料, 环节,
实施清单) and an instructions sheet (说明); ``docs/catalog-template.md`` documents
every column. Export writes a center's (or a scope's) current catalog in exactly
that format, so that an exported file re-imports with nothing to change.

Import is all or nothing:

1. read every sheet and parse every cell (types, choices);
2. validate every row against the catalog and the actor's scope (references to
   departments, centers and matters, guide lint, time compression, duplicates,
   permissions), collecting *all* errors as (sheet, row, column, message);
3. if there is any error, change nothing and return the list; otherwise apply
   through the catalog services in one transaction. By default each changed guide
   goes to review as a process change and each new listing is an entry request to
   the government office (R-CAT-4, R-CAT-8); with ``publish=True`` (superuser only,
   for loading a catalog already approved on the provincial platform) guides are
   published and listings activated directly.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from onewindow.catalog import services
from onewindow.catalog.models import (
    LimitUnit,
    Listing,
    Material,
    Matter,
    MatterKind,
    OnlineDepth,
)
from onewindow.core import xlsx
from onewindow.core.scope import Scope, scope_for
from onewindow.org.models import Center, Level

MATTERS, MATERIALS, STEPS, LISTINGS, README = "事项", "材料", "环节", "实施清单", "说明"
DATA_SHEETS = (MATTERS, MATERIALS, STEPS, LISTINGS)
MAX_ROWS = 20000
IMPORT_NOTE = "通过Excel批量导入"
OUTSIDE_REASONS = [("space", "场地限制"), ("secret", "涉及国家秘密"), ("other", "其他法定情形")]
YES, NO = "是", "否"
PERSONS, ENTERPRISES = "个人", "企业"


# --- the format ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    attr: str
    kind: str = "text"  # text, int, bool, choice, audience
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()  # extra spellings → value
    default: object = None
    max_length: int | None = None
    max_value: int = 36500
    width: int = 14
    help: str = ""

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.choices]


def _choices(choices) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), str(label)) for v, label in choices)


BOOL_CHOICES = (("1", YES), ("0", NO))

MATTER_COLUMNS = (
    Column(
        "基本编码",
        "code",
        required=True,
        max_length=40,
        width=22,
        help="事项的基本编码；同一文件中每个事项只出现一次，材料、环节和实施清单按此编码对应。",
    ),
    Column("事项名称", "name", required=True, max_length=200, width=28),
    Column("事项类型", "kind", "choice", required=True, choices=_choices(MatterKind.choices)),
    Column(
        "实施层级",
        "level",
        "choice",
        required=True,
        choices=_choices(Level.choices),
        aliases=(
            ("州级", Level.PREFECTURE),
            ("县级", Level.COUNTY),
            ("县", Level.COUNTY),
            ("乡镇", Level.TOWNSHIP),
            ("街道", Level.TOWNSHIP),
            ("乡级", Level.TOWNSHIP),
            ("村", Level.VILLAGE),
            ("社区", Level.VILLAGE),
            ("村级", Level.VILLAGE),
        ),
    ),
    Column(
        "标准维护部门",
        "department",
        required=True,
        width=24,
        help="编制和维护标准办事指南的部门全称，如：临夏县市场监督管理局。",
    ),
    Column("领域", "domain", max_length=50, help="如：市场准入、社会保障、不动产。"),
    Column("检索词", "keywords", max_length=300, width=20, help="群众常用说法，空格分隔。"),
    Column(
        "面向个人/企业",
        "audience",
        "audience",
        default=PERSONS,
        help="个人、企业，或“个人、企业”；空白按“个人”。",
    ),
    Column("设定依据", "legal_basis", required=True, width=30),
    Column("受理条件", "conditions", required=True, width=36),
    Column("法定时限", "statutory_days", "int", required=True, width=10),
    Column(
        "承诺时限",
        "promised_days",
        "int",
        required=True,
        width=10,
        help="原则上不超过法定时限的40%；超过的须填写“未达压缩要求的理由”。",
    ),
    Column(
        "时限单位",
        "limit_unit",
        "choice",
        choices=_choices(LimitUnit.choices),
        default=LimitUnit.WORKING,
        width=10,
        help="空白按“工作日”。",
    ),
    Column("到现场次数", "visits", "int", default=1, max_value=99, width=10, help="空白按1次。"),
    Column(
        "网办深度",
        "online_depth",
        "choice",
        choices=_choices(OnlineDepth.choices),
        default=OnlineDepth.PRE_REVIEW,
        width=18,
        help="空白按“网上预审”。",
    ),
    Column("收费标准", "fees", default="不收费", width=20, help="空白按“不收费”。"),
    Column("办理结果", "result", max_length=200, width=16, help="如：营业执照。"),
    Column(
        "未达压缩要求的理由",
        "compression_exception_reason",
        width=30,
        help="承诺时限超过法定时限40%时必填，经审改部门终审认可后列为例外事项。",
    ),
)

MATERIAL_COLUMNS = (
    Column(
        "基本编码",
        "matter",
        required=True,
        width=22,
        help="所属事项的基本编码：本文件事项表中的事项，或系统中已有的事项。",
    ),
    Column(
        "序号",
        "order",
        "int",
        required=True,
        max_value=999,
        width=8,
        help="材料在清单中的顺序，同一事项内不重复。",
    ),
    Column(
        "材料名称",
        "name",
        required=True,
        max_length=200,
        width=30,
        help="逐项写明，不得使用“其他材料”“相关材料”等兜底表述。",
    ),
    Column(
        "材料形式",
        "form",
        "choice",
        choices=_choices(Material.Form.choices),
        default=Material.Form.ORIGINAL,
        aliases=(
            ("原件和复印件", "original_and_copy"),
            ("电子", "electronic"),
            ("电子版", "electronic"),
        ),
    ),
    Column("份数", "copies", "int", default=1, max_value=999, width=8, help="空白按1份。"),
    Column(
        "必要性",
        "requirement",
        "choice",
        choices=_choices(Material.Requirement.choices),
        default=Material.Requirement.REQUIRED,
        aliases=(("情形必要", "conditional"), ("容缺", "conditional"), ("非必要", "conditional")),
    ),
    Column("适用情形", "condition", max_length=300, width=24, help="情形必要的材料必填。"),
    Column(
        "来源",
        "source",
        "choice",
        choices=_choices(Material.Source.choices),
        default=Material.Source.APPLICANT,
        width=22,
        aliases=(
            ("申请人", "applicant"),
            ("部门共享", "shared"),
            ("共享获取", "shared"),
            ("窗口填写", "issued"),
            ("现场填写", "issued"),
        ),
    ),
    Column("共享来源部门", "shared_from", max_length=100, width=18, help="来源为部门共享时必填。"),
    Column("可告知承诺替代", "pledge_allowed", "bool", default=False, width=10),
    Column(
        "需纸质材料",
        "paper_needed",
        "bool",
        default=True,
        width=10,
        help="电子材料已在线收取的填“否”。空白按“是”。",
    ),
    Column("说明", "note", max_length=300, width=24),
)

STEP_COLUMNS = (
    Column("基本编码", "matter", required=True, width=22),
    Column("序号", "order", "int", required=True, max_value=999, width=8),
    Column(
        "环节", "name", required=True, max_length=100, width=14, help="如：受理、审查、决定、送达。"
    ),
    Column("办理要求", "description", width=40),
    Column("环节时限", "days", "int", default=0, max_value=9999, width=10, help="空白按0。"),
)

LISTING_COLUMNS = (
    Column("基本编码", "matter", required=True, width=22),
    Column(
        "服务中心编码", "center", required=True, width=16, help="服务中心编码（如C622921）或全称。"
    ),
    Column("实施部门", "department", required=True, width=24, help="实施部门全称。"),
    Column("实施编码", "code", required=True, max_length=60, width=26, help="全系统唯一。"),
    Column("办理地点", "place", max_length=200, width=24),
    Column("办理时间", "hours", max_length=200, width=20, help="空白按中心办公时间。"),
    Column("咨询电话", "phone", max_length=50),
    Column("投诉电话", "complaint_phone", max_length=50),
    Column("受理窗口", "windows", max_length=200),
    Column(
        "在中心外办理",
        "handled_outside",
        "bool",
        default=False,
        width=10,
        help="空白按“否”（应进必进）。",
    ),
    Column(
        "中心外办理原因",
        "outside_reason",
        "choice",
        choices=_choices(OUTSIDE_REASONS),
        default="",
        aliases=(("场地", "space"), ("国家秘密", "secret"), ("涉密", "secret")),
        help="在中心外办理的必填。",
    ),
    Column("说明", "outside_note", max_length=300, width=24, help="中心外办理的具体说明。"),
)

COLUMNS = {
    MATTERS: MATTER_COLUMNS,
    MATERIALS: MATERIAL_COLUMNS,
    STEPS: STEP_COLUMNS,
    LISTINGS: LISTING_COLUMNS,
}
SHEET_HELP = {
    MATTERS: "每行一个事项及其标准办事指南（各中心相同的内容）。",
    MATERIALS: "每行一项申请材料。某事项在本表有行的，以本表为该事项的完整材料清单；没有行的，沿用系统中现行指南的材料。",
    STEPS: "每行一个办理环节。某事项在本表有行的，以本表为该事项的完整环节；没有行的，沿用系统中现行指南的环节。",
    LISTINGS: "每行一个事项在一个服务中心的实施清单，只填本地信息（地点、时间、电话、窗口）。",
}
SHEET_ORDER = {name: i for i, name in enumerate(DATA_SHEETS)}
MATTER_ATTRS = ("code", "name", "kind", "level", "department", "domain", "keywords", "audience")
GUIDE_ATTRS = tuple(c.attr for c in MATTER_COLUMNS if c.attr not in MATTER_ATTRS)
LISTING_LOCAL = services.LISTING_LOCAL_FIELDS


# --- errors and results ---------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class RowError:
    """One problem of one cell: sheet, Excel row number, column header, Chinese message."""

    sheet: str
    row: int
    column: str
    message: str

    def sort_key(self):
        cols = [c.header for c in COLUMNS.get(self.sheet, ())]
        col = cols.index(self.column) if self.column in cols else len(cols)
        return (SHEET_ORDER.get(self.sheet, -1), self.row, col, self.message)

    def __str__(self) -> str:
        if not self.row:
            return f"[{self.sheet or '文件'}]：{self.message}"
        return f"第{self.row}行 [{self.sheet}] 列“{self.column}”：{self.message}"


@dataclass
class Report:
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    publish: bool = False
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        return [str(e) for e in self.errors]

    def summary(self) -> list[str]:
        return [
            f"{label}：{self.counts[key]}" for key, label in COUNT_LABELS if self.counts.get(key)
        ]

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "applied": self.applied,
            "publish": self.publish,
            "errors": [
                {"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message}
                for e in self.errors
            ],
            "counts": dict(self.counts),
            "summary": self.summary(),
        }


Progress = Callable[[int, int, str], None]

COUNT_LABELS = (
    # what a clean file would do (validation)
    ("matters_new", "新事项"),
    ("matters_changed", "办事指南有修改的事项"),
    ("listings_new", "新的实施清单"),
    ("listings_changed", "本地信息有修改的实施清单"),
    # what was done (import)
    ("matters_created", "新建事项"),
    ("guides_submitted", "办事指南已提交流程再造审核"),
    ("guides_published", "办事指南已直接发布"),
    ("listings_requested", "实施清单已提交进驻申请"),
    ("listing_changes_requested", "实施清单已提交变更申请"),
    ("listings_activated", "实施清单已直接生效"),
    ("matters_unchanged", "事项无变化"),
    ("listings_unchanged", "实施清单无变化"),
)


# --- reading ------------------------------------------------------------------------------


@dataclass
class Row:
    sheet: str
    number: int
    values: dict
    bad: set = field(default_factory=set)  # attrs whose cell could not be read

    def get(self, attr, default=None):
        return self.values.get(attr, default)


class _Collector:
    def __init__(self):
        self.errors: list[RowError] = []

    def add(self, sheet: str, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(sheet, row, column, message))

    def at(self, row: Row, attr_or_header: str, message: str) -> None:
        header = _header(row.sheet, attr_or_header)
        self.add(row.sheet, row.number, header, message)


def _header(sheet: str, attr_or_header: str) -> str:
    for column in COLUMNS.get(sheet, ()):
        if attr_or_header in (column.attr, column.header):
            return column.header
    return attr_or_header


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def _parse(column: Column, value, errors: list[str]):
    text = _text(value)
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
        errors.append(f"“{text}”不是有效的{column.header}，应为：{_quoted(column.labels)}。")
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


def _quoted(labels: Iterable[str]) -> str:
    return "".join(f"“{label}”" for label in labels)


def _audience(text: str | None) -> tuple[bool, bool]:
    parts = set(
        (text or PERSONS)
        .replace("，", "、")
        .replace(",", "、")
        .replace("/", "、")
        .replace(" ", "、")
        .split("、")
    )
    return PERSONS in parts, ENTERPRISES in parts


def _open(source):
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source)
    if isinstance(source, str | Path):
        return str(source)
    if hasattr(source, "seek"):
        source.seek(0)
    return source


def read_workbook(source, collector: _Collector) -> dict[str, list[Row]] | None:
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


def _read_sheet(ws, name: str, collector: _Collector) -> list[Row]:
    columns = COLUMNS[name]
    header_cells = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    positions: dict[str, int] = {}
    for index, value in enumerate(header_cells):
        text = _text(value)
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
        if all(_text(v) == "" for v in raw.values()):
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


# --- shared with the import ---------------------------------------------------------------


def _scope(actor) -> Scope:
    return Scope.all() if actor is None else scope_for(actor)


def _material_dict(m) -> dict:
    return {f: getattr(m, f) for f in services.MATERIAL_FIELDS}


def _step_dict(s) -> dict:
    return {f: getattr(s, f) for f in services.STEP_FIELDS}


def _audience_text(matter: Matter) -> str:
    parts = [PERSONS] if matter.for_persons else []
    if matter.for_enterprises:
        parts.append(ENTERPRISES)
    return "、".join(parts)


# --- writing -------------------------------------------------------------------------------

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
                error=f"{column.header}应为：{_quoted(options)}",
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
                values = _quoted(column.labels)
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
    scope = _scope(actor)
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
            "audience": _audience_text(matter),
            **{a: getattr(v, a) for a in GUIDE_ATTRS},
        }
        ws_m.append(_cells(MATTER_COLUMNS, values))
        for i, m in enumerate(v.materials.all(), start=1):
            ws_a.append(
                _cells(MATERIAL_COLUMNS, {"matter": matter.code, "order": i, **_material_dict(m)})
            )
        for i, s in enumerate(v.steps.all(), start=1):
            ws_s.append(_cells(STEP_COLUMNS, {"matter": matter.code, "order": i, **_step_dict(s)}))
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


# The import (validation and apply) lives beside this module; it is part of this API.
from onewindow.catalog.excel_import import Plan, import_catalog, validate  # noqa: E402

__all__ = [
    "COLUMNS",
    "DATA_SHEETS",
    "LISTINGS",
    "MATERIALS",
    "MATTERS",
    "README",
    "STEPS",
    "Plan",
    "Report",
    "RowError",
    "catalog_for_export",
    "export_workbook",
    "import_catalog",
    "read_workbook",
    "template_workbook",
    "validate",
    "workbook_bytes",
]
