"""Case and bundle application numbers come from the one daily counter
(``core.DailyCounter``, ``core/numbering.py``): the case counters are copied into the
series ``case`` (key: the center's id), the series ``bundle`` (key: the region's code,
which the number names) is seeded from the highest application number of each region
and day, and ``CaseCounter`` goes. The numbers
keep their formats."""

from datetime import date

from django.db import migrations


def _bundle_day_and_number(number: str, region_code: str) -> tuple[date, int] | None:
    """``Y`` + region code + ``YYYYMMDD`` + four digits → (day, running number)."""
    prefix = f"Y{region_code}"
    rest = number[len(prefix) :] if number.startswith(prefix) else ""
    if len(rest) < 9 or not rest.isdigit():
        return None
    try:
        day = date(int(rest[:4]), int(rest[4:6]), int(rest[6:8]))
    except ValueError:
        return None
    return day, int(rest[8:])


def copy_counters(apps, schema_editor):
    CaseCounter = apps.get_model("cases", "CaseCounter")
    BundleApplication = apps.get_model("cases", "BundleApplication")
    DailyCounter = apps.get_model("core", "DailyCounter")
    last: dict[tuple[str, str, date], int] = {}
    for counter in CaseCounter.objects.all().iterator():
        key = ("case", str(counter.center_id), counter.day)
        last[key] = max(last.get(key, 0), counter.last)
    applications = BundleApplication.objects.values_list(
        "number", "center_id", "center__region__code"
    )
    for number, center_id, region_code in applications.iterator():
        found = _bundle_day_and_number(number, region_code or "")
        if found is None:
            continue
        day, running = found
        key = ("bundle", region_code, day)
        last[key] = max(last.get(key, 0), running)
    for (series, key, day), value in sorted(last.items()):
        counter, _ = DailyCounter.objects.get_or_create(series=series, key=key, day=day)
        if counter.last < value:
            counter.last = value
            counter.save(update_fields=["last"])


def copy_back(apps, schema_editor):
    CaseCounter = apps.get_model("cases", "CaseCounter")
    DailyCounter = apps.get_model("core", "DailyCounter")
    CaseCounter.objects.bulk_create(
        [
            CaseCounter(center_id=int(c.key), day=c.day, last=c.last)
            for c in DailyCounter.objects.filter(series="case").iterator()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_online_pledges_bundles_projects"),
        ("core", "0004_daily_counter"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(name="CaseCounter"),
    ]
