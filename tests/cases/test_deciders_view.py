"""What the people who decide on a case see on its pages: the application form by its
labels (identity numbers masked, a logged reveal), both clocks with the working days
left, one deadline flag everywhere, the department queue opening where the work is,
and an intake page that offers only what the clerk may accept."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.models import Applicant, Case
from onewindow.cases.selectors.actions import intake_listings
from onewindow.cases.services import online
from onewindow.cases.sweep import sweep
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing
from onewindow.core.calendar import calendar_for
from onewindow.core.models import AuditEvent
from onewindow.hall import services as hall_services
from tests.cases.conftest import all_required
from tests.cases.test_backup_roles import add_approver
from tests.catalog.conftest import GUIDE, make_matter, publish_through_review

LEGAL_ID = "622921198503150011"
COMPANY_FORM = [
    {"key": "enterprise_name", "label": "企业名称", "type": "text", "required": True},
    {"key": "legal_id", "label": "法定代表人身份证号码", "type": "id_number", "required": True},
    {"key": "business_scope", "label": "经营范围", "type": "text", "required": True},
    {"key": "capital", "label": "注册资本（万元）", "type": "number", "required": True},
]
COMPANY_DATA = {
    "enterprise_name": "临夏县花儿餐饮有限公司",
    "legal_id": LEGAL_ID,
    "business_scope": "餐饮服务；食品销售",
    "capital": "50",
}


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def company(desk):
    """A company registration matter whose form asks the business name, the legal
    representative's identity number, scope and capital, listed at 临夏县's center;
    the desk's clerk is authorised to accept it."""
    matter, version = make_matter(
        desk,
        code="11620000MB7654321X",
        name="有限责任公司设立登记",
        guide={**GUIDE, "form_fields": COMPANY_FORM},
    )
    publish_through_review(desk, version)
    matter.refresh_from_db()
    request = catalog_services.listing_request_entry(
        actor=desk.county_admin,
        matter=matter,
        center=desk.linxia_center,
        department=desk.linxia_market,
        code="LX-0002",
        reason="进驻",
    )
    catalog_services.change_request_decide(actor=desk.gov_office, request=request, approve=True)
    desk.company = matter
    desk.company_listing = Listing.objects.get(pk=request.listing_id)
    desk.company_materials = {m.name: m.pk for m in matter.current_version.materials.all()}
    hall_services.authorization_set(
        actor=desk.county_admin, clerk=desk.clerk, matter=matter, may_accept=True, may_decide=False
    )
    return desk


def required(desk) -> dict[int, dict]:
    m = desk.company_materials
    names = ("个体工商户登记（备案）申请书", "经营者居民身份证", "经营场所使用证明")
    return {m[name]: {} for name in names}


def company_case(desk, *, accept=True) -> Case:
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.company_listing,
        applicant=desk.applicant,
        materials=required(desk),
        form_data=COMPANY_DATA,
    )
    return services.case_accept(actor=desk.clerk, case=case) if accept else case


def form_section(page: str) -> str:
    found = re.search(r'<section class="card" id="form".*?</section>', page, re.S)
    assert found, "the case page has no 申请表 section"
    return found.group(0)


# --- 1. the application form -------------------------------------------------------------------


def test_r_case_1_the_approver_reads_the_form_by_its_labels_in_field_order(client, company):
    case = company_case(company)
    client.force_login(company.approver)
    form = form_section(text(client.get(f"/workspace/cases/{case.pk}/")))
    for label, value in (
        ("企业名称", "临夏县花儿餐饮有限公司"),
        ("经营范围", "餐饮服务；食品销售"),
        ("注册资本（万元）", "50"),
    ):
        assert f"<dt>{label}</dt>" in form and value in form
    labels = re.findall(r"<dt>(.*?)</dt>", form)
    assert labels == [f["label"] for f in COMPANY_FORM]
    # The identity number is masked, never in full without the reveal.
    assert LEGAL_ID not in form and "622921********0011" in form
    assert "查看完整号码" in form
    # The window that took it in and the county's supervisor read it too.
    for reader in (company.clerk, company.county_supervisor, company.county_admin):
        client.force_login(reader)
        assert "临夏县花儿餐饮有限公司" in text(client.get(f"/workspace/cases/{case.pk}/"))


