"""The hall's shared counts written at the commit on PostgreSQL: the tickets' day counts
(``hall/day_counts.py``) by constraint triggers deferred to the commit, and the monthly
rollup (``hall/rollups.py``) through an appended delta row folded by a deferred trigger.
The rows every terminal and window adds to are then locked only while a transaction
commits; the counts themselves are unchanged. Nothing changes on SQLite."""

from django.db import migrations

from onewindow.hall import day_counts, rollups


def forward(apps, schema_editor):
    day_counts.reinstall(schema_editor)
    rollups.install_delta(schema_editor)


def backward(apps, schema_editor):
    rollups.uninstall_delta(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("hall", "0010_terminals")]

    operations = [
        migrations.RunPython(forward, backward),
    ]
