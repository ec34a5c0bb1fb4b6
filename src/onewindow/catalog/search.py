"""Catalog search: one search document per matter, a full-text index to find candidates,
one ranking in Python for every database (R-CAT-9: the same answer on every channel).

The document of a matter holds pre-segmented tokens (see ``segment``) in four fields:
name, keywords, body (domain, department line and body, result) and the material names
of its published guide. Drafts never reach the index.

- SQLite: an FTS5 virtual table ``catalog_search_fts`` (rowid = matter id, one column per
  field, ``unicode61`` tokenizer, which splits only on the spaces between our tokens).
- PostgreSQL: a table ``catalog_search_document`` whose ``document`` column is a
  ``tsvector`` built with ``array_to_tsvector`` from the same tokens (no parser and no
  dictionary, so a lexeme is exactly our token), under a GIN index. Queries cast
  ``'营业执照' | 'yyzz':*`` to ``tsquery`` the same way.

Both answer the same question, "which documents hold one of these tokens (ASCII ones
also as a prefix)", so the candidates are the same; status, listing and filter checks
are ordinary ORM filters at query time, so a cancelled matter or a withdrawn listing
disappears at once without touching the index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection as default_connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from onewindow.catalog import search_cache, segment
from onewindow.catalog.models import Bundle, Listing, Matter

SQLITE_TABLE = "catalog_search_fts"
PG_TABLE = "catalog_search_document"
MAX_LIMIT = 100
FIELD_LABELS = {
    "name": "事项名称",
    "keywords": "常用说法",
    "body": "部门、领域或办理结果",
    "materials": "申请材料",
}


# --- documents and the index ----------------------------------------------------------------


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


def _write(connection, rows: Iterable[tuple[int, segment.Document]]) -> int:
    rows = list(rows)
    if not rows:
        return 0
    search_cache.catalog_changed(connection.alias)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                f"INSERT INTO {PG_TABLE} (matter_id, name, keywords, body, materials, document) "
                "VALUES (%s, %s, %s, %s, %s, array_to_tsvector(%s::text[])) "
                "ON CONFLICT (matter_id) DO UPDATE SET name = EXCLUDED.name, "
                "keywords = EXCLUDED.keywords, body = EXCLUDED.body, materials = EXCLUDED.materials, "
                "document = EXCLUDED.document",
                [(pk, *doc.as_text().values(), doc.all_tokens()) for pk, doc in rows],
            )
        else:
            cursor.executemany(
                f"DELETE FROM {SQLITE_TABLE} WHERE rowid = %s", [(pk,) for pk, _ in rows]
            )
            cursor.executemany(
                f"INSERT INTO {SQLITE_TABLE} (rowid, name, keywords, body, materials) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(pk, *doc.as_text().values()) for pk, doc in rows],
            )
    return len(rows)


def search_index_matter(matter: Matter) -> None:
    """Bring a matter's document up to date; called by the services, in their
    transaction, when a matter is created and when a guide version is published."""
    matter = Matter.objects.select_related("line", "department", "current_version").get(
        pk=matter.pk
    )
    _write(default_connection, [(matter.pk, matter_document(matter))])


def rebuild_search_index(
    *, matters: QuerySet | None = None, connection=None, batch: int = 500
) -> int:
    """Rebuild the whole index (or ``matters`` only). Returns the number of documents."""
    connection = connection or default_connection
    search_cache.catalog_changed(connection.alias)
    if matters is None:
        matters = Matter.objects.all()
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {PG_TABLE if connection.vendor == 'postgresql' else SQLITE_TABLE}"
            )
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
        total += _write(connection, [(m.pk, matter_document(m)) for m in chunk])
        last = chunk[-1].pk


# --- queries ----------------------------------------------------------------------------------


def _match(query: segment.Query) -> tuple[str, str, str]:
    """SQL selecting the ids of matching documents, its one parameter, and a correlated
    subquery that reads a matter's document (fields joined by "|"). Terms are runs of
    letters and digits (``segment.normalize``), so quoting them is plain."""
    prefixes = query.prefix_terms()
    terms = query.terms()
    fields = " || '|' || ".join(segment.Document.FIELDS)
    if default_connection.vendor == "postgresql":
        expression = " | ".join(f"'{t}'" + (":*" if t in prefixes else "") for t in terms)
        return (
            f"SELECT matter_id FROM {PG_TABLE} WHERE document @@ %s::tsquery",
            expression,
            f"SELECT {fields} FROM {PG_TABLE} WHERE matter_id = catalog_matter.id",
        )
    expression = " OR ".join(f'"{t}"' + ("*" if t in prefixes else "") for t in terms)
    return (
        f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s",
        expression,
        f"SELECT {fields} FROM {SQLITE_TABLE} WHERE rowid = catalog_matter.id",
    )


@lru_cache(maxsize=16384)
def _doc_fields(text: str | None) -> dict[str, frozenset[str]]:
    """A stored document's tokens by field (remembered: documents repeat across queries;
    a changed document is different text, so nothing stale is kept)."""
    parts = (text or "").split("|")
    return {
        f: frozenset(parts[i].split()) if i < len(parts) else frozenset()
        for i, f in enumerate(segment.Document.FIELDS)
    }


def public_matters(
    *, center=None, department=None, line=None, kind: str | None = None, level: str | None = None
) -> QuerySet[Matter]:
    """Published, active matters; with ``center``, only those with a public listing there;
    with ``department``, those it implements (a listing) or keeps (the standard);
    with ``line``, those of that department line."""
    qs = Matter.objects.active().filter(current_version__isnull=False)
    listings = Listing.objects.public().filter(matter=OuterRef("pk"))
    if center is not None:
        listings = listings.filter(center=center)
        qs = qs.filter(Exists(listings))
    if department is not None:
        qs = qs.filter(Q(department=department) | Exists(listings.filter(department=department)))
    if line is not None:
        qs = qs.filter(line=line)
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    return qs


@dataclass(frozen=True)
class SearchHit:
    matter: Matter
    score: segment.Score | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return self.score.fields if self.score else ()

    @property
    def matched_labels(self) -> list[str]:
        """Where the query was found, when not in the name (shown so a hit through a
        synonym or a material is not a puzzle)."""
        if not self.score or self.score.exact or not self.fields or self.fields[0] == "name":
            return []
        return [FIELD_LABELS[f] for f in self.fields]


@dataclass(frozen=True)
class SearchResult:
    query: segment.Query
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    limit: int = 20
    offset: int = 0

    @property
    def matters(self) -> list[Matter]:
        return [h.matter for h in self.hits]

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.hits) < self.total


def _page_of(ids: list[int]) -> dict[int, Matter]:
    qs = Matter.objects.filter(pk__in=ids).select_related("current_version", "line", "department")
    return {m.pk: m for m in qs}


def search_matters(
    query: str,
    *,
    center=None,
    department=None,
    line=None,
    kind: str | None = None,
    level: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Published matters for a query, best first: the exact name (or its pinyin initials,
    or the code) first, then the matters that cover more of the query's words, then by
    where the words were found (name, keywords, synonyms, department and result,
    materials), then by code. An empty query (or one of filler words only) browses.

    The answer is remembered under the catalog version (``search_cache``): a repeated
    search reads neither the index nor the listings until the catalog changes."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    key = (
        "matters",
        (query or "")[: segment.MAX_QUERY_LENGTH * 2],
        *(getattr(o, "pk", None) for o in (center, department, line)),
        kind or None,
        level or None,
        limit,
        offset,
    )
    return search_cache.remembered(
        key,
        lambda: _search(
            query,
            center=center,
            department=department,
            line=line,
            kind=kind,
            level=level,
            limit=limit,
            offset=offset,
        ),
    )


def _search(
    query: str, *, center, department, line, kind, level, limit: int, offset: int
) -> SearchResult:
    parsed = segment.parse_query(query)
    qs = public_matters(center=center, department=department, line=line, kind=kind, level=level)
    if parsed.is_empty:
        total = qs.count()
        page = list(
            qs.select_related("current_version", "line", "department").order_by("code", "pk")[
                offset : offset + limit
            ]
        )
        return SearchResult(
            query=parsed, total=total, hits=[SearchHit(m) for m in page], limit=limit, offset=offset
        )
    ids_sql, param, doc_sql = _match(parsed)
    rows = list(
        qs.filter(pk__in=RawSQL(ids_sql, [param]))
        .annotate(doc=RawSQL(doc_sql, []))
        .values_list("pk", "code", "name", "doc")
    )
    if parsed.core.isascii() and len(parsed.core) >= 4:
        # A matter's code typed in full.
        seen = {r[0] for r in rows}
        rows += [
            (*r, None)
            for r in qs.filter(code__iexact=parsed.core).values_list("pk", "code", "name")
            if r[0] not in seen
        ]
    ranked = []
    for pk, code, name, doc in rows:
        score = segment.score(parsed, _doc_fields(doc), name=name, code=code)
        if score.exact or score.coverage > 0:
            ranked.append((score.key(), code, pk, score))
    ranked.sort(key=lambda r: r[:3])
    page = ranked[offset : offset + limit]
    matters = _page_of([r[2] for r in page])
    return SearchResult(
        query=parsed,
        total=len(ranked),
        hits=[SearchHit(matters[r[2]], r[3]) for r in page],
        limit=limit,
        offset=offset,
    )


def search_bundles(query: str, *, limit: int = 6) -> list[Bundle]:
    """Active "one thing" bundles whose name or keywords answer the query (all of them,
    by code, for an empty query). Bundles are few; they are scored in memory."""
    parsed = segment.parse_query(query)
    bundles = list(Bundle.objects.filter(is_active=True).order_by("code"))
    if parsed.is_empty:
        return bundles[:limit]
    needed = max(1.0, len(parsed.groups) / 2)
    scored = []
    for bundle in bundles:
        coverage = segment.text_score(parsed, f"{bundle.name} {bundle.keywords}")
        if coverage >= needed:
            scored.append((-coverage, bundle.code, bundle))
    scored.sort(key=lambda s: s[:2])
    return [s[2] for s in scored[:limit]]


def prune_orphans(connection=None) -> None:
    """Drop documents whose matter is gone. The index tables sit outside Django's
    models, so a flush (test resets, `onewindow flush`) empties the catalog but not
    them; this runs after every migrate and flush so no stale document can match."""
    connection = connection or default_connection
    table = PG_TABLE if connection.vendor == "postgresql" else SQLITE_TABLE
    if table not in connection.introspection.table_names():
        return
    key = "matter_id" if connection.vendor == "postgresql" else "rowid"
    search_cache.catalog_changed(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {key} NOT IN (SELECT id FROM catalog_matter)")
