"""The case pages: intake at the window, a case's actions by state, the list; scope
and bad input on every page."""

from __future__ import annotations

from onewindow.cases import services, states
from onewindow.cases.models import Case
from tests.cases.conftest import all_required


def _intake_post(desk, **over):
    m = desk.materials
    data = {
        "listing": desk.listing.pk,
        "kind": "person",
        "name": "马小明",
        "phone": "13909301234",
        "id_number": "622921199001010016",
        f"doc_{m['个体工商户登记（备案）申请书'].pk}": "paper",
        f"doc_{m['经营者居民身份证'].pk}": "electronic",
        f"doc_{m['经营场所使用证明'].pk}": "pledge",
        "form_applicant_name": "马小明",
    }
    data.update(over)
    return data


def test_r_case_1_a_clerk_takes_in_from_the_page_and_accepts(client, desk):
    client.force_login(desk.clerk)
    page = client.get("/workspace/cases/new/", {"listing": desk.listing.pk}).content.decode()
    assert "经营者居民身份证" in page and "告知承诺" in page
    response = client.post("/workspace/cases/new/", _intake_post(desk))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workspace/cases/{case.pk}/"
    docs = {d.material.name: d for d in case.documents.select_related("material")}
    assert docs["经营者居民身份证"].electronic and docs["经营场所使用证明"].by_pledge
    client.post(f"/workspace/cases/{case.pk}/", {"action": "accept"})
    case.refresh_from_db()
    assert case.state == states.ACCEPTED
    detail = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert "受理通知书" in detail and "已受理" in detail


def test_bad_intake_input_shows_chinese_messages_and_creates_nothing(client, desk):
    client.force_login(desk.clerk)
    for over in ({"phone": "123"}, {"id_number": "622921199001010017"}, {"name": ""}):
        page = client.post("/workspace/cases/new/", _intake_post(desk, **over))
        assert page.status_code == 200 and "msg error" in page.content.decode()
    assert not Case.objects.exists()


def test_r_case_2_the_page_refuses_to_accept_with_materials_missing(client, desk):
    client.force_login(desk.clerk)
    m = desk.materials
    client.post(
        "/workspace/cases/new/", _intake_post(desk, **{f"doc_{m['经营场所使用证明'].pk}": ""})
    )
    case = Case.objects.get()
    page = client.post(
        f"/workspace/cases/{case.pk}/", {"action": "accept"}, follow=True
    ).content.decode()
    assert "材料不齐" in page and "经营场所使用证明" in page
    client.post(
        f"/workspace/cases/{case.pk}/",
        {
            "action": "ask_correction_intake",
            "material": [str(m["经营场所使用证明"].pk)],
            "due": "2099-01-01",
        },
    )
    case.refresh_from_db()
    assert case.state == states.CORRECTING_INTAKE


def test_r_net_3_case_pages_answer_404_outside_the_scope(client, desk):
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    client.force_login(desk.kangle_admin)
    assert client.get(f"/workspace/cases/{case.pk}/").status_code == 404
    assert client.post(f"/workspace/cases/{case.pk}/", {"action": "accept"}).status_code == 404
    assert case.number not in client.get("/workspace/cases/").content.decode()
    client.force_login(desk.approver)
    listing = client.get("/workspace/cases/", {"state": "intake"}).content.decode()
    assert case.number in listing
    assert client.get("/workspace/cases/", {"state": "nonsense", "page": "x"}).status_code == 200
    assert client.get("/workspace/cases/new/").status_code == 404  # not a front-window role


def test_the_department_decides_and_the_window_delivers_from_the_pages(client, desk):
    case = services.case_accept(
        actor=desk.clerk,
        case=services.case_intake(
            actor=desk.clerk,
            listing=desk.listing,
            applicant=desk.applicant,
            materials=all_required(desk),
        ),
    )
    client.force_login(desk.approver)
    client.post(f"/workspace/cases/{case.pk}/", {"action": "start_review"})
    page = client.post(f"/workspace/cases/{case.pk}/", {"action": "deny", "note": ""}, follow=True)
    assert "不予许可须写明理由" in page.content.decode()
    client.post(f"/workspace/cases/{case.pk}/", {"action": "approve", "note": "符合条件"})
    client.post(f"/workspace/cases/{case.pk}/", {"action": "make_ready"})
    client.force_login(desk.clerk)
    page = client.post(
        f"/workspace/cases/{case.pk}/", {"action": "deliver", "method": "mail"}, follow=True
    )
    assert "邮寄单号" in page.content.decode()
    client.post(f"/workspace/cases/{case.pk}/", {"action": "deliver", "method": "window"})
    case.refresh_from_db()
    assert case.state == states.DELIVERED


def test_the_workspace_shows_each_post_its_case_pages(client, desk):
    tiles = {
        "clerk": ({"网上预审", "一件事一次办"}, {"部门办件队列", "督查看板", "帮办代办"}),
        "approver": ({"部门办件队列", "告知承诺核查"}, {"网上预审", "督查看板", "AB角设置"}),
        "county_supervisor": ({"督查看板", "虚假承诺记录"}, {"网上预审", "部门办件队列"}),
        "agent": ({"帮办代办"}, {"督查看板", "部门办件队列"}),
        "county_admin": ({"网上预审", "督查看板", "帮办代办", "AB角设置"}, {"部门办件队列"}),
    }
    for who, (shown, hidden) in tiles.items():
        client.force_login(getattr(desk, who))
        page = client.get("/workspace/").content.decode()
        assert all(f"<h3>{t}</h3>" in page for t in shown), who
        assert not any(f"<h3>{t}</h3>" in page for t in hidden), who


def test_r_case_1_the_case_page_offers_each_post_only_its_own_steps(client, desk):
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    services.case_accept(actor=desk.clerk, case=case)
    client.force_login(desk.clerk)
    assert 'value="start_review"' not in client.get(f"/workspace/cases/{case.pk}/").content.decode()
    client.force_login(desk.approver)
    assert 'value="start_review"' in client.get(f"/workspace/cases/{case.pk}/").content.decode()
    client.force_login(desk.county_supervisor)
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert 'value="start_review"' not in page and 'value="accept"' not in page
