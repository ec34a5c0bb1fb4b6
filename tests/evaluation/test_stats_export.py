"""The evaluation statistics' Excel (R-EVAL-3): counts as numbers, rates as percent
cells, the header frozen, columns fitted, a Chinese file name."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onewindow.core import xlsx
from onewindow.evaluation import services
from tests.evaluation.conftest import finish_visit
from tests.xlsx_checks import DEFAULT_WIDTH, column, download, header_frozen, width


def test_r_eval_3_statistics_excel_stores_numbers_and_percentages_under_a_chinese_name(ev):
    services.review_visit(ticket=finish_visit(ev, case=True), level=5, reasons=["fast"])
    services.review_visit(ticket=finish_visit(ev, case=True), level=1, reasons=["rude"])
    c = Client()
    c.force_login(ev.county_admin)
    today = timezone.localdate().isoformat()
    response = c.get(reverse("oversight:evaluation_stats_export"), {"start": today, "end": today})
    book = download(response, f"好差评统计-{today}至{today}.xlsx")
    for ws in book:
        assert header_frozen(ws), ws.title
    overview = book["概况"]
    (total,) = column(overview, "实际评价")
    (rate,) = column(overview, "满意度")
    assert total.data_type == "n" and total.value == 2
    assert rate.data_type == "n" and rate.value == pytest.approx(0.5)
    assert rate.number_format == xlsx.PERCENT
    departments = book["按部门"]
    assert column(departments, "名称")[0].value == "临夏县市场监督管理局"
    assert width(departments, "名称") > DEFAULT_WIDTH * 2  # fitted to the long name
    reasons = book["差评原因"]
    assert [c.value for c in column(reasons, "次数")] == [1]
