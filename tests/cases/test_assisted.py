"""R-CASE-10: assisted service (帮办代办). An agency team guides a major project of an
enterprise before intake, links the enterprise's cases at the center to it and follows
them; the enterprise sees who its agent is; everything stays within the center."""

from __future__ import annotations

import pytest

from onewindow.cases import services
from onewindow.cases.models import AssistedProject, Case, CaseEvent, ProjectNote
from onewindow.cases.selectors.assisted import linkable_cases
from onewindow.cases.services import assisted
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.org import services as org_services
from onewindow.org.models import Center
from tests.cases.conftest import all_required

CREDIT_CODE = "91622921MA71234567"


@pytest.fixture
def firm(desk):
    Center.objects.filter(pk=desk.linxia_center.pk).update(phone="0930-5321234")
    desk.agent.phone = "13800001111"  # personal: never shown to the public
    desk.agent.full_name = "马代办"
    desk.agent.save(update_fields=["phone", "full_name"])
    desk.firm = services.applicant_record(
        kind="enterprise", name="临夏某食品有限公司", phone="13909307777", credit_code=CREDIT_CODE
    )
    desk.kangle_agent = org_services.staff_create(
        actor=desk.root,
        username="kangle_agent",
        full_name="康乐代办",
        password=None,
        roles={"agent"},
        staff_no="T0960",
        center=desk.kangle_center,
    ).user
    desk.agent2 = org_services.staff_create(
        actor=desk.root,
        username="agent2",
        full_name="临夏代办二",
        password=None,
        roles={"agent"},
        staff_no="T0961",
        center=desk.linxia_center,
    ).user
    return desk


@pytest.fixture
def project(firm) -> AssistedProject:
    return assisted.project_create(
        actor=firm.agent,
        applicant=firm.firm,
        name="年产5万吨牛羊肉精深加工项目",
        team=AssistedProject.Team.INVESTMENT,
        agent=firm.agent,
        description="新建厂房及冷链仓储",
        investment="12000",
    )


def case_of(desk, applicant) -> Case:
    return services.case_intake(
        actor=desk.clerk, listing=desk.listing, applicant=applicant, materials=all_required(desk)
    )


def test_r_case_10_an_agent_creates_a_project_and_guides_before_intake(firm, project):
    assert project.center == firm.linxia_center and project.state == AssistedProject.State.GUIDING
    assert project.applicant == firm.firm and str(project.investment) == "12000.00"
    assert AuditEvent.objects.filter(action="project.create").count() == 1
    assisted.project_note_add(actor=firm.agent, project=project, text="已辅导准备用地和环评材料")
    assisted.project_note_add(
        actor=firm.county_admin, project=project, text="中心协调发改、住建联合踏勘"
    )
    assert list(ProjectNote.objects.values_list("text", flat=True)) == [
        "已辅导准备用地和环评材料",
        "中心协调发改、住建联合踏勘",
    ]
    with pytest.raises(InvalidInput):
        assisted.project_note_add(actor=firm.agent, project=project, text="  ")
    with pytest.raises(Forbidden):  # another agent of the center: not this project's
        assisted.project_note_add(actor=firm.agent2, project=project, text="我来记")
    with pytest.raises(Forbidden):
        assisted.project_create(
            actor=firm.clerk,
            applicant=firm.firm,
            name="项目",
            team="center",
            agent=firm.agent,
        )


def test_r_case_10_a_project_needs_an_enterprise_and_an_agent_of_the_center(firm):
    with pytest.raises(InvalidInput) as err:
        assisted.project_create(
            actor=firm.county_admin,
            applicant=firm.applicant,  # a person
            name="项目",
            team="nonsense",
            agent=firm.kangle_agent,  # another center's agent
            investment="-5",
        )
    assert set(err.value.fields) == {"applicant", "team", "agent"}
    with pytest.raises(InvalidInput) as err:
        assisted.project_create(
            actor=firm.county_admin,
            applicant=firm.firm,
            name="项目",
            team="center",
            agent=firm.agent,
            investment="很多",
        )
    assert err.value.code == "project.investment"
    assert not AssistedProject.objects.exists()


def test_r_case_10_only_cases_of_the_same_applicant_and_center_are_linked(firm, project):
    other = case_of(firm, firm.applicant)
    with pytest.raises(InvalidInput) as err:
        assisted.project_link_case(actor=firm.agent, project=project, case=other)
    assert err.value.code == "project.other_applicant"
    own = case_of(firm, firm.firm)
    elsewhere = Case.objects.create(
        number="6229222026010100001",
        token="elsewhere-token",
        center=firm.kangle_center,
        department=firm.kangle_market,
        listing=own.listing,
        matter=own.matter,
        guide_version=own.guide_version,
        applicant=firm.firm,
    )
    with pytest.raises(InvalidInput) as err:
        assisted.project_link_case(actor=firm.root, project=project, case=elsewhere)
    assert err.value.code == "project.other_center"
    with pytest.raises(NotFound):  # not even visible to the county's agent
        assisted.project_link_case(actor=firm.agent, project=project, case=elsewhere)
    assert list(linkable_cases(project)) == [own]

    assisted.project_link_case(actor=firm.agent, project=project, case=own)
    own.refresh_from_db()
    project.refresh_from_db()
    assert own.project == project and project.state == AssistedProject.State.FOLLOWING
    assert CaseEvent.objects.filter(case=own, action="project_link").count() == 1
    with pytest.raises(Conflict):
        assisted.project_link_case(actor=firm.agent, project=project, case=own)
    second = assisted.project_create(
        actor=firm.agent, applicant=firm.firm, name="二期", team="center", agent=firm.agent
    )
    with pytest.raises(Conflict) as err:
        assisted.project_link_case(actor=firm.agent, project=second, case=own)
    assert err.value.code == "project.other_project"
    other.refresh_from_db()
    assert other.project is None and elsewhere.project is None


