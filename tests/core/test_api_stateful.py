"""The API walked as a client walks it (R-SEC-2): schemathesis' state machine follows the
OpenAPI's links (``core/openapi_links.py``) from one answer to the next operation, issue
a ticket then call it, take a case in then accept it, list the complaints then dispatch
the first, signed in as a window clerk at the window they signed in to and as the
center's administrator. Every response must be no server error and keep its schema.

Each scenario runs in a transaction rolled back after it, so every scenario starts from
the same data: the small world of ``test_api_fuzz`` (or the Linxia demo with
``FUZZ_DEMO=1``) with the clerk signed in at a window and people waiting for it.
Path parameters a link does not fill and that name the caller's own place
(``center_id``, ``window_id``) are the caller's center and window: a clerk works there.
``FUZZ_SCENARIOS`` and ``FUZZ_STEPS`` set the size (4 scenarios of up to 15 steps per
caller in the suite; ``make fuzz`` runs more).
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from django.db import transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, initialize
from schemathesis import GenerationMode
from schemathesis.config._phases import InferenceConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.stateful.control import TransitionController
from schemathesis.generation.stateful.state_machine import StepInput

from onewindow.core.openapi_links import add_links
from onewindow.hall import services as hall_services
from onewindow.hall.models import ServiceCategory, Window, WindowSession
from tests.core.test_api_fuzz import CHECK_NAMES, _checks, api  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

SCENARIOS = int(os.environ.get("FUZZ_SCENARIOS", "4"))
STEPS = int(os.environ.get("FUZZ_STEPS", "15"))
WAITING = 4
STATEFUL_CALLERS = ("lxx-clerk", "lxx-admin", "lxx-approver", "machine")
# The security scheme each caller's credential answers to (core/api.py).
SCHEMES = {"machine": "ClientKey"}
# Where each caller's day starts, every scenario's start: a clerk calls the next person,
# an administrator or approver opens the cases in their scope, a terminal reads the
# catalog it shows.
FIRST = {
    "lxx-admin": "GET /api/v1/cases/",
    "lxx-approver": "GET /api/v1/cases/",
    "machine": "GET /api/v1/catalog/listings",
}


@pytest.fixture(scope="module")
def openapi(django_db_setup, django_db_blocker) -> dict:
    """The OpenAPI description as the application serves it, read once for the module."""
    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def _links(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for code, response in operation.get("responses", {}).items():
                for name, link in response.get("links", {}).items():
                    yield (path, method, operation, code), name, link


def _operations_by_id(schema: dict) -> dict:
    return {
        operation["operationId"]: (path, operation)
        for path, item in schema["paths"].items()
        for operation in item.values()
    }


def _resolve(schema: dict, node: dict, pointer: list[str]) -> bool:
    """Whether the JSON pointer's fields exist in the body schema ``node``."""
    components = schema["components"]["schemas"]
    for part in pointer:
        while "$ref" in node or "anyOf" in node:
            if "$ref" in node:
                node = components[node["$ref"].rsplit("/", 1)[1]]
            else:
                node = next(c for c in node["anyOf"] if c.get("type") != "null")
        if part.isdigit() and node.get("type") == "array":
            node = node["items"]
        elif part in node.get("properties", {}):
            node = node["properties"][part]
        else:
            return False
    return True


