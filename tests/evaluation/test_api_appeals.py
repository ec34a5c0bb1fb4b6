"""R-EVAL-2 through the API: the responsible department appeals a bad review (evidence
checked by content), the center decides; an upheld appeal excludes the review and keeps
it; the wrong party, a second appeal, a file that is not a PDF or image and a review
outside the scope change nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.evaluation import services
from onewindow.evaluation.models import Appeal, Review
from tests.api_client import bearer
from tests.evaluation.conftest import concluded_case

BASE = "/api/v1/evaluation"


def test_r_eval_2_api_appeal_filed_by_the_department_decided_by_the_center(ev):
    review = services.review_case(case=concluded_case(ev), level=1, text="故意刁难")
    path = f"{BASE}/reviews/{review.pk}/appeals"
    department = bearer(ev.approver)

    page = SimpleUploadedFile("截图.html", b"<html><script>x</script></html>")
    answer = department.post(path, {"reason": "录像证明未到窗口办理", "evidence": page})
    assert 400 <= answer.status_code < 500 and set(answer.json()) == {"code", "message", "fields"}
    assert not Appeal.objects.exists()
    assert (
        bearer(ev.county_supervisor).post(path, {"reason": "录像证明未到窗口"}).status_code == 403
    )
    assert bearer(ev.kangle_admin).post(path, {"reason": "录像证明未到窗口"}).status_code == 404
    assert department.post(path, {"reason": "短"}).status_code == 422

    pdf = SimpleUploadedFile("录像说明.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    answer = department.post(path, {"reason": "监控录像显示申请人未到窗口", "evidence": pdf})
    assert answer.status_code == 201, answer.content
    appeal = answer.json()
    assert (appeal["state"], appeal["has_evidence"]) == ("pending", True)
    assert department.post(path, {"reason": "再次申诉的理由"}).status_code == 409

    decide = f"{BASE}/appeals/{appeal['id']}/decide"
    body = {"upheld": True, "decision": "经核查录像，申诉成立"}
    assert department.post(decide, body, content_type="application/json").status_code == 403
    center = bearer(ev.county_admin)
    assert [a["id"] for a in center.get(f"{BASE}/appeals?state=pending").json()["items"]] == [
        appeal["id"]
    ]
    answer = center.post(decide, body, content_type="application/json")
    assert answer.json()["state"] == "upheld", answer.content
    review.refresh_from_db()
    assert review.excluded and review.excluded_reason == "经核查录像，申诉成立"
    assert Review.objects.filter(pk=review.pk).exists()
    again = center.post(decide, {**body, "upheld": False}, content_type="application/json")
    assert again.status_code == 409
    assert center.get(f"{BASE}/appeals?state=nonsense").status_code == 422
