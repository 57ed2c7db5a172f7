"""The state's pages: harvest deadlines and snapshots (state staff), the extracts (LOSFA, Board of
Regents), the statewide dashboard and reports. Every page asks the permission module; a user
without the right gets 404."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from sts.accounts import permissions
from sts.accounts.permissions import Action
from sts.exports import EXPORTERS, FORMAT_LABELS
from transcripts.reports import DATA_ELEMENTS

from . import dashboard, services, statewide, tasks
from .extracts import EXTRACTS
from .forms import DeadlineForm, SnapshotForm
from .models import Deadline, Snapshot
from .sources import Source


def _snapshots(bssy=None):
    snapshots = Snapshot.objects.filter(status=Snapshot.DONE).order_by("-taken_at")
    return snapshots.filter(bssy=bssy) if bssy else snapshots


# --- deadlines and snapshots (state staff) --------------------------------------------------------

@login_required
def harvests(request):
    permissions.require_or_404(request.user, Action.HARVEST)
    services.ensure_default_deadlines(request.bssy, by="defaults")
    form, snapshot_form = DeadlineForm(initial={"bssy": request.bssy}), SnapshotForm(initial={"bssy": request.bssy})
    if request.method == "POST":
        if "take" in request.POST:
            snapshot_form = SnapshotForm(request.POST)
            if snapshot_form.is_valid():
                try:
                    with transaction.atomic():
                        snapshot = services.request_snapshot(
                            snapshot_form.cleaned_data["name"], snapshot_form.cleaned_data["bssy"],
                            by=request.user.username, trigger="ad hoc")
                        tasks.enqueue(snapshot)
                except services.SnapshotRefused as exc:
                    snapshot_form.add_error("name", str(exc))
                else:
                    messages.success(request, f"Snapshot {snapshot.name} is being taken.")
                    return redirect("harvests:harvests")
        else:
            pk = request.POST.get("pk") or ""
            if pk and not pk.isdigit():
                raise BadRequest("pk: a deadline's number.")
            deadline = get_object_or_404(Deadline, pk=int(pk)) if pk else None
            if deadline is not None and hasattr(deadline, "snapshot"):
                raise BadRequest("This deadline's snapshot is taken; it can no longer change.")
            form = DeadlineForm(request.POST, instance=deadline)
            if form.is_valid():
                saved = form.save(commit=False)
                saved.created_by = saved.created_by or request.user.username
                saved.save()
                messages.success(request, f"Deadline {saved.name} saved.")
                return redirect("harvests:harvests")
    deadlines = Deadline.objects.select_related("snapshot").order_by("-bssy", "due_at")
    return render(request, "harvests/harvests.html", {
        "form": form, "snapshot_form": snapshot_form, "deadlines": deadlines,
        "snapshots": Snapshot.objects.all()[:200], "running": Snapshot.objects.filter(
            status__in=[Snapshot.QUEUED, Snapshot.RUNNING]).exists()})


@login_required
def snapshot_table(request):
    """The snapshot list alone (htmx polls it while one is being taken)."""
    permissions.require_or_404(request.user, Action.HARVEST)
    return render(request, "harvests/_snapshots.html", {
        "snapshots": Snapshot.objects.all()[:200],
        "running": Snapshot.objects.filter(status__in=[Snapshot.QUEUED, Snapshot.RUNNING]).exists()})


# --- extracts (LOSFA, Board of Regents) -----------------------------------------------------------

@login_required
def extracts(request):
    allowed = [x for x in EXTRACTS if permissions.can_extract(request.user, x)]
    if not allowed:
        raise Http404("No such page.")
    params = {k: request.GET.get(k, "").strip() for k in ("snapshot", "sponsor", "site")}
    params["bssy"] = str(request.bssy)
    try:
        source = Source.from_params(params)
    except BadRequest as exc:
        messages.error(request, str(exc))
        source = Source(bssy=request.bssy)
    return render(request, "harvests/extracts.html", {
        "extracts": [EXPORTERS[x] for x in allowed], "xparams": source.as_params(), "source": source,
        "formats": [("txt", "Fixed-width text"), ("csv", "CSV")],
        "snapshots": _snapshots(request.bssy), "params": params,
        "held_back": source.students().filter(parental_consent=False).count()})


# --- the statewide dashboard and reports (LDOE, LOSFA, BOR) --------------------------------------

def _source(request, key="snapshot"):
    try:
        return Source.from_params({"bssy": request.bssy, "snapshot": request.GET.get(key, "")})
    except BadRequest:
        raise Http404("No such snapshot.") from None


@login_required
def dashboard_page(request):
    permissions.require_or_404(request.user, Action.STATEWIDE)
    source = _source(request)
    by_sponsor = dashboard.figures(source)
    compare = None
    if request.GET.get("before") and request.GET.get("after"):
        before, after = _source(request, "before"), _source(request, "after")
        compare = {"before": before.snapshot, "after": after.snapshot,
                   "change": dashboard.change(dashboard.figures(before), dashboard.figures(after))}
    return render(request, "harvests/dashboard.html", {
        "source": source, "rows": sorted(by_sponsor.items()), "totals": dashboard.totals(by_sponsor),
        "student_figures": dashboard.STUDENT_FIGURES, "site_figures": dashboard.SITE_FIGURES,
        "upload_figures": dashboard.UPLOAD_FIGURES, "snapshots": _snapshots(request.bssy), "compare": compare,
        "chart": chart(by_sponsor), "chart_height": 18 * len(by_sponsor) + 4,
        "consent_only": permissions.consent_only(request.user)})


def chart(by_sponsor) -> list[dict]:
    """Bars of students (and graduates) per sponsor for an inline SVG (nothing fetched), in the
    SVG's units: 1000 wide, bars from x=60 at most 900 long, 18 a row."""
    largest = max((v["students"] for v in by_sponsor.values()), default=0) or 1
    return [{"sponsor": s, "students": v["students"], "graduates": v["graduates"],
             "width": round(900 * v["students"] / largest), "grad_width": round(900 * v["graduates"] / largest),
             "y": 18 * i} for i, (s, v) in enumerate(sorted(by_sponsor.items()))]


