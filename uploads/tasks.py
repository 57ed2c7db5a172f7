"""Celery tasks around the pipeline: claiming an upload, a heartbeat while it runs, live progress,
results, and the reaper that retries or fails an upload whose worker died.

A killed worker (kill -9, a machine restart) rolls its transaction back, so nothing of the file is
written; what remains is an upload marked Processing. Its heartbeat (a cache key the running task
touches every few seconds from a thread) stops, and `reap_stale_uploads` (Celery beat every
minute, and on every look at the upload pages) puts it back in the queue once the heartbeat is
older than STS_UPLOAD_STALE_SECONDS, or fails it after MAX_ATTEMPTS. A redelivered broker message
(acks_late) meets the same claim: it runs only a queued upload or a processing one whose heartbeat
is stale, so a message delivered twice never runs the file twice at once. Before writing, the
pipeline checks under the sponsor-year lock that its attempt is still the upload's and that no
later upload for the sponsor and BSSY has completed (else: superseded, nothing written).
"""
import logging
import threading
import time
from contextlib import contextmanager

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import Upload, UploadError

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
HEARTBEAT_SECONDS = 5


def progress_key(upload_id):
    return f"upload-progress-{upload_id}"


def heartbeat_key(upload_id):
    return f"upload-heartbeat-{upload_id}"


def read_progress(upload):
    """(done, total) records of a running upload, from the cache the worker writes."""
    return cache.get(progress_key(upload.pk)) or (0, 0)


def _beat(upload_id):
    cache.set(heartbeat_key(upload_id), time.time(), settings.STS_UPLOAD_STALE_SECONDS * 10)


