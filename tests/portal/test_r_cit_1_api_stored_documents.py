"""我的材料 through the API (R-CIT-1): the account's stored documents as 我的事务 lists them,
the ones fitting each material of its application, one reused as the same file record
(audited); another person's document or application 404, a material of another kind a
4xx that changes nothing, no citizen session 401."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from onewindow.cases.models import ApplicantDocument, Document
from onewindow.core.models import AuditEvent
from onewindow.portal.citizens.selectors import account_documents
from tests.api_client import is_error
from tests.cases.conftest import desk  # noqa: F401
from tests.catalog.conftest import cat  # noqa: F401
from tests.portal.conftest import ALICE, BOB, a_case, claim, register
from tests.portal.test_api_citizen import signed_in
from tests.portal.test_stored_documents import ID_CARD, given

BASE = "/api/v1/citizen"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_r_cit_1_api_lists_and_reuses_the_account_s_stored_documents(desk):  # noqa: F811
    first = a_case(desk, ALICE, submit=False)
    kept = given(desk, first, "马阿丽身份证.pdf")
    bobs_first = a_case(desk, BOB, submit=False)
    given(desk, bobs_first, "何波身份证.pdf")
    stored = ApplicantDocument.objects.get(file=kept.file)
    bobs_stored = ApplicantDocument.objects.exclude(pk=stored.pk).get()
    alice_account = register(ALICE)
    claim(alice_account, ALICE["phone"])
    claim(register(BOB), BOB["phone"])
    alice = signed_in(ALICE)

    answer = alice.get(f"{BASE}/documents")
    assert answer.status_code == 200, answer.content
    rows = answer.json()["items"]
    assert [r["id"] for r in rows] == list(
        account_documents(alice_account).order_by("-created_at", "-id").values_list("pk", flat=True)
    )
    assert [r["file_name"] for r in rows] == ["马阿丽身份证.pdf"]
    assert rows[0]["reusable"] is True and rows[0]["source_case"] == first.number

    again = a_case(desk, ALICE, submit=False)
    material = desk.materials[ID_CARD].pk
    fits = alice.get(f"{BASE}/cases/{again.pk}/reusable-documents").json()
    assert fits == [
        {"material_id": material, "documents": [r for r in rows if r["id"] == stored.pk]}
    ]

    url = f"{BASE}/cases/{again.pk}/documents/reuse"
    refused = [
        (url, {"material_id": material, "stored_id": bobs_stored.pk}, 404),
        (
            f"{BASE}/cases/{bobs_first.pk}/documents/reuse",
            {"material_id": material, "stored_id": stored.pk},
            404,
        ),
        (url, {"material_id": desk.materials["经营场所使用证明"].pk, "stored_id": stored.pk}, None),
        (url, {"material_id": 0, "stored_id": stored.pk}, 422),
    ]
    for path, body, status in refused:
        answer = alice.post(path, body, content_type="application/json")
        assert 400 <= answer.status_code < 500, answer.content
        assert is_error(answer, status or answer.status_code), (body, answer.content)
    assert not Document.objects.filter(case=again, file__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="citizen.document_reuse").exists()
    assert is_error(alice.get(f"{BASE}/cases/{bobs_first.pk}/reusable-documents"), 404)

    answer = alice.post(
        url, {"material_id": material, "stored_id": stored.pk}, content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["stored_id"] == stored.pk
    document = Document.objects.get(case=again, material_id=material)
    assert document.file_id == kept.file_id and document.reused_from == stored
    assert AuditEvent.objects.filter(action="citizen.document_reuse").count() == 1


def test_r_cit_1_api_stored_documents_need_the_citizen_session(desk):  # noqa: F811
    case = a_case(desk, ALICE, submit=False)
    given(desk, case, "马阿丽身份证.pdf")
    stored = ApplicantDocument.objects.get()
    anonymous = Client()
    assert is_error(anonymous.get(f"{BASE}/documents"), 401)
    answer = anonymous.post(
        f"{BASE}/cases/{case.pk}/documents/reuse",
        {"material_id": desk.materials[ID_CARD].pk, "stored_id": stored.pk},
        content_type="application/json",
    )
    assert is_error(answer, 401)
    staff = Client()
    staff.force_login(desk.clerk)
    assert is_error(staff.get(f"{BASE}/documents"), 401)
    assert not Document.objects.filter(case=case, reused_from__isnull=False).exists()
