"""Catalog search: one search document per matter in an index the database keeps, and
one ranked statement per query (R-CAT-9: the same answer on every channel).

The document of a matter holds pre-segmented tokens (see ``segment``) in four fields:
name, keywords, body (domain, department line and body, result) and the material names
of its published guide; its exact forms (the name without spaces, its pinyin initials
and full pinyin, the code); and its **scope**: where it is offered, read from its public
listings (``c<center>``, ``d<department>``, ``c<center>x<department>``, ``r<region
code>`` for the center's region and every region above it). Drafts never reach the index.

- SQLite: an FTS5 table ``catalog_search_fts`` (rowid = matter id; name, keywords, body,
  materials, exact; ``unicode61`` tokenizer, which splits only on the spaces between our
  tokens) and the scope in ``catalog_search_scope`` (token, matter), a table without rowid
  whose key is its index. Ranked by ``bm25`` with the field weights.
- PostgreSQL: ``catalog_search_document``, a weighted ``tsvector`` (name A, keywords B,
  body C, materials D, exact forms as ``=form``) built from the same tokens (no parser and
  no dictionary, so a lexeme is exactly our token) and the scope as a second ``tsvector``, both
  under one GIN index. Ranked by ``ts_rank`` with the same weights.

A query is one statement: the index match, the scope tokens and the matter's status,
line, kind and level in the same WHERE, ordered by exact name first, then the rank,
then code, with the total as a window count. The listings are read only when the index
is written: by the services that change a matter, a guide, a listing (in their
transaction) and, through ``catalog.apps``, by a change to a center's state or region.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.db import connection as default_connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from onewindow.catalog import search_cache, segment
from onewindow.catalog.models import Bundle, GuideVersion, Listing, Matter
from onewindow.catalog.search_index import (
    PG_TABLE,
    SQLITE_SCOPE,
    SQLITE_TABLE,
    prune_orphans,
    rebuild_search_index,
    search_index_matter,
    search_index_matters,
    search_index_scopes,
)
from onewindow.core.statements import RowById, prepared_rows
from onewindow.org.models import Department, DepartmentLine

__all__ = [
    "PG_TABLE",
    "SQLITE_SCOPE",
    "SQLITE_TABLE",
    "Filters",
    "SearchHit",
    "SearchResult",
    "prune_orphans",
    "public_matters",
    "ranked_sql",
    "rebuild_search_index",
    "search_bundles",
    "search_index_matter",
    "search_index_matters",
    "search_index_scopes",
    "search_matters",
]
MAX_LIMIT = 100
FIELD_LABELS = {
    "name": "事项名称",
    "keywords": "常用说法",
    "body": "部门、领域或办理结果",
    "materials": "申请材料",
}
# The field weights of segment.FIELD_WEIGHTS (8, 5, 2, 1) for each database's rank.
BM25 = "bm25(8.0, 5.0, 2.0, 1.0, 0.0)"  # FTS5's rank function, per query
PG_WEIGHTS = "{0.1, 0.2, 0.5, 0.8}"  # D (materials, exact), C (body), B (keywords), A (name)


# --- queries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What a search is narrowed to. ``center``, ``region`` and a listing's department are
    read from the scope in the index; line, kind and level from the matter's row."""

    center: int | None = None
    region: str | None = None  # a region's code: centers in it or below it
    department: int | None = None
    line: int | None = None
    kind: str | None = None
    level: str | None = None


def _pg_terms(terms: Iterable[str], prefix: bool = False) -> str:
    return " | ".join(f"'{t}'" + (":*" if prefix else "") for t in terms)


def _fts_terms(terms: Iterable[str], prefix: bool = False) -> str:
    joined = " OR ".join(f'"{t}"' + ("*" if prefix else "") for t in terms)
    return f"{{name keywords body materials}} : ({joined})"


def _coverage(parsed: segment.Query, test: str, terms) -> tuple[str, list[str]]:
    """How much of the query a document covers, in the statement (``segment.score``'s
    order: coverage before where the words were found): per word 2 when it holds the
    word (or a synonym), 1 when it holds only some of its pieces."""
    cases, params = [], []
    for group in parsed.groups:
        full = terms([group.word], group.prefix)
        if group.synonyms:
            full = (
                terms([group.word], group.prefix)
                + (" | " if terms is _pg_terms else " OR ")
                + terms(group.synonyms)
            )
        case = f"CASE WHEN {test} THEN 2"
        params.append(full)
        if group.parts:
            case += f" WHEN {test} THEN 1"
            params.append(terms(group.parts))
        cases.append(case + " ELSE 0 END")
    return "(" + " + ".join(cases) + ")", params