@login_required
def figure_rows(request, figure, sponsor):
    """The students behind a dashboard figure. LOSFA and BOR users see consent-Y rows only; the
    page says how many others exist."""
    permissions.require_or_404(request.user, Action.STATEWIDE)
    if figure not in dashboard.STUDENT_FIGURES:
        raise Http404("No such figure.")
    source = _source(request)
    everyone = dashboard.figure_students(source, figure, sponsor.upper())
    shown = everyone.filter(parental_consent=True) if permissions.consent_only(request.user) else everyone
    page = Paginator(shown.order_by("site_code", "last_name", "first_name", "state_id").values(
        "key", "site_code", "state_id", "last_name", "first_name", "grade", "graduation_date", "diploma_path",
        "tops_gpa", "parental_consent"), 100).get_page(request.GET.get("page"))
    return render(request, "harvests/figure_rows.html", {
        "source": source, "figure": dashboard.STUDENT_FIGURES[figure][0], "sponsor": sponsor.upper(), "page": page,
        "total": everyone.count(), "hidden": everyone.count() - page.paginator.count})


@login_required
def statewide_report(request, report):
    permissions.require_or_404(request.user, Action.STATEWIDE)
    if report not in statewide.REPORTS:
        raise Http404("No such report.")
    source = _source(request)
    exporter = EXPORTERS[statewide.REPORTS[report]].bind(request.user)
    params = {**source.as_params(), **({"element": request.GET.get("element") or "endorsement"}
                                      if report == "stsq13" else {})}
    exporter.check(request.user, params)
    header, rows, paginator, page = statewide.page(exporter, params, request.GET.get("page"))
    return render(request, "harvests/statewide_report.html", {
        "report": report, "exporter": exporter, "title": exporter.title(params), "params": params,
        "header": header, "rows": rows, "page": page, "paginator": paginator, "source": source,
        "snapshots": _snapshots(request.bssy), "elements": DATA_ELEMENTS.items() if report == "stsq13" else (),
        "element": params.get("element", ""), "keep": {"element": params["element"]} if "element" in params else {},
        "formats": [(f, FORMAT_LABELS[f]) for f in exporter.formats]})