def test_r_sec_2_every_link_in_the_openapi_resolves(openapi):
    schema = openapi
    targets = _operations_by_id(schema)
    found = Counter()
    for (path, _method, operation, code), _name, link in _links(schema):
        found[operation["operationId"], link["operationId"]] += 1
        target_path, target = targets[link["operationId"]]
        declared = {p["name"]: p["in"] for p in target.get("parameters", [])}
        assert set(link["parameters"]) <= set(declared), link
        queried = {name for name in link["parameters"] if declared[name] == "query"}
        assert queried <= {"token"}, link  # only a credential the answer itself holds
        body = operation["responses"][code]["content"]["application/json"]["schema"]
        for expression in link["parameters"].values():
            if expression.startswith("$request.path."):
                assert "{" + expression.removeprefix("$request.path.") + "}" in path
            else:
                pointer = expression.removeprefix("$response.body#/").split("/")
                assert _resolve(schema, body, pointer), (path, expression)
    assert sum(found.values()) > 300
    # The life cycles a client follows, each reached from the step before.
    for source, target in [
        ("hall_api_issue_ticket", "hall_api_call_ticket"),
        ("hall_api_call_next", "hall_api_finish_ticket"),
        ("hall_api_start_ticket", "hall_api_finish_ticket"),
        ("cases_api_intake", "cases_api_accept"),
        ("cases_api_accept", "cases_api_start_review"),
        ("cases_api_start_review", "cases_api_decide"),
        ("cases_api_decide", "cases_api_deliver"),
        ("cases_api_list_cases", "cases_api_get_case"),
        ("complaints_api_complaint_register", "complaints_api_steps_dispatch"),
        ("complaints_api_steps_dispatch", "complaints_api_steps_answer"),
        ("cases_api_online_online_apply", "cases_api_online_online_update"),
    ]:
        assert found["onewindow_" + source, "onewindow_" + target] == 1, (source, target)
    # The window a ticket is called at is the one the call-next was made at.
    call_next = schema["paths"]["/api/v1/hall/windows/{window_id}/call-next"]["post"]
    finish = call_next["responses"]["200"]["links"]["onewindow_hall_api_finish_ticket"]
    assert finish["parameters"] == {
        "window_id": "$request.path.window_id",
        "ticket_id": "$response.body#/ticket/id",
    }
    # A terminal follows the ticket it issued: the progress read takes the ticket's
    # look-up token from the same answer; no other query parameter is filled in.
    issue = schema["paths"]["/api/v1/hall/centers/{center_id}/tickets"]["post"]
    status = issue["responses"]["201"]["links"]["onewindow_hall_api_ticket_status"]
    assert status["parameters"] == {
        "ticket_id": "$response.body#/id",
        "token": "$response.body#/token",
    }


# Path parameters no answer of the API hands over: the citizen's evaluation and
# follow-up tokens come in a text message.
UNLINKED = {("by-token", "token"), ("follow", "token")}


def test_r_sec_2_every_resource_in_a_path_is_reached_by_a_link(openapi):
    schema = openapi
    found = Counter()
    filled = set()
    for (_path, _method, operation, _code), _name, link in _links(schema):
        found[operation["operationId"], link["operationId"]] += 1
        filled |= {(link["operationId"], name) for name in link["parameters"]}
    unlinked = set()
    for path, item in schema["paths"].items():
        segments = path.strip("/").split("/")
        for operation in item.values():
            for before, segment in zip(segments, segments[1:], strict=False):
                name = segment[1:-1]
                if segment.startswith("{") and not before.startswith("{"):
                    if (operation["operationId"], name) not in filled:
                        unlinked.add((before, name))
    assert unlinked == UNLINKED
    # Collections named otherwise than where their members are made or shown.
    for source, target in [
        ("catalog_api_staff_request_change", "catalog_api_staff_decide_change_request"),
        ("catalog_api_staff_request_entry", "catalog_api_staff_decide_change_request"),
        ("oversight_api_staff_roster", "oversight_api_staff_person"),
        (
            "oversight_api_staff_writes_secondment_file",
            "oversight_api_staff_writes_secondment_decide",
        ),
        ("oversight_api_channels_channels", "oversight_api_channels_channels_public"),
        ("evaluation_api_spot_checks_spot_check", "evaluation_api_appeals_file_appeal"),
        ("portal_api_affairs", "portal_api_withdraw"),
        ("portal_api_affairs", "portal_api_consultation"),
        ("catalog_api_excel_excel_import_job_start", "catalog_api_excel_excel_import_job"),
    ]:
        assert found["onewindow_" + source, "onewindow_" + target] == 1, (source, target)


