"""The single-column indexes of the audit target (and their pattern-ops twins on
PostgreSQL) dropped: nothing reads them (a record's history reads the index on
(target_type, target_id, at), which stays; the searches use ``icontains``).

Dropped by name, not by ``AlterField`` on the database: SQLite would remake the table
for it, and the remade table would lose its append-only trigger (``0003``)."""

from django.db import migrations, models

INDEXES = {
    "core_auditevent_target_type_04d1aaa8": "target_type",
    "core_auditevent_target_id_e52745a2": "target_id",
}


def drop(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
        if pg:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}_like"')


def create(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    for name, column in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX "{name}" ON "core_auditevent" ("{column}")')
        if pg:
            schema_editor.execute(
                f'CREATE INDEX "{name}_like" ON "core_auditevent" '
                f'("{column}" varchar_pattern_ops)'
            )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_periodic_jobs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop, create)],
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="target_id",
                    field=models.CharField(blank=True, max_length=64, verbose_name="对象编号"),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="target_type",
                    field=models.CharField(max_length=64, verbose_name="对象类型"),
                ),
            ],
        ),
    ]
