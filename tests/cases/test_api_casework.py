"""What the case pages do, through the API with the same services: online application by
the citizen's token and the center's pre-review queue (R-CASE-8), "one thing" bundles
taken in and accepted together (R-CASE-7), assisted projects (R-CASE-10), backup roles
(R-CASE-9) and a case's electronic materials (R-CASE-6). Each changes the rows the page
would; outside the scope is 404; bad input is a 4xx with a code and changes nothing."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.models import (
    ApplicantDocument,
    AssistedProject,
    BundleApplication,
    Case,
    Document,
    ProjectNote,
)
from onewindow.cases.services import files as file_services
from onewindow.files import orphans
from onewindow.files.models import StoredFile
from onewindow.org.models import StaffProfile
from tests.api_client import bearer, is_error
from tests.cases.conftest import all_required
from tests.cases.test_assisted import CREDIT_CODE, firm, project  # noqa: F401
from tests.cases.test_backup_roles import team  # noqa: F401
from tests.cases.test_bundles import build_bundle, decide_and_ready, every_material
from tests.cases.test_files import typed  # noqa: F401
from tests.files.conftest import PDF_BYTES, upload, upload_root  # noqa: F401

BASE = "/api/v1/cases"
PERSON = {"name": "马小明", "phone": "13909301234", "id_number": "622921199001010016"}
FORM = {"applicant_name": "马小明", "id_number": "622921199001010016", "business_address": "韩集镇"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def post(client, path, body=None):
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json")


# --- online application (R-CASE-8) ---------------------------------------------------------------


def application(desk, **over) -> dict:
    return {
        "applicant": PERSON,
        "materials": [{"material_id": pk} for pk in all_required(desk)],
        "form_data": FORM,
        **over,
    }


def test_r_case_8_api_citizen_drafts_submits_and_the_center_prereviews(desk):
    anonymous = Client()
    listed = anonymous.get(f"{BASE}/online/listings", {"q": "个体"}).json()
    assert desk.listing.pk in [row["id"] for row in listed["items"]]
    answer = post(anonymous, f"/online/listings/{desk.listing.pk}/applications", application(desk))
    assert answer.status_code == 201, answer.content
    draft = answer.json()
    assert draft["state"] == states.DRAFT and draft["submitted"] is False
    case = Case.objects.get(number=draft["number"])
    assert case.token == draft["token"] and case.channel == Case.Channel.WEB
    assert case.documents.filter(electronic=True).count() == 3
    assert list(case.events.values_list("action", flat=True)) == ["draft"]

    path = f"{BASE}/online/applications/{case.token}"
    answer = anonymous.put(path, application(desk, submit=True), content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == states.PRE_REVIEW and answer.json()["submitted"] is True

    queue = bearer(desk.clerk).get(f"{BASE}/online/prereview").json()
    assert [row["number"] for row in queue["items"]] == [case.number]
    assert bearer(desk.approver).get(f"{BASE}/online/prereview").status_code == 404
    answer = post(
        bearer(desk.clerk), f"/{case.pk}/prereview/return", {"reason": "身份证照片不清晰"}
    )
    assert answer.status_code == 200
    mine = anonymous.get(path).json()
    assert mine["state"] == states.DRAFT and mine["returned_reason"] == "身份证照片不清晰"
    assert mine["can_withdraw"] is True

    answer = post(anonymous, f"/online/applications/{case.token}/withdraw", {"reason": "不办了"})
    assert answer.status_code == 200 and answer.json()["state"] == states.WITHDRAWN
    assert case.events.filter(action="applicant_withdraw").count() == 1


def test_r_case_8_r_sec_2_api_a_wrong_token_or_listing_is_404_and_bad_input_saves_nothing(desk):
    anonymous = Client()
    assert is_error(anonymous.get(f"{BASE}/online/applications/not-a-token"), 404, "case.not_found")
    answer = post(anonymous, f"/online/applications/{'x' * 41}/withdraw")
    assert answer.status_code in (404, 422)
    assert is_error(post(anonymous, "/online/listings/999999/applications", application(desk)), 404)
    before = Case.objects.count()
    extra = application(desk, form_data={**FORM, "favourite_colour": "红"}, submit=True)
    answer = post(anonymous, f"/online/listings/{desk.listing.pk}/applications", extra)
    assert is_error(answer, 422, "case.extra_field")
    answer = post(
        anonymous,
        f"/online/listings/{desk.listing.pk}/applications",
        application(desk, materials=1),
    )
    assert is_error(answer, 422, "invalid_input")
    assert Case.objects.count() == before


def test_r_case_6_r_case_8_api_citizen_uploads_a_materials_file_by_token(desk, upload_root):  # noqa: F811
    anonymous = Client()
    body = application(desk, materials=[])
    token = post(anonymous, f"/online/listings/{desk.listing.pk}/applications", body).json()[
        "token"
    ]
    material = next(iter(all_required(desk)))
    path = f"{BASE}/online/applications/{token}/documents"
    answer = anonymous.post(path, {"material_id": material, "file": upload("证件.pdf", PDF_BYTES)})
    assert answer.status_code == 201, answer.content
    case = Case.objects.get(token=token)
    document = case.documents.get(material_id=material)
    assert document.electronic and document.file.original_name == "证件.pdf"
    assert case.events.filter(action="document_attach").count() == 1

    files = StoredFile.objects.count()
    html = upload("申请书.pdf", b"<html><script>alert(1)</script></html>")
    answer = anonymous.post(path, {"material_id": material, "file": html})
    assert is_error(answer, 422, "file.type_not_allowed")
    assert StoredFile.objects.count() == files
    answer = anonymous.post(
        f"{BASE}/online/applications/nope/documents",
        {"material_id": material, "file": upload("证件.pdf", PDF_BYTES)},
    )
    assert is_error(answer, 404)


# --- case documents (R-CASE-6) -------------------------------------------------------------------


def test_r_case_6_r_sec_2_api_staff_upload_a_file_kept_named_and_served_only_in_scope(
    desk, upload_root
):  # noqa: F811
    case = services.case_intake(
        actor=desk.clerk, listing=desk.listing, applicant=desk.applicant, materials={}
    )
    material = next(iter(all_required(desk)))
    clerk = bearer(desk.clerk)
    answer = clerk.post(
        f"{BASE}/{case.pk}/documents",
        {"material_id": material, "file": upload("营业执照.pdf", PDF_BYTES)},
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["electronic"] is True and body["file_type"] == "application/pdf"
    document = Document.objects.get(pk=body["id"])
    assert ApplicantDocument.objects.filter(file=document.file).count() == 1
    got = clerk.get(f"{BASE}/{case.pk}/documents/{document.pk}/file")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF_BYTES
    # the files app's orphan sweep never removes a file a record names
    later = timezone.now() + timedelta(hours=3)
    orphans.sweep(now=later, delete=True)
    assert (upload_root / document.file.storage_name).exists()

    other = bearer(desk.kangle_admin)
    assert is_error(other.get(f"{BASE}/{case.pk}/documents/{document.pk}/file"), 404)
    answer = other.post(
        f"{BASE}/{case.pk}/documents", {"material_id": material, "file": upload("a.pdf", PDF_BYTES)}
    )
    assert is_error(answer, 404)
    files = StoredFile.objects.count()
    answer = clerk.post(f"{BASE}/{case.pk}/documents", {"material_id": material})
    assert is_error(answer, 422, "file.empty")
    answer = clerk.post(
        f"{BASE}/{case.pk}/documents", {"material_id": 2**70, "file": upload("a.pdf", PDF_BYTES)}
    )
    assert is_error(answer, 422, "invalid_input")
    assert StoredFile.objects.count() == files


def test_r_sec_2_api_upload_on_a_full_disk_is_507_and_keeps_the_case(desk, upload_root):  # noqa: F811
    """The disk is full for real: the process may not grow a file past 64 KB."""
    import resource
    import signal

    case = services.case_intake(
        actor=desk.clerk, listing=desk.listing, applicant=desk.applicant, materials={}
    )
    clerk = bearer(desk.clerk)
    material = next(iter(all_required(desk)))
    big = upload("扫描件.pdf", b"%PDF-1.4\n" + b"0" * (256 * 1024))
    upload_root.mkdir(parents=True, exist_ok=True)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))
    try:
        answer = clerk.post(f"{BASE}/{case.pk}/documents", {"material_id": material, "file": big})
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert is_error(answer, 507, "file.disk_full")
    assert not [p for p in upload_root.rglob("*") if p.is_file()]
    assert Case.objects.get(pk=case.pk).state == states.INTAKE
    assert not Document.objects.filter(case=case, electronic=True).exists()


def test_r_case_6_api_a_document_of_the_applicants_store_is_reused_in_another_case(typed):  # noqa: F811
    first = services.case_intake(
        actor=typed.clerk, listing=typed.food, applicant=typed.applicant, materials={}
    )
    given = file_services.document_attach(
        actor=typed.clerk,
        case=first,
        material=typed.food_m["法定代表人身份证"],
        upload=upload("身份证.pdf", PDF_BYTES),
    )
    second = services.case_intake(
        actor=typed.clerk, listing=typed.change, applicant=typed.applicant, materials={}
    )
    stored = ApplicantDocument.objects.get()
    idcard = typed.change_m["经营者身份证明"]
    clerk = bearer(typed.clerk)
    answer = post(
        clerk, f"/{second.pk}/documents/reuse", {"material_id": idcard.pk, "stored_id": 2**40}
    )
    assert is_error(answer, 404, "document.stored_not_found")
    assert is_error(
        post(
            bearer(typed.kangle_admin),
            f"/{second.pk}/documents/reuse",
            {"material_id": idcard.pk, "stored_id": stored.pk},
        ),
        404,
    )
    assert not second.documents.filter(material=idcard).exists()
    answer = post(
        clerk, f"/{second.pk}/documents/reuse", {"material_id": idcard.pk, "stored_id": stored.pk}
    )
    assert answer.status_code == 201, answer.content
    reused = second.documents.get(material=idcard)
    assert reused.reused_from == stored and reused.file == given.file
    listed = clerk.get(f"{BASE}/{second.pk}/documents").json()
    assert [row["sha256"] for row in listed] == [given.file.sha256]


# --- bundles (R-CASE-7) --------------------------------------------------------------------------


def bundle_body(shop, **over) -> dict:
    return {
        "bundle": "open-shop",
        "matters": [shop.seal.pk],
        "applicant": PERSON,
        "materials": [
            {"material_id": pk, "electronic": bool(opts.get("electronic"))}
            for pk, opts in every_material(shop).items()
        ],
        **over,
    }


def test_r_case_7_api_bundle_taken_in_and_accepted_together(desk):
    shop = build_bundle(desk)
    clerk = bearer(shop.clerk)
    answer = post(clerk, "/bundles", bundle_body(shop))
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert len(body["parts"]) == 2 and body["missing"] == []
    app = BundleApplication.objects.get(pk=body["id"])
    assert app.cases.count() == 2 and all(c.state == states.INTAKE for c in app.cases.all())
    assert [row["id"] for row in clerk.get(f"{BASE}/bundles").json()["items"]] == [app.pk]

    answer = post(clerk, f"/bundles/{app.pk}/accept")
    assert answer.status_code == 200, answer.content
    assert {c.state for c in app.cases.all()} == {states.ACCEPTED}
    assert is_error(post(clerk, f"/bundles/{app.pk}/accept"), 409)
    assert is_error(post(bearer(desk.kangle_admin), f"/bundles/{app.pk}/accept"), 404)
    assert is_error(bearer(desk.kangle_admin).get(f"{BASE}/bundles/{app.pk}"), 404)

    by_matter = {c.matter_id: c for c in app.cases.all()}
    decide_and_ready(shop.approver, by_matter[shop.matter.pk])
    assert is_error(post(clerk, f"/bundles/{app.pk}/deliver"), 409)  # one part still open
    decide_and_ready(shop.police_approver, by_matter[shop.seal.pk])
    body = {"method": "mail", "tracking_number": "EMS9876543210"}
    answer = post(clerk, f"/bundles/{app.pk}/deliver", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == BundleApplication.State.DELIVERED
    assert {c.state for c in app.cases.all()} == {states.DELIVERED}


def test_r_case_7_r_sec_2_api_bundle_correction_and_bad_input_change_nothing(desk):
    shop = build_bundle(desk)
    clerk = bearer(shop.clerk)
    before = (BundleApplication.objects.count(), Case.objects.count())
    extra = bundle_body(shop, materials=[{"material_id": 2**40}])
    assert is_error(post(clerk, "/bundles", extra), 422, "case.extra_material")
    assert is_error(post(clerk, "/bundles", bundle_body(shop, bundle="no-such")), 404)
    assert is_error(post(bearer(desk.approver), "/bundles", bundle_body(shop)), 404)
    assert (BundleApplication.objects.count(), Case.objects.count()) == before

    app_id = post(clerk, "/bundles", bundle_body(shop, materials=[])).json()["id"]
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    answer = post(clerk, f"/bundles/{app_id}/corrections", {"due": due})
    assert answer.status_code == 200, answer.content
    assert answer.json()["correcting"] is True
    assert is_error(post(clerk, f"/bundles/{app_id}/accept"), 409)


# --- assisted projects (R-CASE-10) ---------------------------------------------------------------


def project_body(firm, **over) -> dict:  # noqa: F811
    return {
        "name": "高原夏菜冷链物流园",
        "team": AssistedProject.Team.INVESTMENT,
        "agent_id": firm.agent.pk,
        "enterprise": {
            "name": "临夏某食品有限公司",
            "credit_code": CREDIT_CODE,
            "phone": "13909305555",
        },
        "investment": "8000",
        **over,
    }


def test_r_case_10_api_agent_creates_a_project_notes_links_and_closes_it(firm):  # noqa: F811
    agent = bearer(firm.agent)
    answer = post(agent, "/projects", project_body(firm))
    assert answer.status_code == 201, answer.content
    project_id = answer.json()["id"]
    project = AssistedProject.objects.get(pk=project_id)
    assert project.applicant.credit_code == CREDIT_CODE and project.agent == firm.agent
    answer = post(agent, f"/projects/{project_id}/notes", {"text": "辅导准备环评材料"})
    assert answer.status_code == 201 and ProjectNote.objects.filter(project=project).count() == 1
    assert is_error(post(agent, f"/projects/{project_id}/close", {"note": "办结"}), 409)

    case = services.case_intake(
        actor=firm.clerk,
        listing=firm.listing,
        applicant=project.applicant,
        materials=all_required(firm),
    )
    answer = post(agent, f"/projects/{project_id}/cases", {"number": case.number})
    assert answer.status_code == 200, answer.content
    assert [c["number"] for c in answer.json()["cases"]] == [case.number]
    assert Case.objects.get(pk=case.pk).project_id == project_id
    answer = post(agent, f"/projects/{project_id}/close", {"note": "项目全部手续办结"})
    assert answer.status_code == 200 and answer.json()["state"] == AssistedProject.State.DONE
    listed = agent.get(f"{BASE}/projects", {"state": "all"}).json()
    assert project_id in [row["id"] for row in listed["items"]]


def test_r_case_10_r_sec_2_api_another_centers_agent_gets_404_and_bad_input_changes_nothing(
    firm,  # noqa: F811
    project,  # noqa: F811
):
    other = bearer(firm.kangle_agent)
    assert is_error(other.get(f"{BASE}/projects/{project.pk}"), 404)
    assert is_error(post(other, f"/projects/{project.pk}/notes", {"text": "看看"}), 404)
    agent = bearer(firm.agent)
    count = AssistedProject.objects.count()
    answer = post(agent, "/projects", project_body(firm, team="magic"))
    assert is_error(answer, 422, "project.invalid")
    answer = post(agent, "/projects", project_body(firm, agent_id=firm.kangle_agent.pk))
    assert is_error(answer, 422, "project.invalid")
    assert AssistedProject.objects.count() == count
    assert is_error(agent.get(f"{BASE}/projects", {"state": "nope"}), 422, "project.bad_state")
    assert is_error(post(agent, f"/projects/{project.pk}/notes", {"text": "  "}), 422)
    assert ProjectNote.objects.filter(project=project).count() == 0


# --- backup roles (R-CASE-9) ---------------------------------------------------------------------


def test_r_case_9_api_head_names_a_b_marks_a_away_and_back(team):  # noqa: F811
    head = bearer(team.chief_rep)
    a = StaffProfile.objects.get(user=team.approver)
    b = StaffProfile.objects.get(user=team.approver2)
    listed = head.get(f"{BASE}/backups", {"department_id": team.linxia_market.pk}).json()
    assert a.pk in [row["profile_id"] for row in listed["rows"]]

    answer = post(head, f"/backups/{a.pk}/backup", {"backup_profile_id": b.pk})
    assert answer.status_code == 200, answer.content
    assert StaffProfile.objects.get(pk=a.pk).backup_id == b.pk
    until = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    answer = post(head, f"/backups/{a.pk}/away", {"reason": "年休假", "until": until})
    assert answer.status_code == 200, answer.content
    row = answer.json()
    assert row["away"] is True and row["handler_profile_id"] == b.pk
    answer = post(head, f"/backups/{a.pk}/back")
    assert answer.status_code == 200 and answer.json()["away"] is False
    assert StaffProfile.objects.get(pk=a.pk).away is False


def test_r_case_9_r_sec_2_api_outside_the_scope_is_404_and_bad_input_changes_nothing(team):  # noqa: F811
    a = StaffProfile.objects.get(user=team.approver)
    police = StaffProfile.objects.get(user=team.police_approver)
    assert is_error(post(bearer(team.kangle_admin), f"/backups/{a.pk}/back"), 404)
    assert is_error(
        bearer(team.kangle_admin).get(f"{BASE}/backups", {"department_id": team.linxia_market.pk}),
        404,
    )
    head = bearer(team.chief_rep)
    answer = post(head, f"/backups/{a.pk}/backup", {"backup_profile_id": police.pk})
    assert is_error(answer, 422, "staff.bad_backup")
    answer = post(head, f"/backups/{a.pk}/away", {"reason": "年休假"})
    assert is_error(answer, 422, "staff.bad_away")  # no B yet
    answer = post(head, f"/backups/{a.pk}/backup", {"backup_profile_id": 2**64})
    assert is_error(answer, 422, "invalid_input")
    a.refresh_from_db()
    assert a.backup_id is None and a.away is False
