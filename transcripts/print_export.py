"""The Student List's Print & Export (guide, "Print & Export"): Export Summary to Excel, Print to
PDF and the Core Progress Report, for what the list shows (a site, a grade, a search, one student;
the command line also takes a whole sponsor).

Everything is read from the stored progress results (`StudentProgress`), never recomputed here,
in chunks (`.iterator()`), so memory stays bounded whatever the site's size. The Core Progress
Report renders files of 100 students (the guide: "if the site is large it will break the reports
into groups of 100"), one worker task each, delivered as one .zip.
"""
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils.text import slugify

from core_tables.models import Curriculum
from core_tables.periods import fmt_bssy
from sts.exports import Exporter, register, wrapped

from .models import Ibc, Student
from .progress.engine import AWARDS_FOR_PATHWAY
from .progress.result import CategoryProgress, award_level, award_standing
from .progress.result import StudentProgress as ProgressResult
from .progress.result import rounded_gpa
from .queries import Selection

CHUNK = 500


def _gpa(value) -> Decimal | None:
    """A stored GPA as a number with 3 places (a number in Excel, printed 3.500)."""
    return None if value is None else Decimal(value).quantize(Decimal("0.001"))


class SelectionExporter(Exporter):
    """An export of the students a Student List shows (params of `Selection`), cut to what the
    bound user may see (`Exporter.bind`)."""

    label = ""
    user = None  # unbound: unscoped, as an operator's command (every framework path binds)

    def selection(self, params) -> Selection:
        return Selection.from_params(params)

    def check(self, user, params):
        self.selection(params).check(user)

    def title(self, params):
        sel = self.selection(params)
        return f"{self.label} - {sel.describe()} - BSSY {fmt_bssy(sel.bssy)}"

    def students(self, params):
        return self.selection(params).students(self.user)

    def count(self, params):
        return self.students(params).count()


