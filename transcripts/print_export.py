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

from core_tables.codelists import CODE_LISTS
from core_tables.models import Curriculum, SecureId
from core_tables.periods import fmt_bssy
from sts.exports import Exporter, register

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
        return f"{self.label} - {sel.describe(self.user)} - BSSY {fmt_bssy(sel.bssy)}"

    def students(self, params):
        return self.selection(params).students(self.user)

    def scope(self, params):
        return selection_scope(self.selection(params), self.user)

    def count(self, params):
        return self.students(params).count()


def selection_scope(sel, user) -> dict:
    """The heading's sponsor, site (or "my sites") and BSSY of a selection."""
    from core_tables.models import Site, Sponsor

    sponsor = Sponsor.objects.filter(code=sel.sponsor).first()
    scope = {"Sponsor": str(sponsor) if sponsor else sel.sponsor}
    if sel.site:
        site = Site.objects.filter(code=sel.site).first()
        scope["Site"] = str(site) if site else sel.site
    else:
        scope["Sites"] = sel.describe(user)
    scope["BSSY"] = fmt_bssy(sel.bssy)
    return scope


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
        write_xlsx(self.title(params), rows, path, widths=self.WIDTHS, heading=self.heading(params))
        return path


@register
class StudentListPdf(SelectionExporter):
    """Print to PDF: "just prints a list as shown in the Student List" (no GPAs, FAFSA or consent)."""

    name = "student_list"
    label = "Student List"
    formats = ("pdf", "csv")
    # As the Student List screen shows them: IBCs passed; the TOPS award as eligible (core complete
    # and GPA at the minimum), the standing the Core Progress Report and the summary state.
    HEADER = ["State ID", "Name", "Grade", "Diploma Path", "Path Categories Met", "Total Credits", "Passed IBCs",
              "TOPS Award Eligible", "Last Updated"]

    def rows(self, params):
        yield self.HEADER
        rows = self.students(params).annotate(ibc_count=passed_ibcs()).values_list(
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
class Standing:
    """The diploma pathway or one TOPS award, as a parent reads it: met or not, and what is missing."""
    title: str  # "TU TOPS University Diploma" / "TC TOPS University core"
    met: bool
    summary: str  # "complete" / "TC eligible: Opportunity ..." / "not complete"
    missing: list[str]  # "English: 1.00 of 4.00 units" ...


@dataclass(frozen=True)
class ReportStudent:
    """What one student's section of the Core Progress Report shows, first things first: the
    graduation check's verdict, the pathway and each TOPS award with what is missing, then the
    categories of the chosen curriculum."""
    student: Student
    result: ProgressResult | None
    curriculum: str  # the code shown (an award core or the pathway)
    curriculum_name: str
    gpa_label: str
    gpa: str
    complete: bool | None
    categories: list[CategoryProgress]
    note: str = ""
    full_name: str = ""
    ready: bool | None = None  # the graduation check: None when not computed
    verdict: str = ""  # "Ready to graduate" / "Not ready to graduate"
    reasons: tuple[str, ...] = ()
    standings: tuple[Standing, ...] = ()

    @property
    def name(self) -> str:
        return self.full_name or self.student.display_name


# The graduation check's reasons (guide, "Graduation Date Removal Codes") in a parent's words.
PLAIN_REASONS = {
    "2": "Credits: fewer credits than the diploma requires (23; 24 for TOPS University)",
    "3": "Core: at least one category of the diploma pathway is not complete (in bold below)",
    "4": "Tests: the Met GEE/EOC flag is not Y (the required end-of-course tests are not passed)",
    "5": "Career diploma: no CDV career option code",
    "6": "Jump Start: a passed industry-based credential, a J1-J4 career/tech endorsement or the Jump Start "
         "credential is missing",
}


def graduation_verdict(student: Student, result: ProgressResult | None) -> tuple[bool | None, str, tuple[str, ...]]:
    """(ready, headline, reasons) from the stored graduation check: the one the Certify screen and
    the upload's graduation-date removal use."""
    if result is None:
        return None, "Graduation check not computed yet", ()
    reasons = tuple(PLAIN_REASONS.get(code, f"Reason {code}") for code in result.graduation.removal_reasons)
    if student.removed_graduation_date is not None:
        reasons = (f"The graduation date {student.removed_graduation_date:%m/%d/%Y} was removed by the graduation "
                   "check",) + reasons
    if reasons:
        return False, "Not ready to graduate", reasons
    return True, "Ready to graduate", ()


def _missing(progress, in_table: bool) -> list[str]:
    """The categories not complete; for the curriculum whose table the section prints, a pointer
    to its bold rows rather than the same list twice."""
    missing = [c for c in progress.categories if not c.complete]
    if in_table:
        return [f"the {len(missing)} categor{'y' if len(missing) == 1 else 'ies'} in bold in the table below"
                ] if missing else []
    return [f"{c.code} {c.description}: {c.earned:.2f} of {c.required:.2f} units" for c in missing]


def standings(student: Student, result: ProgressResult | None, names: dict, shown: str = "") -> tuple[Standing, ...]:
    """The diploma pathway and each TOPS award the guide judges for it, with what is missing
    (`shown`: the curriculum whose categories the section's table prints)."""
    if result is None:
        return ()
    out = []
    p = result.pathway
    if p is not None:
        out.append(Standing(f"{p.code} {names.get(p.code, p.name)} (diploma pathway)", p.complete,
                            "all categories complete" if p.complete else "not complete",
                            _missing(p, p.code == shown)))
    for a in result.awards:
        missing = _missing(a.progress, a.code == shown) if a.progress else []
        standing = award_standing(a.code, a.level, a.eligible, a.gpa, a.progress.complete if a.progress else None)
        if a.progress and a.progress.complete and not a.eligible:
            missing.append(f"Core GPA {_shown(a.gpa) or '—'} is below the award's minimum")
        out.append(Standing(f"{a.code} {names.get(a.code, '')} (TOPS award core)".replace("  ", " "), a.eligible,
                            standing.removeprefix(f"{a.code} ") + " (ACT and other conditions are outside STS)",
                            missing))
    return tuple(out)


def _shown(value) -> str:
    shown = rounded_gpa(value)
    return "" if shown is None else f"{shown:.3f}"


def report_student(student: Student, stored: dict | None, award: str, names: dict, full_name: str = "") -> ReportStudent:
    """A student's section: the verdict and standings, then the chosen award core (or the pathway)."""
    from dataclasses import replace

    result = ProgressResult.from_dict(stored) if stored else None
    ready, verdict, reasons = graduation_verdict(student, result)
    chosen = _chosen(student, result, award, names)
    shown = chosen.curriculum if chosen.categories else ""
    return replace(chosen, full_name=full_name, ready=ready, verdict=verdict, reasons=reasons,
                   standings=standings(student, result, names, shown))


def _chosen(student: Student, result: ProgressResult | None, award: str, names: dict) -> ReportStudent:
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
    return ReportStudent(student, result, chosen.code, names.get(chosen.code, ""), f"{chosen.code} core GPA",
                         _shown(chosen.gpa), chosen.progress.complete, chosen.progress.categories)


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
        return f"{slugify(self.label)}-{slugify(sel.describe(self.user))}-{first:05d}-{first + len(part) - 1:05d}.{fmt}"

    def rows(self, params):  # not a table; the summary of what each page shows
        raise NotImplementedError

    def sections(self, params, ids):
        """The students of one part, in the list's order, with their stored results."""
        award = self.award(params)
        names = dict(Curriculum.objects.values_list("code", "name"))
        order = {pk: i for i, pk in enumerate(ids)}
        students = list(Student.objects.filter(pk__in=ids).select_related("site", "sponsor", "progress")
                        .defer("grad_removal_reasons"))
        # Public/charter students' full names live in the Secure ID registry (STS holds partial ones).
        registry = {u: f"{last}, {first}".strip(", ") for u, first, last in SecureId.objects.filter(
            unique_id__in=[s.state_id for s in students if s.sponsor.kind != "nonpublic"]).values_list(
            "unique_id", "first_name", "last_name")}
        for s in sorted(students, key=lambda s: order[s.pk]):
            stored = s.progress.result if hasattr(s, "progress") else None
            yield report_student(s, stored, award, names, registry.get(s.state_id, ""))

    def render_part(self, fmt, params, part, path, progress=None):
        sel = self.selection(params)
        from django.utils import timezone

        heading = {"title": self.title(params), "selection": sel.describe(self.user), "bssy": fmt_bssy(sel.bssy),
                   "award": AWARD_CHOICES[self.award(params)], "printed": f"{timezone.localdate():%m/%d/%Y}"}
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


def plain_facts(student: Student) -> list[tuple[str, str]]:
    """The 020 codes a parent reads, in words."""
    fafsa = {c.code: c.name for c in CODE_LISTS["fafsa"]}
    gee = {c.code: c.name for c in CODE_LISTS["gee_flag"]}
    code = (student.fafsa or "").strip()
    flag = (student.gee_flag or "").strip()
    return [("FAFSA / TOPS form submitted", f"Yes ({fafsa.get(code, code)})" if code else "No"),
            ("Parental consent to share with LOSFA and the Board of Regents", "Yes" if student.parental_consent else "No"),
            ("End-of-course tests (GEE/EOC) met", f"Yes ({gee[flag]})" if flag in gee else "No")]


def section_facts(section: ReportStudent) -> list[tuple[str, str]]:
    """The line of facts under a section's verdict and standings (PDF and Word alike)."""
    result = section.result
    return [*plain_facts(section.student), ("Overall GPA", (_shown(result.overall_gpa) if result else "") or "—"),
            (section.gpa_label, section.gpa or "—"),
            ("Credits earned", f"{result.total_credits:.2f}" if result and result.total_credits is not None else "—")]


def units_cell(category) -> tuple[str, str]:
    """A category's units and completion, as its table cell reads."""
    return f"{category.earned:.2f} of {category.required:.2f}", "met" if category.complete else "not met"


def course_cell(u) -> str:
    return f"{u.code} {u.name} — {u.grade}, {fmt_bssy(u.bssy)}, {u.units:.2f} unit{'s' if u.units != 1 else ''}"


# The Core Progress Report's page, in lines of its 8.2 pt type (a letter page inside its margins
# holds ~66), and the characters a line holds in the course column and across the page. Estimates
# on the safe side: a section guessed too long starts a page early; one guessed too short is
# moved by WeasyPrint (break-inside: avoid), which lays it out twice.
PAGE_LINES, CATEGORY_CHARS, COURSE_CHARS, PAGE_CHARS = 60, 24, 56, 120


def section_lines(section, facts, categories) -> int:
    def wrapped(text, width):
        return max(1, -(-len(text) // width))
    lines = 4 + len(section.reasons) + wrapped(" · ".join(f"{k}: {v}" for k, v in facts), PAGE_CHARS)
    lines += sum(wrapped(f"{st.title}: {st.summary}. Missing: {'; '.join(st.missing)}", PAGE_CHARS)
                 for st in section.standings)
    lines += wrapped(section.note, PAGE_CHARS) if section.note else 0
    if categories:
        lines += 2 + sum(max(wrapped(f"{c.code} {c.description}", CATEGORY_CHARS),
                             sum(wrapped(line, COURSE_CHARS) for line in courses)) for c, _units, courses in categories)
    return lines + 2  # the rule and space between sections


def page_breaks(students) -> list[tuple[bool, bool]]:
    """(starts a new page, longer than a page) of each section: a section starts a page when it
    would not fit on what is left of it; one longer than a page flows on (never kept whole)."""
    breaks, used = [], 0
    for student in students:
        lines = section_lines(*student)
        new_page = bool(used) and used + lines > PAGE_LINES
        breaks.append((new_page, lines > PAGE_LINES))
        used = lines if new_page else used + lines
    return breaks


def write_core_progress_pdf(heading, sections, path):
    """One HTML document for the file's students (a file holds at most 100 of them; a document of
    that size stays under ~200 MB: docs/benchmarks.md). The categories are a real table: one row a
    category, the courses one cell of lines (a cell a course would double the boxes to lay out)."""
    from weasyprint import HTML

    from sts.exports import font_config

    # The title in a CSS string of the page header: anything but plain text as a CSS hex escape
    # (a search typed by the user must not close the string or the style sheet).
    def css(text):
        return "".join(c if c.isalnum() or c in " -.,'()" else f"\\{ord(c):x} " for c in text)
    students = [(s, section_facts(s), [(c, units_cell(c), [course_cell(u) for u in c.courses]) for c in s.categories])
                for s in sections]
    html = render_to_string("reports/core_progress.html", {
        **heading, "css_title": css(heading["title"]), "css_printed": css(heading["printed"]),
        "students": [(*student, *where) for student, where in zip(students, page_breaks(students))]})
    HTML(string=html).write_pdf(path, font_config=font_config())
    return html


def _docx_field(paragraph, instruction):
    """A Word field (PAGE, NUMPAGES) in a paragraph: Word fills it in when it lays the page out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "1":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        run._r.append(el)


def write_core_progress_docx(heading, sections, path):
    """Word: the PDF's content in the PDF's order, styled: a header (title, date printed) and a
    footer with page n of m, tables whose columns fit their text, incomplete categories in bold."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Inches, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.left_margin = section.right_margin = Inches(0.6)
    section.top_margin = section.bottom_margin = Inches(0.6)
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.styles["Normal"].font.size = Pt(9)
    doc.core_properties.title = heading["title"][:255]  # Word's limit; a long search would exceed it
    header = section.header.paragraphs[0]
    header.text = f"{heading['title']} · printed {heading['printed']}"
    header.runs[0].font.size = Pt(7.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ")
    _docx_field(footer, "PAGE")
    footer.add_run(" of ")
    _docx_field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(7.5)
    if not sections:
        doc.add_heading(heading["title"], level=1)
        doc.add_paragraph("No students match this selection.")

    def table(rows, widths, bold_rows=()):
        t = doc.add_table(rows=len(rows), cols=len(widths))
        t.style = "Table Grid"
        t.autofit = False
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                cell = t.rows[i].cells[j]
                cell.width = widths[j]
                cell.text = text
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(8)
                        run.bold = i == 0 or i in bold_rows
        return t

    for n, s in enumerate(sections):
        st = s.student
        h = doc.add_heading(f"Core Progress Report: {s.name}", level=1)
        if n:
            h.paragraph_format.page_break_before = len(s.categories) > 6  # a short one shares the page
        doc.add_paragraph(f"State ID {st.state_id} · {st.site.code} {st.site.name} · grade {st.grade} · "
                          f"{heading['bssy']} · diploma path {st.diploma_path or '(blank)'}"
                          + (f" · graduation date {st.graduation_date:%m/%d/%Y}" if st.graduation_date else ""))
        verdict = doc.add_paragraph()
        run = verdict.add_run(s.verdict + (": " + "; ".join(s.reasons) if s.reasons else ""))
        run.bold = True
        run.font.size = Pt(11)
        run.font.color.rgb = RGBColor(0x1B, 0x5E, 0x20) if s.ready else RGBColor(0xB7, 0x1C, 0x1C)
        for title, standing_text in ((st_.title, st_.summary + ("" if not st_.missing else
                                                                 ". Missing: " + "; ".join(st_.missing)))
                                     for st_ in s.standings):
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(title + ": ").bold = True
            p.add_run(standing_text)
        facts = doc.add_paragraph()
        for i, (label, value) in enumerate(section_facts(s)):
            facts.add_run(("" if not i else " · ") + f"{label}: ")
            facts.add_run(value).bold = True
        if s.note:
            doc.add_paragraph(s.note)
        if not s.categories:
            continue
        doc.add_heading(f"{s.curriculum} {s.curriculum_name}: " + ("every category complete" if s.complete else
                                                                     "categories not complete in bold"), level=2)
        rows = [["Category", "Units earned of required", "Courses counted"]]
        bold = set()
        for i, c in enumerate(s.categories, start=1):
            rows.append([f"{c.code} {c.description}", ", ".join(units_cell(c)),
                         "\n".join(course_cell(u) for u in c.courses) or "none yet"])
            if not c.complete:
                bold.add(i)
        table(rows, [Inches(1.9), Inches(1.1), Inches(4.3)], bold)
    doc.save(path)


def print_export_menu() -> dict:
    """What the Student List's Print & Export menu offers: (exporter, format, label) in the guide's
    order (the Core Progress Report, with its choices, comes after the first two), named for what
    the file holds rather than by the guide's menu codes (Export Summary to Excel, Extract 050...)."""
    return {
        "print_export_items": [
            ("summary", "xlsx", "Summary of the students listed (Excel)"),
            ("student_list", "pdf", "List of the students listed (PDF)"),
            ("extract_ibc", "txt", "IBC records (050) as a batch file"),
            ("extract_all", "txt", "All records (020, 030, 050) as a batch file"),
            ("extract_ibc_history", "txt", "IBC records (050) of earlier school years as a batch file")],
        "core_progress_awards": list(AWARD_CHOICES.items()),
    }
