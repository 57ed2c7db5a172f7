"""Progress reports as exports (CSV, Excel, PDF, rendered by a worker) and as pages.

STSQ08 Course Part Number Edit Report and STSQ11 Overall GPA Report are site reports for one
BSSY (params ``site`` and ``bssy``); STSQ12 TOPS Reference Tables Report prints the core
tables for a graduation cohort (params ``bssy`` and optional ``curriculum``). Each exporter
yields a header and rows; the report pages show the same rows.
"""
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models.fields.json import KeyTextTransform

from core_tables.models import Site
from core_tables.periods import fmt_bssy
from sts.accounts import permissions
from sts.accounts.permissions import Action
from sts.exports import Exporter, register, viewer_of

from .models import Student, Transcript
from .progress.partnumbers import part_number_findings
from .progress.rank import class_rank
from .progress_store import course_of, load_core_tables


@dataclass(frozen=True)
class SiteReport:
    code: str
    label: str
    description: str


# The site reports of the Reports menu (the guide's descriptions, shortened).
SITE_REPORTS = {r.code: r for r in [
    SiteReport("stsq08", "STSQ08 Course Part Number Edit Report",
               "Possible course part number problems that could make a student eligible for a core curriculum "
               "appear ineligible. The records are loaded as sent; check this report after each submission."),
    SiteReport("stsq11", "STSQ11 Overall GPA Report",
               "Overall GPA, Class Rank and Grad Class Rank by grade, from the stored progress results. Students "
               "with equal GPAs share a rank. Grad Class Rank covers grade 12 students with a graduation date."),
]}


FORMAT_LABELS = {"xlsx": "Excel", "csv": "CSV", "pdf": "PDF"}


def export_formats(exporter) -> list[tuple[str, str]]:
    """The export buttons of a report page: (format, label)."""
    return [(fmt, FORMAT_LABELS.get(fmt, fmt.upper())) for fmt in FORMAT_LABELS if fmt in exporter.formats]


def _bssy(params) -> int:
    try:
        return int(params["bssy"])
    except (KeyError, TypeError, ValueError):
        raise BadRequest("Choose a school year (BSSY).") from None


def _site(params) -> Site:
    site = Site.objects.select_related("sponsor").filter(code=str(params.get("site", ""))).first()
    if site is None:
        raise BadRequest(f"No site {params.get('site', '')!r}.")
    return site


class SiteExporter(Exporter):
    """A report of one site's students in one BSSY; inquiry rights on the site are enough."""

    label = ""

    def check(self, user, params):
        _bssy(params)
        permissions.require(user, Action.VIEW, site=_site(params))

    def title(self, params):
        site = _site(params)
        return f"{self.label} - {site.code} {site.name} - BSSY {fmt_bssy(_bssy(params))}"

    def students(self, params):
        """The site's students of the BSSY that the requesting user may see (LOSFA/BOR: consent Y);
        every student for a command without a user."""
        students = Student.objects.filter(site=_site(params), bssy=_bssy(params))
        viewer = viewer_of(params)
        return permissions.scope_students(viewer, students) if viewer is not None else students


def _grade_order(grade: str) -> int:
    order = ("T9", "09", "10", "11", "12")
    return order.index(grade) if grade in order else len(order)


HUNDREDTH, THOUSANDTH = Decimal("0.01"), Decimal("0.001")


