"""R-SEC-2: under /api/ every answer Django gives on its own has the API's error shape: a
path that does not exist (404) and a method a path does not take (405, with its Allow
header); the pages keep their HTML error page."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_r_sec_2_api_unknown_path_and_method_answer_the_error_shape():
    client = Client()
    answer = client.get("/api/v1/no-such-thing")
    assert answer.status_code == 404
    assert answer.json() == {"code": "not_found", "message": "未找到该接口或记录。", "fields": {}}

    answer = client.delete("/api/v1/hall/ping")
    assert answer.status_code == 405
    assert answer.json()["code"] == "method_not_allowed"
    assert "GET" in answer["Allow"]

    # the API's own answers are left as they are
    answer = client.get("/api/v1/hall/ping")
    assert answer.status_code == 200 and "code" not in answer.json()

    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
