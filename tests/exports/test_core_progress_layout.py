"""The Core Progress Report a counselor hands to a parent (issue 18 item 4): the graduation check's
verdict first and plainly, then the diploma pathway and each TOPS award with what is missing, then
the categories as a real table (incomplete ones bold), codes in words, header, date and page n of m;
Word with the same content in the same order, styled."""
import re
from html import unescape
import subprocess

import pytest
from docx import Document

from tests.certification.conftest import GRAD_DATE, keep_for_screens, make_graduate
from tests.online.conftest import open_period  # noqa: F401  (BSSY 2025 current and open)
from transcripts.print_export import CoreProgressReport, write_core_progress_pdf

from .conftest import BSSY

pytestmark = pytest.mark.django_db


def text_of(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def two(open_period):  # noqa: F811
    """A ready TU graduate, and one whose graduation date the check removed (GEE/EOC flag not Y,
    English IV missing)."""
    from transcripts.progress_store import recompute

    ready = make_graduate(0)
    courses = [c for c in __import__("tests.certification.conftest", fromlist=["PASSING_TU"]).PASSING_TU
               if c != "120104"]
    removed = make_graduate(1, courses=courses, gee="", graduation_date=None, removed_graduation_date=GRAD_DATE,
                            grad_removal_reasons=["3", "4"], fafsa="")
    recompute([ready.pk, removed.pk])
    return ready, removed


def render(params, fmt, tmp_path, ids):
    exporter = CoreProgressReport()
    target = tmp_path / f"cpr.{fmt}"
    exporter.render_part(fmt, params, ids, target)
    return target


def test_the_first_line_says_whether_the_student_is_ready_and_why_not(two, tmp_path):
    ready, removed = two
    params = {"site": "017001", "bssy": BSSY, "award": "TC"}
    path = render(params, "pdf", tmp_path, [removed.pk, ready.pk])
    keep_for_screens("core-progress.pdf", path.read_bytes())
    text = text_of(path)
    flat = " ".join(text.split())
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) == 2  # a whole TU core does not leave room for a second student
    from core_tables.models import SecureId
    full = SecureId.objects.get(unique_id=removed.state_id)
    name = f"{full.last_name}, {full.first_name}"
    # The removed graduate: the verdict right under the name and the line of facts, with the reasons.
    after = flat[flat.index(name):]
    assert re.match(rf"{re.escape(name)} State ID {removed.state_id} .*? Not ready to graduate:", after)
    assert f"The graduation date {GRAD_DATE:%m/%d/%Y} was removed by the graduation check" in after
    assert "Tests: the Met GEE/EOC flag is not Y" in after and "Core: at least one category" in after
    assert "all categories met" not in flat and "every category complete" not in after.split("Ready to graduate")[0]
    assert "TU TOPS University Diploma (diploma pathway): not complete. Missing: " in after
    assert "TC" in after and "(TOPS award core)" in after
    assert "FAFSA / TOPS form" in after and "End-of-course tests (GEE/EOC) met" in after  # codes in words
    assert "Ready to graduate" in flat and "Yes (FAFSA" in flat
    for n, page in enumerate(pages, 1):  # the header (title, date printed) and page n of m on every page
        assert f"Page {n} of 2" in page and "Core Progress Report - 017001 - BSSY 2025-26 - TC" in page
        assert re.search(r"Printed \d\d/\d\d/\d{4}", page)


def test_short_sections_share_a_page(two, tmp_path):
    short = [make_graduate(i, courses=[], diploma_path="", graduation_date=None) for i in (2, 3, 4)]
    path = render({"site": "017001", "bssy": BSSY, "award": "pathway"}, "pdf", tmp_path, [s.pk for s in short])
    pages = [p for p in text_of(path).split("\f") if p.strip()]
    assert len(pages) == 1 and all(s.state_id in pages[0] for s in short)


def test_incomplete_categories_are_bold_rows_of_a_real_table(two, tmp_path):
    ready, removed = two
    exporter = CoreProgressReport()
    params = {"site": "017001", "bssy": BSSY, "award": "pathway"}
    sections = list(exporter.sections(params, [removed.pk]))
    html = write_core_progress_pdf({"title": "t", "selection": "s", "bssy": "2025-26", "award": "",
                                    "printed": "12/07/2026"}, sections, tmp_path / "x.pdf")
    rows = [(miss, unescape(cat)) for miss, cat in re.findall(r"<tr( class=\"miss\")?><td>(\d\d [^<]*)</td>", html)]
    incomplete = {f"{c.code} {c.description}" for c in sections[0].categories if not c.complete}
    assert incomplete and {cat for miss, cat in rows if miss} == incomplete
    assert {cat for miss, cat in rows if not miss} == {f"{c.code} {c.description}" for c in sections[0].categories
                                                       if c.complete}


def test_word_has_the_same_content_in_the_same_order_styled(two, tmp_path):
    ready, removed = two
    params = {"site": "017001", "bssy": BSSY, "award": "TC"}
    doc = Document(render(params, "docx", tmp_path, [removed.pk, ready.pk]))
    section = doc.sections[0]
    assert "Core Progress Report - 017001 - BSSY 2025-26 - TC" in section.header.paragraphs[0].text
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    texts = [p.text for p in doc.paragraphs]
    first = texts.index(next(t for t in texts if t.startswith("Core Progress Report: ")))
    assert texts[first + 2].startswith("Not ready to graduate: The graduation date")
    assert texts[first + 3].startswith("TU ")
    facts = texts[first + 5]  # the line of facts after the pathway's and the award's standings
    assert facts.startswith("FAFSA / TOPS form submitted: No · Parental consent to share with LOSFA and the Board "
                            "of Regents: ") and "End-of-course tests (GEE/EOC) met: No" in facts
    assert "Overall GPA: " in facts and "Credits earned: " in facts
    categories = doc.tables[0]
    assert [c.text for c in categories.rows[0].cells] == ["Category", "Units earned of required", "Courses counted"]
    widths = [c.width for c in categories.rows[0].cells]
    assert widths[2] > widths[0] > widths[1]  # course names get the room
    bold = {r.cells[0].text for r in categories.rows[1:] if all(run.bold for run in r.cells[0].paragraphs[0].runs)}
    not_met = {r.cells[0].text for r in categories.rows[1:] if r.cells[1].text.endswith(", not met")}
    assert bold == not_met and not_met


def test_the_section_estimate_keeps_short_sections_together_and_starts_long_ones_on_a_page():
    from types import SimpleNamespace

    from transcripts.print_export import PAGE_LINES, page_breaks

    def section(categories):
        cat = SimpleNamespace(code="01", description="ENGLISH")
        return (SimpleNamespace(reasons=(), standings=(), note=""), [("FAFSA", "No")],
                [(cat, ("1.00 of 1.00", "met"), ["120101 English I — B, 2023-24, 1.00 unit"])] * categories)
    short, long_ = section(2), section(PAGE_LINES)
    assert page_breaks([short, short, short]) == [(False, False)] * 3
    assert page_breaks([short, long_, short]) == [(False, False), (True, True), (True, False)]
