"""A flush that empties only what holds rows (PostgreSQL).

Django empties the database after every committing test (``TransactionTestCase``,
``django_db(transaction=True)``, ``transactional_db``) with one ``TRUNCATE`` of every
table; on PostgreSQL a ``TRUNCATE`` gives each table and each of its indexes new files,
and for some 135 tables that is seconds per test. Here one query asks which tables hold
a row; those are emptied by ``DELETE`` (the foreign keys are deferred to the commit, so
the order does not matter and the empty tables that point at them need not be touched).
A table whose triggers refuse ``DELETE`` (the append-only audit trail) is truncated, with
every table that points at it, as Django would. The result is the same: every table
empty, no sequence moved (Django's teardown flush does not reset them). A flush asked to
reset the sequences (``onewindow flush``) is Django's own.
"""

from __future__ import annotations

from django.db.backends.postgresql.operations import DatabaseOperations

_django_sql_flush = DatabaseOperations.sql_flush


def _holding_rows(cursor, tables: list[str]) -> set[str]:
    """The tables of ``tables`` that hold at least one row (one query)."""
    if not tables:
        return set()
    union = " UNION ALL ".join(
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {_quote(t)})" for t in tables
    )
    cursor.execute(union, tables)
    return {row[0] for row in cursor.fetchall()}


def _refusing_delete(cursor, tables: list[str]) -> set[str]:
    """The tables with a trigger of their own that fires on ``DELETE``."""
    cursor.execute(
        "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
        " WHERE NOT t.tgisinternal AND (t.tgtype & 8) <> 0 AND c.relname = ANY(%s)",
        [tables],
    )
    return {row[0] for row in cursor.fetchall()}


def _with_referrers(cursor, start: set[str]) -> set[str]:
    """``start`` and every table that points at one of them, at any depth (a TRUNCATE
    must name them all)."""
    cursor.execute(
        "SELECT r.relname, t.relname FROM pg_constraint k"
        " JOIN pg_class r ON r.oid = k.conrelid JOIN pg_class t ON t.oid = k.confrelid"
        " WHERE k.contype = 'f'"
    )
    referrers: dict[str, set[str]] = {}
    for referrer, target in cursor.fetchall():
        referrers.setdefault(target, set()).add(referrer)
    found, todo = set(start), list(start)
    while todo:
        for referrer in referrers.get(todo.pop(), ()):
            if referrer not in found:
                found.add(referrer)
                todo.append(referrer)
    return found


def _quote(name: str) -> str:
    return '"{}"'.format(name.replace('"', '""'))


def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences or allow_cascade or not tables:
        return _django_sql_flush(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    tables = list(tables)
    with self.connection.cursor() as cursor:
        full = _holding_rows(cursor, tables)
        truncate = _refusing_delete(cursor, sorted(full))
        if truncate:
            truncate = _with_referrers(cursor, truncate) & set(tables)
    statements = []
    if truncate:
        statements.append("TRUNCATE {};".format(", ".join(_quote(t) for t in sorted(truncate))))
    statements += [f"DELETE FROM {_quote(t)};" for t in sorted(full - truncate)]
    # Django's flush tells the apps the database was migrated again (post_migrate) only
    # when it ran something; so does this one, even when every table was empty already.
    return statements or ["SELECT 1;"]


def install() -> None:
    """From now on this process flushes PostgreSQL databases as above."""
    DatabaseOperations.sql_flush = sql_flush