def _statement(parsed: segment.Query, filters: Filters, vendor: str):
    """FROM and WHERE of the ranked statement with their parameters, and its ranking keys
    (exact name, coverage, rank, the rank's direction) with theirs. Terms are runs of letters and digits (``segment.normalize``), so
    quoting them is plain; every filter value is a parameter."""
    prefixes = parsed.prefix_terms()
    terms = parsed.terms()
    where, params = [], []
    if vendor == "postgresql":
        expression = " | ".join(f"'{t}'" + (":*" if t in prefixes else "") for t in terms)
        exact = f"'={parsed.core}'" if parsed.core else "''"
        params.append(f"{expression} | {exact}" if parsed.core else expression)
        need = [f"c{filters.center}"] if filters.center else []
        if filters.region:
            need.append(f"r{filters.region}")
        if need:
            params.append(" & ".join(f"'{t}'" for t in need))
        # The index first (OFFSET 0 keeps the planner from folding it into the join):
        # the match and the scope in one GIN index scan, then the candidates' matters.
        sql = (
            f"FROM (SELECT * FROM {PG_TABLE} WHERE document @@ %s::tsquery"
            + (" AND scope @@ %s::tsquery" if need else "")
            + " OFFSET 0) s JOIN catalog_matter m ON m.id = s.matter_id WHERE TRUE"
        )
        if filters.department:
            where.append("(m.department_id = %s OR s.scope @@ %s::tsquery)")
            listed = f"c{filters.center}x{filters.department}" if filters.center else None
            params += [filters.department, f"'{listed or f'd{filters.department}'}'"]
        covers, cover_params = _coverage(parsed, "s.document @@ %s::tsquery", _pg_terms)
        keys = (
            "s.document @@ %s::tsquery",
            covers,
            f"ts_rank('{PG_WEIGHTS}', s.document, %s::tsquery)",
            "DESC",
        )
        key_params = [exact, *cover_params, params[0]]
    else:
        expression = " OR ".join(f'"{t}"' + ("*" if t in prefixes else "") for t in terms)
        match = f"{{name keywords body materials}} : ({expression})"
        if parsed.core:
            match = f'({match}) OR exact : "{parsed.core}"'
        sql = (
            f"FROM {SQLITE_TABLE} JOIN catalog_matter m ON m.id = {SQLITE_TABLE}.rowid "
            f"WHERE {SQLITE_TABLE} MATCH %s AND {SQLITE_TABLE}.rank MATCH %s"
        )
        params += [match, BM25]
        scoped = f"m.id IN (SELECT matter_id FROM {SQLITE_SCOPE} WHERE token = %s)"
        if filters.center:
            where.append(scoped)
            params.append(f"c{filters.center}")
        if filters.region:
            where.append(scoped)
            params.append(f"r{filters.region}")
        if filters.department:
            where.append(f"(m.department_id = %s OR {scoped})")
            listed = f"c{filters.center}x{filters.department}" if filters.center else None
            params += [filters.department, listed or f"d{filters.department}"]
        covers, cover_params = _coverage(
            parsed,
            f"m.id IN (SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s)",
            _fts_terms,
        )
        # The exact forms through the index too (one more match, read once): reading
        # the column of every candidate cost more than the rest of the statement.
        keys = (
            f"m.id IN (SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s)"
            if parsed.core
            else "0",
            covers,
            f"{SQLITE_TABLE}.rank",
            "ASC",
        )
        key_params = [f'exact : "{parsed.core}"'] if parsed.core else []
        key_params += cover_params
    where += ["m.status = %s", "m.current_version_id IS NOT NULL"]
    params.append(Matter.Status.ACTIVE)
    for column, value in (
        ("line_id", filters.line),
        ("kind", filters.kind),
        ("level", filters.level),
    ):
        if value:
            where.append(f"m.{column} = %s")
            params.append(value)
    return sql + "".join(f" AND {w}" for w in where), params, keys, key_params


