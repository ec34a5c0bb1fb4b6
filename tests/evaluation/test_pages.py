"""Evaluation pages (R-EVAL-1..3): the pad refuses a staff session, the QR page, the
reviewer's link, the rectification pages without the reviewer's identity for the
reviewed, the scope matrix over reviews, statistics with export and the public ranking."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from onewindow.evaluation import services, states
from onewindow.evaluation.models import Rectification, Review
from onewindow.hall.selectors import ticket_token
from tests.evaluation.conftest import concluded_case, finish_visit


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_r_eval_1_the_pad_refuses_the_clerks_session(ev):
    _, key = services.pad_pair(actor=ev.county_admin, window=ev.w1)
    ticket = finish_visit(ev)
    url = reverse("portal:review_pad", args=[ev.w1.pk])
    clerk = client_for(ev.clerk)
    page = clerk.get(f"{url}?key={key}", follow=True)
    assert "工作人员不能代替办事群众评价" in page.content.decode()
    response = clerk.post(url, {"ticket": ticket.pk, "level": 5})
    assert response.status_code == 403
    assert "工作人员不能代替办事群众评价" in response.content.decode()
    assert not Review.objects.exists()
    # The pad itself (no session) with its paired key: the feed, then the review.
    pad = Client()
    assert pad.get(url).status_code == 404  # not paired
    pad.get(f"{url}?key={key}")
    feed = pad.get(reverse("portal:review_pad_feed", args=[ev.w1.pk])).json()
    assert feed["ticket"] == {"id": ticket.pk, "code": ticket.code}
    assert feed["clerk"]["staff_no"] == ev.clerk.staff_profile.staff_no
    page = pad.get(url).content.decode()
    assert ticket.code in page and "非常不满意" in page and ev.clerk.staff_profile.staff_no in page
    assert "工作人员登录" not in page  # a kiosk facing the citizen leads nowhere else
    bad = pad.post(url, {"ticket": ticket.pk, "level": 1})
    assert bad.status_code == 422 and "差评请至少勾选一项原因" in bad.content.decode()
    done = pad.post(url, {"ticket": ticket.pk, "level": 1, "reasons": ["rude"]})
    assert done.status_code == 200
    rect = Rectification.objects.get()
    assert reverse("portal:reviewer", args=[rect.reviewer_token]) in done.content.decode()
    assert pad.get(reverse("portal:review_pad_feed", args=[ev.w1.pk])).json()["ticket"] is None


def test_r_eval_1_review_by_the_qr_code_and_the_progress_page_once(ev):
    ticket = finish_visit(ev)
    token = ticket_token(ticket)
    status = Client().get(reverse("portal:ticket_status", args=[token])).content.decode()
    assert reverse("portal:review_by_token", args=[token]) in status and "评价本次服务" in status
    url = reverse("portal:review_by_token", args=[token])
    c = Client()
    assert c.post(url, {"level": 9}).status_code == 422
    assert c.post(url, {"level": 4, "reasons": ["fast"], "ind_attitude": 5}).status_code == 200
    assert Review.objects.get().channel == "qr"
    again = c.get(url).content.decode()
    assert "每次服务只能评价一次" in again
    assert c.post(url, {"level": 1, "text": "x"}).status_code == 409
    case = concluded_case(ev)
    progress = Client().get(reverse("portal:progress_token", args=[case.token])).content.decode()
    assert reverse("portal:review_by_token", args=[case.token]) in progress
    assert (
        Client()
        .post(reverse("portal:review_by_token", args=[case.token]), {"level": 5, "ind_guide": 5})
        .status_code
        == 200
    )
    assert Review.objects.get(case=case).indicators == {"guide": 5}
    assert Client().get(reverse("portal:review_by_token", args=["1.nope"])).status_code == 404
    assert Client().get(reverse("portal:review_by_token", args=["nope"])).status_code == 404


def test_r_eval_2_rectification_pages_and_the_reviewers_link(ev):
    case = concluded_case(ev)
    review = services.review_case(
        case=case, level=1, reasons=["slow"], text="审批太慢", contact_phone="13900002222"
    )
    rect = review.rectification
    url = reverse("evaluation:rectification", args=[rect.pk])
    dept = client_for(ev.approver)
    page = dept.get(url).content.decode()
    assert "13900002222" not in page and "审批太慢" in page
    assert reverse("evaluation:rectification_action", args=[rect.pk, "contact"]) in page
    center = client_for(ev.county_admin)
    assert "13900002222" in center.get(url).content.decode()
    # An empty report changes nothing and says why.
    dept.post(
        reverse("evaluation:rectification_action", args=[rect.pk, "contact"]), {"text": "已联系"}
    )
    dept.post(reverse("evaluation:rectification_action", args=[rect.pk, "start"]))
    r = dept.post(reverse("evaluation:rectification_action", args=[rect.pk, "report"]), follow=True)
    assert "请填写报告整改情况的情况" in r.content.decode()
    assert Rectification.objects.get().state == states.RECTIFYING
    dept.post(
        reverse("evaluation:rectification_action", args=[rect.pk, "report"]), {"text": "已提速"}
    )
    link = reverse("portal:reviewer", args=[rect.reviewer_token])
    public = Client().get(link).content.decode()
    assert "已提速" in public and "认可" in public
    assert client_for(ev.clerk).post(link, {"accepts": "1"}).status_code == 403
    Client().post(link, {"accepts": "1"})
    assert Rectification.objects.get().state == states.ACCEPTED
    center.post(
        reverse("evaluation:rectification_action", args=[rect.pk, "check"]), {"text": "核查"}
    )
    center.post(reverse("evaluation:rectification_action", args=[rect.pk, "close"]))
    assert Rectification.objects.get().state == states.CLOSED
    assert "13900002222" not in center.get(url).content.decode()
    assert client_for(ev.kangle_admin).get(url).status_code == 404
    assert (
        client_for(ev.police_approver)
        .post(reverse("evaluation:rectification_action", args=[rect.pk, "close"]))
        .status_code
        == 404
    )


def test_r_eval_2_appeal_through_the_pages(ev):
    review = services.review_case(case=concluded_case(ev), level=2, text="恶意")
    rect = review.rectification
    dept = client_for(ev.approver)
    dept.post(reverse("evaluation:appeal_file", args=[rect.pk]), {"reason": "录像证明未到窗口办理"})
    appeal = review.appeals.get()
    assert (
        dept.post(
            reverse("evaluation:appeal_decide", args=[appeal.pk]), {"upheld": "1", "decision": "x"}
        ).status_code
        == 302
    )
    appeal.refresh_from_db()
    assert appeal.state == "pending"  # the department cannot decide
    client_for(ev.county_admin).post(
        reverse("evaluation:appeal_decide", args=[appeal.pk]), {"upheld": "1", "decision": "属实"}
    )
    review.refresh_from_db()
    assert review.excluded


def _reviews(ev):
    """Reviews at 临夏县 (clerk's visit, the market department's case, clerk2's visit) and
    one at 康乐县."""
    mine = services.review_visit(ticket=finish_visit(ev), level=2, text="慢")
    other = services.review_visit(ticket=finish_visit(ev, window=ev.w2, clerk=ev.clerk2), level=5)
    dept = services.review_case(case=concluded_case(ev), level=4)
    kangle = services.review_unsolicited(subject="center", center=ev.kangle_center, level=3)
    return {"mine": mine, "other": other, "dept": dept, "kangle": kangle}


@pytest.mark.parametrize(
    "user,seen",
    [
        ("root", {"mine", "other", "dept", "kangle"}),
        ("pref_admin", {"mine", "other", "dept", "kangle"}),
        ("pref_supervisor", {"mine", "other", "dept", "kangle"}),
        ("county_admin", {"mine", "other", "dept"}),
        ("county_supervisor", {"mine", "other", "dept"}),
        ("kangle_admin", {"kangle"}),
        ("clerk", {"mine"}),
        ("township_clerk", set()),
        ("approver", {"dept"}),
        ("chief_rep", {"dept"}),
        ("police_approver", set()),
        ("pref_market_leader", {"dept"}),
    ],
)
def test_r_eval_3_scope_matrix_over_reviews(ev, user, seen):
    from onewindow.evaluation import selectors

    made = _reviews(ev)
    actor = getattr(ev, user)
    visible = set(selectors.reviews_for(user=actor).values_list("pk", flat=True))
    assert visible == {made[k].pk for k in seen}
    c = client_for(actor)
    page = c.get(reverse("evaluation:reviews")).content.decode()
    if "kangle" not in seen:
        assert "康乐县政务服务中心" not in page or user == "pref_market_leader"
    # A rectification out of scope answers 404.
    rect = made["mine"].rectification
    status = c.get(reverse("evaluation:rectification", args=[rect.pk])).status_code
    assert status == (200 if "mine" in seen else 404)


def test_r_eval_3_statistics_page_export_and_public_ranking(ev):
    for level, reasons, text in (
        (5, ["fast"], ""),
        (1, ["rude"], "态度恶劣，排队太久"),
        (2, ["rude"], "态度冷淡"),
    ):
        services.review_visit(
            ticket=finish_visit(ev, case=True), level=level, reasons=reasons, text=text
        )
    c = client_for(ev.county_admin)
    page = c.get(reverse("oversight:evaluation_stats")).content.decode()
    assert "33.3%" in page and "服务态度差（2）" in page and "态度" in page
    assert "临夏县市场监督管理局" in page
    assert c.get(reverse("oversight:evaluation_stats"), {"start": "x"}).status_code == 400
    assert (
        c.get(reverse("oversight:evaluation_stats"), {"center": ev.kangle_center.pk}).status_code
        == 404
    )
    export = c.get(reverse("oversight:evaluation_stats_export"))
    wb = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert wb.sheetnames[:3] == ["概况", "按月份", "按服务中心"]
    assert wb["概况"]["B2"].value == 3 and wb["概况"]["D2"].value == pytest.approx(1 / 3)
    public = Client().get(reverse("portal:review_ranking")).content.decode()
    assert "临夏县市场监督管理局" in public and "33.3%" in public
    assert Client().get(reverse("portal:review_ranking"), {"month": "bad"}).status_code == 200
    assert client_for(ev.clerk).get(reverse("evaluation:pads")).status_code == 404
    assert (
        client_for(ev.county_admin)
        .post(reverse("evaluation:pads"), {"window": ev.w1.pk})
        .status_code
        == 200
    )


def test_r_eval_1_unsolicited_and_spot_check_pages(ev):
    url = reverse("portal:unsolicited")
    c = Client()
    assert c.get(url, {"center": ev.linxia_center.pk}).status_code == 200
    r = c.post(url, {"center": ev.linxia_center.pk, "subject": "window", "level": 4})
    assert r.status_code == 422 and "请选择该中心的窗口" in r.content.decode()
    r = c.post(
        url, {"center": ev.linxia_center.pk, "subject": "window", "window": ev.w1.pk, "level": 4}
    )
    assert r.status_code == 200 and Review.objects.get().window == ev.w1
    sup = client_for(ev.county_supervisor)
    r = sup.post(
        reverse("evaluation:spot_check"),
        {
            "center": ev.linxia_center.pk,
            "subject": "center",
            "level": 2,
            "reasons": ["absent"],
            "text": "暗访发现窗口离岗",
        },
    )
    assert r.status_code == 302
    assert Review.objects.filter(kind="spot_check").count() == 1
    assert client_for(ev.clerk).get(reverse("evaluation:spot_check")).status_code == 404


def test_r_eval_2_an_appeal_carries_a_file_of_evidence_seen_only_in_scope(ev, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.ONEWINDOW_UPLOAD_ROOT = str(tmp_path / "uploads")
    review = services.review_case(case=concluded_case(ev), level=1, text="恶意")
    rect = review.rectification
    dept = client_for(ev.approver)
    page = SimpleUploadedFile("窗口录像截图.html", b"<html><script>x</script></html>")
    dept.post(
        reverse("evaluation:appeal_file", args=[rect.pk]),
        {"reason": "录像证明未到窗口办理", "evidence": page},
    )
    assert not review.appeals.exists()  # refused by content, nothing filed
    pdf = SimpleUploadedFile("录像说明.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    dept.post(
        reverse("evaluation:appeal_file", args=[rect.pk]),
        {"reason": "录像证明未到窗口办理", "evidence": pdf},
    )
    appeal = review.appeals.get()
    assert appeal.evidence.content_type == "application/pdf"
    url = reverse("evaluation:appeal_evidence", args=[appeal.pk])
    detail = client_for(ev.county_admin).get(reverse("evaluation:rectification", args=[rect.pk]))
    assert url in detail.content.decode()
    response = client_for(ev.county_admin).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(ev.kangle_admin).get(url).status_code == 404
