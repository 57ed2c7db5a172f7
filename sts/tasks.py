import logging

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.utils import timezone

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def run_export(job_id):
    from .exports import EXPORTERS, export_dir
    from .models import ExportJob

    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.finished:
        return
    job.status = "running"
    job.save(update_fields=["status"])
    exporter = EXPORTERS[job.exporter]
    try:
        exporter.check(job.user, job.params)  # permissions may have changed since the request
        path = export_dir() / f"{job.pk}-{job.filename}"
        exporter.render(job.fmt, job.params, path)
        job.status, job.path = "done", str(path)
    except PermissionDenied as exc:
        job.status, job.message = "failed", str(exc) or "Not allowed."
    except Exception:  # a report bug must not kill the worker or leave the job spinning
        log.exception("export %s failed", job_id)
        job.status, job.message = "failed", "The export failed; the error was logged for support."
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "path", "message", "finished_at"])
