"""Progress reports as exports (CSV, Excel, PDF, rendered by a worker) and as pages.

STSQ08 Course Part Number Edit Report is a site report for one BSSY (params ``site`` and
``bssy``); STSQ11 Overall GPA Report and STSQ13 Selected Data Element cover a site or the whole
sponsor (``site`` or ``sponsor``, as `queries.Selection`; STSQ13 also ``element``); STSQ12 TOPS
Reference Tables Report prints the core tables for a graduation cohort (params ``bssy`` and
optional ``curriculum``). Each exporter yields a header and rows; the report pages show the same
rows, paginated and sortable.
"""
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from core_tables.codelists import CODE_LISTS
from core_tables.models import Site
from core_tables.periods import fmt_bssy
from sts.accounts import permissions
from sts.accounts.permissions import Action
from sts.exports import FORMAT_LABELS, Exporter, register

from . import extensions
from .models import Student, Transcript
from .print_export import SelectionExporter
from .progress.partnumbers import part_number_findings
from .progress.rank import class_rank
from .progress_store import course_of, load_core_tables
from .queries import param_bssy


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
               "with equal GPAs share a rank. Grad Class Rank covers grade 12 students with a graduation date. "
               "For a site or the whole sponsor; run it before each Board of Regents harvest."),
    SiteReport("stsq13", "STSQ13 Selected Data Element Report",
               "Students of a site or the whole sponsor with one chosen data element in their records: an "
               "academic or career/tech endorsement, dual enrollment courses (DE and DI), advanced placement "
               "courses (AP and DA), credit recovery courses or a career option code."),
]}
# Reports that also run for the whole sponsor (the others need a site).
SPONSOR_REPORTS = frozenset({"stsq11", "stsq13"})


def export_formats(exporter) -> list[tuple[str, str]]:
    """The export buttons of a report page: (format, label)."""
    return [(fmt, FORMAT_LABELS.get(fmt, fmt.upper())) for fmt in FORMAT_LABELS if fmt in exporter.formats]


def param_site(params) -> Site:
    """An export's site parameter, or BadRequest naming it."""
    site = Site.objects.select_related("sponsor").filter(code=str(params.get("site", ""))).first()
    if site is None:
        raise BadRequest(f"No site {params.get('site', '')!r}.")
    return site


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
class OverallGpaReport(SelectionExporter):
    """STSQ11: "Arranged by sponsor, site and grade level, its major components are Overall GPA,
    Class Rank and Grad Class Rank." Ranked from the stored results (`StudentProgress`) over the
    whole class; the rows are those the user may see (a LOSFA user's consent-Y students keep the
    ranks they have in the whole class). "Site Certified" is the date the site's graduates were
    certified for the BSSY (from the certification app), empty where they are not."""

    name = "stsq11"
    label = SITE_REPORTS["stsq11"].label
    HEADER = ["Sponsor", "Site", "Grade", "State ID", "Name", "Overall GPA", "Class Rank", "Class Size",
              "Class Percent", "Grad Class Rank", "Grad Class Size", "Grad Class Percent", "Graduation Date",
              "Site Certified"]

    def rows(self, params):
        sel = self.selection(params)
        everyone = Student.objects.filter(bssy=sel.bssy, sponsor__code=sel.sponsor)
        if sel.site:
            everyone = everyone.filter(site__code=sel.site)
        shown = set(self.students(params).values_list("pk", flat=True))
        # The exact GPA of the stored result (a string): the rank rounds it as printed, half up.
        students = [(site, RankedStudent(*row[:6], _stored_gpa(row[6]))) for site, *row in everyone.annotate(
            gpa=KeyTextTransform("overall_gpa", "progress__result")).values_list(
            "site__code", "pk", "state_id", "last_name", "first_name", "grade", "graduation_date", "gpa")]
        ranks = class_rank((s.pk, sel.sponsor, site, s.grade, s.gpa, s.graduation_date is not None)
                           for site, s in students)
        certified = _certification_dates(everyone, sel.bssy)
        yield self.HEADER
        for (site, s), rank in sorted(zip(students, ranks), key=lambda line: (
                line[0][0], _grade_order(line[0][1].grade), line[0][1].grade, line[1].class_rank is None,
                line[1].class_rank or 0, line[0][1].last_name, line[0][1].first_name, line[0][1].state_id)):
            if s.pk not in shown:
                continue
            yield [sel.sponsor, site, s.grade, s.state_id, f"{s.last_name}, {s.first_name}".strip(", "),
                   _gpa(s.gpa),
                   rank.class_rank, rank.class_size, _percent(rank.class_percent),
                   rank.grad_rank, rank.grad_size, _percent(rank.grad_percent), s.graduation_date,
                   certified.get(site)]


