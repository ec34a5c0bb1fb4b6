"""R-SEC-2: every paging parameter of every API list is bounded. A huge, negative or
non-numeric limit, offset or page answers 4xx in the error shape ``{code, message,
fields}`` and never reaches the database (an offset past 64 bits was a 500)."""

from __future__ import annotations

import pytest

PAGING = {"limit", "offset", "page", "page_size", "per_page"}
BAD = ["36893488147419103233", "9223372036854775808", "-1", "abc", "1.5", ""]


def _list_endpoints() -> list[tuple[str, str]]:
    from onewindow.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    found = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None or "{" in path:
            continue
        names = {p["name"] for p in get.get("parameters", []) if p.get("in") == "query"}
        found += [(path, name) for name in sorted(names & PAGING)]
    return found


ENDPOINTS = _list_endpoints()


def test_every_paged_list_is_checked():
    paths = {path for path, _ in ENDPOINTS}
    assert "/api/v1/catalog/matters" in paths and "/api/v1/cases/" in paths
    assert len(paths) >= 8, paths


def _sign_in(client, root, path: str) -> None:
    """Staff lists as the superuser; the citizen's lists as a citizen of the portal."""
    if not path.startswith("/api/v1/citizen/"):
        client.force_login(root)
        return
    from onewindow.portal.citizens import services

    password = "Linxia-citizen-2026"
    services.citizen_register(
        phone="13800001111", name="马阿丽", id_number="622921199203040029", password=password
    )
    response = client.post("/my/login/", {"phone": "13800001111", "password": password})
    assert response.status_code == 302


@pytest.mark.parametrize(("path", "param"), ENDPOINTS)
def test_r_sec_2_paging_parameters_are_bounded(client, root, path, param):
    _sign_in(client, root, path)
    for value in BAD:
        response = client.get(path, {param: value})
        assert 400 <= response.status_code < 500, (path, param, value, response.status_code)
        body = response.json()
        assert body["code"] and body["message"], body
    assert client.get(path, {param: "1"}).status_code == 200
