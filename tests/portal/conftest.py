"""A published matter of 临夏县市场监督管理局 listed at 临夏县's center (the cases
fixture), and citizen accounts made through the services."""

from __future__ import annotations

import pytest

from onewindow.cases.models import Case
from onewindow.cases.services import online
from onewindow.portal.citizens import services
from onewindow.portal.models import PhoneCode
from tests.cases.conftest import all_required, desk  # noqa: F401  (the listing fixture)
from tests.catalog.conftest import cat  # noqa: F401

CITIZEN_PASSWORD = "Linxia-citizen-2026"
ALICE = {"phone": "13800001111", "name": "马阿丽", "id_number": "622921199203040029"}
BOB = {"phone": "13900002222", "name": "何波", "id_number": "622921198805060030"}


@pytest.fixture(autouse=True)
def _hall_open_all_day(settings):
    settings.ONEWINDOW_HALL_ENFORCE_HOURS = False


def register(person: dict):
    return services.citizen_register(password=CITIZEN_PASSWORD, **person)


def code_in_db(phone: str, purpose: str = PhoneCode.Purpose.CLAIM) -> str:
    """The code the outbox would send: read from the database, as the hook hands it on."""
    return PhoneCode.objects.filter(phone=phone, purpose=purpose).latest("created_at").code


def claim(account, phone: str) -> None:
    services.phone_code_issue(phone=phone, purpose=PhoneCode.Purpose.CLAIM, account=account)
    services.citizen_claim_phone(account=account, phone=phone, code=code_in_db(phone))


def a_case(desk, person: dict, *, submit: bool) -> Case:
    """An online application made without an account, under the person's phone."""
    return online.online_draft_create(
        listing=desk.listing,
        applicant=person,
        materials={pk: {"electronic": True} for pk in all_required(desk)},
        form_data={"applicant_name": person["name"], "business_address": "韩集镇"},
        submit=submit,
    )
