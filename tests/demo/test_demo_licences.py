"""The demo's electronic licences (R-MSG-2): five licences of 临夏县's approved cases, one
replaced (by a sixth) and one revoked, each answering on the portal's verification page; a valid
one's code printed with the demo accounts; loading again adds nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.demo import licences_history
from onewindow.licences import selectors
from onewindow.licences.models import Licence

pytestmark = pytest.mark.django_db


def test_r_msg_2_the_demo_licences_verify_on_the_portal(demo_opened):
    licences = list(Licence.objects.select_related("case__center"))
    assert len(licences) == 6  # five issued, one of them replaced by a sixth
    assert {lic.case.center.name for lic in licences} == {"临夏县政务服务中心"}
    statuses = sorted(selectors.verify_code(lic.code).status for lic in licences)
    assert statuses == ["replaced", "revoked", "valid", "valid", "valid", "valid"]
    note = licences_history.note()
    assert note and note in demo_opened.output
    code = note.split("：")[1].split("（")[0]
    page = Client().get(reverse("portal:licence_verify"), {"code": code})
    assert page.status_code == 200 and "签名核验通过" in page.content.decode()
    assert licences_history.load() == 0
