

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_POST

from core_tables.periods import fmt_bssy
from sts import jobs
from sts.accounts import permissions
from sts.accounts.permissions import Action, PeriodClosed
from sts.export_views import start_export
from sts.lists import DESC, Column, Listing
from transcripts.deleted import RestoreRefused

from transcripts.layouts import FIELD_LABELS
from .deletions import deleted_by, may_undo, undo_deletions, undo_refusal
from .forms import UploadForm
from .handlers import too_large_message
from .models import Upload
from .queries import filter_errors, may_download_original, row_sites, uploads_visible_to, visible_errors
from .recordview import record_blocks
from .submission import bssy_choices, refusal_before_storing, store_and_queue
from .tasks import read_progress


@login_required
def upload(request):
    permissions.require(request.user, Action.UPLOAD)
    choices = [(y, fmt_bssy(y)) for y in bssy_choices(request.current_bssy)]
    form = UploadForm(request.POST or None, request.FILES or None, bssy_choices=choices,
                      initial={"bssy": request.bssy})
    if request.method == "POST":
        too_large = too_large_message(request)
        if too_large:
            form.add_error("file", too_large)
        elif form.is_valid():
            incoming = form.cleaned_data["file"]
            problem = refusal_before_storing(request.user, incoming)
            if problem:
                form.add_error("file", problem)
            else:
                job = store_and_queue(request.user, incoming, mode=form.cleaned_data["mode"],
                                      bssy=form.cleaned_data["bssy"])
                return redirect("uploads:detail", pk=job.pk)
    bssy = form["bssy"].value() or request.bssy
    return render(request, "uploads/upload.html", {
        "form": form, **replace_scope(request.user, _int(bssy)),
        "excessive_share": settings.STS_EXCESSIVE_ERROR_SHARE, "excessive_min": settings.STS_EXCESSIVE_MIN_STUDENTS})


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def replace_scope(user, bssy):
    """What "Delete all records and replace" may delete for this user: the students on file for
    `bssy` at each site within reach (the LEA's sites, or a school-level user's own)."""
    from transcripts.models import Student

    sponsor = user.sponsor
    if sponsor is None or bssy is None:
        return {"replace_sites": []}
    sites = permissions.sites_for(user, Action.UPLOAD).filter(sponsor=sponsor).order_by("code")
    counts = dict(Student.objects.filter(sponsor=sponsor, bssy=bssy, site__in=sites).values("site__code")
                  .annotate(n=Count("id")).values_list("site__code", "n"))
    return {"replace_sites": [(site.code, site.name, counts.get(site.code, 0)) for site in sites],
            "replace_bssy": fmt_bssy(bssy)}


@login_required
def replace_scope_fragment(request):
    """The upload page's replace-mode warning for the BSSY chosen (htmx)."""
    permissions.require(request.user, Action.UPLOAD)
    return render(request, "uploads/_replace_scope.html",
                  replace_scope(request.user, _int(request.GET.get("bssy"), request.bssy)))


def code_label(code):
    """The catalog message of an edit code, or the removal reason of a GRn row."""
    from transcripts.edits import CATALOG, GRAD_DATE_REMOVAL_REASONS

    if code in CATALOG:
        return CATALOG[code].message
    if code.startswith("GR") and code[2:] in GRAD_DATE_REMOVAL_REASONS:
        return "GRAD DATE REMOVED: " + GRAD_DATE_REMOVAL_REASONS[code[2:]][0].upper()
    return ""


def _upload_or_404(request, pk):
    """The upload, or 404 for one the user may not see (no hint that it exists)."""
    jobs.reap_now_and_then()  # a lost worker's upload is retried or failed as soon as anyone looks
    job = get_object_or_404(uploads_visible_to(request.user), pk=pk)
    return job


