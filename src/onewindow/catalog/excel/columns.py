"""The workbook's format, shared by reading, writing and the import: the four data
sheets and their columns (Chinese headers in row 1), the errors and the report of an
import, and the helpers that turn a matter, a material or a step into row values."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from onewindow.catalog.models import (
    LISTING_LOCAL_FIELDS,
    MATERIAL_FIELDS,
    STEP_FIELDS,
    LimitUnit,
    Material,
    Matter,
    MatterKind,
    OnlineDepth,
)
from onewindow.core.scope import Scope, scope_for
from onewindow.org.models import Level

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
LISTING_LOCAL = LISTING_LOCAL_FIELDS


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


def audience_flags(text: str | None) -> tuple[bool, bool]:
    parts = set(
        (text or PERSONS)
        .replace("，", "、")
        .replace(",", "、")
        .replace("/", "、")
        .replace(" ", "、")
        .split("、")
    )
    return PERSONS in parts, ENTERPRISES in parts


def scope_of(actor) -> Scope:
    return Scope.all() if actor is None else scope_for(actor)


def material_dict(m) -> dict:
    return {f: getattr(m, f) for f in MATERIAL_FIELDS}


def step_dict(s) -> dict:
    return {f: getattr(s, f) for f in STEP_FIELDS}


def audience_text(matter: Matter) -> str:
    parts = [PERSONS] if matter.for_persons else []
    if matter.for_enterprises:
        parts.append(ENTERPRISES)
    return "、".join(parts)


def quoted(labels: Iterable[str]) -> str:
    return "".join(f"“{label}”" for label in labels)
