"""12345 hotline orders (工单): in from the hotline's Excel file or its API, and the
answer back the way the order came — an Excel file in the hotline's layout, or the API.

The order file has one sheet with Chinese headers in row 1 (``ORDER_COLUMNS``). Import
is all or nothing: every row is read and checked first and every bad row is reported
with its row number and the reason; if any row is bad nothing is written, otherwise
every order is registered in one transaction. An order keeps its hotline number and
its own time limit (办结时限) beside the center's answer limit.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from onewindow.complaints import states
from onewindow.complaints.models import Complaint
from onewindow.complaints.selectors import is_center_staff
from onewindow.complaints.services.registration import complaint_file
from onewindow.complaints.services.steps import event
from onewindow.core import clock, xlsx
from onewindow.core.audit import audit_record
from onewindow.core.errors import DomainError, Forbidden
from onewindow.core.locking import for_update

SHEET = "工单"
ORDER_COLUMNS = (
    ("order", "工单编号", True),
    ("called_at", "来电时间", True),
    ("name", "来电人", False),
    ("phone", "联系电话", False),
    ("kind", "诉求类型", True),
    ("subject", "诉求标题", True),
    ("content", "诉求内容", True),
    ("address", "事发地点", False),
    ("due", "办结时限", True),
)
ANSWER_COLUMNS = (
    "工单编号",
    "办理状态",
    "承办单位",
    "办理结果",
    "答复时间",
    "办结时限",
    "是否按时",
    "诉求人评价",
)
KINDS = {"投诉": "complaint", "建议": "suggestion", "表扬": "praise", "求助": "complaint"}
FEEDBACK = {
    states.SATISFIED: "满意",
    states.UNSATISFIED: "不满意",
}
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行：{self.message}" if self.row else self.message


@dataclass
class ImportReport:
    created: list[Complaint] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def template() -> bytes:
    """An empty order file in the hotline's layout."""
    book = Workbook()
    sheet = xlsx.add_sheet(book, SHEET, [label for _, label, _ in ORDER_COLUMNS], [], first=True)
    widths = {"来电时间": 18, "诉求标题": 24, "诉求内容": 50, "事发地点": 24, "办结时限": 18}
    for index, (_, label, _) in enumerate(ORDER_COLUMNS, start=1):
        if label in widths:
            sheet.column_dimensions[get_column_letter(index)].width = widths[label]
    return xlsx.to_bytes(book)


