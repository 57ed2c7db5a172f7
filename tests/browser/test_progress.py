"""Journey: from the Student List's Diploma Path to the student's core progress, and a what-if
pathway shown in place (htmx, nothing saved)."""
import re

import pytest
from playwright.sync_api import expect

from .helpers import load_generated, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_core_progress_from_the_student_list_and_a_what_if_pathway(reference, live_server, page, make_user, tmp_path,
                                                                   settings):
    from transcripts.models import Student, StudentProgress

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    make_user("E017UPL", "lea-upload", "017")
    load_generated(tmp_path, "017", 30, "E017UPL")
    student = Student.objects.filter(site__code="017001", diploma_path="TU", grade="12").order_by("state_id").first()
    stored = StudentProgress.objects.get(student=student).result
    sign_in(page, live_server, make_user("E017INQ", "lea-inquiry", "017"))

    page.goto("/students/sites/017001/?grade=12")
    page.locator(f"#student-table tr[data-state-id='{student.state_id}'] a.diploma-path").click()
    expect(page).to_have_url(re.compile(rf"/students/{student.pk}/progress/$"))
    expect(page).to_have_title(f"Core Progress {student.state_id} · Student Transcript System")
    expect(page.locator("[data-gpa-name=core]")).to_have_text("TU core GPA")
    expect(page.locator("[data-gpa-name=tops]")).to_contain_text("TC core GPA")
    expect(page.locator("[data-award=TC]")).to_contain_text("TC core GPA")
    expect(page.locator("#gpa-explained")).to_contain_text("why the two core GPAs differ")
    tops = page.locator("[data-gpa=tops]").inner_text()
    expect(page.locator("[data-award=TC] [data-award-gpa]")).to_have_text(tops)
    expect(page.locator("#progress-summary")).to_contain_text(f"{float(stored['total_credits']):.2f}")
    page.evaluate("window.__stsPage = 'progress'")

    # What-if: another pathway, computed for display, in place.
    expect(page.locator("#what-if-path option[value=CA]")).to_have_text("CA Jump Start TOPS Tech Career Diploma")
    page.select_option("#what-if-path", "CA")
    expect(page.locator("#progress-result .alert-info")).to_contain_text(
        "What-if: progress computed for the CA Jump Start TOPS Tech Career Diploma pathway, for display only")
    shot(page, "progress-what-if")
    expect(page.locator("[data-gpa-name=core]")).to_have_text("CA core GPA")
    expect(page.locator("[data-award=TJ]")).to_contain_text("TJ core GPA")
    expect(page).to_have_url(re.compile(r"\?path=CA$"))
    assert page.evaluate("window.__stsPage") == "progress"  # swapped in, not reloaded
    page.select_option("#what-if-path", "TU")
    expect(page.locator("#progress-result")).to_contain_text("Stored result of")
    assert StudentProgress.objects.get(student=student).result == stored  # nothing saved
