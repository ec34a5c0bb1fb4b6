"""Row locks for services: lock before you check.

``for_update(qs)`` is ``SELECT … FOR UPDATE OF <the model's own table>`` with the
model's default ordering removed. Both matter on PostgreSQL: a default ordering on a
related field (tickets ordered by category, then center, then region) joins those
tables, and a plain FOR UPDATE would then lock the joined category, center and region
rows too — rows that every insert referencing them must share-lock, which deadlocks
busy windows against terminals.
"""

from __future__ import annotations

from django.db.models import Manager, QuerySet


def for_update(source: QuerySet | Manager) -> QuerySet:
    queryset = source.all() if isinstance(source, Manager) else source
    return queryset.select_for_update(of=("self",)).order_by()
