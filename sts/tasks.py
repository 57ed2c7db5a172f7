"""Exports run by Celery workers (pretix's pattern): progress in the cache, the file under
PRIVATE_MEDIA_ROOT/exports, the job's state in `ExportJob`, a job of the one lifecycle
(sts/jobs.py). A large export renders in parts (`ExportPart`, jobs of their own), so several
worker processes share it; the last part to finish zips them.

Files are written in a temporary folder and renamed into place in the transaction that marks the
job (or part) done: a killed worker leaves no half-written file at a final path, and the sweep
removes its temporary folder. A redelivered or reaped run never publishes over a newer one."""
import datetime as dt
import logging
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from sts import clock
from . import jobs
from .exports import export_dir

log = logging.getLogger(__name__)
PROGRESS_SECONDS = 6 * 3600


def progress_key(job_id, part=None):
    return f"export-progress-{job_id}" + ("" if part is None else f"-{part}")


def read_progress(job):
    """(records done, total or None) of a running export, from the cache the workers write."""
    if not job.parts:
        done, total = jobs.read_progress(job)
        return done, total if total is not None else job.total
    values = cache.get_many([progress_key(job.pk, i) for i in range(len(job.parts))]).values()
    return sum(done for done, _ in values), job.total


def keep_until():
    return timezone.now() + dt.timedelta(hours=settings.STS_EXPORT_KEEP_HOURS)


def _finish_with(job, tmp: Path) -> bool:
    """End the export with the file the exporter wrote (maybe a .zip) at `tmp`: renamed into place
    in the transaction that marks the job done, so a row never points at a missing or partial file
    and a run taken over publishes nothing."""
    name = job.filename
    if tmp.suffix != Path(name).suffix:
        name = Path(name).with_suffix(tmp.suffix).name
    final = export_dir() / f"{job.pk}-{name}"
    with transaction.atomic():
        if not jobs.finish(job, "done", path=str(final), filename=name, size=tmp.stat().st_size,
                           expires_at=keep_until()):
            return False
        jobs.publish(tmp, final)
    return True


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_export(job_id):
    from .models import ExportJob

    purge_expired()
    jobs.execute(ExportJob, job_id, _run_export)


def _run_export(job):
    from .exports import EXPORTERS
    from .models import ExportPart

    exporter = EXPORTERS[job.exporter].bind(job.user)
    exporter.check(job.user, job.params)  # permissions may have changed since the request
    if job.total is None or not job.parts:
        job.total = exporter.count(job.params)
        parts = exporter.parts(job.params) or []
        job.parts = parts if len(parts) > 1 else []  # one part: rendered here like any export
        type(job).objects.filter(pk=job.pk).update(total=job.total, parts=job.parts)
    if job.parts:
        _fan_out(job, ExportPart)
        return
    with jobs.atomic_dir(export_dir(), owner=job) as work:
        target = work / job.filename

        def progress(done, total):
            jobs.progress(job, done, total if total is not None else job.total)
        written = Path(exporter.render(job.fmt, job.params, target, progress=progress) or target)
        _finish_with(job, written)


def _fan_out(job, part_model):
    """Parts as jobs of their own (several workers share them); a part already done is kept. When
    every part is done already (the last one's worker died zipping), zip them here."""
    with transaction.atomic():
        for i in range(len(job.parts)):
            part, created = part_model.objects.get_or_create(job=job, index=i, defaults=jobs.queued_fields(part_model))
            if created or part.status == part.JOB_QUEUED:
                jobs.enqueue(part)
    if not part_model.objects.filter(job=job).exclude(status="done").exists():
        _zip_parts(job)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_export_part(part_id):
    from .models import ExportPart

    jobs.execute(ExportPart, part_id, _run_export_part)


def _run_export_part(part):
    from .exports import EXPORTERS
    from .models import ExportJob

    job = ExportJob.objects.select_related("user").get(pk=part.job_id)
    if job.finished:
        jobs.finish(part, "done")
        return
    exporter = EXPORTERS[job.exporter].bind(job.user)
    exporter.check(job.user, job.params)
    index = part.index

    def progress(done, total):
        cache.set(progress_key(job.pk, index), (done, total), PROGRESS_SECONDS)
    with jobs.atomic_dir(export_dir(), owner=part) as work:
        target = work / _part_file(job, index).name
        exporter.render_part(job.fmt, job.params, job.parts[index], target, progress)
        with transaction.atomic():
            ExportJob.objects.select_for_update().filter(pk=job.pk).first()  # parts finish one at a time
            if not jobs.finish(part, "done"):
                return
            jobs.publish(target, _part_file(job, index))
    _zip_parts(job)


def _zip_parts(job):
    """When every part is done, zip them and end the export (once: under the job's row lock)."""
    from .exports import EXPORTERS, write_zip
    from .models import ExportJob, ExportPart

    exporter = EXPORTERS[job.exporter].bind(job.user)
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().select_related("user").get(pk=job.pk)
        if locked.status != locked.JOB_RUNNING or ExportPart.objects.filter(job=locked).exclude(status="done").exists():
            return
        locked.parts_done = list(range(len(locked.parts)))
        ExportJob.objects.filter(pk=locked.pk).update(parts_done=locked.parts_done)
        members = [(exporter.part_filename(locked.fmt, locked.params, i, part), _part_file(locked, i))
                   for i, part in enumerate(locked.parts)]
        with jobs.atomic_dir(export_dir()) as work:
            out = write_zip(members, work / Path(locked.filename).with_suffix(".zip").name)
            if not _finish_with(locked, out):
                return
    for i in range(len(locked.parts)):
        _part_file(locked, i).unlink(missing_ok=True)
        cache.delete(progress_key(job.pk, i))


def _part_file(job, index):
    return export_dir() / f"{job.pk}-part{index:04d}.{job.fmt}"


def purge_expired(now=None) -> int:
    """Delete the files and rows of exports past their keep time (and of jobs that never finished
    within it). Returns how many jobs were removed."""
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


def sweep_exports() -> int:
    """Expired exports, the temporary files of export attempts no longer running, and files no
    export owns. Beat runs it every 10 minutes (a walk of the folder: not for every export)."""
    return purge_expired() + jobs.sweep_temporary(export_dir()) + sweep_strays()


def sweep_strays() -> int:
    """Files under exports/ that no export owns: of a job gone or failed (a worker killed between
    publishing a file and committing its row). Returns how many were removed."""
    from .models import ExportJob

    files = {}
    for path in export_dir().iterdir():
        pk, _sep, _rest = path.name.partition("-")
        if pk.isdigit() and path.is_file():
            files.setdefault(int(pk), []).append(path)
    alive = dict(ExportJob.objects.filter(pk__in=list(files)).values_list("pk", "status"))
    removed = 0
    for pk, paths in files.items():
        if alive.get(pk) in (None, "failed"):
            for path in paths:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


@shared_task
def reap_jobs():
    """Celery beat: take over every job whose worker is gone, send again every lost message."""
    return jobs.reap()


@shared_task
def sweep_export_files():
    """Celery beat: expired exports, files a killed worker left (temporary ones, and finished ones
    no export owns)."""
    return sweep_exports()
