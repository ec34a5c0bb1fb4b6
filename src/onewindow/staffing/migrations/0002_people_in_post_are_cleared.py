"""People already in post when staff management starts keep working: each existing
staff profile gets its record, cleared to work a window alone (basis "in post"), and its
current posting from the profile's posting date. Profiles created later need training
(staffing/clearance.py)."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    StaffProfile = apps.get_model("org", "StaffProfile")
    StaffRecord = apps.get_model("staffing", "StaffRecord")
    Posting = apps.get_model("staffing", "Posting")
    now = timezone.now()
    for profile in StaffProfile.objects.select_related("unit").iterator():
        if profile.department_id:
            team = "stationed"
        elif profile.unit_id:
            team = "agency" if profile.unit.kind == "agency" else "comprehensive"
        else:
            team = "center"
        StaffRecord.objects.get_or_create(
            profile=profile,
            defaults={"team": team, "cleared_at": now, "cleared_basis": "in_post"},
        )
        if not Posting.objects.filter(profile=profile).exists():
            Posting.objects.create(
                profile=profile,
                center_id=profile.center_id,
                department_id=profile.department_id,
                started_on=profile.posting_started,
            )


class Migration(migrations.Migration):
    dependencies = [("staffing", "0001_initial"), ("org", "0003_backup_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
