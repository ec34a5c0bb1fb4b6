"""R-CPL-1 pages: filing on the portal without signing in, the complainant's link, the
desk entry, dispatch and answer on the staff page, the 12345 page and hot topics."""

from __future__ import annotations

import io

from openpyxl import Workbook

from onewindow.complaints import states
from onewindow.complaints.models import Complaint
from tests.hall.conftest import enroll_terminal


def test_r_cpl_1_portal_filing_gives_a_tracking_number_and_link(client, hall):
    form = {
        "center": str(hall.linxia_center.pk),
        "kind": "complaint",
        "subject": "营业执照窗口排队太久",
        "content": "等了两个小时",
        "name": "马小红",
        "phone": "13909305678",
    }
    r = client.post("/complaints/new/", {**form, "phone": "123"})
    assert "请填写11位手机号码" in r.content.decode() and Complaint.objects.count() == 0
    r = client.post("/complaints/new/", {**form, "phone": ""})
    assert "请留下联系电话" in r.content.decode() and Complaint.objects.count() == 0
    r = client.post("/complaints/new/", {**form, "center": "999999"})
    assert r.status_code == 200 and Complaint.objects.count() == 0
    r = client.post("/complaints/new/", form)
    c = Complaint.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/complaints/t/{c.token}/?new=1"
    assert c.source == "web"
    page = client.get(r["Location"]).content.decode()
    assert c.number in page and "已受理" in page and "请保存本页链接" in page
    lookup = client.get("/complaints/lookup/", {"number": c.number, "tail": "5678"})
    assert "已受理" in lookup.content.decode()
    wrong = client.get("/complaints/lookup/", {"number": c.number, "tail": "0000"})
    assert "未找到该投诉" in wrong.content.decode()
    assert client.get("/complaints/t/not-a-token/").status_code == 404


def test_r_cpl_1_staff_pages_dispatch_answer_and_the_complainant_reopens(client, hall):
    client.force_login(hall.clerk)
    r = client.post(
        "/complaints/staff/new/",
        {
            "center": str(hall.linxia_center.pk),
            "source": "box",
            "kind": "complaint",
            "subject": "个体工商户登记太慢",
            "content": "营业执照",
            "name": "马小红",
            "phone": "13909305678",
        },
    )
    c = Complaint.objects.get()
    assert r.status_code == 302 and c.source == "box" and c.received_by == hall.clerk
    page = client.get(f"/complaints/staff/{c.pk}/").content.decode()
    assert "（系统建议）" in page
    r = client.post(f"/complaints/staff/{c.pk}/", {"action": "dispatch", "department": ""})
    assert Complaint.objects.get().state == states.RECEIVED
    client.post(
        f"/complaints/staff/{c.pk}/",
        {"action": "dispatch", "department": str(hall.linxia_market.pk)},
    )
    assert Complaint.objects.get().state == states.DISPATCHED
    client.force_login(hall.approver)
    assert c.number in client.get("/complaints/staff/").content.decode()  # its queue
    r = client.post(f"/complaints/staff/{c.pk}/", {"action": "answer", "answer": ""}, follow=True)
    assert "请填写答复内容" in r.content.decode()
    r = client.post(
        f"/complaints/staff/{c.pk}/", {"action": "answer", "answer": "已提速。"}, follow=True
    )
    assert "请选择核查结论" in r.content.decode()
    assert Complaint.objects.get().state == states.DISPATCHED
    client.post(
        f"/complaints/staff/{c.pk}/",
        {"action": "answer", "answer": "已提速。", "finding": "partly"},
    )
    assert Complaint.objects.get().finding == "partly"
    client.logout()
    track = f"/complaints/t/{c.token}/"
    assert "已提速。" in client.get(track).content.decode()
    client.post(track, {"action": "unsatisfied", "note": "还是慢"})
    client.post(track, {"action": "reopen", "reason": "没有改进"})
    c.refresh_from_db()
    assert c.state == states.DISPATCHED and c.reopened
    assert "申请重新办理" not in client.get(track).content.decode()


def test_r_cpl_1_hotline_page_lists_every_bad_row(client, hall):
    book = Workbook()
    sheet = book.active
    sheet.append(["工单编号", "来电时间", "来电人", "联系电话", "诉求类型", "诉求标题", "诉求内容"])
    sheet.append(["GD1", "2026-10-12 09:00", "", "", "投诉", "标题", "内容"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "orders.xlsx"
    client.force_login(hall.clerk)
    r = client.post(
        "/complaints/staff/hotline/", {"center": str(hall.linxia_center.pk), "file": out}
    )
    text = r.content.decode()
    assert "缺少列“事发地点”" in text and "未导入任何工单" in text
    assert Complaint.objects.count() == 0
    assert client.get("/complaints/staff/hotline/template/").status_code == 200
    client.force_login(hall.approver)
    assert client.get("/complaints/staff/hotline/").status_code == 404


def test_r_cpl_1_hot_topics_page_shows_a_chart(client, hall):
    client.force_login(hall.county_admin)
    r = client.get("/complaints/staff/hot/", {"start": "2026-10-31", "end": "2026-10-01"})
    text = r.content.decode()
    assert r.status_code == 200 and "日期范围不正确" in text and "<svg" in text
    assert client.get("/complaints/staff/hot/", {"start": "bad"}).status_code == 200


def test_r_cpl_1_the_terminal_files_as_the_terminal(client, hall):
    enroll_terminal(client, hall.linxia_center)
    terminal = client.get(f"/hall/terminal/{hall.linxia_center.pk}/").content.decode()
    form = f"/hall/terminal/{hall.linxia_center.pk}/complaint/"
    assert f'href="{form}"' in terminal, "the terminal's own form, not the website's"
    client.post(
        form,
        {
            "subject": "自助终端打印机卡纸",
            "content": "无法打印",
            "anonymous": "1",
        },
    )
    c = Complaint.objects.get()
    assert c.source == "terminal" and c.anonymous and c.phone == ""
