"""Update -> Certify Graduate Transcripts, the OTS search, official transcript downloads and the
public verification page. Views are thin: permissions (the one module), then `services`."""
from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from core_tables.periods import period_status
from sts.accounts import permissions
from sts.accounts.permissions import Action, PeriodClosed
from sts import jobs
from sts.export_views import start_export

from . import services
from .models import Certification, OfficialTranscript
from .queries import SEARCH_FIELDS, search_transcripts
from .signing import SigningNotConfigured
from .readiness import PUBLIC_KINDS
from .storage import file_of
from .verify import verify_code, verify_pdf

log = logging.getLogger(__name__)


# --- Certify Graduate Transcripts ------------------------------------------------------------------

@login_required
def certify_list(request):
    """Every site the user may certify, for the selected BSSY: graduates, ready / not ready, state."""
    if not permissions.can(request.user, Action.CERTIFY):
        raise PermissionDenied("Your security group may not certify graduates.")
    sites = list(permissions.sites_for(request.user, Action.CERTIFY).order_by("code"))
    public = [s for s in sites if s.sponsor.kind in PUBLIC_KINDS]
    states = services.states_of([s.pk for s in public], request.bssy)
    rows = []
    for site in public:
        found = services.readiness(site, request.bssy)
        rows.append({"site": site, "state": states[site.pk], "graduates": len(found.ready) + len(found.not_ready),
                     "ready": len(found.ready), "not_ready": found.not_ready})
    return render(request, "certification/certify_list.html", {
        "rows": rows, "nonpublic": [s for s in sites if s.sponsor.kind not in PUBLIC_KINDS],
        "nonpublic_message": services.NONPUBLIC_MESSAGE,
        "period": period_status(request.bssy, request.user.sponsor.code if request.user.sponsor_id else None)})


@login_required
def certify_site(request, site_code):
    """One site: its state, each graduate's readiness and OTS status of the latest certification;
    POST certify / uncertify (confirmed in a dialog)."""
    site = permissions.site_or_404(request.user, site_code, Action.CERTIFY)
    bssy = request.bssy
    if request.method == "POST":
        return _certify_action(request, site, bssy)
    latest = services.latest_certification(site.pk, bssy)
    entries = {}
    if latest is not None and latest.action == Certification.CERTIFY:
        entries = {e.state_id: e for e in latest.entries.select_related("transcript")}
    found = services.readiness(site, bssy) if site.sponsor.kind in PUBLIC_KINDS else services.Readiness()
    graduates = [(s, [], entries.get(s.state_id)) for s in found.ready] + [
        (s, reasons, entries.get(s.state_id)) for s, reasons in found.not_ready]
    graduates.sort(key=lambda g: (g[0].last_name, g[0].first_name, g[0].state_id))
    counts = {code: sum(1 for e in entries.values() if e.status == code) for code in "QSR"}
    jobs.reap_now_and_then()  # a lost worker's batch is taken over as soon as anyone looks
    batches = list(latest.batches.all()) if entries else []
    issuing = {"live": [b for b in batches if not b.finished],
               "failed": [b for b in batches if b.status == b.JOB_FAILED]}
    context = {"issuing": issuing, "site": site, "state": services.state_of(site.pk, bssy), "graduates": graduates,
               "ready": len(found.ready), "not_ready": len(found.not_ready), "latest": latest, "counts": counts,
               "history": Certification.objects.filter(site=site, bssy=bssy)[:20],
               "public": site.sponsor.kind in PUBLIC_KINDS, "nonpublic_message": services.NONPUBLIC_MESSAGE,
               "period": period_status(bssy, site.sponsor.code)}
    if request.headers.get("HX-Request"):
        return render(request, "certification/_ots_status.html", context)
    return render(request, "certification/certify_site.html", context)