def test_r_case_8_the_prereviewer_reads_the_form_on_the_prereview_page(client, company):
    case = online.online_draft_create(
        listing=company.company_listing,
        applicant={"name": "马小明", "phone": "13909301234", "id_number": "622921199001010016"},
        materials={pk: {"electronic": True} for pk in required(company)},
        form_data=COMPANY_DATA,
        submit=True,
    )
    assert case.state == states.PRE_REVIEW
    client.force_login(company.clerk)
    queue = text(client.get("/workspace/prereview/"))
    assert case.number in queue
    page = text(client.get(f"/workspace/cases/{case.pk}/"))
    form = form_section(page)
    assert "<dt>企业名称</dt>" in form and "临夏县花儿餐饮有限公司" in form
    assert LEGAL_ID not in page and "预审通过" in page


def test_r_sec_1_an_identity_number_is_revealed_only_with_a_reason_and_logged(client, company):
    case = company_case(company)
    client.force_login(company.approver)
    url = f"/workspace/cases/{case.pk}/"
    page = text(client.post(url, {"action": "reveal_id", "reason": "  "}))
    assert "查看完整身份证号码须填写事由" in page and LEGAL_ID not in page
    assert not AuditEvent.objects.filter(action="pii.reveal_id_number").exists()

    page = text(client.post(url, {"action": "reveal_id", "reason": "核验法定代表人身份"}))
    assert f'data-revealed="legal_id">{LEGAL_ID}<' in page
    assert "622921199001010016" in page  # the applicant's own number, in the same view
    event = AuditEvent.objects.get(action="pii.reveal_id_number")
    assert event.actor == company.approver and event.note == "核验法定代表人身份"
    assert event.target_id == str(case.pk) and event.department_id == case.department_id
    assert event.after == {"fields": ["申请人身份证号码", "法定代表人身份证号码"]}
    # Shown on that answer only: the next view is masked again, the case unchanged.
    assert LEGAL_ID not in text(client.get(url))
    case.refresh_from_db()
    assert case.state == states.ACCEPTED


def test_r_sec_1_the_form_is_for_those_who_act_and_out_of_scope_gets_404(client, company):
    case = company_case(company)
    url = f"/workspace/cases/{case.pk}/"
    # In scope but not acting on cases (the county's government office): no form.
    client.force_login(company.gov_office)
    page = text(client.get(url))
    assert "临夏县花儿餐饮有限公司" not in page and 'id="form"' not in page
    client.post(url, {"action": "reveal_id", "reason": "查看"})
    # Out of scope: another county's administrator, another department's approver.
    for outsider in (company.kangle_admin, company.police_approver):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "reveal_id", "reason": "查看"}).status_code == 404
    assert not AuditEvent.objects.filter(action="pii.reveal_id_number").exists()


# --- 2. the department queue -------------------------------------------------------------------


def tabs(page: str) -> dict[str, tuple[int, bool]]:
    found = re.findall(
        r'<a class="button( secondary)?"[^>]*data-tab="(\w+)">[^<]*<span class="badge">(\d+)</span>',
        page,
    )
    return {tab: (int(count), not secondary) for secondary, tab, count in found}


def test_r_case_1_the_queue_opens_where_the_work_is_and_counts_each_tab(client, desk):
    add_approver(desk, "approver2", 1)
    waiting = [
        services.case_accept(
            actor=desk.clerk,
            case=services.case_intake(
                actor=desk.clerk,
                listing=desk.listing,
                applicant=desk.applicant,
                materials=all_required(desk),
            ),
        )
        for _ in range(2)
    ]
    client.force_login(desk.approver)
    page = text(client.get("/workspace/queue/"))
    # Nothing is the approver's yet: the page opens on 未分派, where the two cases wait.
    assert tabs(page) == {"mine": (0, False), "unassigned": (2, True), "all": (2, False)}
    assert all(c.number in page for c in waiting)
    services.case_start_review(actor=desk.approver, case=waiting[0])
    page = text(client.get("/workspace/queue/"))
    assert tabs(page) == {"mine": (1, True), "unassigned": (1, False), "all": (2, False)}
    assert waiting[0].number in page and waiting[1].number not in page
    # Someone with nothing of their own and nothing unassigned opens on the whole queue.
    services.case_start_review(actor=desk.approver, case=waiting[1])
    client.force_login(desk.approver2)
    page = text(client.get("/workspace/queue/"))
    assert tabs(page) == {"mine": (0, False), "unassigned": (0, False), "all": (2, True)}
    # A chosen tab stays chosen.
    page = text(client.get("/workspace/queue/?who=mine"))
    assert tabs(page)["mine"] == (0, True) and "没有待办的办件" in page


# --- 3 and 4. clocks and the deadline flag -----------------------------------------------------


