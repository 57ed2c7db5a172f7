"""Steps of the embedded-default scenario (tests/integration/test_embedded_default.py), each run in
its own process against the laptop set-up (SQLite file, filesystem broker, file cache), as a
person's browser and the `make run` worker would: `python -m tests.integration.embedded_driver STEP`.
Prints one JSON line."""
import json
import sys


def _setup():
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sts.settings")
    import django

    django.setup()


def submit(n_uploads: str, out_dir: str):
    """Ten uploads (generated files of every sponsor), two certifications and an export, sent at once."""
    import io
    from pathlib import Path

    from django.core.management import call_command
    from django.db import transaction

    from certification import services
    from core_tables.models import Site
    from sts.accounts.models import User
    from sts.export_views import queue_export
    from uploads.storage import file_chunks, store_upload
    from uploads.tasks import queue_upload

    # Sponsors other than the certified sites' (017): an upload landing after a certification would
    # rightly reject its graduates ("graduate data changed after the certification").
    sponsors = [("W3B", "EW3BALL"), ("036", "E036ALL")]
    uploads = []
    for i in range(int(n_uploads)):
        sponsor, user_id = sponsors[i % len(sponsors)]
        path = Path(out_dir) / f"burst{i}.txt"
        call_command("generate_batch", "--students", "25", "--sponsor", sponsor, "--seed", str(100 + i), "--bssy",
                     "2025", "--out", str(path), stdout=io.StringIO(), stderr=io.StringIO())
        with transaction.atomic():
            upload = store_upload(User.objects.get(username=user_id), path.name, file_chunks(path), mode="partial",
                                  bssy=2025)
            queue_upload(upload)
        uploads.append(upload.pk)
    export = queue_export(User.objects.get(username="ELDOE01"), "core_progress", "pdf", {"site": "017001", "bssy": 2025})
    certified = []
    for code, user_id in (("017001", "E017ALL"), ("017002", "E017ALL")):
        site = Site.objects.select_related("sponsor").get(code=code)
        certified.append(services.certify_site(site, 2025, by=user_id).certification.pk)
    return {"uploads": uploads, "export": export.pk, "certifications": certified}


def state():
    """Where every job stands, and what the people would read."""
    from certification.models import IssueBatch, OfficialTranscript, OtsEntry
    from sts import jobs
    from sts.models import ExportJob, ExportPart
    from transcripts.models import RecomputeBatch
    from uploads.models import Upload

    jobs.reap()  # what beat (and every page that shows jobs) does
    unfinished = {m._meta.label: m.objects.exclude(status__in=m.JOB_FINAL).count()
                  for m in (Upload, ExportJob, ExportPart, IssueBatch, RecomputeBatch)}
    return {
        "unfinished": unfinished,
        "running": sum(m.objects.filter(status=m.JOB_RUNNING).count()
                       for m in (Upload, ExportJob, ExportPart, IssueBatch, RecomputeBatch)),
        "uploads": list(Upload.objects.order_by("pk").values("pk", "status", "attempts", "message")),
        "exports": list(ExportJob.objects.values("pk", "status", "attempts", "message", "path", "size")),
        "batches": list(IssueBatch.objects.values("pk", "status", "attempts", "message")),
        "entries": {s: OtsEntry.objects.filter(status=s).count() for s in "QSR"},
        "reasons": sorted(set(OtsEntry.objects.filter(status="R").values_list("reason", flat=True))),
        "versions": list(OfficialTranscript.objects.values_list("sponsor_id", "state_id", "bssy", "version")),
        "paths": list(OfficialTranscript.objects.values_list("path", "size")),
    }


def sweep():
    from django.conf import settings

    from certification.services import sweep_transcripts
    from sts import jobs
    from sts.tasks import sweep_exports

    root = settings.PRIVATE_MEDIA_ROOT
    return {"transcripts": sweep_transcripts(older_than=0), "temporary": jobs.sweep_temporary(root, older_than=0),
            "exports": sweep_exports()}


if __name__ == "__main__":
    _setup()
    step, *args = sys.argv[1:]
    print(json.dumps({"submit": submit, "state": state, "sweep": sweep}[step](*args), default=str))
