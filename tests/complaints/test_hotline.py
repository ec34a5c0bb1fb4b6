"""R-CPL-1: 12345 hotline orders come in from the hotline's Excel file (all or nothing,
every bad row reported) and through the API; the answer goes back the same way with the
hotline's time limit kept."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from onewindow.complaints import hotline, services
from onewindow.complaints.models import Complaint
from onewindow.complaints.sweep import sweep
from onewindow.core.errors import Forbidden
from onewindow.core.tokens import api_client_create
from tests.complaints.conftest import at

HEADER = [
    "工单编号",
    "来电时间",
    "来电人",
    "联系电话",
    "诉求类型",
    "诉求标题",
    "诉求内容",
    "事发地点",
    "办结时限",
]


def workbook(*rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "工单"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


GOOD = (
    "GD2026100001",
    dt.datetime(2026, 9, 29, 9, 30),
    "马先生",
    "13909301111",
    "投诉",
    "营业执照办理慢",
    "个体工商户登记等了很久",
    "临夏县政务服务中心",
    dt.datetime(2026, 10, 9, 18, 0),
)


def test_r_cpl_1_hotline_excel_import_is_all_or_nothing_with_row_errors(hall):
    bad = workbook(
        GOOD,
        ("GD2026100002", dt.datetime(2026, 9, 29), "", "", "吐槽", "标题", "内容", "", ""),
        ("GD2026100001", "昨天", "", "", "建议", "", "内容", "", dt.datetime(2026, 10, 9)),
    )
    report = hotline.hotline_import(actor=hall.clerk, center=hall.linxia_center, source=bad)
    assert not report.ok and report.created == []
    messages = {e.row: e.message for e in report.errors}
    assert set(messages) == {3, 4}
    assert "诉求类型“吐槽”" in messages[3] and "“办结时限”不能为空" in messages[3]
    assert "来电时间格式不正确" in messages[4] and "与第2行重复" in messages[4]
    assert "“诉求标题”不能为空" in messages[4]
    assert str(report.errors[0]).startswith("第3行：")
    assert Complaint.objects.count() == 0
    report = hotline.hotline_import(
        actor=hall.clerk, center=hall.linxia_center, source=workbook(GOOD)
    )
    assert report.ok and len(report.created) == 1
    c = report.created[0]
    assert (c.source, c.hotline_order, c.name) == ("hotline", "GD2026100001", "马先生")
    assert c.received_at.date() == dt.date(2026, 9, 29)
    assert c.deadline.due == dt.date(2026, 10, 12)  # our own limit from the call date
    # importing the same file again is refused as a whole, nothing doubled
    again = hotline.hotline_import(
        actor=hall.clerk, center=hall.linxia_center, source=workbook(GOOD)
    )
    assert "已导入" in again.errors[0].message and Complaint.objects.count() == 1


def test_r_cpl_1_hotline_import_rejects_what_is_not_an_order_file(hall):
    report = hotline.hotline_import(
        actor=hall.clerk, center=hall.linxia_center, source=io.BytesIO(b"not excel")
    )
    assert "不是有效的Excel" in report.errors[0].message
    with pytest.raises(Forbidden):
        hotline.hotline_import(actor=hall.approver, center=hall.linxia_center, source=workbook())


def test_r_cpl_1_the_answer_goes_back_in_the_hotlines_layout_with_its_time_limit(hall):
    (c,) = hotline.hotline_import(
        actor=hall.clerk, center=hall.linxia_center, source=workbook(GOOD)
    ).created
    # the hotline's own limit (10-09 18:00) passes before ours (10-12): flagged then
    assert sweep(now=at("2026-10-09", 17)).overdue == 0
    assert sweep(now=at("2026-10-09", 19)).overdue == 1
    services.complaint_dispatch(actor=hall.clerk, complaint=c, department=hall.linxia_market)
    services.complaint_answer(
        actor=hall.approver,
        complaint=c,
        finding="upheld",
        answer="已办结营业执照。",
        now=at("2026-10-10", 9),
    )
    data = hotline.hotline_answers_export(actor=hall.clerk, queryset=Complaint.objects.all())
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert list(rows[0]) == list(hotline.ANSWER_COLUMNS)
    assert rows[1][0] == "GD2026100001" and rows[1][3] == "已办结营业执照。"
    assert rows[1][2] == hall.linxia_market.name
    assert rows[1][5] == dt.datetime(2026, 10, 9, 18, 0) and rows[1][6] == "否"  # late
    c.refresh_from_db()
    assert c.hotline_returned_at is not None
    assert c.events.filter(action="hotline_export").count() == 1


def test_r_cpl_1_hotline_orders_through_the_api_and_answers_read_back(hall, client):
    _, key = api_client_create(actor=hall.root, name="12345热线", region=hall.linxia)
    _, other_key = api_client_create(actor=hall.root, name="康乐热线", region=hall.kangle)
    order = {
        "center_code": hall.linxia_center.code,
        "order": "GD-API-1",
        "called_at": "2026-10-12T09:00:00+08:00",
        "due": "2026-10-16T18:00:00+08:00",
        "kind": "投诉",
        "subject": "营业执照办理慢",
        "content": "个体工商户登记",
        "name": "李女士",
        "phone": "13909302222",
    }
    url = "/api/v1/complaints/hotline/orders"
    r = client.post(url, order, content_type="application/json", HTTP_X_API_KEY=other_key)
    assert r.status_code == 404  # not in that client's region
    r = client.post(url, order, content_type="application/json", HTTP_X_API_KEY=key)
    assert r.status_code == 201, r.content
    number = r.json()["number"]
    r = client.post(url, order, content_type="application/json", HTTP_X_API_KEY=key)
    assert r.status_code == 409 and r.json()["code"] == "complaint.hotline_duplicate"
    bad = {**order, "order": "GD-API-2", "kind": "吐槽"}
    r = client.post(url, bad, content_type="application/json", HTTP_X_API_KEY=key)
    assert r.status_code == 422
    c = Complaint.objects.get(number=number)
    assert c.hotline_client is not None and c.deadline.due == dt.date(2026, 10, 19)
    services.complaint_dispatch(actor=hall.clerk, complaint=c, department=hall.linxia_market)
    services.complaint_answer(actor=hall.approver, complaint=c, finding="upheld", answer="已处理。")
    r = client.get("/api/v1/complaints/hotline/answers", HTTP_X_API_KEY=key)
    assert r.status_code == 200
    (item,) = r.json()
    assert item["order"] == "GD-API-1" and item["answer"] == "已处理。"
    assert item["status"] == "已答复" and item["due"].startswith("2026-10-16T18:00")
    assert client.get("/api/v1/complaints/hotline/answers", HTTP_X_API_KEY=other_key).json() == []


def test_r_cpl_1_the_answers_download_has_times_as_dates_and_a_chinese_name(hall):
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from onewindow.core import xlsx
    from tests.xlsx_checks import DEFAULT_WIDTH, column, download, header_frozen, width

    (c,) = hotline.hotline_import(
        actor=hall.clerk, center=hall.linxia_center, source=workbook(GOOD)
    ).created
    services.complaint_dispatch(actor=hall.clerk, complaint=c, department=hall.linxia_market)
    services.complaint_answer(
        actor=hall.approver,
        complaint=c,
        finding="upheld",
        answer="已办结营业执照。",
        now=at("2026-10-10", 9),
    )
    clerk = Client()
    clerk.force_login(hall.clerk)
    response = clerk.post(reverse("complaints:hotline_export"))
    book = download(response, f"12345答复-{timezone.localdate().isoformat()}.xlsx")
    ws = book.active
    assert header_frozen(ws)
    (answered,) = column(ws, "答复时间")
    assert answered.is_date and answered.value == dt.datetime(2026, 10, 10, 9, 0)
    assert answered.number_format == xlsx.DATETIME
    assert width(ws, "承办单位") > DEFAULT_WIDTH * 2
    template = download(clerk.get(reverse("complaints:hotline_template")), "12345工单导入模板.xlsx")
    assert header_frozen(template.active)
