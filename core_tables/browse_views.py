"""Help -> Core Reference Tables: graduation cohort -> curricula -> category -> set -> courses.

The guide: "The core table works in a top down fashion. First select the correct BSSY, then Core
Curricula (diploma path), then Core Category (Subject), and then the Core Set". The BSSY here is
the graduation cohort (grade 9 entry + 3), the year the effective/expiration columns speak of,
so only the set courses in effect for that cohort are listed. The STSQ12 report prints the same
rows (`cohort_set_courses`).
"""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from sts.accounts import permissions
from sts.accounts.permissions import Action

from .models import Category
from .queries import cohort_curricula, cohort_set_courses

FIRST_COHORT = 2011  # the oldest curricula in the tables (C4/C5/C6/CD)
COHORTS_AHEAD = 3  # this year's grade 9 students graduate three sessions later


def cohort_choices(current_bssy: int) -> list[int]:
    """Graduation cohorts to offer, newest first: up to today's grade 9 students' cohort."""
    return list(range(current_bssy + COHORTS_AHEAD, FIRST_COHORT - 1, -1))


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def core_reference(request):
    """The drill-down; each level narrows the next. Everyone signed in may read the tables;
    LOSFA core-table users and LDOE get links to edit them in the admin."""
    cohorts = cohort_choices(request.current_bssy)
    cohort = _int(request.GET.get("bssy"), request.bssy)
    if cohort not in cohorts:
        cohort = request.bssy if request.bssy in cohorts else cohorts[0]
    curricula = list(cohort_curricula(cohort))
    curriculum = next((c for c in curricula if c.code == request.GET.get("curriculum")), None)
    categories = list(Category.objects.filter(curriculum=curriculum).order_by("code")) if curriculum else []
    category = next((c for c in categories if c.code == request.GET.get("category")), None)
    set_courses, sets, set_code = [], [], ""
    if category:
        in_effect = list(cohort_set_courses(cohort, curriculum.code, category.code))
        sets = sorted({sc.set_code for sc in in_effect})
        set_code = request.GET.get("set", "") if request.GET.get("set", "") in sets else ""
        set_courses = [sc for sc in in_effect if not set_code or sc.set_code == set_code]
    return render(request, "reports/core_tables.html", {
        "cohorts": cohorts, "cohort": cohort, "curricula": curricula, "curriculum": curriculum,
        "categories": categories, "category": category, "sets": sets, "set_code": set_code,
        "set_courses": set_courses, "may_edit": permissions.can(request.user, Action.EDIT_CORE_TABLES),
    })


@login_required
def stsq12(request):
    """STSQ12 TOPS Reference Tables Report: pick a cohort (and a curriculum), preview, print."""
    from sts.exports import EXPORTERS
    from sts.lists import row_listing
    from transcripts.reports import export_formats

    cohorts = cohort_choices(request.current_bssy)
    cohort = _int(request.GET.get("bssy"), request.bssy)
    if cohort not in cohorts:
        cohort = request.bssy if request.bssy in cohorts else cohorts[0]
    curricula = list(cohort_curricula(cohort))
    curriculum = request.GET.get("curriculum", "")
    if curriculum not in {c.code for c in curricula}:
        curriculum = ""
    params = {"bssy": cohort, "curriculum": curriculum}
    exporter = EXPORTERS["stsq12"]
    exporter.check(request.user, params)
    rows = exporter.rows(params)
    header = next(rows)
    listing = row_listing(request, header, rows, noun="set courses")
    return render(request, "reports/stsq12.html", {
        "cohorts": cohorts, "cohort": cohort, "curricula": curricula, "curriculum": curriculum,
        "params": params, "title": exporter.title(params), "header": header, "listing": listing,
        "page": listing.page, "exporter": exporter, "export_formats": export_formats(exporter),
    })
