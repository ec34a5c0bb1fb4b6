"""An appeal's evidence through the API (R-EVAL-2, R-NET-3): uploaded with the appeal
through the files service (size limit, content check, nothing kept of a refused file,
the filing audited), read back as stored by whoever sees the appeal, 404 outside the
scope or without evidence, 403 for a party that may not appeal."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.core.models import AuditEvent
from onewindow.evaluation import services
from onewindow.evaluation.models import Appeal
from onewindow.files.models import StoredFile
from tests.api_client import bearer, is_error
from tests.evaluation.conftest import concluded_case

BASE = "/api/v1/evaluation"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def test_r_eval_2_api_evidence_uploaded_checked_and_read_back_in_scope(ev, tmp_path, settings):
    settings.ONEWINDOW_UPLOAD_ROOT = str(tmp_path / "uploads")
    settings.ONEWINDOW_UPLOAD_MAX_BYTES = 1024
    review = services.review_case(case=concluded_case(ev), level=1, text="故意刁难")
    path = f"{BASE}/reviews/{review.pk}/appeals"
    department = bearer(ev.approver)
    reason = "监控录像显示申请人未到窗口"
    files = StoredFile.objects.count()

    big = SimpleUploadedFile("录像.pdf", PDF + b"0" * 2048)
    answer = department.post(path, {"reason": reason, "evidence": big})
    assert is_error(answer, 422, "file.too_large") and "file" in answer.json()["fields"]
    fake = SimpleUploadedFile("录像.pdf", b"<html><script>x</script></html>")
    assert 400 <= department.post(path, {"reason": reason, "evidence": fake}).status_code < 500
    supervisor = bearer(ev.county_supervisor)
    pdf = SimpleUploadedFile("录像说明.pdf", PDF)
    answer = supervisor.post(path, {"reason": reason, "evidence": pdf})
    assert is_error(answer, 403, "appeal.not_department")
    assert not Appeal.objects.exists() and StoredFile.objects.count() == files

    pdf = SimpleUploadedFile("录像说明.pdf", PDF)
    answer = department.post(path, {"reason": reason, "evidence": pdf})
    assert answer.status_code == 201, answer.content
    appeal = Appeal.objects.get(pk=answer.json()["id"])
    assert appeal.evidence.content_type == "application/pdf"
    assert AuditEvent.objects.filter(
        action="rectification.appeal", target_id=str(review.rectification.pk)
    ).exists()

    url = f"{BASE}/appeals/{appeal.pk}/evidence"
    for reader in (ev.county_admin, ev.approver):
        got = bearer(reader).get(url)
        assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
        assert b"".join(got.streaming_content) == PDF
        assert got["X-Content-Type-Options"] == "nosniff"
    assert is_error(bearer(ev.kangle_admin).get(url), 404, "appeal.not_found")
    assert is_error(department.get(f"{BASE}/appeals/{2**63}/evidence"), 422)


def test_r_eval_2_api_an_appeal_without_evidence_has_no_file(ev):
    review = services.review_case(case=concluded_case(ev), level=1, text="态度差")
    appeal = services.appeal_file(actor=ev.approver, review=review, reason="录像证明态度正常")
    answer = bearer(ev.county_admin).get(f"{BASE}/appeals/{appeal.pk}/evidence")
    assert is_error(answer, 404, "appeal.no_evidence")