# The error report's lists: the errors (sortable, paged) and the errors by code (sortable by count).
ERROR_COLUMNS = [
    Column("line", "Line", ("line", "id"), numeric=True), Column("record_type", "Record", ("record_type", "line")),
    Column("state_id", "State ID", ("state_id", "line")), Column("name", "Name", ("name", "line")),
    Column("code", "Code", ("code", "line")), Column("field", "Field", ("field", "line")),
    Column("position", "Pos", ("position", "line"), numeric=True), Column("value", "Value"),
    Column("message", "Message"),
]
CODE_COLUMNS = [Column("code", "Code", index=0), Column("message", "Message", index=2),
                Column("n", "Errors", index=1, first=DESC, numeric=True)]
WARNING = "remove_grad_date"  # the one severity that does not reject: the student loads without its date
RECORD_TYPES = (("020", "Student"), ("030", "Transcript"), ("050", "IBC"))


def record_counts(job, visible):
    """(record type, name, with an error, of rejected students, loaded) for the Records table.
    Uploads stored before the "records with an error" count are counted from their rows."""
    counts = job.counts or {}
    flagged = {rt: counts.get(f"flagged_{rt}") for rt, _n in RECORD_TYPES}
    if any(v is None for v in flagged.values()):
        flagged = dict(visible.exclude(severity=WARNING).values("record_type")
                       .annotate(n=Count("line", distinct=True)).values_list("record_type", "n"))
    return [(rt, name, flagged.get(rt) or 0, counts.get(f"error_{rt}", 0), counts.get(f"loaded_{rt}", 0))
            for rt, name in RECORD_TYPES]


@login_required
def detail(request, pk):
    """Status while it runs (htmx polling), then the error report: the last poll swaps the
    report in place of the status, so the page never reloads."""
    job = _upload_or_404(request, pk)
    if job.status == "processing":
        job.students_done, job.students_total = read_progress(job)
    if request.headers.get("HX-Request") and request.GET.get("part") == "status":
        if not job.finished:
            return render(request, "uploads/_status.html", {"job": job})
        request.GET = request.GET.copy()
        request.GET.pop("part")  # the report's links are the page's, not the poll's
        response = render(request, "uploads/_report.html", report_context(request, job))
        response["HX-Retarget"], response["HX-Reswap"] = "#upload-report", "innerHTML"
        return response
    return render(request, "uploads/detail.html", report_context(request, job))


def report_context(request, job) -> dict:
    """What the error report shows the user: the rows of their sites, filtered, sorted, paged."""
    visible = visible_errors(request.user, job)
    code, record_type = request.GET.get("code", "").strip().upper(), request.GET.get("record_type", "")
    state_id = request.GET.get("state_id", "").strip()
    listing = Listing(request, ERROR_COLUMNS, default="line", per_page=100, page_sizes=(50, 100, 200, 500),
                      noun="errors")
    # Warnings (the graduation date removed, the student loaded) stand apart from the errors that
    # reject a student: each distinct message once with its count; its code lists the students.
    errors = visible.exclude(severity=WARNING)
    warning_rows = visible.filter(severity=WARNING)
    listed_rows = visible if code else errors
    for e in listing.paginate(listing.order(filter_errors(listed_rows, code, record_type, state_id))):
        e.field_label = FIELD_LABELS.get((e.record_type, e.field), e.field)
    by_code = [(row["code"], row["n"], code_label(row["code"]), listing.url(code=row["code"], page=None))
               for row in errors.values("code").annotate(n=Count("id")).order_by("code")]
    warnings = [(row["code"], row["n"], row["message"], listing.url(code=row["code"], page=None))
                for row in warning_rows.values("code", "message").annotate(n=Count("id")).order_by("-n", "code")]
    codes = Listing(request, CODE_COLUMNS, default="code", prefix="codes_")
    listed = sum(row[1] for row in by_code) + sum(row[1] for row in warnings)
    scoped = row_sites(request.user, job) is not None
    removed = deleted_by(request.user, job) if job.finished else []
    filters = {"code": code, "record_type": record_type, "state_id": state_id}
    return {
        "job": job, "listing": listing, "page": listing.page, "by_code": codes.order_rows(by_code), "codes": codes,
        **filters, "filtered": any(filters.values()), "has_rows": bool(by_code or warnings), "warnings": warnings,
        "warned_students": warning_rows.values("state_id").distinct().count() if warnings else 0,
        "all_codes_url": listing.url(code=None, page=None), "record_types": RECORD_TYPES,
        "record_counts": record_counts(job, visible),
        "unlisted": 0 if scoped else max(0, sum(job.error_counts.values()) - listed), "scoped": scoped,
        "removed": removed, "may_download": may_download_original(request.user, job),
        "may_undo": bool(removed) and may_undo(request.user, job),
        "undo_refusal": undo_refusal(job) if removed else "",
    }


