"""Electronic materials of a case and the applicant's file store (R-CASE-6): uploads on
the case page, downloads within the reader's scope, reuse across matters by the common
material type, and the basic information prefilled at the next intake (一表申请)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from onewindow.cases import services, states
from onewindow.cases.models import ApplicantDocument, Case, CaseEvent, Document
from onewindow.cases.selectors import missing_materials
from onewindow.cases.selectors.files import reusable_documents
from onewindow.cases.services import files as file_services
from onewindow.catalog import services as catalog_services
from onewindow.catalog.models import Listing, MaterialType
from onewindow.core.errors import Conflict, InvalidInput, NotFound
from onewindow.core.models import AuditEvent
from onewindow.files.models import StoredFile
from onewindow.hall import services as hall_services
from onewindow.hall.models import ServiceCategory
from tests.cases.conftest import all_required
from tests.catalog.conftest import make_matter, publish_through_review
from tests.files.conftest import PDF_BYTES, image_bytes, upload

ID_NUMBER = "622921199001010016"


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.ONEWINDOW_UPLOAD_ROOT = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def _kept(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _list(desk, matter, code):
    request = catalog_services.listing_request_entry(
        actor=desk.county_admin,
        matter=matter,
        center=desk.linxia_center,
        department=desk.linxia_market,
        code=code,
        reason="进驻",
    )
    catalog_services.change_request_decide(actor=desk.gov_office, request=request, approve=True)
    hall_services.authorization_set(
        actor=desk.county_admin, clerk=desk.clerk, matter=matter, may_accept=True, may_decide=False
    )
    return Listing.objects.get(pk=request.listing_id)


@pytest.fixture
def typed(desk):
    """Two more matters whose materials name the common types: the ID card is called
    differently in each guide but is the same material."""
    MaterialType.objects.create(code="ID_CARD", name="居民身份证")
    MaterialType.objects.create(code="PREMISES", name="经营场所证明")
    food, food_version = make_matter(
        desk,
        code="11620000MB1234568X",
        name="食品经营许可",
        materials=[
            {"name": "食品经营许可申请书", "form": "original"},
            {"name": "法定代表人身份证", "form": "copy", "material_type": "ID_CARD"},
            {"name": "经营场所证明", "form": "copy", "material_type": "PREMISES"},
        ],
    )
    publish_through_review(desk, food_version)
    change, change_version = make_matter(
        desk,
        code="11620000MB1234569X",
        name="个体工商户变更登记",
        materials=[
            {"name": "变更登记申请书", "form": "original"},
            {"name": "经营者身份证明", "form": "copy", "material_type": "ID_CARD"},
            {"name": "新经营场所证明", "form": "copy", "material_type": "PREMISES"},
        ],
    )
    publish_through_review(desk, change_version)
    desk.food = _list(desk, food, "LX-0002")
    desk.change = _list(desk, change, "LX-0003")
    desk.food_m = {m.name: m for m in desk.food.matter.current_version.materials.all()}
    desk.change_m = {m.name: m for m in desk.change.matter.current_version.materials.all()}
    return desk


def _case(desk, materials=None, listing=None):
    return services.case_intake(
        actor=desk.clerk,
        listing=listing or desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk) if materials is None else materials,
    )


def _upload_url(case):
    return f"/workspace/cases/{case.pk}/documents/upload/"


# --- upload and download on the case page -------------------------------------------------


def test_r_case_6_a_pdf_uploaded_on_the_case_page_is_kept_and_served_to_the_case_staff(
    client, desk, upload_root
):
    case = _case(desk, materials={})
    material = desk.materials["经营者居民身份证"]
    client.force_login(desk.clerk)
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    assert "电子材料" in page and _upload_url(case) in page
    response = client.post(
        _upload_url(case),
        {"material": material.pk, "file": upload("身份证 正反面.pdf", PDF_BYTES)},
        follow=True,
    )
    assert "已收取“经营者居民身份证”的电子材料" in response.content.decode()
    document = Document.objects.get(case=case, material=material)
    assert document.electronic and not document.paper_received and not document.by_pledge
    assert document.file.original_name == "身份证 正反面.pdf"
    assert (upload_root / document.file.storage_name).read_bytes() == PDF_BYTES
    stored = ApplicantDocument.objects.get(applicant=desk.applicant)
    assert stored.file == document.file and stored.source_case == case
    assert stored.name == "经营者居民身份证"
    event = CaseEvent.objects.get(case=case, action="document_attach")
    assert event.data["sha256"] == document.file.sha256 and event.actor == desk.clerk
    assert AuditEvent.objects.filter(action="case.document_attach", target_id=str(case.pk)).exists()
    page = client.get(f"/workspace/cases/{case.pk}/").content.decode()
    url = f"/workspace/cases/{case.pk}/documents/{document.pk}/file/"
    assert url in page and "PDF" in page and "收取电子材料" in page
    for reader in (desk.clerk, desk.approver, desk.county_admin, desk.county_supervisor):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200, reader
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF_BYTES


def test_r_case_6_a_user_of_another_county_gets_404_for_a_documents_file(client, desk):
    case = _case(desk, materials={})
    document = file_services.document_attach(
        actor=desk.clerk,
        case=case,
        material=desk.materials["经营者居民身份证"],
        upload=upload("id.pdf", PDF_BYTES),
    )
    url = f"/workspace/cases/{case.pk}/documents/{document.pk}/file/"
    for outsider in (desk.kangle_admin, desk.police_approver, desk.township_clerk):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider
        response = client.post(
            _upload_url(case),
            {"material": document.material_id, "file": upload("x.pdf", PDF_BYTES)},
        )
        assert response.status_code == 404
    client.force_login(desk.clerk)
    other = _case(desk, materials={})
    assert (
        client.get(f"/workspace/cases/{other.pk}/documents/{document.pk}/file/").status_code == 404
    )
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    assert StoredFile.objects.count() == 1
    with pytest.raises(NotFound):
        file_services.document_attach(
            actor=desk.kangle_admin,
            case=case,
            material=document.material,
            upload=upload("x.pdf", PDF_BYTES),
        )


def test_r_case_6_an_html_file_named_pdf_is_refused_on_the_page_and_nothing_changes(
    client, desk, upload_root
):
    case = _case(desk, materials={})
    client.force_login(desk.clerk)
    page = client.post(
        _upload_url(case),
        {
            "material": desk.materials["经营者居民身份证"].pk,
            "file": upload("身份证.pdf", b"<html><body><script>alert(1)</script></body></html>"),
        },
        follow=True,
    ).content.decode()
    assert "文件类型不允许" in page
    assert not case.documents.exists() and not StoredFile.objects.exists()
    assert not ApplicantDocument.objects.exists() and _kept(upload_root) == []
    page = client.post(
        _upload_url(case), {"material": desk.materials["经营者居民身份证"].pk}, follow=True
    ).content.decode()
    assert "请选择要上传的文件" in page


def test_r_case_6_an_oversized_upload_is_refused_while_it_streams_in(
    client, desk, settings, upload_root
):
    settings.ONEWINDOW_UPLOAD_MAX_BYTES = 4096
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # big files go through a temporary file
    case = _case(desk, materials={})
    client.force_login(desk.clerk)
    page = client.post(
        _upload_url(case),
        {
            "material": desk.materials["经营者居民身份证"].pk,
            "file": upload("扫描件.pdf", PDF_BYTES + b"0" * 20_000),
        },
        follow=True,
    ).content.decode()
    assert "文件过大" in page and "4.0 KB" in page
    assert not case.documents.exists() and not StoredFile.objects.exists()
    assert _kept(upload_root) == []
    page = client.post(
        _upload_url(case),
        {
            "material": desk.materials["经营者居民身份证"].pk,
            "file": upload("照片.png", image_bytes("PNG")),
        },
        follow=True,
    ).content.decode()
    assert "已收取" in page and case.documents.get().file.content_type == "image/png"


def test_r_case_6_an_upload_for_a_material_outside_the_pinned_version_is_refused(typed):
    case = _case(typed, materials={})
    for material, message in (
        (typed.food_m["法定代表人身份证"], "只能收取办事指南列明的申请材料"),
        (None, "请选择办事指南列明的材料"),
    ):
        with pytest.raises(InvalidInput) as refused:
            file_services.document_attach(
                actor=typed.clerk, case=case, material=material, upload=upload("a.pdf", PDF_BYTES)
            )
        assert refused.value.code == "case.extra_material" and message in refused.value.message
    assert not case.documents.exists() and not StoredFile.objects.exists()
    assert not ApplicantDocument.objects.exists()


def test_r_case_6_files_are_received_until_acceptance_and_in_corrections_never_after_a_decision(
    desk,
):
    case = _case(desk, materials={})
    idcard = desk.materials["经营者居民身份证"]
    due = timezone.localdate() + dt.timedelta(days=10)
    services.case_ask_correction(
        actor=desk.clerk,
        case=case,
        items=[{"material_id": m.pk} for m in missing_materials(case)],
        due=due,
    )
    case.refresh_from_db()
    assert case.state == states.CORRECTING_INTAKE
    document = file_services.document_attach(
        actor=desk.clerk, case=case, material=idcard, upload=upload("a.pdf", PDF_BYTES)
    )
    first_file = document.file
    services.case_correction_reply(actor=desk.clerk, case=case, materials=all_required(desk))
    case.refresh_from_db()
    document = file_services.document_attach(
        actor=desk.clerk, case=case, material=idcard, upload=upload("b.png", image_bytes("PNG"))
    )
    assert document.file != first_file and document.file.content_type == "image/png"
    event = CaseEvent.objects.filter(case=case, action="document_attach").last()
    assert event.data["replaced"] == first_file.pk
    case = services.case_accept(actor=desk.clerk, case=case)
    with pytest.raises(Conflict) as refused:
        file_services.document_attach(
            actor=desk.clerk, case=case, material=idcard, upload=upload("c.pdf", PDF_BYTES)
        )
    assert refused.value.code == "document.wrong_state" and "已受理" in refused.value.message
    services.case_start_review(actor=desk.approver, case=case)
    services.case_decide(actor=desk.approver, case=case, approve=True, note="符合条件")
    with pytest.raises(Conflict):
        file_services.document_attach(
            actor=None, case=case, material=idcard, upload=upload("d.pdf", PDF_BYTES)
        )
    assert StoredFile.objects.count() == 2


def test_r_case_6_the_applicant_on_their_link_may_add_files_in_a_correction(desk):
    case = _case(desk, materials={})
    services.case_ask_correction(
        actor=desk.clerk,
        case=case,
        items=[{"material_id": m.pk} for m in missing_materials(case)],
        due=timezone.localdate() + dt.timedelta(days=5),
    )
    document = file_services.document_attach(
        actor=None,
        case=case,
        material=desk.materials["经营场所使用证明"],
        upload=upload("租赁合同.pdf", PDF_BYTES),
    )
    assert document.received_by is None and document.file.uploaded_by is None
    assert CaseEvent.objects.get(case=case, action="document_attach").actor_label == "申请人"


# --- reuse (材料复用) -------------------------------------------------------------------------


def test_r_case_6_a_document_given_in_case_1_is_reused_in_case_2_of_another_matter(client, typed):
    first = _case(typed, listing=typed.food, materials={})
    given = file_services.document_attach(
        actor=typed.clerk,
        case=first,
        material=typed.food_m["法定代表人身份证"],
        upload=upload("身份证.pdf", PDF_BYTES),
    )
    files_before = StoredFile.objects.count()
    client.force_login(typed.clerk)
    page = client.post(
        "/workspace/cases/new/",
        {"listing": typed.change.pk, "id_number": ID_NUMBER, "lookup": "1"},
    ).content.decode()
    idcard = typed.change_m["经营者身份证明"]
    stored = ApplicantDocument.objects.get()
    assert f'name="reuse_{idcard.pk}" value="{stored.pk}" checked' in page
    assert "复用材料库：身份证.pdf" in page
    assert f'name="reuse_{typed.change_m["新经营场所证明"].pk}"' not in page  # never given
    assert not Case.objects.filter(listing=typed.change).exists()  # looking up creates nothing
    response = client.post(
        "/workspace/cases/new/",
        {
            "listing": typed.change.pk,
            "kind": "person",
            "name": "马小明",
            "phone": "13909301234",
            "id_number": ID_NUMBER,
            f"reuse_{idcard.pk}": str(stored.pk),
            f"doc_{typed.change_m['变更登记申请书'].pk}": "paper",
        },
    )
    second = Case.objects.get(listing=typed.change)
    assert response.status_code == 302
    reused = second.documents.get(material=idcard)
    assert reused.reused_from == stored and reused.file == given.file
    assert reused.electronic and not reused.paper_received
    assert StoredFile.objects.count() == files_before  # the applicant did not give it again
    assert CaseEvent.objects.get(case=second, action="document_reuse").data["materials"] == [
        "经营者身份证明"
    ]
    url = f"/workspace/cases/{second.pk}/documents/{reused.pk}/file/"
    detail = client.get(f"/workspace/cases/{second.pk}/").content.decode()
    assert url in detail and "复用材料库" in detail
    assert b"".join(client.get(url).streaming_content) == PDF_BYTES


def test_r_case_6_an_unticked_stored_document_is_not_reused(client, typed):
    first = _case(typed, listing=typed.food, materials={})
    file_services.document_attach(
        actor=typed.clerk,
        case=first,
        material=typed.food_m["法定代表人身份证"],
        upload=upload("身份证.pdf", PDF_BYTES),
    )
    client.force_login(typed.clerk)
    idcard = typed.change_m["经营者身份证明"]
    client.post(
        "/workspace/cases/new/",
        {
            "listing": typed.change.pk,
            "name": "马小明",
            "phone": "13909301234",
            "id_number": ID_NUMBER,
            f"doc_{idcard.pk}": "paper",
        },
    )
    document = Case.objects.get(listing=typed.change).documents.get(material=idcard)
    assert document.reused_from is None and document.file is None and document.paper_received


def test_r_case_6_an_expired_or_revoked_stored_document_is_not_offered(client, typed):
    first = _case(typed, listing=typed.food, materials={})
    today = timezone.localdate()
    file_services.document_attach(
        actor=typed.clerk,
        case=first,
        material=typed.food_m["法定代表人身份证"],
        upload=upload("身份证.pdf", PDF_BYTES),
        valid_until=today + dt.timedelta(days=1),
    )
    file_services.document_attach(
        actor=typed.clerk,
        case=first,
        material=typed.food_m["经营场所证明"],
        upload=upload("租赁合同.pdf", PDF_BYTES),
    )
    version = typed.change.matter.current_version
    idcard, premises = typed.change_m["经营者身份证明"], typed.change_m["新经营场所证明"]
    offered = reusable_documents(typed.applicant, version)
    assert set(offered) == {idcard.pk, premises.pk}
    later = reusable_documents(typed.applicant, version, today=today + dt.timedelta(days=2))
    assert set(later) == {premises.pk}  # the ID card expired
    ApplicantDocument.objects.filter(name="经营场所证明").update(revoked=True)
    assert set(reusable_documents(typed.applicant, version)) == {idcard.pk}
    expired = ApplicantDocument.objects.get(name="法定代表人身份证")
    ApplicantDocument.objects.filter(pk=expired.pk).update(valid_until=today - dt.timedelta(days=1))
    assert reusable_documents(typed.applicant, version) == {}
    client.force_login(typed.clerk)
    page = client.post(
        "/workspace/cases/new/", {"listing": typed.change.pk, "id_number": ID_NUMBER, "lookup": "1"}
    ).content.decode()
    assert "复用材料库" not in page and "已带出申请人“马小明”" in page
    # Nor can a forged form reuse it.
    page = client.post(
        "/workspace/cases/new/",
        {
            "listing": typed.change.pk,
            "name": "马小明",
            "phone": "13909301234",
            "id_number": ID_NUMBER,
            f"reuse_{idcard.pk}": str(expired.pk),
        },
    ).content.decode()
    assert "已过期或失效" in page and not Case.objects.filter(listing=typed.change).exists()


def test_r_case_6_another_applicants_stored_document_cannot_be_reused(typed):
    first = _case(typed, listing=typed.food, materials={})
    file_services.document_attach(
        actor=typed.clerk,
        case=first,
        material=typed.food_m["法定代表人身份证"],
        upload=upload("身份证.pdf", PDF_BYTES),
    )
    stored = ApplicantDocument.objects.get()
    other = services.applicant_record(
        name="马大明", phone="13909305678", id_number="622921199002020013"
    )
    idcard = typed.change_m["经营者身份证明"]
    with pytest.raises(NotFound):
        file_services.case_intake_with_reuse(
            actor=typed.clerk, listing=typed.change, applicant=other, reuse={idcard.pk: stored.pk}
        )
    with pytest.raises(InvalidInput) as refused:  # the ID card is not the premises proof
        file_services.case_intake_with_reuse(
            actor=typed.clerk,
            listing=typed.change,
            applicant=typed.applicant,
            reuse={typed.change_m["新经营场所证明"].pk: stored.pk},
        )
    assert refused.value.code == "document.reuse_mismatch"
    with pytest.raises(InvalidInput) as refused:  # R-CAT-7 holds for reuse too
        file_services.case_intake_with_reuse(
            actor=typed.clerk,
            listing=typed.change,
            applicant=typed.applicant,
            reuse={typed.food_m["法定代表人身份证"].pk: stored.pk},
        )
    assert refused.value.code == "case.extra_material"
    assert not Case.objects.filter(listing=typed.change).exists()


def test_r_case_6_the_case_page_offers_the_stored_document_for_a_missing_material(client, typed):
    first = _case(typed, listing=typed.food, materials={})
    file_services.document_attach(
        actor=typed.clerk,
        case=first,
        material=typed.food_m["经营场所证明"],
        upload=upload("租赁合同.pdf", PDF_BYTES),
    )
    second = _case(typed, listing=typed.change, materials={})
    stored = ApplicantDocument.objects.get()
    premises = typed.change_m["新经营场所证明"]
    client.force_login(typed.clerk)
    page = client.get(f"/workspace/cases/{second.pk}/").content.decode()
    assert "复用材料库中的“经营场所证明”" in page
    client.post(
        f"/workspace/cases/{second.pk}/documents/reuse/",
        {"material": premises.pk, "stored": stored.pk},
    )
    document = second.documents.get(material=premises)
    assert document.reused_from == stored and document.file == stored.file
    page = client.post(
        f"/workspace/cases/{second.pk}/documents/reuse/",
        {"material": premises.pk, "stored": "999999"},
        follow=True,
    ).content.decode()
    assert "材料库中没有这份材料" in page


# --- one form (一表申请) ------------------------------------------------------------------------


def test_r_case_6_the_basic_information_is_prefilled_in_the_second_intake(client, desk):
    client.force_login(desk.clerk)
    m = desk.materials
    client.post(
        "/workspace/cases/new/",
        {
            "listing": desk.listing.pk,
            "kind": "person",
            "name": "马小明",
            "phone": "13909301234",
            "id_number": ID_NUMBER,
            "address": "临夏县韩集镇韩集村12号",
            "form_applicant_name": "马小明",
            "form_id_number": ID_NUMBER,
            "form_business_address": "韩集镇街道3号",
            f"doc_{m['个体工商户登记（备案）申请书'].pk}": "paper",
        },
    )
    assert Case.objects.count() == 1
    page = client.post(
        "/workspace/cases/new/", {"listing": desk.listing.pk, "id_number": ID_NUMBER, "lookup": "1"}
    ).content.decode()
    assert 'id="name" type="text" name="name" value="马小明"' in page
    assert 'value="13909301234"' in page and 'value="临夏县韩集镇韩集村12号"' in page
    assert 'name="form_business_address" value="韩集镇街道3号"' in page
    assert 'name="form_id_number" value=""' in page  # never prefilled unmasked
    assert page.count(ID_NUMBER) == 1  # only what the clerk typed, in its own field
    assert Case.objects.count() == 1  # looking up takes nothing in
    nobody = client.post(
        "/workspace/cases/new/",
        {"listing": desk.listing.pk, "id_number": "622921199002020013", "lookup": "1"},
    ).content.decode()
    assert "未找到已登记的申请人" in nobody and "马小明" not in nobody
    bad = client.post(
        "/workspace/cases/new/", {"listing": desk.listing.pk, "id_number": "123", "lookup": "1"}
    )
    assert bad.status_code == 200 and "未找到已登记的申请人" in bad.content.decode()


def test_r_case_6_a_called_tickets_phone_prefills_a_known_applicant_masked(client, desk, settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False
    services.applicant_record(
        name="马小明",
        phone="13909301234",
        id_number=ID_NUMBER,
        address="临夏县韩集镇",
        profile={"business_address": "韩集镇街道3号"},
    )
    category = ServiceCategory.objects.create(
        center=desk.linxia_center, letter="A", name="企业开办"
    )
    ticket = hall_services.ticket_issue(
        center=desk.linxia_center, category=category, phone="13909301234"
    )
    client.force_login(desk.clerk)
    page = client.get(
        "/workspace/cases/new/", {"listing": desk.listing.pk, "ticket": ticket.pk}
    ).content.decode()
    assert 'name="name" value="马小明"' in page and 'value="临夏县韩集镇"' in page
    assert 'name="form_business_address" value="韩集镇街道3号"' in page
    assert ID_NUMBER not in page and desk.applicant.id_number_masked in page
    assert "请核验其身份证件后录入证件号码" in page
