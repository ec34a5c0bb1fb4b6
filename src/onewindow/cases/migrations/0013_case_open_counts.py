"""Open-case counts per center, department, group, due date and stripe, kept by
triggers on ``cases_case`` (``cases/open_counts.py``; R-SUP-4): the triggers read the
case's id, state, center_id, department_id, due, warning_level and decided_at; the
counts of the cases already there are taken once here."""

import django.db.models.deletion
from django.db import migrations, models


def install(apps, schema_editor):
    from onewindow.cases import open_counts

    open_counts.install(schema_editor)


def uninstall(apps, schema_editor):
    from onewindow.cases import open_counts

    open_counts.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_case_lines"),
        ("org", "0003_backup_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseOpenCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("grp", models.CharField(max_length=2, verbose_name="分组")),
                ("due", models.DateField(verbose_name="承诺截止日")),
                ("stripe", models.PositiveSmallIntegerField(verbose_name="分片")),
                ("n", models.IntegerField(default=0, verbose_name="件数")),
                (
                    "center",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="org.center",
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="org.department",
                    ),
                ),
            ],
            options={
                "verbose_name": "在办件计数",
                "verbose_name_plural": "在办件计数",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("center", "department", "grp", "due", "stripe"),
                        name="cases_caseopencount_key",
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
