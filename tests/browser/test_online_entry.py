"""End to end in a real browser (Playwright driving Debian's chromium against the live server):
add a public student from the registry, add a transcript that trips an edit and see the code
inline, fix it, add a graduation date that fails requirements and complete the override, delete
the student and restore it as state staff."""
import re

import pytest
from playwright.sync_api import expect

from .helpers import fill, sign_in

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
    fill(page, grade="10", grade9_entry="2024", diploma_path="TU", parental_consent="Y")
    page.click("#save-record")
    expect(page.locator("h1")).to_contain_text(sid.unique_id)
    student = Student.objects.get(state_id=sid.unique_id)

    # A transcript that trips an edit: the code shows next to the field as soon as it is left.
    page.click("#add-transcript")
    fill(page, course_code="120101", semester="Y1", grade="A", credit_attempted="1.00", credit_earned="2.00")
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


def test_add_a_student_with_an_error_fix_it_add_edit_delete_records_and_read_the_history(
        reference, live_server, page, make_user):
    from django.utils import timezone

    from core_tables.models import IbcCode, SecureId, Site
    from tests.online.helpers import add_student
    from transcripts.models import Student

    editor = make_user("E017UPD", "lea-update", "017")
    on_file, new = SecureId.objects.filter(site__code="017001", laa1=False).order_by("unique_id")[:2]
    existing = add_student(Site.objects.select_related("sponsor").get(code="017001"), on_file, timezone.localdate())
    ibc = IbcCode.objects.order_by("code").first()
    sign_in(page, live_server, editor)
    page.goto("/students/sites/017001/")
    page.click("#add-student")

    # A State ID already on file warns while it is typed, and links that student.
    page.locator("#id_state_id").press_sequentially(existing.state_id, delay=20)
    warning = page.locator("#on-file-warning")
    expect(warning).to_contain_text("is already on file for this sponsor")
    expect(page.locator("#on-file-link")).to_have_attribute("href", f"/students/{existing.pk}/")
    page.fill("#id_state_id", "")
    page.locator("#id_state_id").press_sequentially(new.unique_id, delay=20)
    expect(warning).to_have_count(0)
    page.keyboard.press("Tab")
    expect(page.locator("#registry-demographics [data-field=local_id]")).to_have_text(new.local_id)

    # Saved with an error: said next to the field and in the summary; fixed, it saves.
    fill(page, grade="10", grade9_entry="2024", diploma_path="TU", local_gpa="3,75")
    page.click("#save-record")
    expect(page.locator("#error-summary")).to_contain_text("'3,75' is not a number; type a number, like 3.50.")
    expect(page.locator("#id_local_gpa")).to_have_class(re.compile("is-invalid"))
    page.fill("#id_local_gpa", "3.75")
    page.click("#save-record")
    expect(page.locator("h1")).to_contain_text(new.unique_id)
    expect(page.locator(".alert-success")).to_contain_text(f"Student {new.unique_id} added.")
    student = Student.objects.get(state_id=new.unique_id)

    # A transcript and an IBC.
    page.click("#add-transcript")
    fill(page, course_code="120101", semester="Y1", grade="A", credit_attempted="1.00", credit_earned="1.00",
         quality_points="4.00", course_type="RG")
    page.click("#save-record")
    row = page.locator("#transcripts tbody tr[data-course='120101']")
    expect(row).to_contain_text("English I")  # the state course name
    page.click("#add-ibc")
    fill(page, ibc_code=ibc.code, semester_earned="1", pass_fail="P")
    page.click("#save-record")
    expect(page.locator("#ibcs tbody")).to_contain_text(ibc.code)

    # Edit the transcript: a B.
    row.locator("a[aria-label='Edit transcript 120101']").click()
    fill(page, grade="B", quality_points="3.00")
    page.click("#save-record")
    expect(page.locator(".alert-success")).to_contain_text("Transcript updated.")
    expect(page.locator("#transcripts tbody tr[data-course='120101']")).to_contain_text("B")

    # Delete the IBC (behind a confirmation).
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"button[aria-label='Delete IBC {ibc.code}']")
    expect(page.locator(".alert-success")).to_contain_text("IBC record deleted.")
    expect(page.locator("#ibcs tbody")).to_contain_text("No IBC records.")

    # The change history tells the whole story, newest first.
    history = page.locator("#history tbody")
    for action in ("student added", "transcript added", "IBC added", "transcript updated", "IBC deleted"):
        expect(history).to_contain_text(action)
    expect(history.locator("tr", has_text="transcript updated")).to_contain_text("Letter grade A → B")
    expect(history.locator("tr").first).to_contain_text("IBC deleted")
    expect(history).to_contain_text("E017UPD")
    assert student.ibcs.count() == 0 and student.transcripts.get().grade == "B"
