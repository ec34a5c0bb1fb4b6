"""R-CPL-1 hot topics: the charts of complaint counts show whole-number ticks."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from tests.complaints.conftest import at
from tests.complaints.test_complaint_life import file


def test_r_cpl_1_hot_topic_charts_count_in_whole_numbers(hall):
    file(hall, now=at("2026-10-10"), anonymous=True, subject="不动产登记排队太长", content="排队")
    file(hall, now=at("2026-10-12"), anonymous=True, subject="营业执照", content="营业执照")
    c = Client()
    c.force_login(hall.county_admin)
    html = c.get(
        reverse("oversight:complaint_hot_topics"), {"start": "2026-10-01", "end": "2026-10-31"}
    ).content.decode()
    ticks = re.findall(r'<text class="axis"[^>]*text-anchor="end">([^<]*)</text>', html)
    assert ticks and all(re.fullmatch(r"\d+", t) for t in ticks), ticks
