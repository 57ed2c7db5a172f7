"""Delete All Student Records for the BSSY, kept in the audit trail, restored by state staff."""
import pytest
from django.urls import reverse

from transcripts.models import (
    Credential, DeletedStudentSet, GraduationOverride, Ibc, Student, StudentChange, StudentProgress, Transcript,
)

from .helpers import GRADUATE, add_student, ibc_typed, registry_student, student_typed, transcript_typed

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"transcripts:{name}", args=args)


@pytest.fixture
def full_student(client, editor, site, today, ibc_code):
    """A graduate with a transcript, an IBC, an override and a credential row."""
    student = add_student(site, registry_student(), today, grade="12", grade9_entry="2022")
    client.force_login(editor)
    client.post(url("add_transcript", student.pk), transcript_typed())
    client.post(url("add_ibc", student.pk), ibc_typed(ibc_code))
    client.post(url("edit_student", student.pk), {**student_typed(**GRADUATE), "action": "override",
                                                    "override_reason": "Act 833 eligible"})
    Credential.objects.create(student=student, path="credentials/x.pdf", original_name="x.pdf", size=10, pages=1,
                              sha256="0" * 64, uploaded_by="E017UPD")
    student.refresh_from_db()
    assert student.graduation_date is not None
    return student


def test_delete_all_keeps_the_set_in_the_audit_trail(client, editor, full_student):
    client.force_login(editor)
    detail = client.get(url("student", full_student.pk)).content.decode()
    assert 'id="delete-dialog"' in detail and url("delete_student", full_student.pk) in detail  # confirmation dialog
    response = client.post(url("delete_student", full_student.pk))
    assert response.status_code == 302 and response.url == url("student_list", full_student.site.code)
    assert not Student.objects.filter(pk=full_student.pk).exists()
    assert not Transcript.objects.exists() and not Ibc.objects.exists()
    kept = DeletedStudentSet.objects.get()
    assert (kept.state_id, kept.bssy, kept.deleted_by) == (full_student.state_id, full_student.bssy, "E017UPD")
    assert len(kept.records["transcripts"]) == 1 and len(kept.records["ibcs"]) == 1
    change = StudentChange.objects.get(state_id=full_student.state_id, action="all records deleted")
    assert change.detail["deleted_set"] == kept.pk


def test_only_state_staff_restore_and_the_set_comes_back_whole(client, editor, state_staff, full_student):
    client.force_login(editor)
    original = {f: getattr(full_student, f) for f in ("grade", "graduation_date", "local_id", "diploma_path",
                                                         "first_name", "last_name", "updated_at")}
    client.post(url("delete_student", full_student.pk))
    kept = DeletedStudentSet.objects.get()
    assert url("deleted_sets", full_student.site.code) not in client.get(
        url("student_list", full_student.site.code)).content.decode()
    assert client.get(url("deleted_sets", full_student.site.code)).status_code == 403
    assert client.post(url("restore_set", kept.pk)).status_code == 403
    client.force_login(state_staff)
    html = client.get(url("deleted_sets", full_student.site.code)).content.decode()
    assert full_student.state_id in html and url("restore_set", kept.pk) in html
    response = client.post(url("restore_set", kept.pk))
    student = Student.objects.get(state_id=full_student.state_id)
    assert response.status_code == 302 and response.url == url("student", student.pk)
    assert {f: getattr(student, f) for f in original if f != "updated_at"} == {
        f: v for f, v in original.items() if f != "updated_at"}
    assert student.transcripts.count() == 1 and student.ibcs.count() == 1 and student.credentials.count() == 1
    override = GraduationOverride.objects.get(student=student)
    assert override.reason == "Act 833 eligible" and override.by == "E017UPD"
    assert StudentProgress.objects.filter(student=student).exists()
    kept.refresh_from_db()
    assert kept.restored_by == "ELDOE01" and kept.restored_at is not None
    # A set is restored once.
    response = client.post(url("restore_set", kept.pk), follow=True)
    assert "was restored on" in response.content.decode()
    assert Student.objects.filter(state_id=full_student.state_id).count() == 1


def test_restore_is_refused_while_the_state_id_is_on_file_again(client, editor, state_staff, site, today):
    sid = registry_student()
    student = add_student(site, sid, today)
    client.force_login(editor)
    client.post(url("delete_student", student.pk))
    add_student(site, sid, today)  # added again after the delete
    client.force_login(state_staff)
    response = client.post(url("restore_set", DeletedStudentSet.objects.get().pk), follow=True)
    assert "is on file again" in response.content.decode()
    assert Student.objects.filter(state_id=sid.unique_id).count() == 1
