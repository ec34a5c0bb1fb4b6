"""A client generated from the published OpenAPI description by a well-kept generator
(openapi-python-client) takes a case from intake to delivery (R-SEC-2).

The description is read from ``/api/v1/openapi.json`` as served today and the client is
generated from it in the test session (into a temporary folder); its calls go to the
application in this process (httpx's WSGI transport, the test's database), signed in
with staff bearer tokens. The generated client parses every answer into its models
and raises on a status the description does not list, so a field or an answer the
description gets wrong fails here.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from onewindow.api import api
from onewindow.core.tokens import api_token_create
from tests.cases.conftest import desk  # noqa: F401  (the listing fixture)
from tests.catalog.conftest import cat  # noqa: F401

pytestmark = pytest.mark.django_db

PACKAGE = "ow_generated_client"
REQUIRED = ("个体工商户登记（备案）申请书", "经营者居民身份证", "经营场所使用证明")


def _binary_types(description: dict) -> set[str]:
    """The content types the description answers with a binary string (files)."""
    found = set()
    for item in description["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict):  # a path's shared parameters
                continue
            for answer in operation.get("responses", {}).values():
                for kind, media in answer.get("content", {}).items():
                    if media.get("schema", {}).get("format") == "binary":
                        found.add(kind)
    return found


@pytest.fixture(scope="session")
def generated(tmp_path_factory, django_db_setup, django_db_blocker):
    """The client package generated from the description the server serves now."""
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    where = tmp_path_factory.mktemp("generated-client")
    (where / "openapi.json").write_text(json.dumps(response.json(), ensure_ascii=False))
    config = {
        "project_name_override": PACKAGE,
        "package_name_override": PACKAGE,
        # Files (a document, a workbook) are bytes to the client whatever their type: the
        # generator reads those it does not know as bytes when told so, as an integrator
        # would tell it.
        "content_type_overrides": {
            kind: "application/octet-stream" for kind in _binary_types(response.json())
        },
    }
    (where / "config.json").write_text(json.dumps(config))
    bin_dir = Path(sys.executable).parent
    done = subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(where / "openapi.json"),
            "--output-path",
            str(where / "out" / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(where / "config.json"),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(where / "out"))
    try:
        yield lambda name: importlib.import_module(f"{PACKAGE}.{name}")
    finally:
        sys.path.remove(str(where / "out"))


@pytest.fixture
def transport():
    """The application in this process, on the test's own database connection (which
    a finished request would otherwise close, as Django's test client also avoids)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield httpx.WSGITransport(app=get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _client(generated, transport, user):
    _, key = api_token_create(actor=user, name="生成的客户端")
    return generated("client").AuthenticatedClient(
        base_url="http://testserver",
        token=key,
        raise_on_unexpected_status=True,
        httpx_args={"transport": transport},
    )


def test_r_sec_2_a_client_generated_from_the_openapi_takes_a_case_from_intake_to_delivery(
    generated,
    transport,
    desk,  # noqa: F811
):
    models = generated("models")

    def op(name):
        return generated(f"api.办件.onewindow_cases_api_{name}")

    clerk = _client(generated, transport, desk.clerk)
    approver = _client(generated, transport, desk.approver)
    material = {name: desk.materials[name].pk for name in REQUIRED}

    # Taken in with one material missing: the answer says which.
    case = op("intake").sync(
        client=clerk,
        body=models.IntakeIn(
            listing_id=desk.listing.pk,
            applicant=models.ApplicantIn(
                name="马小明", phone="13909301234", id_number="622921199001010016"
            ),
            materials=[models.MaterialIn(material_id=material[n]) for n in REQUIRED[:2]],
        ),
    )
    assert isinstance(case, models.CaseDetailOut), case
    assert case.state == "intake" and case.missing == [REQUIRED[2]]

    # Accepting now is refused with the error shape the description gives.
    refused = op("accept").sync(case.id, client=clerk)
    assert isinstance(refused, models.Error) and refused.code == "case.materials_missing"

    # The one-time notice, the applicant's answer at the window, acceptance.
    due = timezone.localdate() + dt.timedelta(days=10)
    notice = op("ask_correction").sync(
        case.id,
        client=clerk,
        body=models.CorrectionIn(
            items=[models.CorrectionItemIn(material_id=material[REQUIRED[2]])], due=due
        ),
    )
    assert isinstance(notice, models.CorrectionOut), notice
    assert notice.stage == "intake" and notice.due == due
    case = op("correction_reply").sync(
        case.id,
        client=clerk,
        body=models.ReplyIn(materials=[models.MaterialIn(material_id=material[REQUIRED[2]])]),
    )
    assert case.state == "intake" and case.missing == []
    case = op("accept").sync(case.id, client=clerk)
    assert case.state == "accepted" and case.due is not None

    # The department reviews and approves; the case goes to the delivery window.
    case = op("start_review").sync(case.id, client=approver)
    assert case.state == "in_review"
    case = op("decide").sync(
        case.id, client=approver, body=models.DecideIn(approve=True, note="符合条件")
    )
    assert case.state == "approved" and case.decided_at is not None
    case = op("make_ready").sync(case.id, client=approver)
    assert case.state == "ready"
    case = op("deliver").sync(
        case.id,
        client=clerk,
        body=models.DeliverIn(method="mail", tracking_number="EMS1234567890"),
    )
    assert isinstance(case, models.CaseDetailOut), case
    assert case.state == "delivered" and case.delivery_method == "mail"
    assert [e.action for e in case.events] == [
        "intake",
        "ask_correction_intake",
        "reply_intake",
        "accept",
        "start_review",
        "approve",
        "make_ready",
        "deliver",
    ]

    # Read back: the detail, the department's list, and the citizen's progress query
    # (no token) all parse into their models.
    again = op("get_case").sync(case.id, client=approver)
    assert again.number == case.number and again.public_status == "已送达"
    listed = op("list_cases").sync(client=approver, group="done")
    assert case.id in [c.id for c in listed.items]
    public = generated("client").Client(
        base_url="http://testserver",
        raise_on_unexpected_status=True,
        httpx_args={"transport": transport},
    )
    progress = op("progress").sync(client=public, number=case.number, phone_tail="1234")
    assert isinstance(progress, models.ProgressOut), progress
    assert progress.status == "已送达"


def test_r_sec_2_an_answers_fields_with_defaults_are_listed_as_always_there():
    # A field with a default may be left out of a body but is always in an answer: a
    # client generated from the description reads it as present, never "unset".
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    components = schema["components"]["schemas"]
    case = components["CaseDetailOut"]
    assert "deadline_flag" in case["required"]
    assert set(case["required"]) == set(case["properties"])
    intake = components["IntakeIn"]  # a body keeps its defaults optional
    assert "materials" not in intake["required"]