@login_required
def record(request, pk, error_pk):
    """The input record of an error, ruled, the field in error marked (htmx fragment)."""
    job = _upload_or_404(request, pk)
    error = get_object_or_404(visible_errors(request.user, job), pk=error_pk)
    return render(request, "uploads/_record.html", {
        "error": error, "blocks": record_blocks(error.record, error.position, error.length),
        "field_label": FIELD_LABELS.get((error.record_type, error.field), error.field),
        "last_column": (error.position or 0) + (error.length or 0) - 1})


HISTORY_COLUMNS = [
    Column("pk", "#", ("pk",), first=DESC), Column("created", "Date/time", ("created_at",), first=DESC),
    Column("user", "User", ("user__username",)), Column("sponsor", "Sponsor", ("sponsor__code",)),
    Column("bssy", "BSSY", ("bssy",), first=DESC), Column("file", "File", ("original_name",)),
    Column("size", "Size", ("size",), first=DESC, numeric=True), Column("mode", "Mode", ("mode",)),
    Column("status", "Status", ("status",)), Column("020", "020 loaded/err", numeric=True),
    Column("030", "030 loaded/err", numeric=True), Column("050", "050 loaded/err", numeric=True), Column("report", ""),
]


@login_required
def history(request):
    """View Uploads: every upload the user may see, newest first; by status and file name."""
    permissions.require(request.user, Action.UPLOAD)
    jobs.reap_now_and_then()
    uploads = uploads_visible_to(request.user)
    status, q = request.GET.get("status", ""), request.GET.get("q", "").strip()
    if status in dict(Upload.STATUSES):
        uploads = uploads.filter(status=status)
    if q:
        uploads = uploads.filter(original_name__istartswith=q)
    listing = Listing(request, HISTORY_COLUMNS, default="created", noun="uploads")
    page = listing.paginate(listing.order(uploads))
    for job in page:
        job.may_download = may_download_original(request.user, job)
    return render(request, "uploads/history.html", {"page": page, "listing": listing, "status": status, "q": q,
                                                    "statuses": Upload.STATUSES})


@login_required
def original(request, pk):
    """The file as submitted: the submitter and LEA-level users (it holds every site's records)."""
    job = _upload_or_404(request, pk)
    if not may_download_original(request.user, job):
        raise Http404("No such upload file.")
    try:
        handle = open(job.stored_path, "rb")
    except OSError:
        raise Http404("The original file is no longer stored.") from None
    return FileResponse(handle, as_attachment=True, filename=job.original_name)


@login_required
@require_POST
def export(request, pk, fmt):
    job = _upload_or_404(request, pk)
    return start_export(request, "upload_errors", fmt, {"upload": job.pk})


@login_required
@require_POST
def undo(request, pk):
    """Undo a replace-mode upload's deletions as a whole."""
    job = _upload_or_404(request, pk)
    if not may_undo(request.user, job):
        raise PermissionDenied("You may not undo this upload's deletions.")
    try:
        restoring = Action.RESTORE_DELETED if permissions.can(request.user, Action.RESTORE_DELETED) else Action.UPLOAD
        permissions.require_write(request.user, restoring, sponsor=job.sponsor, bssy=job.bssy)
        restored = undo_deletions(job, by=request.user.username)
    except (PeriodClosed, RestoreRefused) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{len(restored)} student{pluralize(len(restored))} deleted by upload {job.pk} "
                                  f"{'was' if len(restored) == 1 else 'were'} restored.")
    return redirect("uploads:detail", pk=job.pk)
