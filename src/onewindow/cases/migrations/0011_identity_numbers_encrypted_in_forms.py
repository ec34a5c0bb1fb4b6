"""Identity numbers typed into forms are kept encrypted (R-SEC-1): the application form
of a case and of a bundle application and the applicant's basic information become
``ProtectedJSONField``s, and the rows written before are encrypted in place."""

from django.db import migrations

import onewindow.core.fields

TABLES = [("Case", "form_data"), ("BundleApplication", "form_data"), ("Applicant", "profile")]


def encrypt_existing(apps, schema_editor):
    for model_name, field in TABLES:
        model = apps.get_model("cases", model_name)
        rows = model.objects.using(schema_editor.connection.alias).only("pk", field)
        for row in rows.iterator(chunk_size=1000):
            value = getattr(row, field)
            # Read through the new field, so a plain number reads as itself; a write
            # through it encrypts every number. Rows holding none are left alone.
            if value and not onewindow.core.fields.is_sealed(value):
                model.objects.filter(pk=row.pk).update(**{field: value})


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_case_open_clock_counts_idx"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="form_data",
            field=onewindow.core.fields.ProtectedJSONField(
                blank=True, default=dict, verbose_name="申请表"
            ),
        ),
        migrations.AlterField(
            model_name="bundleapplication",
            name="form_data",
            field=onewindow.core.fields.ProtectedJSONField(
                blank=True, default=dict, verbose_name="合并申请表"
            ),
        ),
        migrations.AlterField(
            model_name="applicant",
            name="profile",
            field=onewindow.core.fields.ProtectedJSONField(
                blank=True, default=dict, verbose_name="基本信息"
            ),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
    ]