def _percent(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _gpa(value) -> Decimal | None:
    """A GPA as a number with its 3 places (stays a number in Excel, prints 3.500)."""
    return None if value is None else Decimal(str(value)).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


class RankedStudent(NamedTuple):
    pk: int
    state_id: str
    last_name: str
    first_name: str
    grade: str
    graduation_date: object
    gpa: Decimal | None


def _stored_gpa(text) -> Decimal | None:
    # SQLite reads a JSON null as the text 'null', PostgreSQL as NULL.
    return None if text in (None, "", "null") else Decimal(text)


@register
class OverallGpaReport(SiteExporter):
    """STSQ11: "Arranged by sponsor, site and grade level, its major components are Overall GPA,
    Class Rank and Grad Class Rank." Ranked from the stored results (`StudentProgress`)."""

    name = "stsq11"
    label = SITE_REPORTS["stsq11"].label
    HEADER = ["Sponsor", "Site", "Grade", "State ID", "Name", "Overall GPA", "Class Rank", "Class Size",
              "Class Percent", "Grad Class Rank", "Grad Class Size", "Grad Class Percent", "Graduation Date"]

    def rows(self, params):
        site, bssy = _site(params), _bssy(params)
        # The exact GPA of the stored result (a string): the rank rounds it as printed, half up.
        students = [RankedStudent(*row[:6], _stored_gpa(row[6])) for row in Student.objects.filter(
            site=site, bssy=bssy).annotate(gpa=KeyTextTransform("overall_gpa", "progress__result")).values_list(
            "pk", "state_id", "last_name", "first_name", "grade", "graduation_date", "gpa")]
        ranks = class_rank((s.pk, site.sponsor.code, site.code, s.grade, s.gpa, s.graduation_date is not None)
                           for s in students)
        # The whole class is ranked; the rows shown are the ones the user may see.
        shown = set(self.students(params).values_list("pk", flat=True))
        yield self.HEADER
        for s, rank in sorted(((s, r) for s, r in zip(students, ranks) if s.pk in shown), key=lambda line: (
                _grade_order(line[0].grade), line[0].grade, line[1].class_rank is None, line[1].class_rank or 0,
                line[0].last_name, line[0].first_name, line[0].state_id)):
            yield [site.sponsor.code, site.code, s.grade, s.state_id, f"{s.last_name}, {s.first_name}".strip(", "),
                   _gpa(s.gpa),
                   rank.class_rank, rank.class_size, _percent(rank.class_percent),
                   rank.grad_rank, rank.grad_size, _percent(rank.grad_percent), s.graduation_date]


@register
class PartNumberReport(SiteExporter):
    """STSQ08: the four part number conditions, per student and record (`part_number_findings`)."""

    name = "stsq08"
    label = SITE_REPORTS["stsq08"].label
    HEADER = ["State ID", "Name", "Grade", "Condition", "Message", "Course Code", "Course Name", "Course BSSY",
              "Part", "Semester", "Letter Grade", "Credit Attempted", "Course Type"]

    def rows(self, params):
        site, bssy = _site(params), _bssy(params)
        tables = load_core_tables()
        records = defaultdict(list)
        for t in Transcript.objects.filter(student__site=site, student__bssy=bssy).order_by("student_id", "pk"):
            records[t.student_id].append(t)
        yield self.HEADER
        for student in self.students(params).filter(pk__in=list(records)).order_by(
                "last_name", "first_name", "state_id"):
            by_pk = {t.pk: t for t in records[student.pk]}
            for f in part_number_findings([course_of(t) for t in by_pk.values()], tables):
                t = by_pk[f.ref]
                state_name = tables.courses[f.course_code].name if f.course_code in tables.courses else ""
                yield [student.state_id, student.display_name, student.grade, f.condition, f.message, f.course_code,
                       f.course_name or state_name, f.course_bssy, f.part, t.semester, t.grade,
                       Decimal(str(f.credit_attempted)).quantize(HUNDREDTH), t.course_type]


def _tenths(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"))


@register
class ReferenceTablesReport(Exporter):
    """STSQ12: "the requirements of each core curricula for any given year ... types,
    categories, sets and courses allowed. It can be run for a specific Beginning School Session
    Year or core curricula type." The year is the graduation cohort, as in Help."""

    name = "stsq12"
    HEADER = ["Curriculum", "Curriculum Name", "Category", "Category Description", "Category Units Required",
              "Set", "Course Code", "Course Description", "Units Allowed", "Units Required",
              "Effective Grad BSSY", "Expiration Grad BSSY"]

    def check(self, user, params):
        _bssy(params)
        if not permissions.can(user, Action.VIEW):
            raise PermissionDenied("You are not allowed to view the core reference tables.")

    def title(self, params):
        curriculum = params.get("curriculum") or "all curricula"
        return f"STSQ12 TOPS Reference Tables Report - graduation cohort {_bssy(params)} - {curriculum}"

    def rows(self, params):
        from core_tables.browse_views import cohort_set_courses

        yield self.HEADER
        for sc in cohort_set_courses(_bssy(params), params.get("curriculum") or None).iterator(chunk_size=2000):
            cat, cur = sc.category, sc.category.curriculum
            yield [cur.code, cur.name, cat.code, cat.description, _tenths(cat.units_required), sc.set_code,
                   sc.course.code, sc.course.name, _tenths(sc.units_allowed), _tenths(sc.units_required),
                   sc.effective_grad_bssy, sc.expiration_grad_bssy]