@contextmanager
def heartbeat(upload_id):
    """Touch the upload's heartbeat every HEARTBEAT_SECONDS while the block runs (a thread, so a
    long COPY or commit keeps it alive; it dies with the process)."""
    stop = threading.Event()

    def run():
        while not stop.wait(HEARTBEAT_SECONDS):
            try:
                _beat(upload_id)
            except Exception:  # a cache hiccup must not kill the upload
                log.warning("heartbeat of upload %s not written", upload_id, exc_info=True)

    _beat(upload_id)
    thread = threading.Thread(target=run, name=f"upload-{upload_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=HEARTBEAT_SECONDS + 1)
        cache.delete(heartbeat_key(upload_id))


def is_stale(upload, now=None) -> bool:
    """A processing upload whose worker has shown no sign of life for STS_UPLOAD_STALE_SECONDS."""
    if upload.status != "processing":
        return False
    last = cache.get(heartbeat_key(upload.pk))
    if last is None:
        last = upload.started_at.timestamp() if upload.started_at else 0
    return (now or time.time()) - last > settings.STS_UPLOAD_STALE_SECONDS


def _claim(upload_id):
    """(upload, attempt) when this delivery may run the upload, else None."""
    with transaction.atomic():
        upload = Upload.objects.select_for_update(of=("self",)).select_related("user").filter(pk=upload_id).first()
        if upload is None or upload.finished:
            return None  # already done: a redelivered message after success is a no-op
        if upload.status == "processing" and not is_stale(upload):
            return None  # another worker is on it (a message delivered twice)
        if upload.attempts >= MAX_ATTEMPTS:
            _finish(upload, "failed", {"message": _stopped_message()})
            return None
        upload.status, upload.started_at, upload.attempts = "processing", timezone.now(), upload.attempts + 1
        upload.save(update_fields=["status", "started_at", "attempts"])
        _beat(upload.pk)
    return upload, upload.attempts


def _stopped_message():
    return (f"Processing stopped {MAX_ATTEMPTS} times (the worker was lost each time); nothing was loaded. "
            "Submit the file again, or contact support if it happens again.")


@shared_task(acks_late=True, reject_on_worker_lost=True)
def process_upload(upload_id):
    claimed = _claim(upload_id)
    if claimed is None:
        return
    upload, attempt = claimed
    with heartbeat(upload.pk):
        try:
            run_upload(upload, attempt=attempt)
        except Exception:  # nothing a user sends may crash the worker or leave the upload spinning
            log.exception("upload %s failed", upload_id)
            _finish(upload, "failed", {"message": "Processing failed unexpectedly; nothing was loaded. The error was "
                                                  "logged for support."})


def reap_now_and_then(every=5):
    """`reap_stale_uploads` from the upload pages, at most once every `every` seconds (the status
    poll runs every second for each viewer; beat reaps every minute anyway)."""
    if cache.add("upload-reaped-recently", True, every):
        reap_stale_uploads()


@shared_task
def reap_stale_uploads():
    """Retry (or, after MAX_ATTEMPTS, fail) every processing upload whose heartbeat is stale."""
    reaped = []
    for pk in Upload.objects.filter(status="processing").values_list("pk", flat=True):
        with transaction.atomic():
            upload = Upload.objects.select_for_update().filter(pk=pk).first()
            if upload is None or not is_stale(upload):
                continue
            if upload.attempts >= MAX_ATTEMPTS:
                _finish(upload, "failed", {"message": _stopped_message()})
            else:
                upload.status = "queued"
                upload.result = {"notice": f"The worker processing this file stopped (attempt {upload.attempts}); "
                                           "nothing of it was loaded. It was queued again."}
                upload.save(update_fields=["status", "result"])
                transaction.on_commit(lambda pk=pk: process_upload.delay(pk))
            reaped.append(pk)
    return reaped


def run_upload(upload, *, synchronous=False, attempt=None):
    """Run the pipeline for an Upload and store the results. Progress results of the loaded
    students are recomputed by workers, or here with `synchronous` (the command-line upload)."""
    from transcripts.progress_store import recompute
    from transcripts.tasks import queue_recompute

    from .pipeline import Abandoned, run_pipeline

    def progress(done, total):
        cache.set(progress_key(upload.pk), (done, total or 0), 3600)

    if attempt is None:  # a command runs it here: claimed and kept alive like a worker's
        claimed = _claim(upload.pk)
        if claimed is None:
            return None
        upload, attempt = claimed
        with heartbeat(upload.pk):
            return run_upload(upload, synchronous=synchronous, attempt=attempt)
    try:
        run = run_pipeline(upload.stored_path, upload.original_name, mode=upload.mode, bssy=upload.bssy,
                           today=upload.today or timezone.localdate(), user=upload.user, progress=progress,
                           source=f"upload #{upload.pk}", upload=(upload.pk, attempt))
    except Abandoned:
        log.warning("upload %s attempt %s was taken over; its run wrote nothing", upload.pk, attempt)
        return None
    save_run(upload, run)
    if run.loaded_student_ids:
        ids = run.loaded_student_ids
        if synchronous:
            recompute(ids)
        else:
            transaction.on_commit(lambda: queue_recompute(ids))
    return run


def save_run(upload, run):
    """Store a run's results on the Upload (status, counts, error rows)."""
    from core_tables.models import Sponsor
    from sts.accounts import permissions

    with transaction.atomic():
        UploadError.objects.filter(upload=upload).delete()
        UploadError.objects.bulk_create([UploadError(upload=upload, **e) for e in run.errors], batch_size=5000)
        # Only a sponsor the user may upload for: a file of another sponsor's code never appears
        # in that sponsor's history.
        if run.sponsor and permissions.can(upload.user, permissions.Action.UPLOAD, sponsor=run.sponsor):
            upload.sponsor = Sponsor.objects.filter(code=run.sponsor).first()
        upload.bssy = run.bssy or upload.bssy
        upload.students_total = upload.students_done = run.total
        upload.counts, upload.error_counts = run.counts, run.error_counts
        status = "superseded" if run.superseded_by else "complete" if run.accepted else "not_accepted"
        result = run.as_json(with_errors=False)
        if run.accepted and upload.mode in ("validate", "replace"):
            result["replace_deletes"] = run.replace_deletes
        if run.notices:
            result["notices"] = run.notices
        _finish(upload, status, result)
    cache.delete(progress_key(upload.pk))


def _finish(upload, status, result):
    upload.status, upload.result, upload.finished_at = status, result, timezone.now()
    upload.save()