def test_r_case_4_the_case_page_shows_both_clocks_and_the_working_days_left(client, desk):
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    case = services.case_accept(actor=desk.clerk, case=case)
    today = timezone.localdate()
    cal = calendar_for(center=desk.linxia_center)
    promised, statutory = case.deadline, case.statutory_deadline
    client.force_login(desk.approver)
    page = text(client.get(f"/workspace/cases/{case.pk}/"))
    assert "<dt>承诺时限</dt>" in page and "<dt>法定时限</dt>" in page
    for clock, days in ((promised, 3), (statutory, 15)):
        left = cal.working_days_between(today, clock.due)
        assert f"{clock.due:%Y-%m-%d}（{days}个工作日" in page
        assert (f"剩余 {left} 个工作日" in page) or (left == 0 and "今日到期" in page)


def test_r_case_4_a_past_due_date_reads_overdue_everywhere_before_the_sweep(client, desk):
    """Warned by the sweep on 11-04, due 11-05, not swept since: every page says 已超时."""
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
        now=at("2026-11-02", 9),
    )
    case = services.case_accept(actor=desk.clerk, case=case, now=at("2026-11-02"))
    services.case_start_review(actor=desk.approver, case=case, now=at("2026-11-03"))
    sweep(now=at("2026-11-04", 9))
    case.refresh_from_db()
    assert case.warning_level == 1 and case.deadline.due == dt.date(2026, 11, 5)
    late = calendar_for(center=desk.linxia_center).working_days_between(
        case.deadline.due, timezone.localdate()
    )
    assert late > 0

    def flag_of(page: str) -> str:
        row = re.search(rf"{case.number}.*?</tr>", page, re.S)
        return row.group(0) if row else page

    client.force_login(desk.approver)
    detail = text(client.get(f"/workspace/cases/{case.pk}/"))
    promised = re.search(r'data-clock="promised">(.*?)</dd>', detail, re.S).group(1)
    assert f"已超时 {late} 个工作日" in promised and "临近" not in promised
    for url in ("/workspace/cases/", "/workspace/queue/"):
        row = flag_of(text(client.get(url)))
        assert "已超时" in row and "临近" not in row, url
    client.force_login(desk.county_supervisor)
    board = text(client.get("/workspace/supervision/"))
    overdue = board[board.index("<h2>已超时</h2>") : board.index("<h2>临近时限</h2>")]
    warned = board[board.index("<h2>临近时限</h2>") : board.index("<h2>督办逾期未答复</h2>")]
    assert case.number in overdue and case.number not in warned
    # The API says the same as the pages.
    client.force_login(desk.approver)
    listed = client.get("/api/v1/cases/").json()
    rows = listed["items"] if isinstance(listed, dict) else listed
    assert [r["deadline_flag"] for r in rows if r["number"] == case.number] == ["overdue"]
    # A case finished on time shows no flag at all in the list of closed cases.
    assert Case(state=states.DELIVERED, warning_level=1).deadline_flag == ""


# --- 5. intake offers only what the clerk may accept -------------------------------------------


def test_r_hall_5_intake_lists_only_the_authorised_matters_and_refuses_the_rest(client, company):
    hall_services.authorization_set(
        actor=company.county_admin,
        clerk=company.clerk,
        matter=company.company,
        may_accept=False,
        may_decide=False,
    )
    client.force_login(company.clerk)
    page = text(client.get("/workspace/cases/new/"))
    options = re.findall(r'<option value="(\d+)"', page)
    assert options == [str(company.listing.pk)]
    assert list(intake_listings(company.clerk)) == [company.listing]
    # Chosen by its address anyway: refused in Chinese before anything is filled in.
    page = text(client.get("/workspace/cases/new/", {"listing": company.company_listing.pk}))
    assert "您未获授权受理“有限责任公司设立登记”" in page and 'name="name"' not in page
    # Posted directly: refused, nothing written (no case, no new applicant).
    applicants = Applicant.objects.count()
    events = AuditEvent.objects.count()
    page = text(
        client.post(
            "/workspace/cases/new/",
            {
                "listing": company.company_listing.pk,
                "kind": "person",
                "name": "马大海",
                "phone": "13909305678",
                "id_number": LEGAL_ID,
                **{f"form_{k}": v for k, v in COMPANY_DATA.items()},
                **{f"doc_{pk}": "paper" for pk in required(company)},
            },
        )
    )
    assert "未获授权受理" in page
    assert not Case.objects.exists()
    assert Applicant.objects.count() == applicants and AuditEvent.objects.count() == events
    # The authorised matter is taken in as before.
    response = client.post(
        "/workspace/cases/new/",
        {
            "listing": company.listing.pk,
            "kind": "person",
            "name": "马小明",
            "phone": "13909301234",
            "id_number": "622921199001010016",
            **{f"doc_{pk}": "paper" for pk in all_required(company)},
        },
    )
    assert response.status_code == 302 and Case.objects.count() == 1