def test_r_sec_2_staff_answers_lead_to_staff_reads_not_the_citizens(openapi):
    schema = openapi
    targets = _operations_by_id(schema)
    answer = schema["paths"]["/api/v1/consultations/{inquiry_id}/answer"]["post"]
    links = answer["responses"]["200"]["links"]
    assert links["onewindow_complaints_api_inquiries_inquiry_get"]["parameters"] == {
        "inquiry_id": "$response.body#/id"
    }
    assert "onewindow_portal_api_consultation" not in links
    # No link joins operations no caller may call both of (a clerk's token, a citizen's
    # session): following one would be a 401 for whoever holds the answer.
    for (_path, _method, operation, _code), _name, link in _links(schema):
        source = {name for s in operation.get("security") or [{"": []}] for name in s}
        target = targets[link["operationId"]][1].get("security")
        if target and "" not in source:
            assert source & {name for s in target for name in s}, (operation, link)


def test_r_sec_2_an_operation_added_later_is_linked_without_a_word_for_it():
    def answer(code, ref):
        return {str(code): {"content": {"application/json": {"schema": {"$ref": ref}}}}}

    widget, page = "#/components/schemas/Widget", "#/components/schemas/WidgetPage"
    schema = {
        "components": {
            "schemas": {
                "Widget": {"type": "object", "properties": {"id": {}, "shop_id": {}}},
                "WidgetPage": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": {"$ref": widget}}},
                },
            }
        },
        "paths": {
            "/api/v9/shops/{shop_id}/widgets": {
                "get": {"operationId": "list", "responses": answer(200, page)},
                "post": {"operationId": "make", "responses": answer(201, widget)},
            },
            "/api/v9/shops/{shop_id}/widgets/{widget_id}/paint": {
                "post": {"operationId": "paint", "responses": answer(200, widget)}
            },
            "/api/v9/shops/{shop_id}/widgets/{widget_id}/sell": {
                "post": {"operationId": "sell", "responses": answer(200, widget)}
            },
            "/api/v9/other/widgets": {"post": {"operationId": "elsewhere", "responses": {}}},
        },
    }
    add_links(schema)
    ops = {op["operationId"]: op for item in schema["paths"].values() for op in item.values()}
    assert ops["make"]["responses"]["201"]["links"]["paint"]["parameters"] == {
        "shop_id": "$request.path.shop_id",
        "widget_id": "$response.body#/id",
    }
    assert ops["list"]["responses"]["200"]["links"]["sell"]["parameters"] == {
        "shop_id": "$request.path.shop_id",
        "widget_id": "$response.body#/items/0/id",
    }
    assert set(ops["paint"]["responses"]["200"]["links"]) == {"sell"}
    assert "links" not in ops["elsewhere"]["responses"]


def test_r_sec_2_a_collection_named_otherwise_is_linked_by_its_members_shape():
    def answer(code, ref):
        return {str(code): {"content": {"application/json": {"schema": {"$ref": ref}}}}}

    staff, citizen = [{"BearerToken": []}], [{"CitizenSession": []}]
    widget, page = "#/components/schemas/Widget", "#/components/schemas/WidgetPage"
    schema = {
        "components": {
            "schemas": {
                "Widget": {"type": "object", "properties": {"id": {}}},
                "WidgetPage": {
                    "type": "object",
                    "properties": {"items": {"type": "array", "items": {"$ref": widget}}},
                },
            }
        },
        "paths": {
            "/api/v9/shops/widgets": {
                "get": {"operationId": "list", "responses": answer(200, page), "security": staff}
            },
            "/api/v9/shops/{shop_id}/orders": {
                "post": {
                    "operationId": "order",
                    "responses": answer(201, widget),
                    "security": staff,
                }
            },
            "/api/v9/shops/widgets/{widget_id}/paint": {
                "post": {"operationId": "paint", "responses": {}, "security": staff}
            },
            "/api/v9/mine/widgets/{widget_id}": {
                "get": {
                    "operationId": "mine",
                    "responses": {},
                    "security": citizen,
                }
            },
        },
    }
    add_links(schema)
    ops = {op["operationId"]: op for item in schema["paths"].values() for op in item.values()}
    # An order makes a widget (the shape the widgets' list holds); the citizen's read of
    # a widget is not for the staff caller who ordered it.
    assert set(ops["order"]["responses"]["201"]["links"]) == {"paint"}
    assert ops["order"]["responses"]["201"]["links"]["paint"]["parameters"] == {
        "widget_id": "$response.body#/id"
    }


