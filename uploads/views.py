
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render

from core_tables.periods import fmt_bssy
from sts.accounts import permissions
from sts.accounts.permissions import Action
from sts.export_views import start_export

from .files import FileRejected, check_name
from .forms import UploadForm
from .models import Upload
from .queries import may_see_upload, uploads_visible_to
from .storage import store_upload
from .tasks import read_progress


@login_required
def upload(request):
    permissions.require(request.user, Action.UPLOAD)
    choices = [(y, fmt_bssy(y)) for y in range(request.current_bssy, request.current_bssy - 6, -1)]
    form = UploadForm(request.POST or None, request.FILES or None, bssy_choices=choices,
                      initial={"bssy": request.bssy})
    if request.method == "POST" and form.is_valid():
        incoming = form.cleaned_data["file"]
        try:
            name = check_name(incoming.name)
        except FileRejected as exc:
            form.add_error("file", exc.message)
        else:
            if incoming.size > settings.STS_UPLOAD_MAX_BYTES:
                form.add_error("file", f"{name} is {incoming.size:,} bytes; the limit is {settings.STS_UPLOAD_MAX_BYTES:,}.")
            else:
                job = _store_and_queue(request.user, name, incoming, form.cleaned_data)
                return redirect("uploads:detail", pk=job.pk)
    return render(request, "uploads/upload.html", {"form": form})


def _store_and_queue(user, name, incoming, data):
    from .tasks import process_upload

    with transaction.atomic():
        job = store_upload(user, name, incoming.chunks(), mode=data["mode"], bssy=data["bssy"])
        transaction.on_commit(lambda: process_upload.delay(job.pk))
    return job


def code_label(code):
    """The catalog message of an edit code, or the removal reason of a GRn row."""
    from transcripts.edits import CATALOG, GRAD_DATE_REMOVAL_REASONS

    if code in CATALOG:
        return CATALOG[code].message
    if code.startswith("GR") and code[2:] in GRAD_DATE_REMOVAL_REASONS:
        return "GRAD DATE REMOVED: " + GRAD_DATE_REMOVAL_REASONS[code[2:]][0].upper()
    return ""


def _upload_or_404(request, pk):
    job = get_object_or_404(Upload.objects.select_related("sponsor", "user"), pk=pk)
    if not may_see_upload(request.user, job):
        raise PermissionDenied("You may not see this upload.")
    return job


@login_required
def detail(request, pk):
    """Status while it runs (htmx polling), then the error report."""
    job = _upload_or_404(request, pk)
    if job.status == "processing":
        job.students_done, job.students_total = read_progress(job)
    if request.headers.get("HX-Request") and request.GET.get("part") == "status":
        response = render(request, "uploads/_status.html", {"job": job})
        if job.finished:
            response["HX-Refresh"] = "true"  # reload once: the full error report replaces the status
        return response
    errors = job.errors.all()
    code, record_type, state_id = request.GET.get("code", ""), request.GET.get("record_type", ""), request.GET.get("state_id", "").strip()
    if code:
        errors = errors.filter(code=code)
    if record_type:
        errors = errors.filter(record_type=record_type)
    if state_id:
        errors = errors.filter(state_id=state_id)
    by_code = [(row["code"], row["n"], code_label(row["code"]))
               for row in job.errors.values("code").annotate(n=Count("id")).order_by("code")]
    page = Paginator(errors, 100).get_page(request.GET.get("page"))
    listed = sum(n for _c, n, _m in by_code)
    return render(request, "uploads/detail.html", {
        "job": job, "page": page, "by_code": by_code, "code": code, "record_type": record_type, "state_id": state_id,
        "unlisted": max(0, sum(job.error_counts.values()) - listed),
    })


@login_required
def record(request, pk, error_pk):
    """The input record of an error with the field in error highlighted (htmx fragment)."""
    job = _upload_or_404(request, pk)
    error = get_object_or_404(job.errors, pk=error_pk)
    text, start, length = error.record, (error.position or 0) - 1, error.length or 0
    parts = (text[:start], text[start:start + length], text[start + length:]) if start >= 0 and length else (text, "", "")
    return render(request, "uploads/_record.html", {"error": error, "parts": parts})


@login_required
def history(request):
    """View Uploads: every upload the user may see."""
    permissions.require(request.user, Action.UPLOAD)
    page = Paginator(uploads_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "uploads/history.html", {"page": page})


@login_required
def original(request, pk):
    job = _upload_or_404(request, pk)
    return FileResponse(open(job.stored_path, "rb"), as_attachment=True, filename=job.original_name)


@login_required
def export(request, pk, fmt):
    job = _upload_or_404(request, pk)
    return start_export(request, "upload_errors", fmt, {"upload": job.pk})
