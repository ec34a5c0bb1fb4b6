"""Complaint events take the shared step-event shape; the complaint numbers of a center
and day move to the shared daily counter (series ``complaint``, key the center's id)."""

from django.db import migrations, models


def copy_counters(apps, schema_editor):
    ComplaintCounter = apps.get_model("complaints", "ComplaintCounter")
    DailyCounter = apps.get_model("core", "DailyCounter")
    for counter in ComplaintCounter.objects.all().iterator():
        row, _ = DailyCounter.objects.get_or_create(
            series="complaint", key=str(counter.center_id), day=counter.day
        )
        if counter.last > row.last:
            row.last = counter.last
            row.save(update_fields=["last"])


def copy_back(apps, schema_editor):
    ComplaintCounter = apps.get_model("complaints", "ComplaintCounter")
    DailyCounter = apps.get_model("core", "DailyCounter")
    for row in DailyCounter.objects.filter(series="complaint").iterator():
        ComplaintCounter.objects.update_or_create(
            center_id=int(row.key), day=row.day, defaults={"last": row.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("core", "0004_daily_counter"),
    ]

    operations = [
        migrations.AlterField(
            model_name="complaintevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="complaintevent",
            name="to_state",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(
            name="ComplaintCounter",
        ),
    ]
