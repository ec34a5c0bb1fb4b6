"""R-CIT-1: a citizen with an account sees their stored documents (the materials given
with earlier applications) on 我的事务 and attaches one to a new online application
instead of uploading again: the same file record, only their own."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from onewindow.cases.models import ApplicantDocument, Document
from onewindow.cases.services import files as file_services
from onewindow.core.models import AuditEvent
from tests.cases.conftest import all_required, desk  # noqa: F401
from tests.catalog.conftest import cat  # noqa: F401
from tests.files.conftest import PDF_BYTES, upload
from tests.portal.conftest import ALICE, BOB, CITIZEN_PASSWORD, a_case, claim, register

ID_CARD = "经营者居民身份证"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def given(desk, case, name: str):
    return file_services.document_attach(
        actor=None, case=case, material=desk.materials[ID_CARD].pk, upload=upload(name, PDF_BYTES)
    )


def test_r_cit_1_stored_documents_listed_and_reused_by_the_same_file(desk, client):
    first = a_case(desk, ALICE, submit=False)
    kept = given(desk, first, "马阿丽身份证.pdf")
    bobs_first = a_case(desk, BOB, submit=False)
    given(desk, bobs_first, "何波身份证.pdf")
    stored = ApplicantDocument.objects.get(file=kept.file)
    bobs_stored = ApplicantDocument.objects.exclude(pk=stored.pk).get()
    alice = register(ALICE)
    claim(alice, ALICE["phone"])
    claim(register(BOB), BOB["phone"])
    assert client.post("/my/login/", {"phone": ALICE["phone"], "password": CITIZEN_PASSWORD})

    affairs = client.get("/my/").content.decode()
    assert "我的材料" in affairs and "马阿丽身份证.pdf" in affairs and first.number in affairs
    assert "何波身份证.pdf" not in affairs

    again = a_case(desk, ALICE, submit=False)
    assert again.applicant_id == first.applicant_id
    page = client.get(f"/apply/t/{again.token}/").content.decode()
    assert "或从我的材料中选择" in page and f'<option value="{stored.pk}">' in page
    assert "何波身份证.pdf" not in page
    material = desk.materials[ID_CARD].pk
    url = f"/my/cases/{again.pk}/reuse/"

    # Bob's document on Alice's application, or Alice's on Bob's: not found, nothing changed.
    assert client.post(url, {"material": material, "stored": bobs_stored.pk}).status_code == 404
    assert (
        client.post(
            f"/my/cases/{bobs_first.pk}/reuse/", {"material": material, "stored": stored.pk}
        ).status_code
        == 404
    )
    assert not Document.objects.filter(case=again, file__isnull=False).exists()

    done = client.post(url, {"material": material, "stored": stored.pk})
    assert done.status_code == 302 and done["Location"].endswith("#files")
    document = Document.objects.get(case=again, material_id=material)
    assert document.file_id == kept.file_id and document.reused_from == stored
    assert AuditEvent.objects.filter(action="citizen.document_reuse").count() == 1
    assert "已使用我的材料" in client.get(f"/apply/t/{again.token}/").content.decode()
    # A material of another kind cannot take it: refused in Chinese, nothing changed.
    other = desk.materials["经营场所使用证明"].pk
    refused = client.post(url, {"material": other, "stored": stored.pk}, follow=True)
    assert "不是同一种材料" in refused.content.decode()
    assert not Document.objects.filter(case=again, material_id=other, file__isnull=False).exists()


def test_r_cit_1_reuse_needs_the_account(desk, client):
    case = a_case(desk, ALICE, submit=False)
    given(desk, case, "马阿丽身份证.pdf")
    stored = ApplicantDocument.objects.get()
    response = client.post(
        f"/my/cases/{case.pk}/reuse/", {"material": desk.materials[ID_CARD].pk, "stored": stored.pk}
    )
    assert response.status_code == 302 and "/my/login/" in response["Location"]
    page = client.get(f"/apply/t/{case.token}/").content.decode()
    assert "或从我的材料中选择" not in page
