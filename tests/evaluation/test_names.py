"""People are named by their name and staff number, never their login (R-EVAL-3,
R-HALL-2): the evaluation statistics and their Excel, the hall statistics and their
Excel, and the pad facing the citizen."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from onewindow.core.models import User
from onewindow.evaluation import services
from tests.evaluation.conftest import finish_visit

LOGIN = "lxx-w03"


def _rename(ev) -> str:
    User.objects.filter(pk=ev.clerk.pk).update(username=LOGIN, full_name="马明")
    ev.clerk.refresh_from_db()
    return ev.clerk.staff_profile.staff_no


def _xlsx_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v
    )


def test_r_eval_3_statistics_pad_and_hall_statistics_name_people_not_logins(ev):
    number = _rename(ev)
    label = f"马明（工号 {number}）"
    services.review_visit(ticket=finish_visit(ev), level=1, reasons=["rude"])
    admin = Client()
    admin.force_login(ev.county_admin)

    page = admin.get(reverse("oversight:evaluation_stats")).content.decode()
    assert label in page and LOGIN not in page
    page = admin.get(reverse("evaluation:reviews")).content.decode()
    assert label in page and LOGIN not in page
    export = _xlsx_text(admin.get(reverse("oversight:evaluation_stats_export")))
    assert label in export and LOGIN not in export

    today = timezone.localdate().isoformat()
    params = {"center": ev.linxia_center.pk, "start": today, "end": today}
    page = admin.get(reverse("oversight:hall_stats"), params).content.decode()
    assert label in page and LOGIN not in page
    export = _xlsx_text(admin.get(reverse("oversight:hall_stats_export"), params))
    assert label in export and LOGIN not in export

    _, key = services.pad_pair(actor=ev.county_admin, window=ev.w1)
    pad = Client()
    url = reverse("portal:review_pad", args=[ev.w1.pk])
    pad.get(f"{url}?key={key}")
    finish_visit(ev)
    page = pad.get(url).content.decode()
    assert "马明" in page and f"工号 {number}" in page and LOGIN not in page
    feed = pad.get(reverse("portal:review_pad_feed", args=[ev.w1.pk])).json()
    assert feed["clerk"] == {"name": "马明", "staff_no": number}
