"""The whole API fuzzed from its own OpenAPI description (R-SEC-2).

Schemathesis reads ``/api/v1/openapi.json`` from the application itself and generates
requests for every operation, valid ones (positive) and invalid ones (negative), signed
in as each kind of caller: nobody, a window clerk, a back-office approver, a center
administrator and a machine client of the county. Every response must be no server
error, carry the content type and shape the schema promises, and an invalid request
must be refused with a 4xx. Each request runs in a savepoint rolled back after it, so
every request sees the same data.

The data is a small world built once for the module (``tests/oversight/world.py``:
the prefecture's network, two published matters listed at 临夏县, an applicant, cases
in several states, reviews and complaints), so every operation meets real rows of each
kind at a fraction of the demo's cost. ``FUZZ_DEMO=1`` fuzzes the Linxia demo instead
(``make fuzz`` does, with its Linxia accounts). ``FUZZ_EXAMPLES`` sets the examples per
operation, caller and mode (2 in the suite; ``make fuzz`` runs 25).
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis import checks as known_checks

from onewindow.core.tokens import api_client_create, api_token_create
from onewindow.org.models import Region
from tests.oversight.world import build

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
ON_DEMO = os.environ.get("FUZZ_DEMO", "") not in ("", "0")
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CALLERS = ("anonymous", "lxx-clerk", "lxx-approver", "lxx-admin", "machine")
CHECK_NAMES = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
NEGATIVE_CHECK_NAMES = ("not_a_server_error", "negative_data_rejection")


def _checks(names):
    known_checks.load_all_checks()
    return [getattr(known_checks, name) for name in names]


@pytest.fixture(scope="module")
def api(request, django_db_setup, django_db_blocker):
    """The schema read from the running application and a header set per caller."""
    # As Django's test client does: the application must not close the connection that
    # holds the module's transaction at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        if ON_DEMO:
            request.getfixturevalue("demo_opened")
            with django_db_blocker.unblock():
                users = get_user_model().objects
                yield _api(
                    {c: users.get(username=c) for c in CALLERS[1:-1]},
                    admin=users.get(username="admin"),
                    region=Region.objects.get(code="622921"),
                )
        else:
            with (
                django_db_blocker.unblock(),
                override_settings(PASSWORD_HASHERS=FAST_HASHERS),
                transaction.atomic(),
            ):
                root = get_user_model().objects.create_superuser("fuzz-root", password="x")
                n = build(root)
                people = {"lxx-clerk": n.clerk, "lxx-approver": n.approver}
                yield _api({**people, "lxx-admin": n.county_admin}, admin=root, region=n.linxia)
                transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _api(people: dict, *, admin, region) -> SimpleNamespace:
    headers = {"anonymous": {}}
    for caller, user in people.items():
        _, key = api_token_create(actor=user, name="fuzz")
        headers[caller] = {"Authorization": f"Bearer {key}"}
    _, key = api_client_create(actor=admin, name="fuzz", region=region)
    headers["machine"] = {"X-Api-Key": key}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    return SimpleNamespace(schema=schema, headers=headers, users=people)


def _fuzz(api, caller: str, mode: GenerationMode, check_names) -> list[str]:
    """Every operation fuzzed as ``caller``; returns the failures found, one line each."""
    checks = _checks(check_names)
    failures: list[str] = []
    for result in api.schema.get_all_operations():
        operation = result.ok()
        examples = _examples_for(operation, caller, mode)
        if not examples:
            continue
        try:
            _fuzz_operation(api, operation, caller, mode, checks, failures, examples)
        except Unsatisfiable:
            continue
    return failures


def _examples_for(operation, caller: str, mode: GenerationMode) -> int:
    """Nobody signed in is refused by a secured operation before its input is read: one
    valid request shows the refusal (401, in the error shape); invalid input is fuzzed
    only where it is read, on the public operations. Every caller that signs in gets the
    full count."""
    if caller != "anonymous" or not operation.definition.raw.get("security"):
        return EXAMPLES
    return 1 if mode == GenerationMode.POSITIVE else 0


def _fuzz_operation(api, operation, caller, mode, checks, failures: list[str], examples) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        with transaction.atomic():
            try:
                case.call_and_validate(headers=api.headers[caller], checks=checks)
            except AssertionError as failure:
                first = str(failure).strip().splitlines()[0]
                failures.append(f"{caller} {operation.label}: {first}")
            finally:
                transaction.set_rollback(True)

    run()


@pytest.mark.parametrize("caller", CALLERS)
def test_r_sec_2_fuzzed_api_has_no_server_error_and_keeps_its_schema(api, caller):
    failures = _fuzz(api, caller, GenerationMode.POSITIVE, CHECK_NAMES)
    assert failures == []


@pytest.mark.parametrize("caller", ("anonymous", "lxx-admin"))
def test_r_sec_2_fuzzed_bad_input_is_refused_with_a_4xx(api, caller):
    failures = _fuzz(api, caller, GenerationMode.NEGATIVE, NEGATIVE_CHECK_NAMES)
    assert failures == []
