"""Exports run by Celery workers (pretix's pattern): progress in the cache, the file under
PRIVATE_MEDIA_ROOT/exports, the job's state in `ExportJob`. A large export renders in parts, one
task each, so several worker processes share it; the last part to finish zips them.

Redelivery (acks_late) is harmless: a finished job is left alone, a part already done is not
counted twice, and the zip is written under a temporary name first."""
import datetime as dt
import logging
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.utils import timezone

from sts import clock

log = logging.getLogger(__name__)
PROGRESS_SECONDS = 6 * 3600


def progress_key(job_id, part=None):
    return f"export-progress-{job_id}" + ("" if part is None else f"-{part}")


def read_progress(job):
    """(records done, total or None) of a running export, from the cache the workers write."""
    if not job.parts:
        return cache.get(progress_key(job.pk)) or (0, job.total)
    values = cache.get_many([progress_key(job.pk, i) for i in range(len(job.parts))]).values()
    return sum(done for done, _ in values), job.total


def keep_until():
    return timezone.now() + dt.timedelta(hours=settings.STS_EXPORT_KEEP_HOURS)


def _file_of(job):
    from .exports import export_dir

    return export_dir() / f"{job.pk}-{job.filename}"


def _fail(job, message):
    job.status, job.message, job.finished_at, job.expires_at = "failed", message, timezone.now(), keep_until()
    job.save(update_fields=["status", "message", "finished_at", "expires_at"])


def _done(job, written: Path):
    """The job is done: the file the exporter wrote (maybe a .zip) is what the user downloads."""
    written = Path(written)
    if written.suffix != Path(job.filename).suffix:
        job.filename = Path(job.filename).with_suffix(written.suffix).name
    job.status, job.path, job.size = "done", str(written), written.stat().st_size
    job.finished_at, job.expires_at = timezone.now(), keep_until()
    job.save(update_fields=["status", "path", "filename", "size", "finished_at", "expires_at"])


def _guarded(job, work):
    """Run `work()`; a refusal or a bad parameter fails the job with its message, anything else
    with a generic one (the traceback goes to the log): the worker never dies of a report bug."""
    try:
        return work()
    except (PermissionDenied, BadRequest) as exc:
        _fail(job, str(exc) or "Not allowed.")
    except Exception:
        log.exception("export %s failed", job.pk)
        _fail(job, "The export failed; the error was logged for support.")
    return None


@shared_task(acks_late=True)
def run_export(job_id):
    from .exports import EXPORTERS
    from .models import ExportJob

    purge_expired()
    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.finished or (job.status == "running" and job.parts):
        return  # already done, or already split into parts (a redelivered message)
    exporter = EXPORTERS[job.exporter].bind(job.user)

    def start():
        exporter.check(job.user, job.params)  # permissions may have changed since the request
        job.status, job.total = "running", exporter.count(job.params)
        job.parts = exporter.parts(job.params) or []
        if len(job.parts) == 1:
            job.parts = []  # one part: rendered here like any export
        job.save(update_fields=["status", "total", "parts"])
        if job.parts:
            for i in range(len(job.parts)):
                run_export_part.delay(job.pk, i)
            return
        path = _file_of(job)

        def progress(done, total):
            cache.set(progress_key(job.pk), (done, total if total is not None else job.total), PROGRESS_SECONDS)
        _done(job, exporter.render(job.fmt, job.params, path, progress=progress) or path)
        cache.delete(progress_key(job.pk))
    _guarded(job, start)


@shared_task(acks_late=True)
def run_export_part(job_id, index):
    from .exports import EXPORTERS, write_zip, zip_path
    from .models import ExportJob

    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.finished or index in job.parts_done:
        return
    exporter = EXPORTERS[job.exporter].bind(job.user)
    target = _part_file(job, index)

    def render():
        exporter.check(job.user, job.params)

        def progress(done, total):
            cache.set(progress_key(job.pk, index), (done, total), PROGRESS_SECONDS)
        exporter.render_part(job.fmt, job.params, job.parts[index], target, progress)
        with transaction.atomic():
            locked = ExportJob.objects.select_for_update().get(pk=job.pk)
            if locked.finished:
                return
            locked.parts_done = sorted({*locked.parts_done, index})
            locked.save(update_fields=["parts_done"])
            if len(locked.parts_done) < len(locked.parts):
                return
            members = [(exporter.part_filename(locked.fmt, locked.params, i, part), _part_file(locked, i))
                       for i, part in enumerate(locked.parts)]
            out = write_zip(members, zip_path(_file_of(locked)))
            _done(locked, out)
        for i in range(len(locked.parts)):
            _part_file(locked, i).unlink(missing_ok=True)
            cache.delete(progress_key(job.pk, i))
    _guarded(job, render)


def _part_file(job, index):
    from .exports import export_dir

    return export_dir() / f"{job.pk}-part{index:04d}.{job.fmt}"


def purge_expired(now=None) -> int:
    """Delete the files and rows of exports past their keep time (and of jobs that never finished
    within it). Returns how many jobs were removed."""
    from .exports import export_dir
    from .models import ExportJob

    now = now or clock.now()
    stale = now - dt.timedelta(hours=settings.STS_EXPORT_KEEP_HOURS)
    expired = ExportJob.objects.filter(expires_at__lt=now) | ExportJob.objects.filter(
        expires_at__isnull=True, created_at__lt=stale)
    removed = 0
    for job in expired.only("pk", "path", "parts"):
        if job.path:
            Path(job.path).unlink(missing_ok=True)
        for leftover in export_dir().glob(f"{job.pk}-*"):
            leftover.unlink(missing_ok=True)
        job.delete()
        removed += 1
    return removed
