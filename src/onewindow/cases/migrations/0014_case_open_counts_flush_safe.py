"""The count triggers written again: a delete takes off only while there are counts, so
SQLite's flush (table by table) writes no decrement against the centers it removes."""

from django.db import migrations


def reinstall(apps, schema_editor):
    from onewindow.cases import open_counts

    open_counts.reinstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_case_open_counts"),
    ]

    operations = [
        migrations.RunPython(reinstall, migrations.RunPython.noop),
    ]
