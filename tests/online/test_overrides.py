"""Graduation overrides and the Override Report: a graduation date the graduation check does not
support stays only with a typed reason (saved with user ID and time); a date removed by an upload
is listed until the data is corrected or overridden."""
import re

import pytest
from django.urls import reverse

from tests.batch import helpers as batch
from transcripts.models import GraduationOverride, Student, StudentChange, Transcript
from uploads.pipeline import run_pipeline

from .helpers import GRADUATE, PASSING_TU, add_courses, add_student, registry_student, student_typed

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"transcripts:{name}", args=args)


@pytest.fixture
def senior(site, today):
    """A grade-12 TU student with one course: far from meeting graduation requirements."""
    student = add_student(site, registry_student(), today, grade="12", grade9_entry="2022")
    add_courses(student, ["120101"])
    return student


def reasons_in_dialog(html):
    dialog = re.search(r'id="override-dialog".*?</ul>', html, re.S)
    return re.findall(r"<strong>(\d) ", dialog.group(0)) if dialog else None


def test_a_failing_graduation_date_opens_the_override_dialog_and_is_not_saved(client, editor, senior):
    client.force_login(editor)
    response = client.post(url("edit_student", senior.pk), student_typed(**GRADUATE))
    assert response.status_code == 200
    assert reasons_in_dialog(response.content.decode()) == ["2", "3"]
    assert Student.objects.get(pk=senior.pk).graduation_date is None
    # "Keep the date" without a reason: asked again, still not saved.
    response = client.post(url("edit_student", senior.pk), {**student_typed(**GRADUATE), "action": "override",
                                                              "override_reason": "  "})
    html = response.content.decode()
    assert reasons_in_dialog(html) and "Type the reason" in html
    assert Student.objects.get(pk=senior.pk).graduation_date is None


def test_an_override_keeps_the_date_with_reason_user_and_time(client, editor, senior):
    client.force_login(editor)
    response = client.post(url("edit_student", senior.pk), {**student_typed(**GRADUATE), "action": "override",
                                                              "override_reason": "Waiver received for entire AOC"})
    assert response.status_code == 302
    student = Student.objects.get(pk=senior.pk)
    assert str(student.graduation_date) == "2026-05-20" and student.removed_graduation_date is None
    override = GraduationOverride.objects.get(student=student)
    assert (override.reason, override.by, override.removal_reasons) == ("Waiver received for entire AOC", "E017UPD",
                                                                         ["2", "3"])
    assert override.at is not None
    change = StudentChange.objects.get(state_id=student.state_id, action="student updated")
    assert change.detail["override"]["reason"] == "Waiver received for entire AOC"
    # The override holds for that date: later edits keep it without asking again.
    response = client.post(url("edit_student", senior.pk), student_typed(**GRADUATE, local_gpa="2.9"))
    assert response.status_code == 302 and Student.objects.get(pk=senior.pk).local_gpa == "2.9"
    html = client.get(url("override_report", senior.site.code)).content.decode()
    entered = re.search(r'id="overrides-entered".*?</table>', html, re.S).group(0)
    assert "Waiver received for entire AOC" in entered and "E017UPD" in entered
    assert senior.state_id not in re.search(r'id="override-report".*?</table>', html, re.S).group(0)


def test_saving_without_the_date_lists_the_student_on_the_override_report(client, editor, senior):
    client.force_login(editor)
    response = client.post(url("edit_student", senior.pk), {**student_typed(**GRADUATE),
                                                              "action": "drop_graduation_date"})
    assert response.status_code == 302
    student = Student.objects.get(pk=senior.pk)
    assert student.graduation_date is None and str(student.removed_graduation_date) == "2026-05-20"
    assert student.grad_removal_reasons == ["2", "3"]
    html = client.get(url("override_report", senior.site.code)).content.decode()
    report = re.search(r'id="override-report".*?</table>', html, re.S).group(0)
    assert senior.state_id in report and "2 Credits" in report and "3 Core Progress" in report
    assert 'id="grad-date-removed"' in client.get(url("student", senior.pk)).content.decode()


def test_an_upload_removes_the_date_and_correcting_the_data_online_clears_the_report(
        tmp_path, client, make_user, editor, site, today):
    uploader = make_user("E017UPL", "lea-upload", "017")
    sid = registry_student()
    record = batch.student_record(sid, grade="12", grade9_entry="2022", graduation_date="05202026", fafsa="1",
                                  gee_flag="Y")
    path = batch.write(tmp_path / "grads.txt", record, batch.course(sid))
    run = run_pipeline(path, path.name, mode="partial", today=today, user=uploader)
    assert run.grad_date_removed == [{"state_id": sid.unique_id, "reasons": ["2", "3"]}]
    client.force_login(editor)
    report = client.get(url("override_report", site.code)).content.decode()
    assert sid.unique_id in report and "2 Credits" in report
    student = Student.objects.get(state_id=sid.unique_id)
    # The edit form offers the removed date again, so saving it re-checks the requirements.
    assert 'value="05/20/2026"' in client.get(url("edit_student", student.pk)).content.decode()
    add_courses(student, [c for c in PASSING_TU if c != "120101"])
    response = client.post(url("edit_student", student.pk), student_typed(**GRADUATE))
    assert response.status_code == 302, reasons_in_dialog(response.content.decode())
    student.refresh_from_db()
    assert str(student.graduation_date) == "2026-05-20" and student.removed_graduation_date is None
    html = client.get(url("override_report", site.code)).content.decode()
    assert sid.unique_id not in re.search(r'id="override-report".*?</table>', html, re.S).group(0)
    assert not GraduationOverride.objects.exists()


def test_deleting_a_course_a_graduate_needs_removes_the_date_unless_overridden(client, editor, site, today):
    student = add_student(site, registry_student(), today, grade="12", grade9_entry="2022")
    add_courses(student, PASSING_TU)
    client.force_login(editor)
    assert client.post(url("edit_student", student.pk), student_typed(**GRADUATE)).status_code == 302
    assert Student.objects.get(pk=student.pk).graduation_date is not None
    english = Transcript.objects.get(student=student, course_code="120104")
    response = client.post(url("delete_transcript", student.pk, english.pk), follow=True)
    assert "was removed: graduation requirements are not met" in response.content.decode()
    student.refresh_from_db()
    assert student.graduation_date is None and student.grad_removal_reasons == ["2", "3"]
    # With an override for the date, the same change keeps it.
    client.post(url("edit_student", student.pk), {**student_typed(**GRADUATE), "action": "override",
                                                    "override_reason": "LAA1 awarded diploma"})
    english = Transcript.objects.get(student=student, course_code="120103")
    client.post(url("delete_transcript", student.pk, english.pk))
    assert Student.objects.get(pk=student.pk).graduation_date is not None
