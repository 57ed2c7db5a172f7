"""Celery tasks around the pipeline: an upload is a job of the one lifecycle (sts/jobs.py).

A killed worker (kill -9, a machine restart) rolls its transaction back, so nothing of the file is
written; what remains is an upload marked Processing whose lease lapses, and the reaper queues it
again (or fails it after STS_JOB_MAX_ATTEMPTS). A redelivered broker message meets the claim: it
runs only a queued upload or a processing one whose lease lapsed, so a message delivered twice
never runs the file twice at once. Before writing, the pipeline checks under the sponsor-year lock
that its attempt is still the upload's and that no later upload for the sponsor and BSSY has
completed (else: superseded, nothing written).
"""
import logging

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from sts import jobs

from .models import Upload, UploadError

log = logging.getLogger(__name__)


def progress_key(upload_id):
    return f"upload-progress-{upload_id}"


def read_progress(upload):
    """(done, total) records of a running upload, from the cache the worker writes."""
    return cache.get(progress_key(upload.pk)) or (0, 0)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def process_upload(upload_id):
    jobs.execute(Upload, upload_id, lambda upload: run_upload(upload, attempt=upload.attempts))


def queue_upload(upload):
    """Send a stored upload to the workers once the current transaction commits."""
    jobs.enqueue(upload)


def run_upload(upload, *, synchronous=False, attempt=None):
    """Run the pipeline for an Upload and store the results. Progress results of the loaded
    students are recomputed by workers, or here with `synchronous` (the command-line upload)."""
    from transcripts.progress_store import recompute
    from transcripts.tasks import queue_recompute

    from .pipeline import Abandoned, run_pipeline

    def progress(done, total):
        cache.set(progress_key(upload.pk), (done, total or 0), 3600)

    if attempt is None:  # a command runs it here: claimed and kept alive like a worker's
        claimed = jobs.claim(Upload, upload.pk)
        if claimed is None:
            return None
        with jobs.lease(claimed):
            return run_upload(claimed, synchronous=synchronous, attempt=claimed.attempts)
    saved = []

    def on_written(run):
        save_run(upload, run)
        saved.append(run)
    try:
        run = run_pipeline(upload.stored_path, upload.original_name, mode=upload.mode, bssy=upload.bssy,
                           today=upload.today or timezone.localdate(), user=upload.user, progress=progress,
                           source=f"upload #{upload.pk}", upload=(upload.pk, attempt), on_written=on_written)
    except Abandoned:
        log.warning("upload %s attempt %s was taken over; its run wrote nothing", upload.pk, attempt)
        return None
    if not saved:
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

    from .pipeline import Abandoned

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
        fields = {f: getattr(upload, f) for f in ("sponsor", "bssy", "students_total", "students_done", "counts",
                                                  "error_counts")}
        if not jobs.finish(upload, status, result=result, **fields):
            raise Abandoned(upload.pk)  # taken over by a later attempt: roll back, its results stand
    cache.delete(progress_key(upload.pk))
