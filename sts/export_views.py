from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ObjectDoesNotExist
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from .exports import CONTENT_TYPES, EXPORTERS, with_viewer
from .models import ExportJob
from .tasks import read_progress, run_export


def start_export(request, exporter_name, fmt, params):
    """Check permission now, queue the export for a worker, send the user to its status page."""
    exporter = EXPORTERS[exporter_name]
    if fmt not in exporter.formats:
        raise Http404(f"No {fmt} format for this export.")
    params = {k: v for k, v in params.items() if k != "viewer"}
    try:
        exporter.check(request.user, with_viewer(params, request.user))
        title = exporter.title(with_viewer(params, request.user))
    except (KeyError, TypeError, ValueError, ObjectDoesNotExist) as exc:
        # An exporter that did not name the problem itself (BadRequest/PermissionDenied pass through).
        raise BadRequest(f"The export's parameters are missing or wrong ({exc.__class__.__name__}).") from None
    job = ExportJob.objects.create(user=request.user, exporter=exporter_name, fmt=fmt, params=params, title=title,
                                   filename=f"{slugify(title)[:80] or 'export'}.{fmt}")
    transaction.on_commit(lambda: run_export.delay(job.pk))
    return redirect("export_status", pk=job.pk)


@login_required
def export_status(request, pk):
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    done, total = read_progress(job) if job.status == "running" else (0, None)
    template = "exports/_status.html" if request.headers.get("HX-Request") else "exports/status.html"
    return render(request, template, {"job": job, "done": done, "total": total,
                                      "percent": int(100 * done / total) if total else 0})


@login_required
def export_download(request, pk):
    job = get_object_or_404(ExportJob, pk=pk, user=request.user, status="done")
    return FileResponse(open(job.path, "rb"), as_attachment=True, filename=job.filename,
                        content_type=CONTENT_TYPES.get(job.fmt, "application/octet-stream"))


@login_required
@require_POST
def export_request(request, exporter_name, fmt):
    """Generic entry: POST params become the exporter's params (exporters validate them in check)."""
    if exporter_name not in EXPORTERS:
        raise Http404("No such export.")
    params = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    return start_export(request, exporter_name, fmt, params)