# The page is read in the same statement, and only what a page, the API and the terminal
# show of it: no model instances (building 80 of them with the database's converters was
# half a computed search). ``MatterRow`` and its parts answer the same attributes.
PAGE = (
    ("m", "id", "code", "name", "kind", "level", "domain", "line_id", "department_id"),
    ("m", "current_version_id"),
    ("v", "number", "promised_days", "statutory_days", "limit_unit", "visits", "online_depth"),
    ("l", "id", "code", "name"),
    ("d", "id", "name"),
)
PAGE_COLUMNS = ", ".join(f"{t[0]}.{c}" for t in PAGE for c in t[1:])


@lru_cache(maxsize=8)
def _labels(model, name: str) -> dict:
    return dict(model._meta.get_field(name).flatchoices)


def _label(model, name: str, value) -> str:
    return str(_labels(model, name).get(value, value))


@dataclass(frozen=True, slots=True)
class LineRow(RowById):
    id: int
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class DepartmentRow(RowById):
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class GuideRow(RowById):
    """The published guide of a found matter, as its card shows it."""

    id: int
    number: int
    promised_days: int
    statutory_days: int
    limit_unit: str
    visits: int
    online_depth: str

    def get_limit_unit_display(self) -> str:
        return _label(GuideVersion, "limit_unit", self.limit_unit)

    def get_online_depth_display(self) -> str:
        return _label(GuideVersion, "online_depth", self.online_depth)


@dataclass(frozen=True, slots=True, eq=False)
class MatterRow(RowById):
    """A found matter as the search's page, the API and the terminal read it: equal to
    the ``Matter`` of the same id (and hashed as one), so callers compare and look up
    as before."""

    id: int
    code: str
    name: str
    kind: str
    level: str
    domain: str
    line_id: int
    department_id: int
    current_version_id: int | None
    current_version: GuideRow | None
    line: LineRow
    department: DepartmentRow

    def get_kind_display(self) -> str:
        return _label(Matter, "kind", self.kind)

    def __eq__(self, other) -> bool:
        if isinstance(other, MatterRow | Matter):
            return self.id == other.pk
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.id)  # as a Matter's

    def __str__(self) -> str:
        return self.name


def _matter_row(row) -> MatterRow:
    """The page's matter from its columns (``PAGE``'s order)."""
    version = None if row[8] is None else GuideRow(row[8], *row[9:15])
    return MatterRow(
        *row[:9],
        version,
        LineRow(*row[15:18]),
        DepartmentRow(*row[18:20]),
    )


def ranked_sql(parsed: segment.Query, filters: Filters, *, limit: int, offset: int, vendor=None):
    """The one statement of a search: the candidates from the index (scope and filters in
    the same WHERE) ranked by the database, the page of ``limit`` best first with the
    number of all matches, then, for that page only, the stored words of its documents
    and the columns of ``PAGE``. Also what the tests EXPLAIN."""
    sql, params = _ranked_sql(parsed, filters, limit, offset, vendor or default_connection.vendor)
    return sql, list(params)


@lru_cache(maxsize=1024)
def _ranked_sql(parsed: segment.Query, filters: Filters, limit: int, offset: int, vendor: str):
    """``ranked_sql``, built once per (query, filters, page)."""
    body, params, (exact, covers, rank, direction), key_params = _statement(parsed, filters, vendor)
    ranked = (
        f"SELECT m.id AS id, {exact} AS e, {covers} AS cv, {rank} AS r, m.code AS code, "
        f"COUNT(*) OVER () AS total {body} "
        f"ORDER BY e DESC, cv DESC, r {direction}, m.code, m.id LIMIT %s OFFSET %s"
    )
    # The stored words are read for the page's documents only, by key.
    document = (
        f"JOIN {PG_TABLE} f ON f.matter_id = p.id"
        if vendor == "postgresql"
        else f"JOIN {SQLITE_TABLE} f ON f.rowid = p.id"
    )
    sql = (
        f"SELECT p.total, {', '.join('f.' + f for f in segment.Document.FIELDS)}, "
        f"{PAGE_COLUMNS} "
        f"FROM ({ranked}) p JOIN {Matter._meta.db_table} m ON m.id = p.id {document} "
        f"LEFT JOIN {GuideVersion._meta.db_table} v ON v.id = m.current_version_id "
        f"JOIN {DepartmentLine._meta.db_table} l ON l.id = m.line_id "
        f"JOIN {Department._meta.db_table} d ON d.id = m.department_id "
        f"ORDER BY p.e DESC, p.cv DESC, p.r {direction}, p.code, p.id"
    )
    return sql, (*key_params, *params, limit, offset)