def _certify_action(request, site, bssy):
    action = request.POST.get("action")
    if action == "issue_again":
        return _issue_again(request, site, bssy)
    if action not in ("certify", "uncertify"):
        messages.error(request, "Choose Certify or Un-certify.")
        return redirect("certification:site", site_code=site.code)
    try:
        permissions.require_write(request.user, Action.CERTIFY, site=site, bssy=bssy)
        if action == "certify":
            outcome = services.certify_site(site, bssy, by=request.user.username)
            text = (f"Site {site.code} certified for BSSY {bssy}: {len(outcome.ready)} ready graduate"
                    f"{'s' if len(outcome.ready) != 1 else ''} queued for official transcripts.")
            if outcome.not_ready:
                text += (f" {len(outcome.not_ready)} graduate{'s are' if len(outcome.not_ready) != 1 else ' is'} not "
                         "ready and will be rejected with the reason listed below; correct the records and recertify.")
            messages.success(request, text)
        else:
            _row, withdrawn = services.uncertify_site(site, bssy, by=request.user.username)
            messages.warning(request, f"Site {site.code} un-certified for BSSY {bssy}. {withdrawn} official transcript"
                                      f"{'s' if withdrawn != 1 else ''} withdrawn (kept, marked not current); "
                                      "certify the site again to issue new versions.")
    except PeriodClosed as exc:
        messages.error(request, str(exc))
    except services.NotCertifiable as exc:
        messages.error(request, str(exc))
    except SigningNotConfigured as exc:
        log.error("certification of %s stopped: %s", site.code, exc)
        messages.error(request, _signing_fault_message(request.user, exc))
    return redirect("certification:site", site_code=site.code)


def _signing_fault_message(user, exc):
    """State staff read what to fix; a coordinator reads that it is not their graduates' fault."""
    text = ("Certification stopped before anything was certified or queued: official transcripts cannot be signed "
            "right now. This is a configuration fault at the Louisiana Department of Education, not a problem with "
            "your graduates' records; state staff have been told. Try again later.")
    return str(exc) if permissions.is_state_staff(user) else text


def _issue_again(request, site, bssy):
    """Queue again the graduates whose issuing stopped (a batch failed: a configuration fault or a
    defect, never the student's). Same right as certifying."""
    try:
        permissions.require_write(request.user, Action.CERTIFY, site=site, bssy=bssy)
    except PeriodClosed as exc:
        messages.error(request, str(exc))
        return redirect("certification:site", site_code=site.code)
    latest = services.latest_certification(site.pk, bssy)
    if latest is None or latest.action != Certification.CERTIFY:
        messages.error(request, "The site is not certified: certify it to issue official transcripts.")
    else:
        n = services.issue_again(latest)
        messages.success(request, f"{n} graduate{'s' if n != 1 else ''} queued again for official transcripts.")
    return redirect("certification:site", site_code=site.code)


# --- official transcripts -------------------------------------------------------------------------

def require_transcript(user, transcript: OfficialTranscript):
    """May `user` open this official transcript: the student's site (and consent) when the student
    is on file, else the transcript's site; consent-only groups need the student on file."""
    if transcript.student_id:
        permissions.require_student(user, transcript.student)
        return
    if not permissions.can(user, Action.VIEW, site=transcript.site) or permissions.consent_only(user):
        raise PermissionDenied(permissions.SITE_REFUSED)


def _pdf_response(path, filename, *, attachment=False):
    try:
        handle = open(path, "rb")
    except OSError:
        raise Http404("The transcript file is missing.")
    response = FileResponse(handle, content_type="application/pdf", filename=filename, as_attachment=attachment)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
def transcript_pdf(request, pk):
    transcript = get_object_or_404(OfficialTranscript.objects.select_related("student__site", "site"), pk=pk)
    require_transcript(request.user, transcript)
    return _pdf_response(file_of(transcript), f"transcript-{transcript.state_id}-{transcript.bssy}-v{transcript.version}.pdf",
                         attachment=request.GET.get("download") == "1")


@login_required
@require_POST
def withdraw(request, pk):
    """State staff withdraw one official transcript with a reason (the rest of the site untouched)."""
    transcript = get_object_or_404(OfficialTranscript.objects.select_related("student__site", "site"), pk=pk)
    permissions.require(request.user, Action.WITHDRAW_TRANSCRIPT, site=transcript.site)
    try:
        t = services.withdraw_transcript(transcript.pk, by=request.user.username, reason=request.POST.get("reason", ""))
    except services.NotWithdrawable as exc:
        messages.error(request, str(exc))
    else:
        messages.warning(request, f"Official transcript {t.state_id} version [{t.version}]: {t.withdrawn_reason}. "
                                  "/verify/ now answers that it was genuine but has been withdrawn.")
    if transcript.student_id:
        return redirect("transcripts:student", pk=transcript.student_id)
    return redirect("certification:search")


