"""R-CPL-1: hot topics name subjects. The page opens on the last 30 days against the 30
before; times of day and dates, the names of regions and centers (from the org tables)
and the generic words of any visit are no topics, whatever the complaints say."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from onewindow.complaints import services
from onewindow.complaints.models import Complaint
from onewindow.org.models import Center

NOT_TOPICS = (
    "上午",
    "下午",
    "今天下午",
    "临夏县",
    "临夏",
    "办事",
    "办理",
    "窗口",
    "工作人员",
    "群众",
)
TEXTS = (
    ("上午去临夏县办事，社保卡办不了", "今天下午又去窗口办理社保卡，工作人员说系统坏了。"),
    ("社保卡补办太慢", "12月1日上午到临夏县政务服务中心办事，群众很多，社保卡还没拿到。"),
    ("韩集镇便民服务中心社保卡", "周三下午在韩集镇办理社保卡，等了很久。"),
)


def _file(hall, subject, content, days_ago):
    return services.complaint_file(
        actor=hall.clerk,
        center=hall.linxia_center,
        source=Complaint.Source.DESK,
        subject=subject,
        content=content,
        anonymous=True,
        now=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_r_cpl_1_hot_topics_leave_out_times_places_and_generic_words(hall):
    assert Center.objects.filter(name="韩集镇便民服务中心").exists()  # from the org tables
    for days_ago, (subject, content) in zip((2, 9, 20), TEXTS, strict=True):
        complaint = _file(hall, subject, content, days_ago)
        assert "社保卡" in complaint.words
        assert not set(complaint.words) & {*NOT_TOPICS, "韩集镇", "集镇", "周三", "12月"}
    _file(hall, "社保卡", "上午办社保卡", 45)  # the period before
    # A complaint filed before these rules keeps its old words: they are left out too.
    old = _file(hall, "不动产登记", "不动产登记", 5)
    Complaint.objects.filter(pk=old.pk).update(words=["上午", "临夏县", "办事", "不动产登记"])

    admin = Client()
    admin.force_login(hall.county_admin)
    response = admin.get("/complaints/staff/hot/")
    assert response.status_code == 200
    hot = response.context["hot"]
    today = timezone.localdate()
    assert (hot.period.start, hot.period.end) == (today - dt.timedelta(days=29), today)
    words = {t.word: t for t in hot.words}
    assert "社保卡" in words and "不动产登记" in words
    assert not set(words) & {*NOT_TOPICS, "韩集镇", "集镇"}
    top = hot.words[0]
    assert (top.word, top.count, top.previous, top.trend) == ("社保卡", 3, 1, "up")
    page = response.content.decode()
    for word in NOT_TOPICS:
        assert f"<td>{word}</td>" not in page
    assert "<td>社保卡</td>" in page and "<td>不动产登记</td>" in page
