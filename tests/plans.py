"""The plan a database makes for a statement, to check which index it can read."""

from __future__ import annotations

from django.db import connection, transaction


def index_plan(sql: str, params) -> str:
    """The plan of ``sql``: on PostgreSQL with sequential scans forbidden (a test's tiny
    table is cheaper to scan, which would hide the index a plan can use), on SQLite its
    ``EXPLAIN QUERY PLAN``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(f"EXPLAIN {sql}", params)
                return "\n".join(r[0] for r in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(r[-1]) for r in cursor.fetchall())
