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
  no dictionary, so a lexeme is exactly our token) and the scope as a ``text[]``, both
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
from onewindow.catalog.models import Bundle, Listing, Matter

SQLITE_TABLE = "catalog_search_fts"
SQLITE_SCOPE = "catalog_search_scope"
PG_TABLE = "catalog_search_document"
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
PG_CLASS = {"name": "A", "keywords": "B", "body": "C", "materials": "D"}
MAX_POSITION = 16383


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
                "document) VALUES (%s, %s, %s, %s, %s, %s::text[], %s::tsvector) "
                "ON CONFLICT (matter_id) DO UPDATE SET name = EXCLUDED.name, "
                "keywords = EXCLUDED.keywords, body = EXCLUDED.body, materials = EXCLUDED.materials, "
                "scope = EXCLUDED.scope, document = EXCLUDED.document",
                [
                    (pk, *doc.as_text().values(), scope, tsvector_literal(doc, exact))
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
            params.append(need)
        # The index first (OFFSET 0 keeps the planner from folding it into the join):
        # the match and the scope in one GIN index scan, then the candidates' matters.
        sql = (
            f"FROM (SELECT * FROM {PG_TABLE} WHERE document @@ %s::tsquery"
            + (" AND scope @> %s::text[]" if need else "")
            + " OFFSET 0) s JOIN catalog_matter m ON m.id = s.matter_id WHERE TRUE"
        )
        if filters.department:
            where.append("(m.department_id = %s OR s.scope && %s::text[])")
            listed = f"c{filters.center}x{filters.department}" if filters.center else None
            params += [filters.department, [listed or f"d{filters.department}"]]
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
        keys = (
            f"instr(' ' || {SQLITE_TABLE}.exact || ' ', %s) > 0",
            covers,
            f"{SQLITE_TABLE}.rank",
            "ASC",
        )
        key_params = [f" {parsed.core} " if parsed.core else "  ", *cover_params]
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


# The page is read with its guide, line and department in the same statement
# (``select_related`` by hand: the instances are built from the row, no second query).
PAGE = (("m", None), ("v", "current_version"), ("l", "line"), ("d", "department"))


@lru_cache(maxsize=1)
def _page_columns() -> list[tuple[str, type, list[str]]]:
    columns = [("m", Matter, [f.attname for f in Matter._meta.concrete_fields])]
    for alias, name in PAGE[1:]:
        model = Matter._meta.get_field(name).related_model
        columns.append((alias, model, [f.attname for f in model._meta.concrete_fields]))
    return columns


def ranked_sql(parsed: segment.Query, filters: Filters, *, limit: int, offset: int, vendor=None):
    """The one statement of a search: the candidates from the index (scope and filters in
    the same WHERE) ranked by the database, the page of ``limit`` best first with the
    number of all matches, then that page's matters with guide, line and department.
    Also what the tests EXPLAIN."""
    vendor = vendor or default_connection.vendor
    body, params, (exact, covers, rank, direction), key_params = _statement(parsed, filters, vendor)
    table = "s" if vendor == "postgresql" else SQLITE_TABLE
    stored = ", ".join(f"{table}.{f} AS f_{f}" for f in segment.Document.FIELDS)
    ranked = (
        f"SELECT m.id AS id, {exact} AS e, {covers} AS cv, {rank} AS r, m.code AS code, "
        f"{stored}, COUNT(*) OVER () AS total {body} "
        f"ORDER BY e DESC, cv DESC, r {direction}, m.code, m.id LIMIT %s OFFSET %s"
    )
    columns = _page_columns()
    page = ", ".join(
        f"{alias}.{model._meta.get_field(name).column}"
        for alias, model, names in columns
        for name in names
    )
    sql = (
        f"SELECT p.total, {', '.join('p.f_' + f for f in segment.Document.FIELDS)}, {page} "
        f"FROM ({ranked}) p JOIN catalog_matter m ON m.id = p.id "
        f"LEFT JOIN {columns[1][1]._meta.db_table} v ON v.id = m.current_version_id "
        f"JOIN {columns[2][1]._meta.db_table} l ON l.id = m.line_id "
        f"JOIN {columns[3][1]._meta.db_table} d ON d.id = m.department_id "
        f"ORDER BY p.e DESC, p.cv DESC, p.r {direction}, p.code, p.id"
    )
    return sql, [*key_params, *params, limit, offset]


def _converters(connection) -> list[tuple[int, object, list]]:
    """Each page column that needs the database's value converted (dates, booleans, JSON
    on SQLite …), as the ORM would: (position, column, converters)."""
    key = "_onewindow_search_page_converters"
    cached = getattr(connection, key, None)
    if cached is None:
        cached, at = [], 0
        for _, model, names in _page_columns():
            for name in names:
                found = model._meta.get_field(name)
                column = found.get_col(model._meta.db_table)
                converters = connection.ops.get_db_converters(column)
                converters += found.get_db_converters(connection)
                if converters:
                    cached.append((at, column, converters))
                at += 1
        setattr(connection, key, cached)
    return cached


def _instances(row, connection) -> Matter:
    """The page's matter with its guide, line and department from one row."""
    row = list(row)
    for at, column, converters in _converters(connection):
        for converter in converters:
            row[at] = converter(row[at], column, connection)
    matter, at = None, 0
    for column_alias, model, names in _page_columns():
        values = row[at : at + len(names)]
        at += len(names)
        if column_alias == "m":
            matter = model.from_db(connection.alias, names, values)
            continue
        related = None if values[0] is None else model.from_db(connection.alias, names, values)
        Matter._meta.get_field(dict(PAGE)[column_alias]).set_cached_value(matter, related)
    return matter


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
    with default_connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total = rows[0][0] if rows else (_count(parsed, filters) if offset else 0)
    width = 1 + len(segment.Document.FIELDS)
    hits = [
        SearchHit(_instances(r[width:], default_connection), parsed=parsed, stored=r[1:width])
        for r in rows
    ]
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
