"""The one job lifecycle with a real worker on PostgreSQL and Redis (issue 17): kill -9 the worker
during an export, OTS issuing and a recalculation; each job reaches a final state within the stale
time plus a reaper pass, with no duplicate transcript version, no orphaned file and no half-written
file at a final path. A transient database error during issuing is retried, never a rejection."""
import datetime as dt
import io
import threading
import time
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from certification import services
from certification.models import IssueBatch, OfficialTranscript, OtsEntry
from core_tables.models import CollectionPeriod, Site
from sts import jobs
from sts.models import ExportJob, ExportPart
from transcripts.graduates import graduates
from transcripts.models import RecomputeBatch, Student, StudentProgress

from .conftest import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]
STALE = 5


@pytest.fixture
def signed(settings, tmp_path_factory):
    """A throw-away signing pair for this process and the worker's."""
    from certification.signing import make_self_signed

    folder = tmp_path_factory.mktemp("signing")
    make_self_signed(folder / "cert.pem", folder / "key.pem")
    settings.STS_SIGNING_CERT, settings.STS_SIGNING_KEY = str(folder / "cert.pem"), str(folder / "key.pem")
    return {"STS_SIGNING_CERT": settings.STS_SIGNING_CERT, "STS_SIGNING_KEY": settings.STS_SIGNING_KEY}


@pytest.fixture
def reaping_worker(worker, settings, signed):
    """The worker with its embedded beat reaping every 2 s (production: every 60 s)."""
    settings.STS_JOB_STALE_SECONDS = STALE
    worker.stop()
    worker.beat = True
    worker.env.update({"STS_REAP_EVERY_SECONDS": "2", "STS_BROKER_VISIBILITY_TIMEOUT": "3600", **signed})
    return worker.start()


@pytest.fixture
def loaded(committed_reference, tmp_path, make_user):
    from tests.exports.conftest import generate, upload

    CollectionPeriod.objects.create(bssy=2025, opens=dt.date(2025, 12, 1), closes=dt.date(2099, 1, 1), is_current=True)
    make_user("E017UPL", "lea-upload", "017")
    result = upload(generate(tmp_path, "017", 240), "E017UPL")
    assert result["accepted"], result
    return make_user("E017ALL", "lea-all", "017")


def _final(model, **filters):
    return not model.objects.filter(**filters).exclude(status__in=model.JOB_FINAL).exists()


def _kill_when(worker, predicate, what, timeout=120):
    wait_for(predicate, timeout, what)
    worker.kill()
    return time.monotonic()


def _no_strays(root: Path, settings):
    """No temporary file anywhere, and every transcript file named by its row (after the sweep)."""
    settings.PRIVATE_MEDIA_ROOT = root  # where the worker wrote
    services.sweep_transcripts(older_than=0)
    jobs.sweep_temporary(root, older_than=0)
    assert not [p for p in root.rglob(f"{jobs.TEMP_MARK}*")], "a temporary file was left behind"
    on_disk = {str(p.relative_to(root)) for p in (root / "transcripts").rglob("*.pdf")}
    assert on_disk == set(OfficialTranscript.objects.values_list("path", flat=True))
    for t in OfficialTranscript.objects.all():
        assert (root / t.path).stat().st_size == t.size  # whole files only


def test_killed_during_an_export_the_job_is_retried_and_its_file_is_whole(loaded, reaping_worker, client, monkeypatch,
                                                                           settings):
    monkeypatch.setenv("STS_REPORT_STUDENTS_PER_FILE", "20")  # read by the worker: several parts
    reaping_worker.stop()
    reaping_worker.start()
    client.force_login(loaded)
    client.post(reverse("export_request", args=["core_progress", "pdf"]), {"site": "017001", "bssy": 2025},
                HTTP_HX_REQUEST="true")
    job = ExportJob.objects.get(exporter="core_progress")
    killed_at = _kill_when(reaping_worker, lambda: ExportPart.objects.filter(job=job, status="done").exists(),
                           "the first part to be done")
    # A second identical request while the worker is gone and its lease lapsed never joins the dead job.
    time.sleep(STALE + 1)
    running = ExportPart.objects.filter(job=job, status="running").first()
    if running is not None:
        assert jobs.lease_lapsed(running)
    reaping_worker.start()
    job = wait_for(lambda: ExportJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).first(), 240,
                   "the export to finish after the kill")
    assert job.status == "done", job.message
    assert time.monotonic() - killed_at < 240
    assert Path(job.path).exists() and Path(job.path).stat().st_size == job.size
    download = client.get(reverse("export_download", args=[job.pk]))
    import zipfile
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as zf:
        assert zf.testzip() is None and len(zf.namelist()) == len(job.parts)
    exports = Path(job.path).parent  # the worker's PRIVATE_MEDIA_ROOT/exports
    jobs.sweep_temporary(exports, older_than=0)
    assert sorted(p.name for p in exports.iterdir()) == [Path(job.path).name]  # no part or partial left