def _open_hall(user, admin) -> dict:
    """The clerk's center with a window they are signed in at and people waiting."""
    center = user.staff_profile.center
    session = WindowSession.objects.filter(clerk=user, signed_out_at__isnull=True).first()
    window = session.window if session else None
    if window is None:
        busy = WindowSession.objects.filter(signed_out_at__isnull=True).values("window_id")
        window = Window.objects.filter(center=center, is_active=True).exclude(pk__in=busy).first()
    if window is None:
        window = Window.objects.create(center=center, number=99)
    category = window.categories.filter(is_active=True).first()
    if category is None:
        category = ServiceCategory.objects.create(center=center, letter="Z", name="综合受理")
        hall_services.window_set_categories(actor=admin, window=window, categories=[category])
    hall_services.window_sign_in(actor=user, window=window)
    for _ in range(WAITING):
        hall_services.ticket_issue(center=center, category=category)
    return {"center_id": center.pk, "window_id": window.pk}


def _callable(schema, scheme: str) -> frozenset:
    """The operations a caller with a credential of ``scheme`` can call: those whose
    security lists the scheme, and the public ones."""
    labels = set()
    for operation in (result.ok() for result in schema.get_all_operations()):
        security = operation.definition.raw.get("security")
        if not security or any(scheme in requirement for requirement in security):
            labels.add(operation.label)
    return frozenset(labels)


def _starts(schema, places: dict, callable_: frozenset) -> list:
    """The operations that hand over a resource and need no identifier but the caller's
    own place."""
    machine = schema.as_state_machine()
    sources = {label for label, t in machine._transitions.operations.items() if t.outgoing}
    return [
        operation
        for operation in (result.ok() for result in schema.get_all_operations())
        if operation.label in sources & callable_ and _at_own_place(operation, places)
    ]


def _at_own_place(operation, places: dict) -> bool:
    """A list (a GET without an identifier), or any operation on the caller's place."""
    names = {p.name for p in operation.path_parameters}
    return names <= set(places) and (bool(names) or operation.method == "get")


class _FollowFirst(TransitionController):
    """A client follows what it got before it looks again, and starts from where it
    stands (``starts``): no new start while a link can be followed from an answer at
    hand, and guessing an identifier only when no start is left."""

    __slots__ = ()
    starts: frozenset = frozenset()
    callable_: frozenset = frozenset()

    def allow_transition(self, source, target) -> bool:
        return target in self.callable_ and super().allow_transition(source, target)

    def allow_root_transition(self, source, bundles) -> bool:
        if source not in self.callable_ or _can_follow(self, bundles):
            return False
        allowed = super().allow_root_transition
        if source in self.starts:
            return allowed(source, bundles)
        return allowed(source, bundles) and not any(
            allowed(start, bundles) for start in self.starts & set(self.roots)
        )


def _first(caller: str, label: str) -> bool:
    if caller in FIRST:
        return label == FIRST[caller]
    return label.endswith("/call-next")


def _can_follow(control, bundles) -> bool:
    """Whether a link can be followed from an answer at hand."""
    operations = control.transitions.operations
    return any(
        control.allow_transition(label, link.target.label)
        for name, values in bundles.items()
        if values
        for label in control.transitions.producer_labels_for_bundle(name)
        for link in operations[label].outgoing
    )