def _certification_dates(students, bssy) -> dict:
    """{site code: the date its graduates were certified} for the certified sites of these students."""
    sites = dict(students.values_list("site_id", "site__code").distinct())
    states = extensions.call(extensions.SITE_CERTIFICATIONS, list(sites), bssy, default={})
    return {sites[pk]: timezone.localtime(state.certified_at).date()
            for pk, state in states.items() if state.is_certified and state.certified_at}


def _code_names(list_name):
    return {c.code: c.name for c in CODE_LISTS[list_name]}


@dataclass(frozen=True)
class DataElement:
    label: str
    students: object = None  # a Q on Student: a student-level element
    courses: object = None  # a Q on Transcript: a course-level element


def _elements():
    from django.db.models import Q

    return {
        "endorsement": DataElement("Academic or Career/Tech Endorsement",
                                   students=~Q(academic_endorsement="") | ~Q(career_endorsement="")),
        "dual_enrollment": DataElement("Dual Enrollment Course (DE and DI)", courses=Q(course_type__in=["DE", "DI"])),
        "advanced_placement": DataElement("Advanced Placement Course (AP and DA)",
                                          courses=Q(course_type__in=["AP", "DA"])),
        # The layouts carry no credit recovery flag: distance learning type 05 (Dropout Recovery
        # Program Providers) is the recovery course (docs/decisions.md).
        "credit_recovery": DataElement("Credit Recovery Course (distance learning type 05)",
                                       courses=Q(distance_learning="05")),
        "career_option": DataElement("Career Option Code", students=~Q(career_option="")),
    }


DATA_ELEMENTS = _elements()


