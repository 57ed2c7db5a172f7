"""Celery task around the pipeline: status, live progress, results, retries after a lost worker."""
import logging

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import Upload, UploadError

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


def progress_key(upload_id):
    return f"upload-progress-{upload_id}"


def read_progress(upload):
    """(done, total) records of a running upload, from the cache the worker writes."""
    return cache.get(progress_key(upload.pk)) or (0, 0)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def process_upload(upload_id):
    upload = Upload.objects.select_related("user").filter(pk=upload_id).first()
    if upload is None or upload.finished:
        return  # already done (a redelivered message after success is a no-op)
    # A redelivery after a killed worker: the transaction of the last attempt was rolled back.
    upload.status, upload.started_at, upload.attempts = "processing", timezone.now(), upload.attempts + 1
    upload.save(update_fields=["status", "started_at", "attempts"])
    if upload.attempts > MAX_ATTEMPTS:
        return _finish(upload, "failed", {"message": f"Processing stopped {MAX_ATTEMPTS} times; nothing was loaded. "
                                                     "Submit the file again or contact support."})
    try:
        run_upload(upload)
    except Exception:  # nothing a user sends may crash the worker or leave the upload spinning
        log.exception("upload %s failed", upload_id)
        _finish(upload, "failed", {"message": "Processing failed unexpectedly; nothing was loaded. The error was "
                                              "logged for support."})


def run_upload(upload, *, synchronous=False):
    """Run the pipeline for an Upload and store the results. Progress results of the loaded
    students are recomputed by workers, or here with `synchronous` (the command-line upload)."""
    from transcripts.progress_store import recompute
    from transcripts.tasks import queue_recompute

    from .pipeline import run_pipeline

    def progress(done, total):
        cache.set(progress_key(upload.pk), (done, total or 0), 3600)

    run = run_pipeline(upload.stored_path, upload.original_name, mode=upload.mode, bssy=upload.bssy,
                       today=upload.today or timezone.localdate(), user=upload.user, progress=progress,
                       source=f"upload #{upload.pk}")
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

    with transaction.atomic():
        UploadError.objects.filter(upload=upload).delete()
        UploadError.objects.bulk_create([UploadError(upload=upload, **e) for e in run.errors], batch_size=5000)
        if run.sponsor:
            upload.sponsor = Sponsor.objects.filter(code=run.sponsor).first()
        upload.bssy = run.bssy or upload.bssy
        upload.students_total = upload.students_done = run.total
        upload.counts, upload.error_counts = run.counts, run.error_counts
        _finish(upload, "complete" if run.accepted else "not_accepted", run.as_json(with_errors=False))
    cache.delete(progress_key(upload.pk))


def _finish(upload, status, result):
    upload.status, upload.result, upload.finished_at = status, result, timezone.now()
    upload.save()
