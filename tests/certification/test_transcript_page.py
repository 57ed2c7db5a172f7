"""The transcript a college reads (issue 18 item 3): every GPA recomputed from the page alone;
dropped attempts marked; each code explained; the named certifying official; page n of m and the
student's name on every page; no page holding only the certification."""
import re
from decimal import Decimal

import pytest

from certification import services
from certification.models import OfficialTranscript
from certification.storage import file_of
from transcripts.models import Transcript
from transcripts.progress_store import recompute

from .conftest import BSSY, keep_for_screens, make_graduate, pdf_text

pytestmark = pytest.mark.django_db

LINE = re.compile(r"^\s*([RX]?)\s*(\*?)\s*([A-Z]\d)\s+(\d{6})\s+(.*)$")


def course_rows(text: str) -> list[dict]:
    """The course lines of a transcript's text: the columns read from the right (every column
    prints one token, a dash when nothing is counted)."""
    rows = []
    for line in text.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        tokens = m.group(5).split()
        if len(tokens) < 9:
            continue
        grade, att, earn, qp, pts, core, tops, kind = tokens[-8:]
        rows.append({"mark": m.group(1), "five": m.group(2) == "*", "code": m.group(4), "grade": grade,
                     "att": Decimal(att), "qp": qp, "pts": pts, "core": core, "tops": tops, "type": kind})
    return rows


def recompute_from(rows, column) -> Decimal | None:
    total_points = total_units = Decimal(0)
    for r in rows:
        if column == "pts":
            if r["pts"] == "—" or r["att"] <= 0:
                continue
            points, units = Decimal(r["pts"]), r["att"]
        else:
            if r[column] == "—":
                continue
            units, points = (Decimal(v) for v in r[column].split("×"))
        total_points += points * units
        total_units += units
    return total_points / total_units if total_units else None


def printed(text: str, label: str) -> Decimal:
    return Decimal(re.search(rf"{label}\s+(\d\.\d{{3}})", text).group(1))


def add(student, code, bssy, grade, qp, gp_max=4, attempted=1, earned=None, kind="RG", part=""):
    return Transcript.objects.create(
        student=student, course_bssy=bssy, course_code=code, semester="Y1" if not part else f"S{part}", grade=grade,
        part=part, credit_attempted=Decimal(attempted), credit_earned=Decimal(attempted if earned is None else earned),
        grade_point_max=Decimal(gp_max), quality_points=Decimal(qp), course_type=kind,
        course_sponsor=student.sponsor.code, course_site=student.site.code)


@pytest.fixture
def varied(open_period, site, make_user):
    """A graduate with a failed attempt later repeated, 5.0-scale AP courses, a Pass grade and a
    course split into halves: every rule of the GPAs shows on the page."""
    make_user("E017GRD", "lea-gradcert", "017")
    from django.contrib.auth import get_user_model
    get_user_model().objects.filter(username="E017GRD").update(first_name="Claire", last_name="Boudreaux")
    grad = make_graduate(0, grade="B")
    add(grad, "160341", 2022, "F", 0)  # Algebra II failed in 2022-23, passed later (B): repeat/delete
    add(grad, "110103", 2024, "A", "5", gp_max=5, kind="AP")  # Art III: on the state's 5.0 list
    add(grad, "110104", 2025, "B", "4", gp_max=5, kind="AP")
    add(grad, "190101", 2023, "P", 0)  # a Pass: credit, no points
    add(grad, "110101", 2024, "A", 2, attempted="0.5", part="1")
    add(grad, "110101", 2024, "C", 1, attempted="0.5", part="2")
    recompute([grad.pk])
    services.certify_and_issue(site, BSSY, by="E017GRD")
    t = OfficialTranscript.objects.get(state_id=grad.state_id)
    keep_for_screens("transcript-varied.pdf", file_of(t).read_bytes())
    return grad, t, file_of(t).read_bytes()


def test_every_gpa_recomputes_from_the_page_alone(varied, tmp_path):
    grad, _t, data = varied
    text = pdf_text(data, tmp_path)
    rows = course_rows(text)
    assert len(rows) == Transcript.objects.filter(student=grad).count()  # every attempt listed
    flat = " ".join(text.split())
    for label, column in (("Overall GPA", "pts"), (r"Core GPA \(TU core\)", "core"), (r"TOPS GPA \(TC core\)", "tops")):
        shown = printed(flat, label)
        again = recompute_from(rows, column)
        assert again is not None and abs(again - shown) <= Decimal("0.001"), (label, again, shown)
    grad.progress.refresh_from_db()
    assert printed(flat, "Overall GPA") == Decimal(grad.progress.overall_gpa).quantize(Decimal("0.001"))
    # The repeat/delete rule: the failed Geometry is listed, marked R and counted nowhere.
    geometry = [r for r in rows if r["code"] == "160341"]
    failed = next(r for r in geometry if r["grade"] == "F")
    assert failed["mark"] == "R" and failed["pts"] == failed["core"] == failed["tops"] == "—"
    assert any(r["mark"] == "" and r["grade"] == "B" for r in geometry)
    # 5.0-scale courses: the reported points over 5, the Overall GPA converts them, the core keeps 5.0.
    art = next(r for r in rows if r["code"] == "110103")
    assert art["qp"] == "5.00/5" and art["pts"] == "4.000"
    if art["core"] != "—":
        assert art["five"] and art["core"].endswith("×5.000")
    # A Pass carries no points.
    assert next(r for r in rows if r["code"] == "190101")["pts"] == "—"


