"""Upload through the web client, processed by a real Celery worker on Redis and PostgreSQL."""
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from core_tables.loading import load_folder
from transcripts.models import Student
from uploads.models import FINISHED, Upload
from uploads.tasks import read_progress

from .conftest import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]
TODAY = "2026-03-01"


def _generate(tmp_path, students, error_rate="0", secure_ids=False):
    out = tmp_path / f"gen{students}.txt"
    args = ["--students", str(students), "--sponsor", "017", "--seed", "7", "--error-rate", error_rate,
            "--out", str(out), "--today", TODAY]
    if secure_ids:
        ids_dir = tmp_path / "ids"
        ids_dir.mkdir()
        args += ["--secure-ids-out", str(ids_dir / "secure_ids.csv")]
    call_command("generate_batch", *args, stdout=io.StringIO())
    if secure_ids:
        load_folder(ids_dir)
    return out


def _submit(client, path, mode="partial"):
    response = client.post(reverse("uploads:upload"), {
        "bssy": 2025, "mode": mode, "file": SimpleUploadedFile(path.name, path.read_bytes())})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Upload.objects.order_by("-pk").first()


@pytest.fixture
def coordinator(client, make_user, settings):
    from core_tables.models import CollectionPeriod
    import datetime as dt

    CollectionPeriod.objects.create(bssy=2025, opens=dt.date(2025, 12, 1), closes=dt.date(2099, 1, 1), is_current=True)
    user = make_user("E017UPL", "lea-upload", "017")
    client.force_login(user)
    return user


def test_upload_report_and_export_through_the_worker(worker, client, coordinator, tmp_path):
    path = _generate(tmp_path, 40, error_rate="0.25")
    upload = _submit(client, path)
    page = client.get(reverse("uploads:detail", args=[upload.pk])).content.decode()
    assert "upload-status" in page  # the live status block polls until the worker is done
    upload = wait_for(lambda: Upload.objects.filter(pk=upload.pk, status__in=["complete", "not_accepted", "failed"]).first(),
                      90, "the worker to process the upload")
    assert upload.status == "complete", upload.result
    result = upload.result
    assert result["students"]["total"] == 40 and result["students"]["rejected"] > 0
    assert Student.objects.filter(sponsor__code="017", bssy=2025).count() == result["students"]["loaded"]
    status = client.get(reverse("uploads:detail", args=[upload.pk]), {"part": "status"}, HTTP_HX_REQUEST="true")
    assert "Complete" in status.content.decode()
    report = client.get(reverse("uploads:detail", args=[upload.pk])).content.decode()
    first_code = sorted(upload.error_counts)[0]
    assert f"?code={first_code}" in report
    # The progress results of loaded students are recomputed by the worker too.
    wait_for(lambda: Student.objects.filter(bssy=2025, progress__isnull=False).count() == result["students"]["loaded"],
             60, "progress recomputation")
    # Export to Excel, rendered by the worker.
    response = client.post(reverse("uploads:export", args=[upload.pk, "xlsx"]))
    job_url = response.url
    from sts.models import ExportJob
    job = wait_for(lambda: ExportJob.objects.filter(status__in=["done", "failed"]).first(), 60, "the export")
    assert job.status == "done", job.message
    download = client.get(reverse("export_download", args=[job.pk]))
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:5] == ("Line", "Record type", "State ID", "Name", "Code") and len(rows) == upload.errors.count() + 1
    assert job_url.endswith(f"/exports/{job.pk}/")


def test_killed_worker_leaves_nothing_half_written_and_the_upload_is_retried(worker, client, coordinator, tmp_path):
    path = _generate(tmp_path, 4000, secure_ids=True)
    upload = _submit(client, path)
    wait_for(lambda: Upload.objects.get(pk=upload.pk).status == "processing" and read_progress(upload)[0] > 20000,
             120, "the worker to be well into the file")
    worker.kill()
    upload.refresh_from_db()
    assert upload.status == "processing"  # it was killed mid-file, not finished
    assert Student.objects.filter(sponsor__code="017", bssy=2025).count() == 0  # nothing half-written
    worker.start()  # the unacknowledged message is redelivered to the new worker
    upload = wait_for(lambda: Upload.objects.filter(pk=upload.pk, status__in=["complete", "not_accepted", "failed"]).first(),
                      180, "the redelivered upload")
    assert upload.status == "complete" and upload.attempts == 2, upload.result
    assert Student.objects.filter(sponsor__code="017", bssy=2025).count() == 4000


