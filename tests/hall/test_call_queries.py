"""What one request of the hall's hot path costs in statements (R-HALL-2): issuing a
ticket, calling the next one and finishing it over the API, with the caller's token
and key already remembered (as on a busy server)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.hall.test_api import BASE, bearer, issue, post, terminal  # noqa: F401

pytestmark = pytest.mark.django_db

# Statements a request takes (savepoints not counted). Issue: center, category, the
# rollup's stripe, the day's number, ticket, audit, then the rules and the count for its
# place. Call-next: window (scope), who sits there with the policy and categories, the
# heads, the window locked, the ticket locked and moved (one UPDATE … RETURNING on
# PostgreSQL, a locking read and an update elsewhere), audited, then the messages
# outbox's look for the ticket now three ahead (one read of the queue's head, with the
# call's policy). Finish: window (scope), ticket (scope), window locked, ticket locked,
# rollup, moved, audited. On PostgreSQL the rollup's statement appends a row folded at
# the commit, and the hot reads are prepared once per connection (``EXECUTE``).
LIMITS = {"issue": 8, "call-next": 8, "finish": 7}


def _statements(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]


def test_r_hall_2_issue_call_next_and_finish_take_a_few_statements(client, hall, terminal):  # noqa: F811
    clerk = bearer(hall.clerk2)
    path = f"/windows/{hall.w2.pk}"
    for _ in range(3):  # warm: the token, the key and the scope are remembered
        issue(client, hall, terminal)
        called = post(client, f"{path}/call-next", clerk).json()["ticket"]
        post(client, f"{path}/tickets/{called['id']}/finish", clerk)
    issue(client, hall, terminal)
    counts = {}
    with CaptureQueriesContext(connection) as queries:
        assert issue(client, hall, terminal).status_code == 201
    counts["issue"] = _statements(queries)
    with CaptureQueriesContext(connection) as queries:
        response = post(client, f"{path}/call-next", clerk)
    counts["call-next"] = _statements(queries)
    ticket = response.json()["ticket"]
    assert ticket["code"] == "A004"
    with CaptureQueriesContext(connection) as queries:
        assert post(client, f"{path}/tickets/{ticket['id']}/finish", clerk).status_code == 200
    counts["finish"] = _statements(queries)
    for op, sql in counts.items():
        print(f"\n{op}: {len(sql)}\n  " + "\n  ".join(s[:160] for s in sql))
    limits = {**LIMITS, "call-next": LIMITS["call-next"] - (connection.vendor == "postgresql")}
    assert {op: len(sql) for op, sql in counts.items()} == limits
