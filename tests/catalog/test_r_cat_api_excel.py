"""The catalog's Excel export and import through the API (R-CAT-2, R-CAT-5, R-NET-3): the
same workbook and file name as the page's download, the same all-or-nothing import with
every bad cell in the error shape's ``fields`` and nothing changed, a center outside the
caller's scope 404, a clerk 403; the background import as a job its starter follows."""

from __future__ import annotations

import io
from types import SimpleNamespace
from urllib.parse import unquote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from onewindow.catalog import excel
from onewindow.catalog.excel import jobs
from onewindow.catalog.models import ChangeRequest, Matter, ProcessChange
from onewindow.core import xlsx
from onewindow.core.models import AuditEvent
from tests.api_client import bearer, is_error
from tests.catalog.test_excel import counts, good_workbook, listed, matter_row, workbook  # noqa: F401

BASE = "/api/v1/catalog/excel"


def upload(data: bytes, **form):
    return {"file": SimpleUploadedFile("清单.xlsx", data, content_type=xlsx.CONTENT_TYPE), **form}


def values(content: bytes) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(content))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}


def test_r_cat_2_api_export_is_the_pages_workbook_and_file_name(listed, client):  # noqa: F811
    admin = bearer(listed.county_admin)
    answer = admin.get(f"{BASE}/export", {"center_id": listed.linxia_center.pk})
    assert answer.status_code == 200
    assert answer["Content-Type"] == xlsx.CONTENT_TYPE
    client.force_login(listed.county_admin)
    page = client.get(reverse("catalog:excel_export"), {"download": "1", "center": "C622921"})
    assert unquote(answer["Content-Disposition"]) == unquote(page["Content-Disposition"])
    assert "事项清单-临夏县政务服务中心-" in unquote(answer["Content-Disposition"])
    got = values(b"".join(answer.streaming_content))
    assert got == values(b"".join(page.streaming_content))
    assert got["实施清单"][1][:2] == ["11620000MB1234567X", "C622921"]

    template = admin.get(f"{BASE}/template")
    assert template.status_code == 200 and template["Content-Type"] == xlsx.CONTENT_TYPE
    assert load_workbook(io.BytesIO(b"".join(template.streaming_content))).sheetnames[-1] == "说明"

    outside = admin.get(f"{BASE}/export", {"center_id": listed.kangle_center.pk})
    assert is_error(outside, 404, "center.not_found")
    assert is_error(admin.get(f"{BASE}/export", {"center_id": 0}), 422)
    clerk = bearer(listed.clerk)
    assert is_error(clerk.get(f"{BASE}/export"), 403, "catalog_excel.forbidden")
    assert is_error(clerk.get(f"{BASE}/template"), 403, "catalog_excel.forbidden")


def test_r_cat_2_api_import_lists_every_bad_cell_and_changes_nothing(cat):
    admin, clerk = bearer(cat.county_admin), bearer(cat.clerk)
    bad = workbook(
        **{
            excel.MATTERS: [
                matter_row(),
                matter_row(code="MX-002", name="", 承诺时限="三天"),
            ],
        }
    )
    before = counts()
    answer = admin.post(f"{BASE}/import", upload(bad))
    assert is_error(answer, 422, "catalog_import.invalid"), answer.content
    fields = answer.json()["fields"]
    report, _plan = excel.validate(bad, actor=cat.county_admin)
    assert len(report.errors) >= 2
    for e in report.errors:
        key = f"{e.sheet}:{e.row}:{e.column}" if e.row else (e.sheet or "文件")
        assert e.message in fields[key]
    assert counts() == before

    for data in (b"not a workbook", b""):
        answer = admin.post(f"{BASE}/import", upload(data))
        assert is_error(answer, 422), answer.content
    assert is_error(admin.post(f"{BASE}/import", {}), 422, "file.empty")
    answer = admin.post(f"{BASE}/import", upload(good_workbook(), publish="true"))
    assert is_error(answer, 403, "catalog_excel.publish_forbidden")
    answer = clerk.post(f"{BASE}/import", upload(good_workbook()))
    assert is_error(answer, 403, "catalog_excel.forbidden")
    assert counts() == before


def test_r_cat_4_api_import_checks_then_applies_through_the_reviews(cat):
    admin = bearer(cat.county_admin)
    before = counts()
    answer = admin.post(f"{BASE}/import", upload(good_workbook(), check_only="true"))
    assert answer.status_code == 200, answer.content
    assert answer.json()["applied"] is False
    assert {c["key"] for c in answer.json()["counts"]} == {"matters_new", "listings_new"}
    assert counts() == before

    answer = admin.post(f"{BASE}/import", upload(good_workbook()))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["applied"] is True
    assert {c["key"]: c["count"] for c in body["counts"]}["matters_created"] == 1
    matter = Matter.objects.get(code="MX-001")
    assert ProcessChange.objects.filter(matter=matter).count() == 1
    assert ChangeRequest.objects.filter(listing__matter=matter).count() == 1
    actions = set(
        AuditEvent.objects.filter(actor=cat.county_admin).values_list("action", flat=True)
    )
    assert {"matter.create", "process_change.submit", "change_request.submit"} <= actions


class _Later:
    """The job's thread, run when the test says, in the test's own thread."""

    started: list = []

    def __init__(self, target, args, **kwargs):
        self.run = lambda: target(*args)

    def start(self):
        self.started.append(self.run)


def test_r_cat_4_api_import_job_shows_its_progress_to_its_starter_only(cat, monkeypatch):
    monkeypatch.setattr(jobs, "threading", SimpleNamespace(Thread=_Later))
    monkeypatch.setattr(jobs, "connections", SimpleNamespace(close_all=lambda: None))
    admin, clerk, other = bearer(cat.county_admin), bearer(cat.clerk), bearer(cat.kangle_admin)
    before = counts()
    bad = workbook(**{excel.MATTERS: [matter_row(code="MX-002", name="", 承诺时限="三天")]})
    answer = admin.post(f"{BASE}/import-jobs", upload(bad))
    assert is_error(answer, 422, "catalog_import.invalid"), answer.content
    assert is_error(admin.post(f"{BASE}/import-jobs", {}), 422, "file.empty")
    answer = clerk.post(f"{BASE}/import-jobs", upload(good_workbook()))
    assert is_error(answer, 403, "catalog_excel.forbidden")
    assert _Later.started == [] and counts() == before  # a refused file starts no job

    answer = admin.post(f"{BASE}/import-jobs", upload(good_workbook()))
    assert answer.status_code == 202, answer.content
    job = answer.json()
    assert job["state"] == "running" and job["percent"] == 0 and job["errors"] == []
    assert job["filename"] == "清单.xlsx"
    url = f"{BASE}/import-jobs/{job['id']}"
    assert admin.get(url).json() == job
    _Later.started.pop()()  # the background apply
    done = admin.get(url).json()
    assert done["state"] == "done" and done["percent"] == 100, done
    assert done["done"] == done["total"] == 2 and done["summary"]
    assert Matter.objects.filter(code="MX-001").exists()
    # Another user, even of the same rights, does not see the job; nor a job never started.
    assert is_error(other.get(url), 404, "catalog_import.job_not_found")
    assert is_error(admin.get(f"{BASE}/import-jobs/{'0' * 32}"), 404)
    assert is_error(admin.get(f"{BASE}/import-jobs/not-a-job"), 422)
    assert is_error(clerk.get(url), 403, "catalog_excel.forbidden")
