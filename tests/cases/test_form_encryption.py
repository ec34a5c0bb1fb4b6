"""Identity numbers typed into forms are kept encrypted (R-SEC-1): the raw columns of
the application form and the applicant's basic information hold no number, the
services read them back, the pages show them masked, and rows written before the
change are encrypted by the data migration."""

from __future__ import annotations

import importlib
import json
from types import SimpleNamespace

from django.apps import apps as django_apps
from django.db import connection

from onewindow.cases import selectors, services
from onewindow.cases.models import Applicant, Case
from onewindow.core import fields
from tests.cases.test_deciders_view import (  # noqa: F401  (the fixture)
    COMPANY_DATA,
    LEGAL_ID,
    company,
    company_case,
    required,
    text,
)
from tests.cases.test_online import FORM as ONLINE_FORM
from tests.cases.test_online import draft as online_draft

MIGRATION = importlib.import_module(
    "onewindow.cases.migrations.0011_identity_numbers_encrypted_in_forms"
)
OTHER_ID = "62292119700101001X"


def raw_column(table: str, column: str, pk: int) -> str:
    """The column as the database holds it, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        value = cursor.fetchone()[0]
    # SQLite gives the text as stored (non-ASCII escaped), PostgreSQL the parsed jsonb:
    # both are searched as text with the Chinese read back.
    return json.dumps(json.loads(value) if isinstance(value, str) else value, ensure_ascii=False)


def test_r_sec_1_identity_number_is_not_stored_in_plain_text(company):
    scope = f"餐饮服务；联系人身份证{OTHER_ID}"
    case = services.case_intake(
        actor=company.clerk,
        listing=company.company_listing,
        applicant=company.applicant,
        materials=required(company),
        form_data={**COMPANY_DATA, "business_scope": scope},
    )
    raw = raw_column("cases_case", "form_data", case.pk)
    assert LEGAL_ID not in raw and OTHER_ID not in raw
    assert raw.count(fields.MARK) == 2  # the id-number field and the free text holding one
    assert "临夏县花儿餐饮有限公司" in raw and '"capital"' in raw  # the rest stays readable

    stored = Case.objects.get(pk=case.pk).form_data
    assert stored["legal_id"] == LEGAL_ID and stored["business_scope"] == scope
    shown = {row["key"]: row["value"] for row in selectors.case_form(case)}
    assert shown["legal_id"] == "622921********0011"
    assert shown["business_scope"] == "餐饮服务；联系人身份证622921********001X"


def test_r_sec_1_the_case_page_masks_and_the_logged_reveal_shows_the_stored_number(client, company):
    case = company_case(company, accept=True)
    client.force_login(company.approver)
    url = f"/workspace/cases/{case.pk}/"
    page = text(client.get(url))
    assert LEGAL_ID not in page and "622921********0011" in page
    page = text(client.post(url, {"action": "reveal_id", "reason": "核验法定代表人身份"}))
    assert f'data-revealed="legal_id">{LEGAL_ID}<' in page


def test_r_sec_1_the_applicant_profile_keeps_no_number_in_plain_text(company):
    applicant = Applicant.objects.get(pk=company.applicant.pk)
    applicant.profile = {"spouse_id": OTHER_ID, "note": "无", "list": [LEGAL_ID]}
    applicant.save(update_fields=["profile"])
    raw = raw_column("cases_applicant", "profile", applicant.pk)
    assert OTHER_ID not in raw and LEGAL_ID not in raw and '"note": "无"' in raw
    applicant.refresh_from_db()
    assert applicant.profile == {"spouse_id": OTHER_ID, "note": "无", "list": [LEGAL_ID]}


def test_r_sec_1_the_migration_encrypts_rows_written_in_plain_text(company):
    case = company_case(company, accept=False)
    plain = json.dumps({**COMPANY_DATA, "note": "不含号码"}, ensure_ascii=False)
    with connection.cursor() as cursor:  # a row as written before the change
        cursor.execute("UPDATE cases_case SET form_data = %s WHERE id = %s", [plain, case.pk])
    assert LEGAL_ID in raw_column("cases_case", "form_data", case.pk)
    assert Case.objects.get(pk=case.pk).form_data["legal_id"] == LEGAL_ID  # still readable

    MIGRATION.encrypt_existing(django_apps, SimpleNamespace(connection=connection))
    raw = raw_column("cases_case", "form_data", case.pk)
    assert LEGAL_ID not in raw and raw.count(fields.MARK) == 1
    assert Case.objects.get(pk=case.pk).form_data == {**COMPANY_DATA, "note": "不含号码"}


def test_r_sec_1_sealing_finds_numbers_by_shape_and_leaves_other_values():
    value = {"a": "６２２９２１１９８５０３１５００１１", "b": 5, "c": "13912345678", "d": None}
    sealed = fields.seal(value)
    assert sealed["a"].startswith(fields.MARK) and sealed["b"] == 5
    assert sealed["c"] == "13912345678" and sealed["d"] is None  # a phone number is not one
    assert fields.unseal(sealed) == value
    assert fields.seal(sealed) == sealed  # sealing twice changes nothing
    assert fields.unseal({"x": fields.MARK + "not-a-cipher"}) == {"x": fields.MARK + "not-a-cipher"}


def test_r_sec_1_an_online_application_keeps_no_number_in_plain_text(desk):
    case = online_draft(desk)
    number = ONLINE_FORM["id_number"]
    assert number not in raw_column("cases_case", "form_data", case.pk)
    assert number not in raw_column("cases_applicant", "profile", case.applicant_id)
    assert Case.objects.get(pk=case.pk).form_data["id_number"] == number
    shown = {row["key"]: row["value"] for row in selectors.case_form(case) if row["secret"]}
    assert shown == {"id_number": "622921********0016"}