@register
class SelectedDataElementReport(SelectionExporter):
    """STSQ13: "lists by LEA and site for any given year those students that have in their
    transcript record any of the following five data elements ... Only one data element at a time
    may be selected." Course elements list each course; student elements each student."""

    name = "stsq13"
    label = SITE_REPORTS["stsq13"].label
    HEAD = ["Sponsor", "Site", "State ID", "Name", "Grade", "Diploma Path"]
    COURSES = ["Course BSSY", "Course Code", "Course Name", "Part", "Semester", "Letter Grade", "Credit Earned",
               "Course Type", "Distance Learning", "Course Sponsor", "Course Site", "DE Credit Hours",
               "DE Secondary Site"]

    def element(self, params) -> DataElement:
        code = str(params.get("element", ""))
        if code not in DATA_ELEMENTS:
            raise BadRequest("Choose a data element: " + ", ".join(DATA_ELEMENTS) + ".")
        return DATA_ELEMENTS[code]

    def check(self, user, params):
        self.element(params)
        super().check(user, params)

    def title(self, params):
        return f"{super().title(params)} - {self.element(params).label}"

    def header(self, params):
        code = str(params.get("element"))
        if code == "endorsement":
            return [*self.HEAD, "Academic Endorsement", "Academic Endorsement Name", "Career/Tech Endorsement",
                    "Career/Tech Endorsement Name", "Graduation Date"]
        if code == "career_option":
            return [*self.HEAD, "Career Option Code", "Career Option Name"]
        return [*self.HEAD, *self.COURSES]

    def count(self, params):
        element = self.element(params)
        if element.students is not None:
            return self.students(params).filter(element.students).count()
        return Transcript.objects.filter(element.courses, student__in=self.students(params)).count()

    def rows(self, params):
        element, code = self.element(params), str(params.get("element"))
        yield self.header(params)
        students = self.students(params).order_by("site__code", "last_name", "first_name", "state_id")
        head = ("sponsor__code", "site__code", "state_id", "last_name", "first_name", "grade", "diploma_path")
        if code == "endorsement":
            academic, career = _code_names("academic_endorsement"), _code_names("career_endorsement")
            for *h, a, c, grad in students.filter(element.students).values_list(
                    *head, "academic_endorsement", "career_endorsement", "graduation_date").iterator(chunk_size=2000):
                yield [*_head(h), a, academic.get(a, ""), c, career.get(c, ""), grad]
        elif code == "career_option":
            names = _code_names("career_option")
            for *h, option in students.filter(element.students).values_list(*head, "career_option").iterator(
                    chunk_size=2000):
                yield [*_head(h), option, names.get(option, "")]
        else:
            tables = load_core_tables()
            courses = Transcript.objects.filter(element.courses, student__in=students).order_by(
                "student__site__code", "student__last_name", "student__first_name", "student__state_id",
                "course_bssy", "course_code", "part", "semester")
            for *h, bssy, course, name, part, semester, grade, earned, ctype, dl, csponsor, csite, hours, de_site in (
                    courses.values_list(*(f"student__{f}" for f in head), "course_bssy", "course_code",
                                        "course_name", "part", "semester", "grade", "credit_earned", "course_type",
                                        "distance_learning", "course_sponsor", "course_site", "de_credit_hours",
                                        "de_secondary_site").iterator(chunk_size=2000)):
                state_name = tables.courses[course].name if course in tables.courses else ""
                yield [*_head(h), bssy, course, name or state_name, part, semester, grade, earned, ctype, dl,
                       csponsor, csite, hours, de_site]


def _head(values):
    sponsor, site, state_id, last, first, grade, path = values
    return [sponsor, site, state_id, f"{last}, {first}".strip(", "), grade, path]


@register
class PartNumberReport(SelectionExporter):
    """STSQ08: the four part number conditions, per student and record (`part_number_findings`)."""

    name = "stsq08"
    label = SITE_REPORTS["stsq08"].label
    HEADER = ["State ID", "Name", "Grade", "Condition", "Message", "Course Code", "Course Name", "Course BSSY",
              "Part", "Semester", "Letter Grade", "Credit Attempted", "Course Type"]

    def rows(self, params):
        students = self.students(params)  # the site's, cut to what the user may see
        tables = load_core_tables()
        records = defaultdict(list)
        for t in Transcript.objects.filter(student__in=students.order_by()).order_by("student_id", "pk"):
            records[t.student_id].append(t)
        yield self.HEADER
        for student in students.filter(pk__in=list(records)).order_by("last_name", "first_name", "state_id"):
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
        param_bssy(params)
        if not permissions.can(user, Action.VIEW):
            raise PermissionDenied("You are not allowed to view the core reference tables.")

    def title(self, params):
        curriculum = params.get("curriculum") or "all curricula"
        bssy = param_bssy(params)  # a cohort is named by the year it graduates: BSSY 2025-26 is the class of 2026
        return f"STSQ12 TOPS Reference Tables Report - class of {bssy + 1} (BSSY {fmt_bssy(bssy)}) - {curriculum}"

    def rows(self, params):
        from core_tables.queries import cohort_set_courses

        yield self.HEADER
        for sc in cohort_set_courses(param_bssy(params), params.get("curriculum") or None).iterator(chunk_size=2000):
            cat, cur = sc.category, sc.category.curriculum
            yield [cur.code, cur.name, cat.code, cat.description, _tenths(cat.units_required), sc.set_code,
                   sc.course.code, sc.course.name, _tenths(sc.units_allowed), _tenths(sc.units_required),
                   sc.effective_grad_bssy, sc.expiration_grad_bssy]