def test_a_duplicate_request_never_joins_a_dead_export(loaded, worker, client, settings):
    settings.STS_JOB_STALE_SECONDS = STALE
    worker.kill()  # no worker: the job is claimed by hand below, then its "worker" dies
    client.force_login(loaded)
    client.post(reverse("export_request", args=["summary", "xlsx"]), {"site": "017001", "bssy": 2025}, HTTP_HX_REQUEST="true")
    first = ExportJob.objects.get()
    claimed = jobs.claim(ExportJob, first.pk)
    assert claimed is not None
    client.post(reverse("export_request", args=["summary", "xlsx"]), {"site": "017001", "bssy": 2025}, HTTP_HX_REQUEST="true")
    assert ExportJob.objects.count() == 1  # live: joined
    from django.core.cache import cache
    cache.set(jobs._lease_key(claimed), time.time() - STALE - 1)
    client.post(reverse("export_request", args=["summary", "xlsx"]), {"site": "017001", "bssy": 2025}, HTTP_HX_REQUEST="true")
    assert ExportJob.objects.count() == 2  # the dead one is not joined


def _certify_many(loaded, queue=True):
    site = Site.objects.get(code="017001")
    grads = graduates(Student.objects.filter(site=site, bssy=2025)).count()
    assert grads >= 20, grads
    outcome = services.certify_site(site, 2025, by=loaded.username, queue=queue)
    return site, outcome


def test_killed_during_issuing_every_graduate_ends_s_or_r_once(loaded, reaping_worker, settings):
    settings.STS_OTS_CHUNK = 1000  # one batch: the kill lands inside it
    site, outcome = _certify_many(loaded)
    assert len(outcome.ready) >= 6, len(outcome.ready)
    _kill_when(reaping_worker, lambda: OtsEntry.objects.filter(status="S").count() >= 3, "a few transcripts issued")
    issued_before = OtsEntry.objects.filter(status="S").count()
    assert OtsEntry.objects.filter(status="Q").exists(), "the kill came after the batch: make it larger"
    reaping_worker.start()
    wait_for(lambda: _final(IssueBatch), 240, "the issuing batch to be taken over and finished")
    entries = OtsEntry.objects.filter(certification=outcome.certification)
    assert not entries.filter(status="Q").exists()
    assert entries.filter(status="S").count() >= issued_before
    for reason in entries.filter(status="R").values_list("reason", flat=True):
        assert "could not" not in reason and "locked" not in reason, reason
    batch = IssueBatch.objects.get()
    assert batch.status == "done" and batch.attempts == 2
    versions = list(OfficialTranscript.objects.values_list("state_id", "version"))
    assert len(versions) == len(set(versions)) and all(v == 1 for _s, v in versions)  # no duplicate version
    _no_strays(Path(reaping_worker.media_root), settings)


def test_killed_during_a_recalculation_every_batch_finishes(loaded, reaping_worker, settings):
    from transcripts.tasks import queue_recompute

    StudentProgress.objects.all().delete()
    ids = list(Student.objects.order_by("pk").values_list("pk", flat=True))
    from django.db import transaction
    with transaction.atomic():
        batches = queue_recompute(ids * 8)  # long enough to be killed in the middle
    _kill_when(reaping_worker, lambda: RecomputeBatch.objects.filter(status="done").exists(), "a batch done")
    assert RecomputeBatch.objects.exclude(status="done").exists()
    reaping_worker.start()
    wait_for(lambda: _final(RecomputeBatch), 240, "every recalculation batch to finish")
    assert set(RecomputeBatch.objects.values_list("status", flat=True)) == {"done"}
    assert StudentProgress.objects.count() == len(ids)
    assert len(batches) == RecomputeBatch.objects.count()


def test_a_lock_timeout_during_issuing_is_retried_and_the_student_issued(loaded, signed, settings, tmp_path):
    """A real lock held by another connection makes issuing time out (lock_timeout); the entry is
    tried again once the lock is gone and the student is issued, not rejected."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    site, outcome = _certify_many(loaded, queue=False)
    ready = {s.state_id for s in outcome.ready}
    entry = OtsEntry.objects.filter(certification=outcome.certification, state_id__in=ready).order_by("pk").first()
    student = Student.objects.get(sponsor_id=entry.sponsor_id, state_id=entry.state_id, bssy=2025)
    db = django_settings.DATABASES["default"]
    other = psycopg2.connect(dbname=db["NAME"], user=db.get("USER") or "postgres", host=db.get("HOST") or "127.0.0.1",
                             port=db.get("PORT") or 5432)
    other.autocommit = False
    cur = other.cursor()
    cur.execute("SELECT id FROM transcripts_student WHERE id = %s FOR UPDATE", [student.pk])
    threading.Timer(1.5, other.rollback).start()  # the other transaction ends after a while
    with connection.cursor() as c:
        c.execute("SET lock_timeout = '200ms'")
    try:
        assert services.process_entries([entry.pk]) == {"S": 1, "R": 0, "skipped": 0}
    finally:
        with connection.cursor() as c:
            c.execute("SET lock_timeout = 0")
        other.close()
    entry.refresh_from_db()
    assert entry.status == "S" and entry.reason == ""