def passed_ibcs():
    """A student's passed IBC count, as a subquery (no GROUP BY over the whole row)."""
    counted = Ibc.objects.filter(student=OuterRef("pk"), pass_fail="P").order_by().values("student").annotate(
        n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# The summary reads of each stored award only what its Award Standing needs (a key path each, not
# the awards' whole category progress): a pathway has at most MAX_AWARDS awards.
MAX_AWARDS = max(map(len, AWARDS_FOR_PATHWAY.values()), default=0)
AWARD_KEYS = (("code",), ("eligible",), ("gpa",), ("progress", "complete"))
TEXT_KEYS = (("code",), ("gpa",))  # read as text: a stored GPA "2.75" must not become a float


def award_columns() -> dict:
    """Annotations (name: JSON key path) of every award's `AWARD_KEYS`, in that order."""
    columns = {}
    for i in range(MAX_AWARDS):
        for path in AWARD_KEYS:
            value = "progress__result"
            for step in ("awards", str(i), *path[:-1]):
                value = KeyTransform(step, value)
            transform = KeyTextTransform if path in TEXT_KEYS else KeyTransform
            columns[f"award{i}_{'_'.join(path)}"] = transform(path[-1], value)
    return columns


def awards_standing(values) -> str:
    """The stored awards as one line each (see `progress.result.award_standing`), from the
    `award_columns()` values: (code, eligible, gpa, core complete) per award, None past the last."""
    lines = []
    for i in range(0, len(values), len(AWARD_KEYS)):
        code, eligible, gpa, complete = values[i:i + len(AWARD_KEYS)]
        if code is None:
            break
        # A JSON null read as text is SQL NULL on PostgreSQL but "null" on SQLite (`make run`).
        eligible, gpa = bool(eligible), None if gpa in (None, "", "null") else Decimal(gpa)
        lines.append(award_standing(code, award_level(code, gpa, eligible), eligible, gpa, complete))
    return "; ".join(lines)


@register
class StudentSummary(SelectionExporter):
    """Export Summary to Excel: one row a student, header frozen, autofilter on, so "CA students
    without a career option code / an IBC / FAFSA / consent" are one filter away."""

    name = "summary"
    label = "Student Summary"
    formats = ("xlsx", "csv", "pdf")
    HEADER = ["State ID", "Local ID", "Last Name", "First Name", "Site", "Grade", "Overall GPA", "Core GPA",
              "TOPS GPA", "Diploma Path", "Career Option", "FAFSA", "GEE/EOC", "Parental Consent", "Credits Earned",
              "Passed IBCs", "Academic Endorsement", "Career/Tech Endorsement", "Community Service",
              "Bi-literacy Seal", "Graduation Date", "Award Standing"]
    WIDTHS = [12, 10, 16, 12, 8, 6, 9, 9, 9, 7, 8, 6, 7, 8, 8, 7, 10, 10, 9, 9, 11, 30]

    def rows(self, params):
        yield self.HEADER
        columns = len(self.HEADER) - 1
        awards = award_columns()
        rows = self.students(params).annotate(passed=passed_ibcs(), **awards).values_list(
            "state_id", "local_id", "last_name", "first_name", "site__code", "grade", "progress__overall_gpa",
            "progress__core_gpa", "progress__tops_gpa", "diploma_path", "career_option", "fafsa", "gee_flag",
            "parental_consent", "progress__total_credits", "passed", "academic_endorsement", "career_endorsement",
            "community_service", "biliteracy_seal", "graduation_date", *awards)
        for row in rows.iterator(chunk_size=CHUNK):
            out = list(row[:columns])
            out[6:9] = [_gpa(v) for v in out[6:9]]  # Overall, core and TOPS GPA
            out[13] = "Y" if out[13] else "N"  # parental consent
            out.append(awards_standing(row[columns:]))
            yield out

    def render(self, fmt, params, path, progress=None):
        if fmt != "xlsx":
            return super().render(fmt, params, path, progress)
        from sts.exports import counted, write_xlsx

        rows = self.rows(params)
        if progress is not None:
            rows = counted(rows, self.count(params), progress)
        write_xlsx(self.title(params), rows, path, widths=self.WIDTHS)
        return path


@register
class StudentListPdf(SelectionExporter):
    """Print to PDF: "just prints a list as shown in the Student List" (no GPAs, FAFSA or consent)."""

    name = "student_list"
    label = "Student List"
    formats = ("pdf", "csv")
    HEADER = ["State ID", "Name", "Grade", "Diploma Path", "Path Categories Met", "Total Credits", "IBCs",
              "Award Categories Met", "Last Updated"]

    def rows(self, params):
        yield self.HEADER
        rows = self.students(params).annotate(ibc_count=Count("ibcs")).values_list(
            "state_id", "last_name", "first_name", "grade", "diploma_path", "progress__path_complete",
            "progress__total_credits", "ibc_count", "progress__award_eligible", "updated_at")
        for state_id, last, first, grade, path, path_met, credits, ibcs, award_met, updated in rows.iterator(
                chunk_size=CHUNK):
            yield [state_id, f"{last}, {first}".strip(", "), grade, path, "Y" if path_met else "", credits, ibcs,
                   "Y" if award_met else "", updated]


# --- Core Progress Report ----------------------------------------------------------------------

AWARD_CHOICES = {"": "Each student's TOPS award (TC for TU, TJ for CA)", "TC": "TC (TOPS University)",
                 "TJ": "TJ (TOPS Tech)", "pathway": "Diploma pathway"}


@dataclass(frozen=True)
class ReportStudent:
    """What one student's page of the Core Progress Report shows."""
    student: Student
    result: ProgressResult | None
    curriculum: str  # the code shown (an award core or the pathway)
    curriculum_name: str
    gpa_label: str
    gpa: str
    complete: bool | None
    categories: list[CategoryProgress]
    note: str = ""


def _shown(value) -> str:
    shown = rounded_gpa(value)
    return "" if shown is None else f"{shown:.3f}"


def report_student(student: Student, stored: dict | None, award: str, names: dict) -> ReportStudent:
    """A student's section: the chosen award core (or the pathway) from the stored result."""
    result = ProgressResult.from_dict(stored) if stored else None
    if result is None:
        return ReportStudent(student, None, "", "", "TOPS GPA", "", None, [],
                             "No stored progress result yet: it is computed after the records are loaded.")
    if award == "pathway" or (award == "" and not result.awards):
        p = result.pathway
        if p is None:
            return ReportStudent(student, result, student.diploma_path, "", "Core GPA", "", None, [],
                                 f"The path {student.diploma_path or '(blank)'} has no core curriculum.")
        return ReportStudent(student, result, p.code, names.get(p.code, p.name), f"{p.code} core GPA",
                             _shown(p.core_gpa), p.complete, p.categories)
    chosen = next((a for a in result.awards if not award or a.code == award), None)
    if chosen is None or chosen.progress is None:
        return ReportStudent(student, result, award, names.get(award, ""), f"{award} core GPA", "", None, [],
                             f"No {award} award is evaluated for the {student.diploma_path or 'blank'} pathway.")
    standing = award_standing(chosen.code, chosen.level, chosen.eligible, chosen.gpa, chosen.progress.complete)
    return ReportStudent(student, result, chosen.code, names.get(chosen.code, ""), f"{chosen.code} core GPA",
                         _shown(chosen.gpa), chosen.progress.complete, chosen.progress.categories,
                         f"{standing} (as far as STS can judge: ACT and other conditions are outside STS)")


@register
class CoreProgressReport(SelectionExporter):
    """The Core Progress Report (guide: the improved STSQ04/STSQ06, "excellent to distribute to
    parents at the beginning of the senior year"): per student FAFSA, parental consent, GEE/EOC and
    the TOPS GPA at the top, then each category with its courses, units required and earned and
    completion; incomplete categories in bold. PDF (WeasyPrint) or Word (python-docx)."""

    name = "core_progress"
    label = "Core Progress Report"
    formats = ("pdf", "docx")

    def award(self, params) -> str:
        award = str(params.get("award", ""))
        if award not in AWARD_CHOICES:
            raise BadRequest(f"No award type {award!r}: choose TC, TJ or the diploma pathway.")
        return award

    def check(self, user, params):
        self.award(params)
        super().check(user, params)

    def title(self, params):
        award = self.award(params)
        kind = {"": "", "pathway": " - diploma pathway"}.get(award, f" - {award}")
        return super().title(params) + kind

    def students(self, params):
        students = super().students(params)
        award = self.award(params)
        if award in ("TC", "TJ"):
            students = students.filter(diploma_path__in=[p for p, a in AWARDS_FOR_PATHWAY.items() if award in a])
        return students

    def parts(self, params):
        ids = list(self.students(params).values_list("pk", flat=True))
        if not ids:
            return [[]]
        size = settings.STS_REPORT_STUDENTS_PER_FILE
        return [ids[i:i + size] for i in range(0, len(ids), size)]

    def part_filename(self, fmt, params, index, part):
        sel = self.selection(params)
        first = index * settings.STS_REPORT_STUDENTS_PER_FILE + 1
        return f"{slugify(self.label)}-{slugify(sel.describe())}-{first:05d}-{first + len(part) - 1:05d}.{fmt}"

    def rows(self, params):  # not a table; the summary of what each page shows
        raise NotImplementedError

    def sections(self, params, ids):
        """The students of one part, in the list's order, with their stored results."""
        award = self.award(params)
        names = dict(Curriculum.objects.values_list("code", "name"))
        order = {pk: i for i, pk in enumerate(ids)}
        students = Student.objects.filter(pk__in=ids).select_related("site", "progress").defer("grad_removal_reasons")
        for s in sorted(students, key=lambda s: order[s.pk]):
            stored = s.progress.result if hasattr(s, "progress") else None
            yield report_student(s, stored, award, names)

    def render_part(self, fmt, params, part, path, progress=None):
        sel = self.selection(params)
        heading = {"title": self.title(params), "selection": sel.describe(), "bssy": fmt_bssy(sel.bssy),
                   "award": AWARD_CHOICES[self.award(params)]}
        sections = []
        for i, section in enumerate(self.sections(params, part), start=1):
            sections.append(section)
            if progress is not None and i % 20 == 0:
                progress(i, len(part))
        if fmt == "pdf":
            write_core_progress_pdf(heading, sections, path)
        else:
            write_core_progress_docx(heading, sections, path)
        if progress is not None:
            progress(len(part), len(part))
        return path


# The categories print as fixed columns in DejaVu Sans Mono, one preformatted block a student, as
# the official transcript's course lines do: WeasyPrint spent most of a file's time laying out and
# painting ~110 table cells a student; a line of text is one box (docs/benchmarks.md, the profile).
CATEGORY_WIDTH = 37  # "01 " and the description; longer descriptions continue under themselves
COURSE_NAME_WIDTH = 31
CATEGORY_HEADER = (f"{'Category':<{CATEGORY_WIDTH}}{'Required':>9}{'Earned':>8}  Complete  "
                   f"{'Course':<7}{'Course name':<{COURSE_NAME_WIDTH + 1}}{'Grade':<6}{'BSSY':<5}{'Units':>5}")


def category_lines(c: CategoryProgress) -> list[str]:
    """One category in fixed columns: the first course beside it, each further course (and a long
    description or course name) on lines of its own."""
    left = wrapped(f"{c.code} {c.description}", CATEGORY_WIDTH)
    numbers = f"{c.required:>9.2f}{c.earned:>8.2f}  {'Y' if c.complete else 'N':<8}  "
    right = []
    for u in c.courses:
        names = wrapped(u.name, COURSE_NAME_WIDTH)
        right.append(f"{u.code:<7}{names[0]:<{COURSE_NAME_WIDTH + 1}}{u.grade:<6}{u.bssy!s:<5}{u.units:>5.2f}")
        right += [" " * 7 + more for more in names[1:]]
    right = right or ["none"]
    lines = []
    for i in range(max(len(left), len(right))):
        text = left[i] if i < len(left) else ""
        middle = numbers if i == 0 else " " * len(numbers)
        lines.append(f"{text:<{CATEGORY_WIDTH}}{middle}{right[i] if i < len(right) else ''}".rstrip())
    return lines


def categories_block(categories) -> str:
    """The preformatted block of a student's categories (HTML), incomplete categories in bold."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    out = []
    for c in categories:
        text = escape("\n".join(category_lines(c)))
        out.append(text if c.complete else f"<b>{text}</b>")
    return mark_safe("\n".join(out))


def write_core_progress_pdf(heading, sections, path):
    """One HTML document for the file's students (a file holds at most 100 of them; a document of
    that size stays under ~200 MB: docs/benchmarks.md)."""
    from weasyprint import HTML

    from sts.exports import font_config

    # The title in a CSS string of the page footer: anything but plain text as a CSS hex escape
    # (a search typed by the user must not close the string or the style sheet).
    css_title = "".join(c if c.isalnum() or c in " -.,'()" else f"\\{ord(c):x} " for c in heading["title"])
    html = render_to_string("reports/core_progress.html", {
        **heading, "css_title": css_title, "category_header": CATEGORY_HEADER,
        "students": [(s, categories_block(s.categories)) for s in sections]})
    HTML(string=html).write_pdf(path, font_config=font_config())


def write_core_progress_docx(heading, sections, path):
    """Word: a real heading per student and real tables, so counselors can add notes and footers."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.size = Pt(9)
    doc.core_properties.title = heading["title"][:255]  # Word's limit; a long search would exceed it
    if not sections:
        doc.add_heading(heading["title"], level=1)
        doc.add_paragraph("No students match this selection.")
    for n, s in enumerate(sections):
        st = s.student
        if n:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(f"Core Progress Report: {st.display_name}", level=1)
        doc.add_paragraph(f"State ID {st.state_id} · {st.site.code} {st.site.name} · grade {st.grade} · "
                          f"BSSY {heading['bssy']} · diploma path {st.diploma_path or '(blank)'}")
        facts = doc.add_table(rows=2, cols=4)
        facts.style = "Table Grid"
        for cell, text in zip(facts.rows[0].cells, ("FAFSA", "Parental consent", "GEE/EOC", s.gpa_label)):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for cell, text in zip(facts.rows[1].cells, (st.fafsa or "(blank)", "Y" if st.parental_consent else "N",
                                                    st.gee_flag or "(blank)", s.gpa or "—")):
            cell.text = text
        if s.result is not None:
            doc.add_paragraph(f"Overall GPA {_shown(s.result.overall_gpa) or '—'} · TOPS GPA "
                              f"{_shown(s.result.tops_gpa) or '—'} · total credits {s.result.total_credits:.2f}")
        if s.note:
            doc.add_paragraph(s.note)
        if not s.categories:
            continue
        doc.add_heading(f"{s.curriculum} {s.curriculum_name}: "
                        + ("all categories met" if s.complete else "categories not met in bold"), level=2)
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("Category", "Courses counted", "Required", "Earned", "Complete")):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for c in s.categories:
            courses = "\n".join(f"{u.code} {u.name} ({u.grade}, {u.bssy}, {u.units:.2f})" for u in c.courses)
            cells = table.add_row().cells
            for cell, text in zip(cells, (f"{c.code} {c.description}", courses, f"{c.required:.2f}",
                                          f"{c.earned:.2f}", "Y" if c.complete else "N")):
                cell.text = text
                if not c.complete:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
    doc.save(path)



def print_export_menu() -> dict:
    """What the Student List's Print & Export menu offers: (exporter, format, label) in the guide's
    order (the Core Progress Report, with its choices, comes after the first two)."""
    return {
        "print_export_items": [
            ("summary", "xlsx", "Export Summary to Excel"), ("student_list", "pdf", "Print to PDF"),
            ("extract_ibc", "txt", "Extract IBCs (050) Records"), ("extract_all", "txt", "Extract All Records"),
            ("extract_ibc_history", "txt", "Extract 050 Records from History Records")],
        "core_progress_awards": list(AWARD_CHOICES.items()),
    }
