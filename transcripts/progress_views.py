"""Core Progress screen of a student (with the what-if pathway switch) and the site reports pages.

The screen shows the stored result (`StudentProgress.result`); the what-if switch computes the
engine's result for another path for display only ("Core progress will be calculated only for
the pathway submitted. To view other core progress reports, change the diploma pathway").
"""
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core_tables.queries import cohort_curricula
from core_tables.models import Curriculum, Sponsor
from sts.accounts import permissions
from sts.accounts.permissions import Action
from sts.exports import EXPORTERS
from sts.lists import row_listing

from .edits import GRAD_DATE_REMOVAL_REASONS
from .models import Student
from .models import StudentProgress as ProgressRow
from .progress.result import AWARD_LEVELS, AwardResult, CategoryProgress, gpa_note, rounded_gpa
from .progress.result import StudentProgress as ProgressResult
from .progress_store import PROGRESS_FIELDS, compute_for, facts_of, progress_row
from .reports import DATA_ELEMENTS, SITE_REPORTS, SPONSOR_REPORTS, export_formats

REPORT_PAGE_SIZE = 200


# --- the stored result ------------------------------------------------------------------------

def stored_progress(student: Student) -> tuple[ProgressResult, object]:
    """The student's stored result and when it was computed; computed and stored first when the
    student has none yet (recomputation after an upload may still be queued)."""
    row = ProgressRow.objects.filter(student=student).first()
    if row is None or not row.result:
        fresh = progress_row(student.pk, compute_for(student))
        row, _ = ProgressRow.objects.update_or_create(
            student=student, defaults={f: getattr(fresh, f) for f in PROGRESS_FIELDS if f != "computed_at"})
    return ProgressResult.from_dict(row.result), row.computed_at


def what_if_paths(student: Student) -> list[str]:
    """Diploma paths offered by the switch: those of the student's graduation cohort, and the
    declared path even when it is a historical one."""
    cohort = facts_of(student, student.sponsor.kind, 0).grad_bssy
    codes = list(cohort_curricula(cohort).filter(kind="diploma").values_list("code", flat=True))
    declared = student.diploma_path.strip()
    if declared and declared not in codes and Curriculum.objects.filter(code=declared, kind="diploma").exists():
        codes.insert(0, declared)
    return codes


# --- what the page shows ----------------------------------------------------------------------

@dataclass(frozen=True)
class CategoryLine:
    category: CategoryProgress
    missing: Decimal  # units still missing; shown in bold


@dataclass(frozen=True)
class AwardLevelLine:
    name: str
    minimum: Decimal
    judged: bool  # STS can say eligible (Opportunity, Tech); else only whether the GPA meets the minimum
    gpa_meets: bool
    eligible: bool


@dataclass(frozen=True)
class AwardLine:
    award: AwardResult
    name: str
    gpa: str
    levels: list[AwardLevelLine]
    categories: list[CategoryLine]
    note: str  # "GPA meets the Performance (3.00) minimum; ACT not held in STS"


def _gpa(value) -> str:
    """As the command-line JSON prints it: 3 decimals, half up."""
    shown = rounded_gpa(value)
    return "—" if shown is None else f"{shown:.3f}"


def category_lines(categories: list[CategoryProgress]) -> list[CategoryLine]:
    return [CategoryLine(c, max(c.required - c.earned, Decimal(0))) for c in categories]


def award_lines(awards: list[AwardResult]) -> list[AwardLine]:
    """Each award with its levels (best last, as the guide lists them) and what its core lacks."""
    names = dict(Curriculum.objects.filter(code__in=[a.code for a in awards]).values_list("code", "name"))
    lines = []
    for a in awards:
        levels = [AwardLevelLine(lv.name, lv.minimum, lv.judged, a.gpa is not None and a.gpa >= lv.minimum,
                                 a.eligible and a.level == lv.name)
                  for lv in reversed(AWARD_LEVELS.get(a.code, ()))]
        lines.append(AwardLine(a, names.get(a.code, a.code), _gpa(a.gpa), levels,
                               category_lines(a.progress.categories) if a.progress else [],
                               gpa_note(a.code, a.gpa) if a.eligible else ""))
    return lines


def gpa_names(result: ProgressResult) -> dict:
    """One name per GPA for the whole page: each core GPA is named after its own core ("TU core
    GPA", "TC core GPA"); the award core's GPA is what the guide calls the TOPS GPA."""
    award = result.awards[0].code if result.awards else ""
    return {"overall": "Overall GPA", "core": f"{result.pathway.code} core GPA" if result.pathway else "Core GPA",
            "tops": f"{award} core GPA" if award else "TOPS GPA", "award": award}


def progress_display(result: ProgressResult) -> dict:
    return {
        "result": result,
        "gpas": {"overall": _gpa(result.overall_gpa), "core": _gpa(result.core_gpa), "tops": _gpa(result.tops_gpa)},
        "gpa_names": gpa_names(result),
        "categories": category_lines(result.pathway.categories) if result.pathway else [],
        "awards": award_lines(result.awards),
        "removal_reasons": [(code, *GRAD_DATE_REMOVAL_REASONS.get(code, ("", ""))) for code in
                            result.graduation.removal_reasons],
    }


