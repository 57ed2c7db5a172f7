"""Print & Export of the Student List and the STSQ reports: open every file and read it back."""
import io
import subprocess
import zipfile

import pytest
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook

from sts.exports import EXPORTERS
from transcripts.models import Student, Transcript

from .conftest import BSSY

pytestmark = pytest.mark.django_db


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def render(name, params, tmp_path, fmt, user=None):
    exporter = EXPORTERS[name].bind(user)
    if user is not None:
        exporter.check(user, params)
    target = tmp_path / f"{name}.{fmt}"
    return exporter.render(fmt, params, target) or target


def test_summary_xlsx_one_row_a_student_numbers_as_numbers(loaded_017, tmp_path):
    site = "017001"
    path = render("summary", {"site": site, "bssy": BSSY}, tmp_path, "xlsx")
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert header[:6] == ("State ID", "Local ID", "Last Name", "First Name", "Site", "Grade")
    for name in ("Overall GPA", "Core GPA", "TOPS GPA", "Diploma Path", "Career Option", "FAFSA", "GEE/EOC",
                 "Parental Consent", "Credits Earned", "Passed IBCs", "Academic Endorsement",
                 "Career/Tech Endorsement", "Award Standing"):
        assert name in header
    col = {h: i for i, h in enumerate(header)}
    students = Student.objects.filter(site__code=site, bssy=BSSY)
    assert len(rows) - 1 == students.count()
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{chr(64 + len(header))}{len(rows)}"
    assert ws.column_dimensions["V"].width == 30
    by_id = {r[0]: r for r in rows[1:]}
    for s in students.select_related("progress"):
        row = by_id[s.state_id]
        assert row[col["Overall GPA"]] == (float(s.progress.overall_gpa) if s.progress.overall_gpa is not None else None)
        assert row[col["Credits Earned"]] == float(s.progress.total_credits)
        assert row[col["Passed IBCs"]] == s.ibcs.filter(pass_fail="P").count()
        assert row[col["Parental Consent"]] == ("Y" if s.parental_consent else "N")
    gpas = [r[col["Overall GPA"]] for r in rows[1:] if r[col["Overall GPA"]] is not None]
    assert gpas and all(isinstance(g, (int, float)) for g in gpas)  # numbers, not text
    assert ws.cell(row=2, column=col["Overall GPA"] + 1).number_format == "0.000"
    standings = {r[col["Award Standing"]] for r in rows[1:]}
    assert any(s.startswith(("TC ", "TJ ")) for s in standings if s)


def test_summary_award_standing_reads_the_stored_awards(loaded_017, tmp_path):
    """The summary reads only a few keys of each stored award: its Award Standing is what the whole
    stored result gives, for every student (an award without a GPA and a student without awards too)."""
    from transcripts.progress.result import StudentProgress as ProgressResult
    from transcripts.progress.result import award_standing

    students = list(Student.objects.filter(site__code="017001", bssy=BSSY).select_related("progress"))
    no_gpa = students[0].progress
    no_gpa.result["awards"][0]["gpa"] = None
    no_gpa.save()
    no_awards = next(s for s in students[1:] if s.progress.result["awards"]).progress
    no_awards.result["awards"] = []
    no_awards.save()
    path = render("summary", {"site": "017001", "bssy": BSSY}, tmp_path, "xlsx")
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    shown = {r[0]: r[-1] or "" for r in rows[1:]}
    for s in Student.objects.filter(site__code="017001", bssy=BSSY).select_related("progress"):
        awards = ProgressResult.from_dict(s.progress.result).awards
        assert shown[s.state_id] == "; ".join(
            award_standing(a.code, a.level, a.eligible, a.gpa, a.progress.complete) for a in awards), s.state_id
    assert shown[no_awards.student.state_id] == ""
    assert shown[no_gpa.student.state_id].endswith("core not met")
    assert any("eligible" in text for text in shown.values())  # not only one kind of standing


def test_summary_follows_the_list_grade_and_search(loaded_017, tmp_path):
    student = Student.objects.filter(site__code="017001", bssy=BSSY).order_by("state_id").first()
    path = render("summary", {"site": "017001", "bssy": BSSY, "q": student.state_id}, tmp_path, "xlsx")
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [student.state_id]
    path = render("summary", {"site": "017001", "bssy": BSSY, "grade": "12"}, tmp_path, "xlsx")
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert {r[5] for r in rows[1:]} == {"12"}