def _walk(api, caller: str, places: dict) -> tuple[list[str], Counter]:
    """The state machine run as ``caller``; returns the failures and the step counts.
    Only the schema's own links are followed (schemathesis infers none of its own)."""
    api.schema.config.phases.stateful.inference = InferenceConfig(algorithms=[])
    checks, failures, counts = _checks(CHECK_NAMES), [], Counter()
    # Every scenario starts where the caller's day does (a clerk's: calling the next
    # person), then goes on from any start once nothing is left to follow.
    callable_ = _callable(api.schema, SCHEMES.get(caller, "BearerToken"))
    own = sorted(_starts(api.schema, places, callable_), key=lambda op: op.label)
    follow_first = type(
        "Walking",
        (_FollowFirst,),
        {
            "__slots__": (),
            "starts": frozenset(operation.label for operation in own),
            "callable_": callable_,
        },
    )
    day = [operation for operation in own if _first(caller, operation.label)]
    starts = st.sampled_from(day or own).flatmap(
        lambda operation: operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
    )

    class Walk(api.schema.as_state_machine()):
        @initialize(target=Bundle("catch_all"), case=starts)
        def start_from_my_own(self, case):
            """Each scenario starts where the caller's day does: their list, their
            window."""
            step = StepInput.initial(case)
            self.recorder.record_case(case=case)
            self.control.record_step(step, self.recorder)
            return self._step(step)

        def __init__(self):
            super().__init__()
            self.control.__class__ = follow_first

        def setup(self):
            self._scenario = transaction.atomic()
            self._scenario.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self._scenario.__exit__(None, None, None)

        def step(self, input):
            linked = {
                name for where, name in input.applied_parameters if where is ParameterLocation.PATH
            }
            for name, value in places.items():
                if name in input.case.path_parameters and name not in linked:
                    input.case.path_parameters[name] = value
            if input.transition is None and _first(caller, input.case.operation.label):
                input.case.query = {}  # the day's list, opened as it opens: no filter
            output = super().step(input)
            followed = input.transition is not None and input.is_applied
            counts["followed" if followed else "root"] += 1
            if followed and output.response.status_code < 400:
                counts["followed past 4xx"] += 1
            return output

        def get_call_kwargs(self, case):
            return {"headers": api.headers[caller]}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            try:
                case.validate_response(response, checks=checks)
            except (AssertionError, BaseExceptionGroup) as failure:
                first = str(failure).strip().splitlines()[0]
                failures.append(f"{caller} {case.operation.label}: {first}")

    Walk.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
    return failures, counts


@pytest.mark.parametrize("caller", STATEFUL_CALLERS)
@override_settings(ONEWINDOW_HALL_ENFORCE_HOURS=False)
def test_r_sec_2_linked_walks_have_no_server_error_and_keep_their_schema(api, caller):
    with transaction.atomic():
        places = _open_hall(api.users["lxx-clerk"], api.users["lxx-admin"])
        failures, counts = _walk(api, caller, places)
        transaction.set_rollback(True)
    assert failures == []
    # The walk chains operations: some steps took their path from an earlier answer and
    # got past the 4xx a guessed identifier gets.
    assert counts["followed past 4xx"] > 0, counts


@override_settings(ONEWINDOW_HALL_ENFORCE_HOURS=False)
def test_r_sec_2_a_terminal_follows_its_own_ticket_by_the_link(api, openapi):
    """The link from a ticket's issue to its progress read, applied to a real answer as
    a client applies it, reaches the ticket (its look-up token included) as the terminal
    that issued it; the same read without the token is refused."""
    issue = openapi["paths"]["/api/v1/hall/centers/{center_id}/tickets"]["post"]
    link = issue["responses"]["201"]["links"]["onewindow_hall_api_ticket_status"]
    machine = Client(headers=api.headers["machine"])
    with transaction.atomic():
        places = _open_hall(api.users["lxx-clerk"], api.users["lxx-admin"])
        category = ServiceCategory.objects.filter(center_id=places["center_id"]).first()
        made = machine.post(
            f"/api/v1/hall/centers/{places['center_id']}/tickets",
            {"category": category.letter},
            content_type="application/json",
        )
        assert made.status_code == 201, made.content
        body = made.json()
        values = {
            name: body[expression.removeprefix("$response.body#/")]
            for name, expression in link["parameters"].items()
        }
        ticket_id = values.pop("ticket_id")
        followed = machine.get(f"/api/v1/hall/tickets/{ticket_id}", values)
        unheld = machine.get(f"/api/v1/hall/tickets/{ticket_id}")
        transaction.set_rollback(True)
    assert followed.status_code == 200, followed.content
    assert followed.json()["code"] == body["code"]
    assert unheld.status_code == 404 and unheld.json()["code"] == "ticket.not_found"
