"""The catalog search index: what is written, and when (see ``catalog.search`` for how
it is read). One document per matter: its segmented words and pinyin by field, its exact
forms, and its scope (where it is offered, from its public listings). Written by the
services in the transaction of the change, rebuilt by ``onewindow rebuild-search-index``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection as default_connection
from django.db.models import QuerySet

from onewindow.catalog import search_cache, segment
from onewindow.catalog.models import Listing, Matter

SQLITE_TABLE = "catalog_search_fts"
SQLITE_SCOPE = "catalog_search_scope"
PG_TABLE = "catalog_search_document"
PG_CLASS = {"name": "A", "keywords": "B", "body": "C", "materials": "D"}
MAX_POSITION = 16383


def matter_document(matter) -> segment.Document:
    """The search document of a matter from its published guide (works on historical
    models in migrations too: only fields and relations are read)."""
    version = matter.current_version if matter.current_version_id else None
    body = [matter.domain, matter.line.name, matter.department.name]
    materials: list[str] = []
    if version is not None:
        body.append(version.result)
        materials = [m.name for m in version.materials.all()]
    return segment.document(
        name=matter.name, keywords=matter.keywords, body=body, materials=materials
    )


def exact_forms(matter) -> list[str]:
    """What a query typed in full must equal to put the matter first: its name (without
    spaces), the name's pinyin initials and full pinyin, its code."""
    forms = [
        segment.normalize(matter.name).replace(" ", ""),
        segment.initials(matter.name),
        segment.full_pinyin(matter.name),
        segment.normalize(matter.code).replace(" ", ""),
    ]
    return list(dict.fromkeys(f for f in forms if f))


def scope_tokens(listings: Iterable[tuple[int, int, str]]) -> list[str]:
    """Where a matter is offered, from its public listings (center, department, the
    center's region path): the tokens a scoped query asks the index for."""
    tokens: dict[str, None] = {}
    for center_id, department_id, path in listings:
        tokens.update(dict.fromkeys([f"c{center_id}", f"d{department_id}"]))
        tokens[f"c{center_id}x{department_id}"] = None
        tokens.update(dict.fromkeys(f"r{code}" for code in (path or "").split("/") if code))
    return list(tokens)


def _scopes(matter_ids: list[int]) -> dict[int, list[str]]:
    """The scope tokens of these matters, in one read of their public listings."""
    rows: dict[int, list[tuple[int, int, str]]] = {pk: [] for pk in matter_ids}
    for matter_id, *row in (
        Listing.objects.public()
        .filter(matter_id__in=matter_ids)
        .order_by("matter_id", "center_id")
        .values_list("matter_id", "center_id", "department_id", "center__region__path")
    ):
        rows[matter_id].append(tuple(row))
    return {pk: scope_tokens(listings) for pk, listings in rows.items()}


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(doc: segment.Document, exact: list[str]) -> str:
    """The weighted tsvector of a document, as text PostgreSQL casts without a parser."""
    parts, position = [], 0
    for name in segment.Document.FIELDS:
        for token in getattr(doc, name):
            position = min(position + 1, MAX_POSITION)
            parts.append(f"{_quote(token)}:{position}{PG_CLASS[name]}")
    for form in exact:
        position = min(position + 1, MAX_POSITION)
        parts.append(f"{_quote('=' + form)}:{position}D")
    return " ".join(parts)


Row = tuple[int, segment.Document, list[str], list[str]]  # id, document, exact, scope


def _write(connection, rows: Iterable[Row]) -> int:
    rows = list(rows)
    if not rows:
        return 0
    search_cache.catalog_changed(connection.alias)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                f"INSERT INTO {PG_TABLE} (matter_id, name, keywords, body, materials, scope, "
                "document) VALUES (%s, %s, %s, %s, %s, %s::tsvector, %s::tsvector) "
                "ON CONFLICT (matter_id) DO UPDATE SET name = EXCLUDED.name, "
                "keywords = EXCLUDED.keywords, body = EXCLUDED.body, materials = EXCLUDED.materials, "
                "scope = EXCLUDED.scope, document = EXCLUDED.document",
                [
                    (
                        pk,
                        *doc.as_text().values(),
                        " ".join(_quote(t) for t in scope),
                        tsvector_literal(doc, exact),
                    )
                    for pk, doc, exact, scope in rows
                ],
            )
            return len(rows)
        ids = [(pk,) for pk, *_ in rows]
        cursor.executemany(f"DELETE FROM {SQLITE_TABLE} WHERE rowid = %s", ids)
        cursor.executemany(f"DELETE FROM {SQLITE_SCOPE} WHERE matter_id = %s", ids)
        cursor.executemany(
            f"INSERT INTO {SQLITE_TABLE} (rowid, name, keywords, body, materials, exact) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [(pk, *doc.as_text().values(), " ".join(exact)) for pk, doc, exact, _ in rows],
        )
        cursor.executemany(
            f"INSERT INTO {SQLITE_SCOPE} (token, matter_id) VALUES (%s, %s)",
            [(token, pk) for pk, _, _, scope in rows for token in scope],
        )
    return len(rows)