def test_student_list_pdf_names_the_filters(loaded_017, tmp_path):
    students = Student.objects.filter(site__code="017001", bssy=BSSY, grade="11").order_by("last_name")
    text = pdf_text(render("student_list", {"site": "017001", "bssy": BSSY, "grade": "11"}, tmp_path, "pdf"))
    assert "Student List - 017001, grade 11 - BSSY 2025-26" in text.replace("\n", " ")
    assert all(s.state_id in text for s in students)
    assert "FAFSA" not in text  # "It does not include ... GPAs, FAFSA, or Parental Consent"


def _bold_categories(doc):
    return {row.cells[0].text for t in doc.tables for row in t.rows[1:]
            if len(row.cells) == 3 and all(r.bold for r in row.cells[0].paragraphs[0].runs)}


def test_core_progress_report_pdf_and_word(loaded_017, tmp_path):
    student = (Student.objects.filter(site__code="017001", bssy=BSSY, grade="12", diploma_path="TU")
               .select_related("progress").first())
    params = {"site": "017001", "bssy": BSSY, "q": student.state_id, "award": "TC"}
    text = pdf_text(render("core_progress", params, tmp_path, "pdf"))
    flat = " ".join(text.split())
    assert student.state_id in flat and "FAFSA" in flat and "Parental consent" in flat and "TC core" in flat
    assert f"search '{student.state_id}' - BSSY 2025-26 - TC" in text  # the page footer
    result = student.progress.result
    tc = next(a for a in result["awards"] if a["code"] == "TC")
    for cat in tc["progress"]["categories"]:
        assert cat["description"][:20] in text
        for course in cat["courses"]:
            assert course["code"] in text
    doc = Document(render("core_progress", params, tmp_path, "docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    from core_tables.models import SecureId
    full = SecureId.objects.filter(unique_id=student.state_id).first()
    shown = f"{full.last_name}, {full.first_name}" if full else student.display_name
    assert headings[0] == f"Core Progress Report: {shown}"  # the registry's full name
    assert any(h.startswith("TC ") for h in headings)
    facts = next(p.text for p in doc.paragraphs if p.text.startswith("FAFSA / TOPS form submitted: "))
    consent = "Yes" if student.parental_consent else "No"
    assert (f" · Parental consent to share with LOSFA and the Board of Regents: {consent} · End-of-course tests "
            "(GEE/EOC) met: ") in facts and " · Overall GPA: " in facts and " · TC core GPA: " in facts
    incomplete = {f"{c['code']} {c['description']}" for c in tc["progress"]["categories"] if not c["complete"]}
    assert _bold_categories(doc) == incomplete


def test_core_progress_report_in_files_of_100_zipped(loaded_017, tmp_path, settings):
    settings.STS_REPORT_STUDENTS_PER_FILE = 7  # so 60 students make 9 files
    params = {"site": "017001", "bssy": BSSY}
    count = Student.objects.filter(site__code="017001", bssy=BSSY).count()
    path = render("core_progress", params, tmp_path, "docx")
    assert path.suffix == ".zip"
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert len(names) == -(-count // 7) and names[0].endswith("-00001-00007.docx")
        seen = []
        for name in names:
            doc = Document(io.BytesIO(zf.read(name)))
            seen += [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert len(seen) == count


def test_stsq11_whole_sponsor_ranks_per_site(loaded_017, tmp_path):
    rows = list(EXPORTERS["stsq11"].rows({"sponsor": "017", "bssy": BSSY}))
    sites = {r[1] for r in rows[1:]}
    assert len(rows) - 1 == Student.objects.filter(sponsor__code="017", bssy=BSSY).count() and len(sites) > 1
    per_site = list(EXPORTERS["stsq11"].rows({"site": "017001", "bssy": BSSY}))
    assert [r for r in rows[1:] if r[1] == "017001"] == per_site[1:]
    path = render("stsq11", {"sponsor": "017", "bssy": BSSY}, tmp_path, "xlsx")
    sheet = list(load_workbook(path).active.iter_rows(values_only=True))
    assert len(sheet) == len(rows) and isinstance(sheet[1][5], float | type(None)) and isinstance(sheet[1][6], int | type(None))
    text = pdf_text(render("stsq11", {"sponsor": "017", "bssy": BSSY}, tmp_path, "pdf"))
    assert "STSQ11 Overall GPA Report - sponsor 017" in text and all(r[3] in text for r in rows[1:])


@pytest.mark.parametrize("element,types", [("dual_enrollment", {"DE", "DI"}), ("advanced_placement", {"AP", "DA"})])
def test_stsq13_course_elements(loaded_017, element, types, tmp_path):
    rows = list(EXPORTERS["stsq13"].rows({"sponsor": "017", "bssy": BSSY, "element": element}))
    header, body = rows[0], rows[1:]
    expected = Transcript.objects.filter(student__sponsor__code="017", student__bssy=BSSY, course_type__in=types)
    assert len(body) == expected.count() > 0
    assert {r[header.index("Course Type")] for r in body} <= types
    text = pdf_text(render("stsq13", {"sponsor": "017", "bssy": BSSY, "element": element}, tmp_path, "pdf"))
    assert body[0][2] in text


def test_stsq13_student_elements(loaded_017):
    rows = list(EXPORTERS["stsq13"].rows({"sponsor": "017", "bssy": BSSY, "element": "career_option"}))
    assert len(rows) - 1 == Student.objects.filter(sponsor__code="017", bssy=BSSY).exclude(career_option="").count()
    assert all(r[6] and r[7] for r in rows[1:])  # code and name
    endorsed = list(EXPORTERS["stsq13"].rows({"sponsor": "017", "bssy": BSSY, "element": "endorsement"}))
    assert all(r[6] or r[8] for r in endorsed[1:])
    Transcript.objects.filter(pk=Transcript.objects.filter(student__sponsor__code="017").first().pk).update(
        distance_learning="05")
    recovery = list(EXPORTERS["stsq13"].rows({"sponsor": "017", "bssy": BSSY, "element": "credit_recovery"}))
    assert len(recovery) - 1 == Transcript.objects.filter(student__sponsor__code="017", distance_learning="05").count()


def test_sts_export_command_writes_the_browser_file(loaded_017, tmp_path):
    out = tmp_path / "summary.xlsx"
    call_command("sts_export", "summary", "--sponsor", "017", "--bssy", str(BSSY), "--site", "017001",
                 "--format", "xlsx", "--out", str(out))
    browser = render("summary", {"site": "017001", "bssy": BSSY}, tmp_path, "xlsx")
    assert list(load_workbook(out).active.values) == list(load_workbook(browser).active.values)
    out = tmp_path / "q13.pdf"
    call_command("sts_export", "stsq13", "--sponsor", "017", "--bssy", str(BSSY), "--element", "career_option",
                 "--format", "pdf", "--out", str(out))
    assert "STSQ13" in pdf_text(out)
    from django.core.management.base import CommandError
    with pytest.raises(CommandError, match="Choose a data element"):
        call_command("sts_export", "stsq13", "--sponsor", "017", "--bssy", str(BSSY), "--format", "pdf",
                     "--out", str(out))
    with pytest.raises(CommandError, match="not written as docx"):
        call_command("sts_export", "summary", "--sponsor", "017", "--bssy", str(BSSY), "--format", "docx",
                     "--out", str(out))


def test_print_and_export_for_one_student_from_its_detail_page(loaded_017, tmp_path, client, make_user):
    """Issue 11, item 1: "for what the list shows (a site, a grade, a search, one student)"."""
    student = Student.objects.filter(site__code="017001", bssy=BSSY).order_by("state_id")[3]
    user = make_user("E017INQ", "lea-inquiry", "017")
    client.force_login(user)
    page = client.get(f"/students/{student.pk}/").content.decode()
    assert 'id="print-export"' in page and f'name="student" value="{student.state_id}"' in page
    assert f"For this student: {student.state_id}" in page
    params = {"site": "017001", "bssy": BSSY, "student": student.state_id}
    rows = list(load_workbook(render("summary", params, tmp_path, "xlsx", user)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [student.state_id]
    text = pdf_text(render("core_progress", params, tmp_path, "pdf", user))
    assert student.state_id in text and text.count("Core Progress Report") >= 1