def test_r_case_10_the_agent_closes_a_followed_project_with_a_note(firm, project):
    with pytest.raises(Conflict):  # still guiding: nothing followed yet
        assisted.project_close(actor=firm.agent, project=project, note="结束")
    assisted.project_link_case(actor=firm.agent, project=project, case=case_of(firm, firm.firm))
    with pytest.raises(Forbidden):
        assisted.project_close(actor=firm.agent2, project=project, note="结束")
    with pytest.raises(InvalidInput):
        assisted.project_close(actor=firm.agent, project=project, note="")
    assisted.project_close(actor=firm.agent, project=project, note="全部审批手续已办结，项目开工")
    project.refresh_from_db()
    assert project.state == AssistedProject.State.DONE and project.closed_at is not None
    assert project.notes.last().text.startswith("办结：")
    with pytest.raises(Conflict):
        assisted.project_note_add(actor=firm.agent, project=project, text="补记")


def test_r_case_10_the_enterprise_sees_its_agent_on_the_progress_page(client, firm, project):
    case = case_of(firm, firm.firm)
    page = client.get("/progress/", {"number": case.number, "tail": "7777"}).content.decode()
    assert "代办员" not in page
    assisted.project_link_case(actor=firm.agent, project=project, case=case)
    page = client.get("/progress/", {"number": case.number, "tail": "7777"}).content.decode()
    staff_no = firm.agent.staff_profile.staff_no
    assert "您的代办员" in page and "马代办" in page and staff_no in page
    assert "0930-5321234" in page and "13800001111" not in page
    by_token = client.get(f"/progress/t/{case.token}/").content.decode()
    assert "马代办" in by_token and "0930-5321234" in by_token


def test_r_case_10_another_centers_agent_gets_404(client, firm, project):
    with pytest.raises(NotFound):
        assisted.project_note_add(actor=firm.kangle_agent, project=project, text="看看")
    with pytest.raises(NotFound):
        assisted.project_close(actor=firm.kangle_agent, project=project, note="结束")
    client.force_login(firm.kangle_agent)
    assert project.name not in client.get("/workspace/projects/").content.decode()
    for url in ("", "note/", "link/", "close/"):
        path = f"/workspace/projects/{project.pk}/{url}"
        response = client.post(path, {"text": "x", "note": "x"}) if url else client.get(path)
        assert response.status_code == 404, path
    assert not ProjectNote.objects.exists()
    client.force_login(firm.approver)  # a department's approver has no project pages
    assert client.get("/workspace/projects/").status_code == 404
    client.force_login(firm.county_admin)
    assert project.name in client.get("/workspace/projects/").content.decode()


# --- pages --------------------------------------------------------------------------------------


def _new_post(**over):
    data = {
        "credit_code": CREDIT_CODE.lower(),
        "applicant_name": "临夏某食品有限公司",
        "phone": "13909307777",
        "name": "冷链物流园项目",
        "team": "development",
        "investment": "8000.5",
        "description": "",
    }
    data.update(over)
    return data


def test_r_case_10_a_project_from_the_page_finds_the_enterprise_by_credit_code(client, firm):
    client.force_login(firm.agent)
    form = client.get("/workspace/projects/new/").content.decode()
    assert "代办团队" in form and "马代办" in form
    for bad in ({"team": ""}, {"phone": "123"}, {"credit_code": ""}, {"investment": "abc"}):
        response = client.post("/workspace/projects/new/", _new_post(agent=firm.agent.pk, **bad))
        assert response.status_code == 200 and "msg error" in response.content.decode(), bad
    assert not AssistedProject.objects.exists()
    response = client.post("/workspace/projects/new/", _new_post(agent=firm.agent.pk))
    project = AssistedProject.objects.get()
    assert response["Location"] == f"/workspace/projects/{project.pk}/"
    assert project.applicant == firm.firm  # found, not registered again
    client.post(f"/workspace/projects/{project.pk}/note/", {"text": "上门辅导一次"})
    case = case_of(firm, firm.firm)
    detail = client.get(f"/workspace/projects/{project.pk}/").content.decode()
    assert "上门辅导一次" in detail and case.number in detail  # offered for linking
    assert "纳入该项目" in client.get(f"/workspace/cases/{case.pk}/").content.decode()
    response = client.post(
        f"/workspace/projects/{project.pk}/link/", {"case": case.pk, "back": "case"}
    )
    assert response["Location"] == f"/workspace/cases/{case.pk}/"
    case_page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert "帮办代办" in case_page and "冷链物流园项目" in case_page
    detail = client.get(f"/workspace/projects/{project.pk}/").content.decode()
    assert "跟踪办理" in detail and "办结项目" in detail
    response = client.post(f"/workspace/projects/{project.pk}/link/", {"number": "nope"})
    messages = client.get(f"/workspace/projects/{project.pk}/").content.decode()
    assert "未找到该办件" in messages
