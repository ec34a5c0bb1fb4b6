"""The work calendar page and admin (R-CASE-4): Chinese, scoped, never a 500."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.core import calendar as cal
from onewindow.core.calendar import official
from onewindow.core.models import AuditEvent, CalendarDay, CalendarOverride, CalendarYear, Deadline
from onewindow.core.workcalendar import official_chinese_calendar

URL = "/workspace/calendar/"
SCHEDULE = "2027-01-01 休 元旦\n2027-02-06~2027-02-12 休 春节\n2027-02-14 班 春节\n"


@pytest.fixture(autouse=True)
def official_until_2026(monkeypatch):
    monkeypatch.setattr(
        official,
        "official_source",
        lambda day: None if day.year >= 2027 else official_chinese_calendar(day),
    )
    cal.invalidate()
    yield
    cal.invalidate()


def page(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
def test_r_case_4_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post(URL, {"action": "load_year"}).status_code == 302
    assert not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_r_case_4_account_without_staff_post_gets_404(client, db):
    someone = get_user_model().objects.create_user("citizen", password="x-Very-long-1")
    client.force_login(someone)
    assert client.get(URL).status_code == 404


@pytest.mark.django_db
def test_r_case_4_month_view_marks_holidays_and_adjusted_days(client, net):
    text = page(client, net.clerk, month="2026-10")
    assert "工作日历" in text and "2026年10月" in text
    assert "国庆节" in text and "调休上班" in text and "节假日" in text
    assert "载入年度节假日安排" not in text  # clerks do not load schedules
    assert "添加调整" not in text


@pytest.mark.django_db
def test_r_case_4_month_in_unloaded_year_is_marked_provisional(client, net):
    text = page(client, net.clerk, month="2027-01")
    assert "暂定" in text and "2027年1月" in text
    assert "2027" in text and "未载入（暂定）" in text


@pytest.mark.django_db
def test_r_case_4_calculator_design_example_and_provisional(client, net):
    text = page(client, net.clerk, start="2026-09-29", days="5", unit="working")
    assert "截止日 <strong>2026年10月12日</strong>" in text
    assert "暂定</span>" not in text
    text = page(client, net.clerk, start="2026-12-28", days="5", unit="working")
    assert "2027年1月4日" in text and "暂定</span>" in text
    text = page(
        client,
        net.clerk,
        start="2026-09-29",
        days="5",
        unit="working",
        pause_start="2026-09-30",
        pause_end="2026-10-09",
    )
    assert "2026年10月14日" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-09-29", "days": "abc", "unit": "working"}, "整数"),
        ({"start": "not-a-date", "days": "5", "unit": "working"}, "日期"),
        ({"start": "2026-09-29", "days": "-3", "unit": "working"}, "0"),
        ({"start": "2026-09-29", "days": "99999", "unit": "working"}, "1000"),
        ({"start": "9999-12-31", "days": "5", "unit": "working"}, "2100"),
        ({"start": "2026-09-29", "days": "5", "unit": "hours"}, "选择"),
        (
            {"start": "2026-09-29", "days": "5", "unit": "working", "pause_end": "2026-10-01"},
            "暂停开始",
        ),
        ({"month": "2026-13"}, "月份格式"),
        ({"month": "99999-01"}, "月份格式"),
        ({"month": "1066-10"}, "2000"),
        ({"region": "999999"}, "选择"),
        ({"region": "abc"}, "选择"),
    ],
)
def test_r_case_4_bad_query_shows_a_chinese_message_not_a_500(client, net, params, message):
    client.force_login(net.clerk)
    response = client.get(URL, params)
    assert response.status_code == 200
    shown = " ".join(messages_of(response))
    assert message in shown


@pytest.mark.django_db
def test_r_case_4_region_of_another_county_cannot_be_chosen(client, net):
    client.force_login(net.clerk)
    response = client.get(URL, {"region": net.kangle.pk})
    assert response.status_code == 200
    assert messages_of(response)
    assert response.context["region"] != net.kangle


@pytest.mark.django_db
def test_r_case_4_prefecture_admin_loads_a_schedule_from_the_form(client, net):
    deadline = cal.deadline_start(
        actor=net.clerk, center=net.linxia_center, purpose="case", start=date(2026, 12, 28), days=5
    )
    client.force_login(net.pref_admin)
    text = client.get(URL).content.decode()
    assert "载入年度节假日安排" in text
    response = client.post(
        URL,
        {
            "action": "load_year",
            "load-year": "2027",
            "load-source": "国务院办公厅通知",
            "load-text": SCHEDULE,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert any(
        "2027年节假日安排已载入" in m and "重新计算了1个时限" in m for m in messages_of(response)
    )
    assert CalendarYear.objects.get().days.count() == 9
    deadline.refresh_from_db()
    assert (deadline.due, deadline.provisional) == (date(2027, 1, 5), False)
    assert AuditEvent.objects.filter(action="calendar_year.load", actor=net.pref_admin).exists()


@pytest.mark.django_db
def test_r_case_4_schedule_file_upload(client, net):
    client.force_login(net.root)
    upload = SimpleUploadedFile("2027.txt", SCHEDULE.encode("gb18030"), content_type="text/plain")
    response = client.post(
        URL,
        {
            "action": "load_year",
            "load-year": "2027",
            "load-source": "通知",
            "load-file": upload,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert CalendarDay.objects.count() == 9
    garbage = SimpleUploadedFile("x.bin", b"\xff\xfe\x00\x81" * 10)
    response = client.post(
        URL,
        {
            "action": "load_year",
            "load-year": "2028",
            "load-source": "通知",
            "load-file": garbage,
        },
    )
    assert response.status_code == 200
    assert messages_of(response)
    assert not CalendarYear.objects.filter(year=2028).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"load-year": "2027", "load-source": "通知", "load-text": "2027-01-01 放假"}, "第1行"),
        (
            {"load-year": "2027", "load-source": "通知", "load-text": "2028-01-01 休"},
            "不在2027年内",
        ),
        ({"load-year": "2027", "load-source": "通知", "load-text": ""}, "请填写安排内容"),
        ({"load-year": "1999", "load-source": "通知", "load-text": SCHEDULE}, "2000"),
        ({"load-year": "2027", "load-source": "", "load-text": SCHEDULE}, "依据"),
        ({"load-year": "x", "load-source": "通知", "load-text": SCHEDULE}, "整数"),
    ],
)
def test_r_case_4_bad_schedule_in_the_form_changes_nothing(client, net, data, message):
    client.force_login(net.pref_admin)
    before = AuditEvent.objects.count()
    response = client.post(URL, {"action": "load_year", **data})
    assert response.status_code == 200
    assert message in " ".join(messages_of(response))
    assert not CalendarYear.objects.exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_r_case_4_county_admin_cannot_load_nor_override_another_county(client, net):
    client.force_login(net.county_admin)
    text = client.get(URL).content.decode()
    assert "添加调整" in text and "载入年度节假日安排" not in text
    response = client.post(
        URL, {"action": "load_year", "load-year": "2027", "load-source": "x", "load-text": SCHEDULE}
    )
    assert response.status_code == 200 and "权限" in " ".join(messages_of(response))
    assert not CalendarYear.objects.exists()
    response = client.post(
        URL,
        {
            "action": "add_override",
            "ovr-date": "2026-12-07",
            "ovr-kind": "closed",
            "ovr-reason": "越权",
            "ovr-region": net.kangle.pk,
        },
    )
    assert response.status_code == 200 and messages_of(response)
    response = client.post(
        URL,
        {
            "action": "add_override",
            "ovr-date": "2026-12-07",
            "ovr-kind": "closed",
            "ovr-reason": "越权",
            "ovr-region": "",
        },
    )
    assert response.status_code == 200 and messages_of(response)
    assert not CalendarOverride.objects.exists()

    response = client.post(
        URL,
        {
            "action": "add_override",
            "ovr-date": "2026-12-07",
            "ovr-kind": "closed",
            "ovr-reason": "县中心搬迁",
            "ovr-region": net.linxia.pk,
        },
        follow=True,
    )
    assert "本地调整已添加" in " ".join(messages_of(response))
    override = CalendarOverride.objects.get()
    assert override.region == net.linxia and not override.is_workday
    text = client.get(URL, {"month": "2026-12"}).content.decode()
    assert "县中心搬迁" in text and "本地休息" in text

    other = cal.calendar_override_create(
        actor=net.kangle_admin,
        date=date(2026, 12, 8),
        is_workday=False,
        reason="康乐闭厅",
        region=net.kangle,
    )
    response = client.post(URL, {"action": "delete_override", "override_id": other.pk})
    assert response.status_code == 200 and "未找到" in " ".join(messages_of(response))
    response = client.post(URL, {"action": "delete_override", "override_id": "abc"})
    assert response.status_code == 200 and "未找到" in " ".join(messages_of(response))
    response = client.post(
        URL, {"action": "delete_override", "override_id": override.pk}, follow=True
    )
    assert "已删除" in " ".join(messages_of(response))
    assert list(CalendarOverride.objects.all()) == [other]


@pytest.mark.django_db
def test_r_case_4_duplicate_override_shows_message(client, net):
    client.force_login(net.county_admin)
    data = {
        "action": "add_override",
        "ovr-date": "2026-12-07",
        "ovr-kind": "closed",
        "ovr-reason": "闭厅",
        "ovr-region": net.linxia.pk,
    }
    client.post(URL, data)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "已有本地调整" in " ".join(messages_of(response))
    response = client.post(URL, {**data, "ovr-date": "2026-10-01"})
    assert "本来就是休息日" in " ".join(messages_of(response))
    assert CalendarOverride.objects.count() == 1


@pytest.mark.django_db
def test_r_case_4_clerk_posts_are_refused(client, net):
    client.force_login(net.clerk)
    response = client.post(
        URL,
        {
            "action": "add_override",
            "ovr-date": "2026-12-07",
            "ovr-kind": "closed",
            "ovr-reason": "x",
            "ovr-region": net.linxia.pk,
        },
    )
    assert response.status_code == 200 and "权限" in " ".join(messages_of(response))
    assert not CalendarOverride.objects.exists()


@pytest.mark.django_db
def test_r_case_4_workspace_links_to_the_calendar(client, net):
    client.force_login(net.clerk)
    text = client.get("/workspace/").content.decode()
    assert 'href="/workspace/calendar/"' in text and "工作日历" in text


# --- admin ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_r_case_4_admin_override_list_is_scoped_and_adds_through_the_service(client, net):
    mine = cal.calendar_override_create(
        actor=net.county_admin,
        date=date(2026, 12, 7),
        is_workday=False,
        reason="临夏县闭厅",
        region=net.linxia,
    )
    cal.calendar_override_create(
        actor=net.kangle_admin,
        date=date(2026, 12, 8),
        is_workday=False,
        reason="康乐县闭厅",
        region=net.kangle,
    )
    cal.calendar_override_create(
        actor=net.pref_admin,
        date=date(2026, 12, 9),
        is_workday=False,
        reason="全州闭厅",
        region=None,
    )
    client.force_login(net.county_admin)
    response = client.get("/admin/core/calendaroverride/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "临夏县闭厅" in text and "全州闭厅" in text and "康乐县闭厅" not in text
    other = CalendarOverride.objects.get(reason="康乐县闭厅")
    assert client.get(f"/admin/core/calendaroverride/{other.pk}/change/").status_code == 404
    assert client.get(f"/admin/core/calendaroverride/{mine.pk}/change/").status_code == 200

    response = client.post(
        "/admin/core/calendaroverride/add/",
        {
            "date": "2026-12-10",
            "reason": "韩集镇闭厅",
            "region": net.hanji.pk,
        },
    )
    assert response.status_code == 302
    added = CalendarOverride.objects.get(reason="韩集镇闭厅")
    assert (
        AuditEvent.objects.filter(
            action="calendar_override.create", target_id=str(added.pk)
        ).count()
        == 1
    )

    response = client.post(
        "/admin/core/calendaroverride/add/",
        {
            "date": "2026-12-11",
            "reason": "越权",
            "region": net.kangle.pk,
        },
    )
    assert response.status_code == 200  # form shown again with the error
    response = client.post(
        "/admin/core/calendaroverride/add/", {"date": "2026-12-11", "reason": "越权"}
    )
    assert response.status_code == 200
    assert "州政务服务中心管理员" in response.content.decode()
    assert not CalendarOverride.objects.filter(reason="越权").exists()


@pytest.mark.django_db
def test_r_case_4_admin_calendar_year_is_read_only_with_its_days(client, net):
    loaded = cal.calendar_year_load(actor=net.root, year=2027, text=SCHEDULE, source="通知")
    client.force_login(net.root)
    response = client.get("/admin/core/calendaryear/")
    assert response.status_code == 200 and "2027" in response.content.decode()
    response = client.get(f"/admin/core/calendaryear/{loaded.pk}/change/")
    assert response.status_code == 200
    assert "春节" in response.content.decode()
    assert client.get("/admin/core/calendaryear/add/").status_code == 403
    client.force_login(net.county_admin)
    assert client.get("/admin/core/calendaryear/").status_code == 200


@pytest.mark.django_db
def test_r_case_4_deadlines_are_untouched_by_page_views(client, net):
    cal.deadline_start(
        actor=net.clerk, center=net.linxia_center, purpose="case", start=date(2026, 12, 28), days=5
    )
    page(client, net.clerk, start="2026-12-28", days="5")
    assert Deadline.objects.get().due == date(2027, 1, 4)
