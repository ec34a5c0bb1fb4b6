"""The open cases of a center with their clock, under a partial index: the dashboard's
running, warned and overdue counts read it alone (R-SUP-4, R-CASE-4)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_case_entrustment"),
    ]

    operations = [
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
                fields=["center", "state", "due", "warning_level", "decided_at"],
                name="case_open_clock_counts_idx",
            ),
        ),
    ]