def _killed_mid_file(client, worker, tmp_path, students=4000):
    path = _generate(tmp_path, students, secure_ids=True)
    upload = _submit(client, path)
    wait_for(lambda: Upload.objects.get(pk=upload.pk).status == "processing" and read_progress(upload)[0] > 20000,
             120, "the worker to be well into the file")
    worker.kill()
    killed_at = time.monotonic()
    upload.refresh_from_db()
    assert upload.status == "processing"  # it was killed mid-file, not finished
    assert Student.objects.filter(sponsor__code="017", bssy=2025).count() == 0  # nothing half-written
    return upload, killed_at


def test_a_lost_upload_is_queued_again_within_the_stale_time(worker, client, coordinator, tmp_path, settings):
    """The broker does not redeliver here (visibility timeout of an hour): the heartbeat reaper retries."""
    worker.env["STS_BROKER_VISIBILITY_TIMEOUT"] = "3600"
    worker.stop()
    worker.start()
    settings.STS_JOB_STALE_SECONDS = 3
    upload, killed_at = _killed_mid_file(client, worker, tmp_path)
    # Anyone looking at the upload (or beat, every minute) reaps it once its heartbeat is stale.
    wait_for(lambda: client.get(reverse("uploads:detail", args=[upload.pk]), {"part": "status"},
                                HTTP_HX_REQUEST="true") and Upload.objects.get(pk=upload.pk).status == "queued",
             30, "the stale upload to be queued again")
    assert time.monotonic() - killed_at < settings.STS_JOB_STALE_SECONDS + 10
    page = client.get(reverse("uploads:detail", args=[upload.pk])).content.decode()
    assert "queued again" in page
    worker.start()
    upload = wait_for(lambda: Upload.objects.filter(pk=upload.pk, status__in=FINISHED).first(), 180, "the retry")
    assert upload.status == "complete" and upload.attempts == 2, upload.result
    assert Student.objects.filter(sponsor__code="017", bssy=2025).count() == 4000


def test_an_old_upload_retried_after_a_newer_one_never_overwrites_it(worker, client, coordinator, tmp_path, settings):
    worker.env["STS_BROKER_VISIBILITY_TIMEOUT"] = "3600"
    worker.stop()
    worker.start()
    settings.STS_JOB_STALE_SECONDS = 3600  # keep the old upload aside until the newer one is in
    old, _ = _killed_mid_file(client, worker, tmp_path)
    worker.start()
    newer_file = tmp_path / "newer" / "gen30.txt"
    newer_file.parent.mkdir()
    newer = _submit(client, _generate(newer_file.parent, 30))
    newer = wait_for(lambda: Upload.objects.filter(pk=newer.pk, status__in=FINISHED).first(), 90, "the newer upload")
    assert newer.status == "complete", newer.result
    snapshot = sorted(Student.objects.filter(sponsor__code="017", bssy=2025).values_list("state_id", "updated_at"))
    assert len(snapshot) == newer.result["students"]["loaded"]
    settings.STS_JOB_STALE_SECONDS = 2
    time.sleep(2.5)
    client.get(reverse("uploads:history"))  # reaps: the old upload goes back to the queue
    old = wait_for(lambda: Upload.objects.filter(pk=old.pk, status__in=FINISHED).first(), 120, "the old upload's retry")
    assert old.status == "superseded", old.result
    assert f"upload #{newer.pk}" in old.result["file_errors"][0]["message"]
    after = sorted(Student.objects.filter(sponsor__code="017", bssy=2025).values_list("state_id", "updated_at"))
    assert after == snapshot  # the newer data stands, untouched