def assert_no_orphaned_last_page(data, t, tmp_path):
    pages = [p for p in pdf_text(data, tmp_path).split("\f") if p.strip()]
    assert len(pages) == t.pages
    for n, page in enumerate(pages, 1):
        assert f"Page {n} of {t.pages}" in page and t.display_name in page and t.code in page
    assert "Certification." in pages[-1] and course_rows(pages[-1]), "the last page holds the certification alone"


def test_every_code_on_the_page_is_explained_and_the_certifier_is_named(varied, tmp_path):
    _grad, t, data = varied
    flat = " ".join(pdf_text(data, tmp_path).split())
    for explained in ("Y1 Full year", "S1 Semester 1", "P Pass", "F", "RG Regular", "AP Advanced Placement",
                      "dropped by the repeat/delete rule", "5.0 list", "1 and 2: the halves"):
        assert explained in flat, explained
    assert "certifying official, Claire Boudreaux (E017GRD)" in flat
    assert "sts.test.example/verify/" in flat and "127.0.0.1" not in flat
    assert_no_orphaned_last_page(data, t, tmp_path)


def test_a_long_transcript_keeps_courses_with_its_certification_and_names_the_student_on_every_page(
        open_period, site, tmp_path):
    grad = make_graduate(0)
    for year in (2022, 2023, 2024, 2025):
        for i in range(9):  # repeated attempts of electives: a transcript of two pages
            add(grad, "110101", year, "C", 2)
    recompute([grad.pk])
    services.certify_and_issue(site, BSSY, by="E017ALL")
    t = OfficialTranscript.objects.get(state_id=grad.state_id)
    assert t.pages >= 2
    keep_for_screens("transcript-long.pdf", file_of(t).read_bytes())
    assert_no_orphaned_last_page(file_of(t).read_bytes(), t, tmp_path)


def heading(text: str) -> list[str]:
    """The lines under the title, up to the Student/Graduation/GPA columns."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = next(i for i, line in enumerate(lines) if "HIGH SCHOOL TRANSCRIPT" in line)
    return lines[title + 1:next(i for i, line in enumerate(lines) if line.startswith("STUDENT"))]


def test_the_school_is_named_with_its_address_and_phone_and_the_issued_copy_keeps_them(open_period, site, tmp_path):
    from certification.pdf import render
    from certification.transcript import Gatherer, students_for_transcripts

    type(site).objects.filter(pk=site.pk).update(address="4100 Pelican Crest Dr", city="Baton Rouge", state="LA",
                                                 zip_code="70808", phone="(225) 555-0141")
    grad = make_graduate(0)
    services.certify_and_issue(site, BSSY, by="E017ALL")
    t = OfficialTranscript.objects.get(state_id=grad.state_id)
    keep_for_screens("transcript-address.pdf", file_of(t).read_bytes())
    lines = heading(pdf_text(file_of(t).read_bytes(), tmp_path))
    assert lines[0] == "Demo High (017001) · 4100 Pelican Crest Dr, Baton Rouge, LA 70808 · Phone (225) 555-0141"
    assert lines[1] == "Demo Parish School District (017) · School year 2025-26 · Version [1]"
    # The school moves: the issued PDF keeps the address it printed, and its graduates' transcripts
    # say the same about them (no new version); a transcript printed now has the new address.
    issued = file_of(t).read_bytes()
    before = Gatherer().data(students_for_transcripts(type(grad).objects.filter(pk=grad.pk)).get())
    type(site).objects.filter(pk=site.pk).update(address="9 Spanish Moss Way", zip_code="70809")
    student = students_for_transcripts(type(grad).objects.filter(pk=grad.pk)).get()
    after = Gatherer().data(student, official=False)
    assert file_of(t).read_bytes() == issued
    assert after.site_address == "9 Spanish Moss Way, Baton Rouge, LA 70809" and after.data_hash() == before.data_hash()
    body, _pages = render(after)
    assert heading(pdf_text(body, tmp_path))[0] == (
        "Demo High (017001) · 9 Spanish Moss Way, Baton Rouge, LA 70809 · Phone (225) 555-0141")


def test_a_school_without_an_address_on_file_gets_no_address_printed(open_period, site, tmp_path):
    type(site).objects.filter(pk=site.pk).update(address="", city="Baton Rouge", zip_code="70808", phone="")
    grad = make_graduate(0)
    services.certify_and_issue(site, BSSY, by="E017ALL")
    lines = heading(pdf_text(file_of(OfficialTranscript.objects.get(state_id=grad.state_id)).read_bytes(), tmp_path))
    assert lines[0] == "Demo High (017001)"  # a city alone is no address: nothing half printed, no "None"
    assert not any("Baton Rouge" in line or "Phone" in line or "None" in line for line in lines)