# --- OTS search -----------------------------------------------------------------------------------

@login_required
def ots_search(request):
    if not permissions.can(request.user, Action.VIEW):
        raise PermissionDenied("You are not allowed to search official transcripts.")
    params = {k: request.GET.get(k, "").strip() for k in SEARCH_FIELDS}
    searched = any(params[k] for k in SEARCH_FIELDS if k != "superseded")
    page = None
    if searched:
        page = Paginator(search_transcripts(request.user, params), 50).get_page(request.GET.get("page"))
    return render(request, "certification/ots_search.html", {
        "params": params, "page": page, "searched": searched,
        "query": urlencode({k: v for k, v in params.items() if v})})


@login_required
@require_POST
def ots_bulk(request):
    """The merged PDF of a search's (or a site's) official transcripts, built by a worker."""
    params = {k: request.POST.get(k, "").strip() for k in SEARCH_FIELDS if request.POST.get(k, "").strip()}
    return start_export(request, "ots_bulk", "pdf", params)


# Print or Export Transcript Records (Student List): exporter -> formats offered.
LIST_EXPORTS = {"ots_bulk": ("pdf",), "ots_rejections": ("xlsx", "pdf", "csv"), "nonofficial_transcripts": ("pdf",),
                "no_pii": ("xlsx", "pdf", "csv"), "all_records": ("xlsx",)}


@login_required
@require_POST
def list_export(request, site_code, exporter_name, fmt):
    """One of the Student List's transcript exports, for the students the list shows."""
    site = permissions.site_or_404(request.user, site_code, Action.VIEW)
    if fmt not in LIST_EXPORTS.get(exporter_name, ()):
        raise Http404("No such export.")
    params = {"site": site.code, "bssy": request.bssy, "list": "1",
              "q": request.POST.get("q", "").strip(), "grade": request.POST.get("grade", "").strip()}
    if exporter_name == "nonofficial_transcripts" and request.POST.get("student"):
        params["student"] = request.POST["student"]
    return start_export(request, exporter_name, fmt, params)


# --- public verification ----------------------------------------------------------------------------

def _rate_limited(request) -> bool:
    """At most STS_VERIFY_RATE look-ups a minute per client address (codes are unguessable anyway)."""
    key = "verify-rate-" + (request.META.get("REMOTE_ADDR") or "unknown")
    count = cache.get_or_set(key, 0, 60)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 60)
        count = 1
    return count > settings.STS_VERIFY_RATE


def verify(request):
    """No sign-in: upload an official transcript PDF or type its verification code."""
    verdict, error = None, ""
    code = request.GET.get("code", "").strip() or request.POST.get("code", "").strip()
    upload = request.FILES.get("file")
    if code or upload:
        if _rate_limited(request):
            error = "Too many verification requests from your address: wait a minute and try again."
        elif upload is not None:
            if upload.size > settings.STS_VERIFY_MAX_BYTES:
                error = (f"The file {upload.name} is larger than {settings.STS_VERIFY_MAX_BYTES // (1024 * 1024)} MB: "
                         "an official transcript is much smaller.")
            else:
                verdict = verify_pdf(upload.read())
        else:
            verdict = verify_code(code)
    status = 429 if error.startswith("Too many") else 200
    return render(request, "certification/verify.html", {"verdict": verdict, "error": error, "code": code,
                                                         "max_mb": settings.STS_VERIFY_MAX_BYTES // (1024 * 1024)},
                  status=status)


def verify_copy(request, code):
    """The issued copy of a transcript, for whoever holds its (unguessable) code: the verifier
    compares the paper with it."""
    from .pdf import normalise_code

    if _rate_limited(request):
        raise PermissionDenied("Too many verification requests from your address: wait a minute and try again.")
    transcript = OfficialTranscript.objects.filter(code=normalise_code(code)).first()
    if transcript is None:
        raise Http404("No official transcript has this verification code.")
    return _pdf_response(file_of(transcript), f"transcript-{transcript.code}.pdf")
