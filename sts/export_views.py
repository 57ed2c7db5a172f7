"""Starting an export, following it in place (htmx) and downloading it; My downloads.

Every screen's export buttons post here (or to a view that calls `start_export`): the permission
is checked now and again in the worker; the same request while one is queued or running joins it.
"""
import datetime as dt
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from . import jobs
from .exports import EXPORTERS, content_type
from .models import ExportJob
from .tasks import read_progress


def keep_period():
    return dt.timedelta(hours=settings.STS_EXPORT_KEEP_HOURS)


def clean_params(params) -> dict:
    """Params as stored and compared: text values, empty ones dropped (an unset filter)."""
    return {str(k): str(v) for k, v in params.items() if v not in (None, "")}


def queue_export(user, exporter_name, fmt, params) -> ExportJob:
    """The job for this request: a queued or running one of the same user, exporter, format and
    params, or a new one sent to a worker once committed. Raises PermissionDenied/BadRequest."""
    exporter = EXPORTERS[exporter_name].bind(user)
    if fmt not in exporter.formats:
        raise Http404(f"No {fmt} format for this export.")
    params = clean_params(params)
    exporter.check(user, params)
    key = ExportJob.key_of(user.pk, exporter_name, fmt, params)
    with transaction.atomic():
        # One request at a time per user decides whether to join (two clicks in a row).
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        for running in ExportJob.objects.filter(user=user, key=key, status__in=["queued", "running"],
                                                created_at__gt=timezone.now() - keep_period()):
            if jobs.is_live(running):  # never join a job whose worker is gone
                return running
        title = exporter.title(params)
        filename = exporter.download_name(fmt, params) or f"{slugify(title)[:80] or 'export'}.{fmt}"
        if len(filename) > 120:  # the column holds 200; a name made of long params is cut, its suffix kept
            filename = filename[:110] + Path(filename).suffix[:10]
        job = ExportJob.objects.create(user=user, exporter=exporter_name, fmt=fmt, params=params, key=key,
                                       title=title[:200], filename=filename, **jobs.queued_fields(ExportJob))
        jobs.enqueue(job)
    return job


def start_export(request, exporter_name, fmt, params):
    """Queue (or join) the export. From htmx: the status block, shown in place where the button
    is, polls until done and then starts the download. Otherwise: the job's status page."""
    if not request.headers.get("HX-Request"):
        return redirect("export_status", pk=queue_export(request.user, exporter_name, fmt, params).pk)
    try:
        job = queue_export(request.user, exporter_name, fmt, params)
    except (PermissionDenied, BadRequest) as exc:
        status = 403 if isinstance(exc, PermissionDenied) else 400
        return render(request, "exports/_refused.html", {"message": str(exc) or "Not allowed."}, status=status)
    return _status(request, job, follow=True)


def _status(request, job, *, follow):
    jobs.reap_now_and_then()  # a lost worker's export is retried or failed as soon as anyone looks
    if not job.finished:
        job.refresh_from_db()
    done, total = read_progress(job) if job.status == "running" else (0, job.total)
    return render(request, "exports/_status.html", {
        "job": job, "done": done, "total": total, "follow": follow, "standing": jobs.describe(job),
        "percent": min(100, int(100 * done / total)) if total else 0})


@login_required
def export_status(request, pk):
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    if request.headers.get("HX-Request"):
        # `follow`: the block was started from a button on this page: download when done.
        return _status(request, job, follow=request.GET.get("follow") == "1")
    return render(request, "exports/status.html", {"job": job, "done": 0, "total": job.total, "follow": True,
                                                   "keep_hours": settings.STS_EXPORT_KEEP_HOURS})


@login_required
def export_download(request, pk):
    job = get_object_or_404(ExportJob, pk=pk, user=request.user, status="done")
    if job.expires_at and job.expires_at < timezone.now():
        return render(request, "exports/expired.html", {"job": job}, status=410)
    # The worker checked when it rendered; the user's rights may have changed since.
    EXPORTERS[job.exporter].bind(request.user).check(request.user, job.params)
    return FileResponse(open(job.path, "rb"), as_attachment=True, filename=job.filename,
                        content_type=content_type(job.filename))


@login_required
def my_downloads(request):
    """My downloads: the user's exports still kept, newest first, running ones updating in place."""
    jobs = ExportJob.objects.filter(user=request.user).exclude(expires_at__lt=timezone.now())[:100]
    return render(request, "exports/my_downloads.html", {"jobs": jobs, "keep_hours": settings.STS_EXPORT_KEEP_HOURS})


@login_required
@require_POST
def export_request(request, exporter_name, fmt):
    """Generic entry: POST params become the exporter's params (exporters validate them in check)."""
    if exporter_name not in EXPORTERS:
        raise Http404("No such export.")
    params = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    return start_export(request, exporter_name, fmt, params)
