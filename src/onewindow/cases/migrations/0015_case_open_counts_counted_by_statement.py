"""The count triggers written again (PostgreSQL): an update under the setting
``onewindow.case_counts_by_statement`` does not fire the update trigger, its statement
moves the counts of all its rows at once (the deadline sweep's moves)."""

from django.db import migrations


def reinstall(apps, schema_editor):
    from onewindow.cases import open_counts

    open_counts.reinstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_case_open_counts_flush_safe"),
    ]

    operations = [
        migrations.RunPython(reinstall, migrations.RunPython.noop),
    ]
