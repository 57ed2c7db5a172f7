"""The Core Progress Report PDF prints each student's categories as fixed monospace columns (fast
to lay out): nothing is cut, every course keeps its own line, incomplete categories are bold."""
from decimal import Decimal

import pytest

from transcripts.print_export import (CATEGORY_HEADER, CATEGORY_WIDTH, COURSE_NAME_WIDTH, categories_block,
                                      category_lines)
from transcripts.progress.result import CategoryProgress, UsedCourse

from .conftest import BSSY
from .test_print_export import pdf_text, render

LONG_DESCRIPTION = "SOCIAL STUDIES ELECTIVES OR AN APPROVED CAREER AND TECHNICAL COURSE 2ND UNIT"
LONG_NAME = "Advanced Placement United States Government and Politics (dual enrollment, university campus)"


def category(complete=False, courses=2):
    used = [UsedCourse("220213", "African American Studies", 2024, "C", Decimal("1")),
            UsedCourse("220300", LONG_NAME, 2025, "B/C", Decimal("0.5"))][:courses]
    return CategoryProgress("16", LONG_DESCRIPTION, Decimal("1.5"), Decimal("1.5") if complete else Decimal("1"),
                            complete, used)


def test_a_category_in_fixed_columns_nothing_cut():
    lines = category_lines(category())
    width = len(CATEGORY_HEADER)
    assert all(len(line) <= width for line in lines)
    # The numbers and the first course on the first line, under their headings.
    first = lines[0]
    assert first.startswith("16 SOCIAL STUDIES")
    assert first[CATEGORY_HEADER.index("Required"):].split()[:3] == ["1.50", "1.00", "N"]
    course_at = CATEGORY_HEADER.index("Course ")
    assert first[course_at:].split()[0] == "220213"
    grade_at = CATEGORY_HEADER.index("Grade")
    assert first[grade_at:].split() == ["C", "2024", "1.00"] and len(first) == width  # units right-aligned
    # The long description and the long course name continue under themselves, every word kept.
    left = " ".join(line[:CATEGORY_WIDTH].strip() for line in lines).split()
    assert " ".join(left) == "16 " + LONG_DESCRIPTION
    second = next(line for line in lines if "220300" in line)
    name_at = course_at + 7
    rest = [line[name_at:name_at + COURSE_NAME_WIDTH + 1].strip() for line in lines[lines.index(second):]]
    assert " ".join(" ".join(rest).split()) == LONG_NAME
    assert second[grade_at:].split() == ["B/C", "2025", "0.50"] and len(second) == width


def test_a_category_without_courses_says_none():
    (line,) = category_lines(category(courses=0))[:1]
    assert line.split()[-1] == "none"


def test_incomplete_categories_bold_and_text_escaped():
    done, missing = category(complete=True), category()
    html = categories_block([done, missing, CategoryProgress("19", "ARTS <B>", Decimal(1), Decimal(0), False)])
    bold = [part.split("</b>")[0] for part in html.split("<b>")[1:]]
    assert len(bold) == 2 and bold[0].startswith("16 SOCIAL") and bold[1].startswith("19 ARTS &lt;B&gt;")
    assert html.startswith("16 SOCIAL")  # the complete one is not bold


@pytest.mark.django_db
def test_every_category_line_in_the_pdf(loaded_017, tmp_path):
    from transcripts.models import Student
    from transcripts.progress.result import StudentProgress

    student = (Student.objects.filter(site__code="017001", bssy=BSSY, diploma_path="TU")
               .select_related("progress").first())
    text = pdf_text(render("core_progress", {"site": "017001", "bssy": BSSY, "q": student.state_id, "award": "TC"},
                           tmp_path, "pdf"))
    lines = {" ".join(line.split()) for line in text.splitlines()}
    assert " ".join(CATEGORY_HEADER.split()) in lines
    (tc,) = [a for a in StudentProgress.from_dict(student.progress.result).awards if a.code == "TC"]
    for c in tc.progress.categories:
        for line in category_lines(c):
            assert " ".join(line.split()) in lines
