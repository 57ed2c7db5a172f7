"""Year end for state staff: Rollover (dry run, run, undo) and STSQ05 Manual GPA Recalculation.
Thin views: permissions (the one module), then `rollover` / `recalculation`."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core_tables.models import Site, Sponsor
from core_tables.periods import fmt_bssy
from sts.accounts import permissions
from sts.accounts.permissions import Action

from sts import jobs

from . import recalculation, rollover
from .models import Recalculation, Rollover, RolloverSponsor


def _sponsor_from(request, data):
    """The sponsor named in the form ('' for every sponsor); a bad code is the caller's 400."""
    code = data.get("sponsor", "").strip().upper()
    if not code:
        return None
    sponsor = Sponsor.objects.filter(code=code).first()
    if sponsor is None:
        raise rollover.RolloverRefused(f"Sponsor: there is no sponsor {code!r}.")
    return sponsor


@login_required
def rollover_page(request):
    permissions.require(request.user, Action.ROLLOVER)
    data = request.POST if request.method == "POST" else request.GET
    from_value = data.get("from_bssy", "") or str(request.bssy)
    found, error, status = None, "", 200
    try:
        year = rollover.check_bssy(from_value)
        sponsor = _sponsor_from(request, data)
        if request.method == "POST":
            row = Rollover.objects.create(from_bssy=year, sponsor=sponsor, by=request.user.username,
                                          **jobs.queued_fields(Rollover))
            jobs.enqueue(row)
            return redirect("yearend:rollover_status", pk=row.pk)
        if data.get("dry_run"):
            found = rollover.plan(year, sponsor)
    except rollover.RolloverRefused as exc:
        error, status = str(exc), 400
        year = None
    rows = list(RolloverSponsor.objects.select_related("rollover", "sponsor")
                .filter(rolled__gt=0).order_by("-rolled_at")[:50])
    for r in rows:
        r.refusal = "" if r.undone_at else rollover.undo_refusal(r.sponsor, r.rollover.to_bssy)
    return render(request, "yearend/rollover.html", {
        "from_value": from_value, "year": year, "to_label": fmt_bssy(year + 1) if year else "",
        "from_label": fmt_bssy(year) if year else "", "sponsor_value": data.get("sponsor", "").strip().upper(),
        "plan": found, "totals": found.totals() if found else None, "error": error,
        "sponsors": Sponsor.objects.order_by("code"), "history": rows,
        "runs": Rollover.objects.select_related("sponsor")[:10]}, status=status)


@login_required
def rollover_status(request, pk):
    permissions.require(request.user, Action.ROLLOVER)
    jobs.reap_now_and_then()
    row = get_object_or_404(Rollover.objects.select_related("sponsor"), pk=pk)
    done, total = jobs.read_progress(row)
    context = {"job": row, "sponsors": row.sponsors.select_related("sponsor").order_by("sponsor__code"),
               "done": done, "total": total, "percent": 100 * done // total if total else 0}
    if request.headers.get("HX-Request"):
        return render(request, "yearend/_rollover_status.html", context)
    return render(request, "yearend/rollover_status.html", context)


@login_required
@require_POST
def rollover_undo(request):
    permissions.require(request.user, Action.ROLLOVER)
    try:
        sponsor = _sponsor_from(request, request.POST)
        if sponsor is None:
            raise rollover.RolloverRefused("Sponsor: choose the sponsor whose rollover to undo.")
        to_bssy = rollover.check_bssy(request.POST.get("to_bssy", ""))
        removed = rollover.undo(sponsor, to_bssy, by=request.user.username)
    except rollover.RolloverRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Rollover of sponsor {sponsor.code} into BSSY {fmt_bssy(to_bssy)} undone: "
                                  f"{removed} rolled student record{'s' if removed != 1 else ''} removed.")
    return redirect("yearend:rollover")


# --- STSQ05 Manual GPA Recalculation --------------------------------------------------------------

@login_required
def recalculate_page(request):
    permissions.require(request.user, Action.RECALCULATE)
    error, status = "", 200
    if request.method == "POST":
        scope = request.POST.get("scope", "")
        code = request.POST.get("code", "").strip().upper()
        sponsor = site = None
        if scope == "sponsor":
            sponsor = Sponsor.objects.filter(code=code).first()
            error = "" if sponsor else (f"Sponsor: there is no sponsor {code!r}." if code else "Sponsor: enter a sponsor code.")
        elif scope == "site":
            site = Site.objects.select_related("sponsor").filter(code=code, kind="school").first()
            error = "" if site else (f"Site: there is no site {code!r}." if code else "Site: enter a site code.")
        elif scope != "state":
            error = "Scope: choose the state, a sponsor or a site."
        if not error:
            recalc = recalculation.start(bssy=request.bssy, sponsor=sponsor, site=site, by=request.user.username)
            return redirect("yearend:recalculate_status", pk=recalc.pk)
        status = 400
    last = recalculation.last_recalculated(request.bssy)
    sponsors = list(Sponsor.objects.filter(students__bssy=request.bssy).distinct().order_by("code"))
    for s in sponsors:
        s.last = last.get(s.pk)
    return render(request, "yearend/recalculate.html", {
        "sponsors": sponsors, "error": error, "post": request.POST,
        "runs": Recalculation.objects.select_related("sponsor", "site")[:10]}, status=status)


@login_required
def recalculate_status(request, pk):
    permissions.require(request.user, Action.RECALCULATE)
    jobs.reap_now_and_then()
    job = get_object_or_404(Recalculation.objects.select_related("sponsor", "site"), pk=pk)
    done = recalculation.done_of(job)
    context = {"job": job, "done": done, "percent": 100 * done // job.total if job.total else 0}
    if request.headers.get("HX-Request"):
        return render(request, "yearend/_recalculate_status.html", context)
    return render(request, "yearend/recalculate_status.html", context)
