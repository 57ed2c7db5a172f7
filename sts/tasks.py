import logging

from celery import shared_task
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

log = logging.getLogger(__name__)


def progress_key(job_id):
    return f"export-progress-{job_id}"


def read_progress(job):
    """(records done, total or None) of a running export, from the cache the worker writes."""
    return cache.get(progress_key(job.pk)) or (0, None)


@shared_task(acks_late=True)
def run_export(job_id):
    from .exports import EXPORTERS, export_dir, with_viewer
    from .models import ExportJob

    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.finished:
        return
    job.status = "running"
    job.save(update_fields=["status"])
    exporter = EXPORTERS[job.exporter]
    def progress(done, total):
        cache.set(progress_key(job.pk), (done, total), 3600)

    params = with_viewer(job.params, job.user)
    try:
        exporter.check(job.user, params)  # permissions may have changed since the request
        path = export_dir() / f"{job.pk}-{job.filename}"
        exporter.render(job.fmt, params, path, progress=progress)
        job.status, job.path = "done", str(path)
    except PermissionDenied as exc:
        job.status, job.message = "failed", str(exc) or "Not allowed."
    except Exception:  # a report bug must not kill the worker or leave the job spinning
        log.exception("export %s failed", job_id)
        job.status, job.message = "failed", "The export failed; the error was logged for support."
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "path", "message", "finished_at"])
    cache.delete(progress_key(job.pk))