def _rows(matters: list[Matter]) -> list[Row]:
    scopes = _scopes([m.pk for m in matters])
    return [(m.pk, matter_document(m), exact_forms(m), scopes[m.pk]) for m in matters]


def search_index_matter(matter: Matter) -> None:
    """Bring a matter's document and scope up to date; called by the services, in their
    transaction, when a matter is created, a guide version published, a listing entered,
    changed or cancelled."""
    search_index_matters([matter.pk])


def search_index_matters(matter_ids: Iterable[int]) -> int:
    """The same for several matters (a center deactivated or moved: all it lists)."""
    return rebuild_search_index(matters=Matter.objects.filter(pk__in=list(matter_ids)))


def search_index_scopes(matter_ids: Iterable[int]) -> int:
    """Bring where these matters are offered up to date (a listing entered, changed or
    cancelled, a center deactivated or moved): only their scope is written again, their
    words are what they were. A matter with no document yet is indexed in full."""
    ids = sorted(set(matter_ids))
    if not ids:
        return 0
    connection = default_connection
    table, key = (
        (PG_TABLE, "matter_id") if connection.vendor == "postgresql" else (SQLITE_TABLE, "rowid")
    )
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key} FROM {table} WHERE {key} IN ({marks})", ids)
        indexed = sorted(row[0] for row in cursor.fetchall())
    missing = sorted(set(ids) - set(indexed))
    if missing:
        search_index_matters(missing)
    if not indexed:
        return len(missing)
    search_cache.catalog_changed(connection.alias)
    scopes = _scopes(indexed)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                f"UPDATE {PG_TABLE} SET scope = %s::tsvector WHERE matter_id = %s",
                [(" ".join(_quote(t) for t in scopes[pk]), pk) for pk in indexed],
            )
        else:
            cursor.executemany(
                f"DELETE FROM {SQLITE_SCOPE} WHERE matter_id = %s", [(pk,) for pk in indexed]
            )
            cursor.executemany(
                f"INSERT INTO {SQLITE_SCOPE} (token, matter_id) VALUES (%s, %s)",
                [(token, pk) for pk in indexed for token in scopes[pk]],
            )
    return len(missing) + len(indexed)


def rebuild_search_index(
    *, matters: QuerySet | None = None, connection=None, batch: int = 500
) -> int:
    """Rebuild the whole index (or ``matters`` only). Returns the number of documents."""
    connection = connection or default_connection
    search_cache.catalog_changed(connection.alias)
    if matters is None:
        matters = Matter.objects.all()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DELETE FROM {PG_TABLE}")
            else:
                cursor.execute(f"DELETE FROM {SQLITE_TABLE}")
                cursor.execute(f"DELETE FROM {SQLITE_SCOPE}")
    matters = (
        matters.select_related("line", "department", "current_version")
        .prefetch_related("current_version__materials")
        .order_by("pk")
    )
    total, last = 0, 0
    while True:
        chunk = list(matters.filter(pk__gt=last)[:batch])
        if not chunk:
            return total
        total += _write(connection, _rows(chunk))
        last = chunk[-1].pk


def prune_orphans(connection=None) -> None:
    """Drop documents whose matter is gone. The index tables sit outside Django's
    models, so a flush (test resets, `onewindow flush`) empties the catalog but not
    them; this runs after every migrate and flush so no stale document can match."""
    connection = connection or default_connection
    tables = (
        [(PG_TABLE, "matter_id")]
        if connection.vendor == "postgresql"
        else [(SQLITE_TABLE, "rowid"), (SQLITE_SCOPE, "matter_id")]
    )
    present = set(connection.introspection.table_names())
    if not all(table in present for table, _ in tables):
        return
    search_cache.catalog_changed(connection.alias)
    with connection.cursor() as cursor:
        for table, key in tables:
            cursor.execute(
                f"DELETE FROM {table} WHERE {key} NOT IN (SELECT id FROM catalog_matter)"
            )
