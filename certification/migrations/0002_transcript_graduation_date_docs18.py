from django.db import migrations, models


def backfill(apps, schema_editor):
    """Transcripts issued before the field: the graduation date of the student still on file."""
    OfficialTranscript = apps.get_model("certification", "OfficialTranscript")
    for t in OfficialTranscript.objects.filter(graduation_date=None, student__isnull=False).select_related("student"):
        OfficialTranscript.objects.filter(pk=t.pk).update(graduation_date=t.student.graduation_date)


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]

    operations = [
        migrations.AddField(model_name="officialtranscript", name="graduation_date",
                            field=models.DateField(blank=True, null=True)),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.CreateModel(
            name="VerificationLookup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True)),
                ("client", models.CharField(max_length=64)),
                ("kind", models.CharField(max_length=4)),
                ("outcome", models.CharField(max_length=20)),
                ("transcript", models.ForeignKey(blank=True, null=True, on_delete=models.PROTECT,
                                                 related_name="+", to="certification.officialtranscript")),
            ],
            options={"ordering": ["-at"]},
        ),
    ]
