"""The flush after a committing test: only what holds rows emptied (PostgreSQL), and
what ``post_migrate`` fills again left alone when it is as ``post_migrate`` left it.

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

On both databases most of a flush's time was ``post_migrate`` filling again what the
flush had just emptied: the content types, the permissions and the role groups (some
1,000 rows, 0.15 s of CPU on SQLite). After the first flush of a database those four
tables are read back; a later flush that finds them holding exactly those rows (ids
included) empties every other table and sends ``post_migrate`` to every receiver but
the three that fill them, which would find nothing to do. Anything else (a group or a
permission a test committed, a content type gone) and the flush is the full one.
"""

from __future__ import annotations

import weakref

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.core.management.color import no_style
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections
from django.db.backends.postgresql.operations import DatabaseOperations
from django.db.models.signals import post_migrate
from django.dispatch import Signal

from onewindow.org.signals import ensure_role_groups

REFILLED = ("django_content_type", "auth_permission", "auth_group", "auth_group_permissions")
REFILLING = (create_contenttypes, create_permissions, ensure_role_groups)
_django_handle = FlushCommand.handle
_refilled: dict[tuple[str, str], list] = {}

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


def _refilled_rows(connection) -> list:
    """Every row of the four tables ``post_migrate`` fills, in the order of their ids."""
    with connection.cursor() as cursor:
        rows = []
        for table in REFILLED:
            cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY 1")
            rows.append(cursor.fetchall())
    return rows


def _receiver(entry):
    target = entry[1]
    return target() if isinstance(target, weakref.ReferenceType) else target


def _post_migrate_but_refilling(database: str, verbosity: int) -> None:
    """``post_migrate`` sent as Django sends it after a flush, to every receiver but
    those of ``REFILLING``."""
    rest = Signal()
    rest.receivers = [r for r in post_migrate.receivers if _receiver(r) not in REFILLING]
    for app_config in apps.get_app_configs():
        if app_config.models_module is not None:
            rest.send(
                sender=app_config,
                app_config=app_config,
                verbosity=verbosity,
                interactive=False,
                using=database,
            )


def handle(self, **options):
    """The teardown flush of a committing test (no reset of sequences, no cascade,
    ``post_migrate`` sent): the four refilled tables kept when they hold what the last
    full flush of this database left in them; any other flush is Django's."""
    if (
        options.get("reset_sequences", True)
        or options.get("allow_cascade", False)
        or options.get("inhibit_post_migrate", False)
        or options.get("interactive", True)
    ):
        return _django_handle(self, **options)
    database = options["database"]
    connection = connections[database]
    key = (connection.vendor, str(connection.settings_dict["NAME"]))
    if _refilled.get(key) != _refilled_rows(connection):
        _django_handle(self, **options)
        _refilled[key] = _refilled_rows(connection)
        return
    tables = [
        t
        for t in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if t not in REFILLED
    ]
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
    _post_migrate_but_refilling(database, options.get("verbosity", 1))


def install() -> None:
    """From now on this process flushes PostgreSQL databases as above, and the teardown
    flush keeps the refilled tables when it may (both databases)."""
    DatabaseOperations.sql_flush = sql_flush
    FlushCommand.handle = handle
