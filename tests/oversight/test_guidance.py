"""Guidance (R-HALL-9): each guidance recorded in two taps; the share of visitors sent to
other channels per day and month equals a hand count; the public complaint channels of
a center (§18)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.scope import scope_for
from onewindow.oversight import services
from onewindow.oversight.models import Guidance
from onewindow.oversight.selectors import guidance as sel
from tests.oversight.conftest import at

pytestmark = pytest.mark.django_db


def _many(n, center, day, channels, topic="guide"):
    for i, channel in enumerate(channels):
        services.guidance_record(
            actor=n.clerk if center == n.linxia_center else n.kangle_admin,
            center_id=center.pk,
            channel=channel,
            topic=topic,
            now=at(2026, 7, day, 9, i),
        )


def test_r_hall_9_share_sent_to_other_channels_equals_a_hand_count(world):
    n = world
    _many(n, n.linxia_center, 10, ["window"] * 4 + ["online"] * 3 + ["phone"] * 2 + ["terminal"])
    _many(n, n.linxia_center, 11, ["window", "window", "online", "online"], topic="progress")
    _many(n, n.kangle_center, 10, ["online"] * 5)
    report = sel.guidance_month(
        scope=scope_for(n.county_admin), center=n.linxia_center, year=2026, month=7
    )
    day10, day11 = report.days
    # window, online, phone, terminal
    assert (day10.total, day10.counts, day10.other) == (10, [4, 3, 2, 1], 6)
    assert day10.share == 0.6 and day10.share_text == "60.0%"
    assert (day11.total, day11.other, day11.share) == (4, 2, 0.5)
    assert (report.month_row.total, report.month_row.other) == (14, 8)
    assert report.month_row.share_text == "57.1%"  # 8 / 14
    assert dict(report.topics) == {"咨询办事指南": 10, "查询办件进度": 4}
    # a county sees only its own
    other = sel.guidance_month(
        scope=scope_for(n.kangle_admin), center=n.linxia_center, year=2026, month=7
    )
    assert other.month_row.total == 0
    client = Client()
    client.force_login(n.county_supervisor)
    page = client.get(
        reverse("oversight:guidance_figures"), {"center": n.linxia_center.pk, "month": "2026-07"}
    )
    assert "57.1%" in page.content.decode()
    kangle = Client()
    kangle.force_login(n.kangle_admin)
    assert (
        kangle.get(
            reverse("oversight:guidance_figures"), {"center": n.linxia_center.pk}
        ).status_code
        == 404
    )


def test_r_hall_9_two_taps_record_one_guidance(world):
    n = world
    client = Client()
    client.force_login(n.clerk)
    page = client.get(reverse("oversight:guidance_desk")).content.decode()
    assert "群众要办什么" in page and "自助终端" in page
    url = reverse("oversight:guidance_record")
    client.post(url, {"center": n.linxia_center.pk, "asked": "tprogress", "channel": "online"})
    g = Guidance.objects.get()
    assert (g.center, g.topic, g.channel, g.by) == (n.linxia_center, "progress", "online", n.clerk)
    # without what was asked, or with a made-up channel: a message, nothing written
    r = client.post(url, {"center": n.linxia_center.pk, "channel": "online"}, follow=True)
    assert "请先选择群众咨询的事项或问题" in r.content.decode()
    client.post(url, {"center": n.linxia_center.pk, "asked": "tguide", "channel": "fax"})
    assert Guidance.objects.count() == 1
    with pytest.raises(NotFound):
        services.guidance_record(
            actor=n.clerk, center_id=n.kangle_center.pk, channel="window", topic="guide"
        )
    with pytest.raises(Forbidden):
        services.guidance_record(
            actor=n.approver, center_id=n.linxia_center.pk, channel="window", topic="guide"
        )
    with pytest.raises(InvalidInput):
        services.guidance_record(
            actor=n.clerk, center_id=n.linxia_center.pk, channel="window", matter_id="99999"
        )


def test_r_hall_9_public_page_lists_every_complaint_channel_of_a_center(world):
    n = world
    services.complaint_channels_update(
        actor=n.county_admin,
        center_id=n.linxia_center.pk,
        office="综合协调股",
        reception_place="一楼服务台东侧投诉接待室",
        reception_hours="工作日 9:00-17:00",
        box_location="大厅入口左侧",
        phone="0930-1234567",
    )
    with pytest.raises(NotFound):
        services.complaint_channels_update(
            actor=n.kangle_admin, center_id=n.linxia_center.pk, office="x"
        )
    public = Client()
    page = public.get(
        reverse("oversight:complaint_channels", args=[n.linxia_center.code])
    ).content.decode()
    for text in (
        "一楼服务台东侧投诉接待室",
        "大厅入口左侧",
        "0930-1234567",
        "12345",
        reverse("portal:complaint_file"),
        "综合协调股",
    ):
        assert text in page
    # a center that has published nothing still lists 12345 and the form
    other = public.get(
        reverse("oversight:complaint_channels", args=[n.kangle_center.code])
    ).content.decode()
    assert "12345" in other and reverse("portal:complaint_file") in other
    assert public.get(reverse("oversight:complaint_channels", args=["nope"])).status_code == 404
    index = reverse("oversight:complaint_channels_index")
    assert n.linxia_center.name in public.get(index).content.decode()
    assert index in public.get(reverse("home")).content.decode()
    assert index in public.get(reverse("portal:complaint_file")).content.decode()
