"""Ticket numbers are counted by the one daily counter of the kernel
(``core.DailyCounter``, series ``ticket``, key = the category's id): the hall's own
counter rows are copied there, then the hall's counter goes."""

from django.db import migrations


def copy_counters(apps, schema_editor):
    DayCounter = apps.get_model("hall", "DayCounter")
    DailyCounter = apps.get_model("core", "DailyCounter")
    rows = [
        DailyCounter(series="ticket", key=str(c.category_id), day=c.day, last=c.last)
        for c in DayCounter.objects.all().iterator()
    ]
    DailyCounter.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def copy_back(apps, schema_editor):
    DayCounter = apps.get_model("hall", "DayCounter")
    DailyCounter = apps.get_model("core", "DailyCounter")
    ServiceCategory = apps.get_model("hall", "ServiceCategory")
    centers = dict(ServiceCategory.objects.values_list("pk", "center_id"))
    rows = [
        DayCounter(
            center_id=centers[int(c.key)], category_id=int(c.key), day=c.day, last=c.last
        )
        for c in DailyCounter.objects.filter(series="ticket").iterator()
        if int(c.key) in centers
    ]
    DayCounter.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_daily_counter"),
        ("hall", "0003_hall_schedule"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(name="DayCounter"),
    ]
