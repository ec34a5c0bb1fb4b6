"""The OpenAPI description is exact enough for a generated client: every body and
answer has its own named schema, and every operation documents the error shape."""

from __future__ import annotations

from collections import Counter

from ninja import Schema

from onewindow.api import api


def _schemas(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _schemas(sub)


def test_every_api_schema_has_a_name_of_its_own():
    # Two classes of one name share one component in the description: a client built
    # from it would send one operation's body to the other.
    names = Counter(c.__name__ for c in _schemas(Schema) if c.__module__.startswith("onewindow."))
    assert [name for name, n in names.items() if n > 1] == []


def test_every_operation_documents_the_error_shape_and_its_answers():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "message", "fields"]
    operations = [
        (path, method, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert len(operations) > 100
    for path, method, op in operations:
        errors = op["responses"].get("4XX") or {}
        ref = errors.get("content", {}).get("application/json", {}).get("schema", {})
        assert ref == {"$ref": "#/components/schemas/Error"}, (method, path)
        assert any(str(code).startswith("2") for code in op["responses"]), (method, path)
