"""End to end in a real browser (Playwright driving Debian's chromium against the live server):
add a public student from the registry, add a transcript that trips an edit and see the code
inline, fix it, add a graduation date that fails requirements and complete the override, delete
the student and restore it as state staff."""
import re

import pytest
from playwright.sync_api import expect

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_online_entry_end_to_end(reference, live_server, page, make_user):
    from core_tables.models import SecureId
    from transcripts.models import GraduationOverride, Student

    editor = make_user("E017UPD", "lea-update", "017")
    staff = make_user("ELDOE01", "ldoe")
    sid = SecureId.objects.filter(site__code="017001", laa1=False).order_by("unique_id").first()
    sign_in(page, live_server, editor)

    # Add New Student: the State ID fills the demographics from the registry.
    page.goto("/students/sites/017001/")
    page.click("#add-student")
    page.fill("#id_state_id", sid.unique_id)
    page.keyboard.press("Tab")
    expect(page.locator("#registry-demographics [data-field=local_id]")).to_have_text(sid.local_id)
    page.select_option("#id_grade", "10")
    page.fill("#id_grade9_entry", "2024")
    page.select_option("#id_diploma_path", "TU")
    page.select_option("#id_parental_consent", "Y")
    page.click("#save-record")
    expect(page.locator("h1")).to_contain_text(sid.unique_id)
    student = Student.objects.get(state_id=sid.unique_id)

    # A transcript that trips an edit: the code shows next to the field as soon as it is left.
    page.click("#add-transcript")
    page.fill("#id_course_code", "120101")
    page.select_option("#id_semester", "Y1")
    page.select_option("#id_grade", "A")
    page.fill("#id_credit_attempted", "1.00")
    page.fill("#id_credit_earned", "2.00")
    page.keyboard.press("Tab")
    expect(page.locator("#live-credit_earned")).to_contain_text("310 INVALID CREDIT EARNED COUNT")
    page.fill("#id_quality_points", "4.00")
    page.select_option("#id_course_type", "RG")
    page.click("#save-record")
    expect(page.locator("#error-summary")).to_contain_text("310 INVALID CREDIT EARNED COUNT")
    expect(page.locator("#id_credit_earned")).to_have_class(re.compile("is-invalid"))
    page.fill("#id_credit_earned", "1.00")
    page.keyboard.press("Tab")
    expect(page.locator("#live-credit_earned")).to_be_empty()
    page.click("#save-record")
    expect(page.locator("#transcripts tbody tr[data-course='120101']")).to_have_count(1)

    # A graduation date the records do not support: the override dialog, kept with a typed reason.
    page.click("#edit-student")
    page.select_option("#id_grade", "12")
    page.fill("#id_grade9_entry", "2022")
    page.fill("#id_graduation_date", "05/20/2026")
    page.select_option("#id_fafsa", "1")
    page.select_option("#id_gee_flag", "Y")
    page.click("#save-record")
    dialog = page.locator("#override-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#override-reasons")).to_contain_text("2 Credits")
    expect(page.locator("#id_override_reason")).to_be_focused()
    page.fill("#id_override_reason", "Waiver received for entire AOC")
    page.click("#override-save")
    expect(page.locator("#graduation-date")).to_have_text("05/20/2026")
    expect(page.locator("#overrides")).to_contain_text("Waiver received for entire AOC")
    assert GraduationOverride.objects.get(student=student).by == "E017UPD"

    # Delete All Student Records behind the confirmation dialog ...
    page.click("#delete-student")
    expect(page.locator("#delete-dialog")).to_be_visible()
    page.click("#confirm-delete")
    expect(page.locator(".alert-success")).to_contain_text("were deleted")
    assert not Student.objects.filter(state_id=sid.unique_id).exists()

    # ... and state staff restore it.
    sign_in(page, live_server, staff)
    page.goto("/students/sites/017001/deleted/")
    page.locator(f"#deleted-sets tr[data-state-id='{sid.unique_id}'] button").click()
    expect(page.locator(".alert-success")).to_contain_text("restored")
    expect(page.locator("#graduation-date")).to_have_text("05/20/2026")
    expect(page.locator("#transcripts tbody tr[data-course='120101']")).to_have_count(1)