@login_required
def student_progress(request, pk):
    """Core Progress: the stored result, or with ?path=XX the what-if result (never saved)."""
    student = get_object_or_404(Student.objects.select_related("site", "sponsor"), pk=pk)
    permissions.require_student(request.user, student)
    paths = what_if_paths(student)
    declared = student.diploma_path.strip()
    path = request.GET.get("path", "").strip().upper()
    if path and path not in paths:
        raise BadRequest(f"{path} is not a diploma path of this student's graduation cohort.")
    what_if = bool(path) and path != declared
    if what_if:
        result, computed_at = compute_for(student, path=path), None
    else:
        result, computed_at = stored_progress(student)
    # Each pathway by its name too ("L1" alone says nothing to a counselor).
    names = dict(Curriculum.objects.filter(code__in=paths, kind="diploma").values_list("code", "name"))
    context = {"student": student, "paths": [(code, names.get(code, "")) for code in paths],
               "path": path if what_if else declared, "declared": declared, "path_name": names.get(path or declared, ""),
               "what_if": what_if, "computed_at": computed_at, **progress_display(result)}
    template = "progress/_result.html" if request.headers.get("HX-Request") else "progress/student_progress.html"
    return render(request, template, context)


# --- reports (STSQ08, STSQ11, STSQ13) -----------------------------------------------------------

@login_required
def reports_index(request):
    """Reports menu: pick a report, one of the user's sites (or the whole sponsor for the reports
    that run sponsor-wide) and, for STSQ13, the data element, for the selected BSSY."""
    sites = permissions.sites_for(request.user, Action.VIEW).order_by("code")
    sponsors = permissions.sponsors_for(request.user, Action.VIEW).order_by("code")
    site, report, element = request.GET.get("site", ""), request.GET.get("report", ""), request.GET.get("element", "")
    if site and report in SITE_REPORTS:
        query = f"?element={element}" if report == "stsq13" and element else ""
        if site.startswith("sponsor:") and report in SPONSOR_REPORTS:
            return redirect(reverse("transcripts:sponsor_report", args=[site.split(":", 1)[1], report]) + query)
        if not site.startswith("sponsor:"):
            return redirect(reverse("transcripts:site_report", args=[site, report]) + query)
    # A school-level user reaches only its own sites: "my sites", never the whole sponsor.
    my_sites = ", ".join(s.code for s in sites) if permissions.is_school_level(request.user) else ""
    return render(request, "reports/index.html", {
        "sites": sites, "sponsors": sponsors, "my_sites": my_sites, "reports": SITE_REPORTS.values(), "site": site, "report": report,
        "element": element, "elements": DATA_ELEMENTS.items(), "sponsor_reports": SPONSOR_REPORTS})


def _report_page(request, report, params, scope_label):
    exporter = EXPORTERS[report].bind(request.user)
    exporter.check(request.user, params)
    rows = exporter.rows(params)
    header = next(rows)
    listing = row_listing(request, header, rows, per_page=REPORT_PAGE_SIZE, noun="rows")
    return render(request, "reports/site_report.html", {
        "report": SITE_REPORTS[report], "title": exporter.title(params), "params": params, "scope": scope_label,
        "exporter": exporter, "export_formats": export_formats(exporter), "header": header, "listing": listing,
        "page": listing.page, "elements": DATA_ELEMENTS.items() if report == "stsq13" else (),
        "element": params.get("element", ""),
    })


@login_required
def site_report(request, site_code, report):
    """A report of one site on screen (paged, sortable both ways) with its CSV/Excel/PDF exports."""
    if report not in SITE_REPORTS:
        raise Http404("No such report.")
    site = permissions.site_or_404(request.user, site_code, Action.VIEW)
    params = {"site": site.code, "bssy": str(request.bssy), **_report_options(request, report)}
    return _report_page(request, report, params, f"{site.code} {site.name}")


@login_required
def sponsor_report(request, sponsor_code, report):
    """STSQ11 or STSQ13 for the whole sponsor (a school-level user sees its own sites' students)."""
    if report not in SPONSOR_REPORTS:
        raise Http404("No such sponsor-wide report.")
    sponsor = get_object_or_404(Sponsor, code=sponsor_code.upper())
    permissions.require(request.user, Action.VIEW, sponsor=sponsor)
    params = {"sponsor": sponsor.code, "bssy": str(request.bssy), **_report_options(request, report)}
    if permissions.is_school_level(request.user):
        codes = permissions.sites_for(request.user, Action.VIEW).order_by("code").values_list("code", flat=True)
        return _report_page(request, report, params, f"my sites ({', '.join(codes)})")
    return _report_page(request, report, params, f"sponsor {sponsor.code} {sponsor.name}")


def _report_options(request, report):
    if report != "stsq13":
        return {}
    element = request.GET.get("element") or next(iter(DATA_ELEMENTS))
    return {"element": element}
