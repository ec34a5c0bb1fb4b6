"""The search index in its ranked shape (see onewindow.catalog.search): on SQLite the FTS5
table gains the exact forms and the scope gets a table keyed by (token, matter); on
PostgreSQL the document gains the scope as a second tsvector (plain tokens, so the GIN
index answers it without reading the row) under the same GIN index. Existing
matters are indexed here; `onewindow rebuild-search-index` does it again at any time."""

from django.db import migrations

SQLITE_FORWARD = [
    "DROP TABLE IF EXISTS catalog_search_fts",
    "CREATE VIRTUAL TABLE catalog_search_fts USING fts5("
    "name, keywords, body, materials, exact, tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TABLE catalog_search_scope (token text NOT NULL, matter_id integer NOT NULL,"
    " PRIMARY KEY (token, matter_id)) WITHOUT ROWID",
    "CREATE INDEX catalog_search_scope_matter ON catalog_search_scope (matter_id)",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS catalog_search_scope",
    "DROP TABLE IF EXISTS catalog_search_fts",
    "CREATE VIRTUAL TABLE catalog_search_fts USING fts5("
    "name, keywords, body, materials, tokenize = 'unicode61 remove_diacritics 0')",
]
PG_FORWARD = [
    "DELETE FROM catalog_search_document",
    "ALTER TABLE catalog_search_document ADD COLUMN scope tsvector NOT NULL DEFAULT ''",
    "DROP INDEX IF EXISTS catalog_search_document_gin",
    "CREATE INDEX catalog_search_document_gin ON catalog_search_document"
    " USING gin (document, scope)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_search_document_gin",
    "ALTER TABLE catalog_search_document DROP COLUMN scope",
    "CREATE INDEX catalog_search_document_gin ON catalog_search_document USING gin (document)",
]


class RunSQLFor(migrations.RunSQL):
    """RunSQL on one database vendor only (the index is vendor-specific)."""

    def __init__(self, vendor, sql, reverse_sql):
        self.vendor = vendor
        super().__init__(sql, reverse_sql, elidable=False)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def fill(apps, schema_editor):
    from onewindow.catalog.search import rebuild_search_index

    connection = schema_editor.connection
    Matter = apps.get_model("catalog", "Matter")
    if Matter.objects.using(connection.alias).exists():
        rebuild_search_index(connection=connection)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_entrustments"),
    ]

    operations = [
        RunSQLFor("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        RunSQLFor("postgresql", PG_FORWARD, PG_BACKWARD),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