def _count(parsed: segment.Query, filters: Filters) -> int:
    body, params, _, _ = _statement(parsed, filters, default_connection.vendor)
    with default_connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {body}", params)
        return cursor.fetchone()[0]


@lru_cache(maxsize=16384)
def _doc_fields(*texts: str) -> dict[str, frozenset[str]]:
    """A stored document's tokens by field (remembered: documents repeat across queries;
    a changed document is different text, so nothing stale is kept)."""
    return {
        f: frozenset((t or "").split()) for f, t in zip(segment.Document.FIELDS, texts, strict=True)
    }


def public_matters(
    *,
    center=None,
    department=None,
    line=None,
    kind: str | None = None,
    level: str | None = None,
    region=None,
) -> QuerySet[Matter]:
    """Published, active matters; with ``center``, only those with a public listing there;
    with ``region``, those with a public listing at a center in it or below it;
    with ``department``, those it implements (a listing) or keeps (the standard);
    with ``line``, those of that department line."""
    qs = Matter.objects.active().filter(current_version__isnull=False)
    listings = Listing.objects.public().filter(matter=OuterRef("pk"))
    if center is not None:
        listings = listings.filter(center=center)
        qs = qs.filter(Exists(listings))
    if region is not None:
        qs = qs.filter(Exists(listings.filter(center__region__path__startswith=region.path)))
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
    """A matter found, and (read when shown) how the query matched it: the order is the
    database's; the score names the fields for the page."""

    matter: Matter
    parsed: segment.Query | None = None
    stored: tuple[str, ...] = ()

    @cached_property
    def score(self) -> segment.Score | None:
        if self.parsed is None:
            return None
        doc = _doc_fields(*self.stored)
        return segment.score(self.parsed, doc, name=self.matter.name, code=self.matter.code)

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


def search_matters(
    query: str,
    *,
    center=None,
    department=None,
    line=None,
    kind: str | None = None,
    level: str | None = None,
    region=None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Published matters for a query, best first: the exact name (or its pinyin initials,
    or the code) first, then by the database's rank of where the words were found (name,
    keywords, department and result, materials; synonyms count as words), then by code.
    ``center`` (a township's too) and ``region`` narrow to where the matter is offered.
    An empty query (or one of filler words only) browses.

    The answer is remembered under the catalog version (``search_cache``): a repeated
    search reads nothing until the catalog changes."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    key = (
        "matters",
        (query or "")[: segment.MAX_QUERY_LENGTH * 2],
        *(getattr(o, "pk", None) for o in (center, department, line, region)),
        kind or None,
        level or None,
        limit,
        offset,
    )
    filters = dict(center=center, department=department, line=line, kind=kind, level=level)
    return search_cache.remembered(
        key, lambda: _search(query, **filters, region=region, limit=limit, offset=offset)
    )


def _search(
    query: str, *, center, department, line, kind, level, region, limit: int, offset: int
) -> SearchResult:
    parsed = segment.parse_query(query)
    if parsed.is_empty:
        qs = public_matters(
            center=center, department=department, line=line, kind=kind, level=level, region=region
        )
        total = qs.count()
        page = list(
            qs.select_related("current_version", "line", "department").order_by("code", "pk")[
                offset : offset + limit
            ]
        )
        return SearchResult(
            query=parsed, total=total, hits=[SearchHit(m) for m in page], limit=limit, offset=offset
        )
    filters = Filters(
        center=getattr(center, "pk", None),
        region=getattr(region, "code", None),
        department=getattr(department, "pk", None),
        line=getattr(line, "pk", None),
        kind=kind or None,
        level=level or None,
    )
    sql, params = ranked_sql(parsed, filters, limit=limit, offset=offset)
    rows = prepared_rows(sql, params)
    total = rows[0][0] if rows else (_count(parsed, filters) if offset else 0)
    width = 1 + len(segment.Document.FIELDS)
    hits = [SearchHit(_matter_row(r[width:]), parsed=parsed, stored=r[1:width]) for r in rows]
    return SearchResult(query=parsed, total=total, hits=hits, limit=limit, offset=offset)


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
