"""The catalog search index: an FTS5 table on SQLite, a tsvector table with a GIN index on
PostgreSQL (see onewindow.catalog.search). The index is filled by
0004_search_index_ranked_with_scope (its final shape); `onewindow rebuild-search-index`
does it again at any time."""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_search_fts USING fts5("
    "name, keywords, body, materials, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS catalog_search_fts"]

# No foreign key to catalog_matter: the index is derived data, rebuilt at will, and
# must not stand in the way of truncating the catalog tables.
PG_CREATE = [
    "CREATE TABLE IF NOT EXISTS catalog_search_document ("
    " matter_id integer PRIMARY KEY,"
    " name text NOT NULL DEFAULT '',"
    " keywords text NOT NULL DEFAULT '',"
    " body text NOT NULL DEFAULT '',"
    " materials text NOT NULL DEFAULT '',"
    " document tsvector NOT NULL DEFAULT ''::tsvector)",
    "CREATE INDEX IF NOT EXISTS catalog_search_document_gin ON catalog_search_document USING gin (document)",
]
PG_DROP = ["DROP TABLE IF EXISTS catalog_search_document"]


def create(apps, schema_editor):
    connection = schema_editor.connection
    statements = PG_CREATE if connection.vendor == "postgresql" else SQLITE_CREATE
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    statements = PG_DROP if connection.vendor == "postgresql" else SQLITE_DROP
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
