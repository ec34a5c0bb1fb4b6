"""The next line of each running case in a narrow table of its own (``CaseLine``,
R-CASE-4): the sweep reads the lines that have come through its small index and moves
them on there, and raises the case row's warning level in place. The level is taken out
of every index (the open-cases index is built again without it) and the case table
keeps a tenth of each page free on PostgreSQL, so that raise is a HOT update.

Existing lines are copied from the case rows before the column goes."""

import django.db.models.deletion
from django.db import migrations, models


def copy_lines(apps, schema_editor):
    schema_editor.execute(
        "INSERT INTO cases_caseline (case_id, alert_on) SELECT id, alert_on FROM cases_case "
        "WHERE clock_running AND alert_on IS NOT NULL"
    )


def copy_lines_back(apps, schema_editor):
    schema_editor.execute(
        "UPDATE cases_case SET alert_on = (SELECT l.alert_on FROM cases_caseline l "
        "WHERE l.case_id = cases_case.id)"
    )


def fillfactor(value: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE cases_case SET (fillfactor = {value})")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_identity_numbers_encrypted_in_forms"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseLine",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="line",
                        serialize=False,
                        to="cases.case",
                    ),
                ),
                ("alert_on", models.DateField(db_index=True, verbose_name="下次预警检查日")),
            ],
            options={
                "verbose_name": "办件时限检查日",
                "verbose_name_plural": "办件时限检查日",
            },
        ),
        migrations.RunPython(copy_lines, copy_lines_back),
        migrations.RemoveIndex(
            model_name="case",
            name="case_running_alert_idx",
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_open_clock_counts_idx",
        ),
        migrations.RemoveField(
            model_name="case",
            name="alert_on",
        ),
        migrations.AlterField(
            model_name="case",
            name="warning_level",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="0 正常，1 临近时限，2 已超时", verbose_name="预警"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    (
                        "state__in",
                        [
                            "accepted",
                            "correcting",
                            "correcting_intake",
                            "in_review",
                            "intake",
                            "pre_review",
                            "special",
                        ],
                    )
                ),
                fields=["center", "state", "due", "decided_at"],
                name="case_open_clock_counts_idx",
            ),
        ),
        migrations.RunPython(fillfactor(90), fillfactor(100)),
    ]
