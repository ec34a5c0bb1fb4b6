"""The promised clock on the case row (R-CASE-4): its due date, whether it runs and the
next line the sweep looks at, under partial indexes for the sweep and the department
queue; partial indexes for untaken online applications and open correction notices.

Existing rows are filled from their deadlines; a running case not yet alarmed gets its
clock's first day as its line, so the first sweep after the upgrade looks at each once
and moves the line to where it belongs."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

RUNNING = ["accepted", "in_review"]


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Deadline = apps.get_model("core", "Deadline")
    of_case = Deadline.objects.filter(pk=OuterRef("deadline_id"))
    Case.objects.filter(deadline__isnull=False).update(due=Subquery(of_case.values("due")[:1]))
    Case.objects.filter(state__in=RUNNING, due__isnull=False).update(clock_running=True)
    Case.objects.filter(clock_running=True, warning_level__lt=2).update(
        alert_on=Subquery(of_case.values("start")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_daily_counters"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="alert_on",
            field=models.DateField(blank=True, null=True, verbose_name="下次预警检查日"),
        ),
        migrations.AddField(
            model_name="case",
            name="clock_running",
            field=models.BooleanField(default=False, verbose_name="计时中"),
        ),
        migrations.AddField(
            model_name="case",
            name="due",
            field=models.DateField(blank=True, null=True, verbose_name="承诺截止日"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("alert_on__isnull", False), ("clock_running", True)),
                fields=["alert_on"],
                name="case_running_alert_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    ("state__in", ["accepted", "correcting", "in_review", "special"])
                ),
                fields=["department", "due", "accepted_at", "id"],
                name="case_department_queue_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    ("deemed_accepted", False), ("state__in", ["intake", "pre_review"])
                ),
                fields=["intake_due"],
                name="case_untaken_online_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="correction",
            index=models.Index(
                condition=models.Q(("state", "open")),
                fields=["due"],
                name="correction_open_due_idx",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