def _aware(value) -> datetime | None:
    if isinstance(value, datetime):
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time(23, 59)))
    if isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip().replace("/", "-"))
        except ValueError:
            return None
        return _aware(parsed)
    return None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_orders(source) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Every non-blank row parsed, and every error found (row numbers as in Excel)."""
    errors: list[RowError] = []
    try:
        data = source.read() if hasattr(source, "read") else source
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML and key errors of many kinds
        return [], [RowError(0, "文件不是有效的Excel工作簿（.xlsx），请使用12345工单模板。")]
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [_cell(v) for v in next(rows, ())]
        index = {}
        for key, label, _ in ORDER_COLUMNS:
            if label in header:
                index[key] = header.index(label)
            else:
                errors.append(RowError(1, f"缺少列“{label}”。"))
        if errors:
            return [], errors
        parsed: list[tuple[int, dict]] = []
        seen: dict[str, int] = {}
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                errors.append(RowError(number, f"一次最多导入{MAX_ROWS}条工单。"))
                break
            values = list(values)
            if not any(_cell(v) for v in values):
                continue

            def get(key, values=values):
                i = index[key]
                return values[i] if i < len(values) else None

            row = {key: _cell(get(key)) for key, _, _ in ORDER_COLUMNS}
            problems = []
            for key, label, required in ORDER_COLUMNS:
                if required and not row[key]:
                    problems.append(f"“{label}”不能为空")
            if row["kind"] and row["kind"] not in KINDS:
                problems.append(f"诉求类型“{row['kind']}”应为{'、'.join(KINDS)}之一")
            row["called_at"] = _aware(get("called_at"))
            row["due"] = _aware(get("due"))
            if _cell(get("called_at")) and row["called_at"] is None:
                problems.append("来电时间格式不正确")
            if _cell(get("due")) and row["due"] is None:
                problems.append("办结时限格式不正确")
            if row["order"] in seen:
                problems.append(f"工单编号与第{seen[row['order']]}行重复")
            elif row["order"]:
                seen[row["order"]] = number
                if Complaint.objects.filter(hotline_order=row["order"]).exists():
                    problems.append(f"工单{row['order']}已导入")
            if problems:
                errors.append(RowError(number, "；".join(problems) + "。"))
            else:
                parsed.append((number, row))
        if not parsed and not errors:
            errors.append(RowError(0, "文件中没有工单。"))
        return parsed, errors
    finally:
        book.close()


class _Abort(Exception):
    pass


def hotline_import(*, actor, center, source) -> ImportReport:
    """Import an order file into a center: all or nothing."""
    if not is_center_staff(actor, center.pk):
        raise Forbidden("complaint.not_center", "只有本中心的投诉受理人员可以导入12345工单。")
    report = ImportReport()
    rows, report.errors = read_orders(source)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for number, row in rows:
                try:
                    with transaction.atomic():
                        report.created.append(_register(actor, center, row))
                except DomainError as exc:
                    report.errors.append(RowError(number, exc.message))
            if report.errors:
                raise _Abort
            audit_record(
                actor=actor,
                action="complaint.hotline_import",
                target_type="complaints.complaint",
                target_label=f"12345工单 {len(report.created)} 条",
                center=center,
                after={"orders": [c.hotline_order for c in report.created]},
            )
    except _Abort:
        report.created = []
    return report


def _register(actor, center, row: dict, client=None) -> Complaint:
    anonymous = not row.get("name") and not row.get("phone")
    return complaint_file(
        actor=actor,
        center=center,
        source=Complaint.Source.HOTLINE,
        kind=KINDS.get(row["kind"], row["kind"]),
        subject=row["subject"],
        content=row["content"],
        anonymous=anonymous,
        name=row.get("name", ""),
        phone=row.get("phone", ""),
        address=row.get("address", ""),
        hotline_order=row["order"],
        hotline_due=row["due"],
        hotline_client=client,
        now=row.get("called_at") or None,
    )


def hotline_order_create(*, client, center, row: dict) -> Complaint:
    """One order through the API, from a machine client whose region holds the center."""
    return _register(None, center, row, client=client)


def _answered(qs):
    return qs.exclude(hotline_order="").filter(answered_at__isnull=False)


def answer_row(c: Complaint) -> list:
    local = timezone.localtime
    on_time = ""
    if c.answered_at and c.hotline_due:
        on_time = "是" if c.answered_at <= c.hotline_due else "否"
    return [
        c.hotline_order,
        c.public_status,
        c.department.name if c.department_id else "",
        c.answer,
        local(c.answered_at).replace(tzinfo=None, second=0, microsecond=0)
        if c.answered_at
        else None,
        local(c.hotline_due).replace(tzinfo=None, second=0, microsecond=0)
        if c.hotline_due
        else None,
        on_time,
        FEEDBACK.get(c.state, ""),
    ]


@transaction.atomic
def hotline_answers_export(*, actor, queryset) -> bytes:
    """The answered orders in the hotline's layout; each is marked as returned to the
    hotline (the first time) with an event."""
    # The scope's queryset may be DISTINCT, which cannot be locked: lock by the ids.
    ids = list(_answered(queryset).filter(hotline_client__isnull=True).values_list("pk", flat=True))
    complaints = list(for_update(Complaint.objects).filter(pk__in=ids).order_by("pk"))
    now = clock.now()
    rows = []
    for c in complaints:
        rows.append(answer_row(c))
        if c.hotline_returned_at is None:
            c.hotline_returned_at = now
            c.save(update_fields=["hotline_returned_at"])
            event(c, "hotline_export", actor, before=c.state, at=now)
    book = Workbook()
    xlsx.add_sheet(
        book,
        "办理结果",
        ANSWER_COLUMNS,
        rows,
        formats={"答复时间": xlsx.DATETIME, "办结时限": xlsx.DATETIME},
        first=True,
    )
    return xlsx.to_bytes(book)
