"""Replace mode deletes only within the user's reach and loses nothing (issue 8, items 1, 2, 9)."""
import datetime as dt

import pytest
from django.urls import reverse

from transcripts.models import DeletedStudentSet, Ibc, Student, StudentChange, Transcript
from uploads.models import Upload
from uploads.pipeline import OUT_OF_REACH, run_pipeline
from uploads.tasks import run_upload

from tests.batch.helpers import BSSY, TODAY, course, ibc, registry_student, student_record, write

pytestmark = pytest.mark.django_db


def _run(tmp_path, name, records, user, mode, **kw):
    path = write(tmp_path / name, *records)
    return run_pipeline(path, path.name, mode=mode, today=TODAY, user=user, **kw)


def _record_upload(tmp_path, name, records, user, mode):
    """An upload as the web or sts_upload records it: the Upload row, the run, the saved results."""
    path = write(tmp_path / name, *records)
    upload = Upload.objects.create(user=user, mode=mode, original_name=name, stored_path=str(path), today=TODAY)
    run = run_upload(upload, synchronous=True)
    upload.refresh_from_db()
    return upload, run


@pytest.fixture(autouse=True)
def open_period(db):
    """The BSSY open today too (undo and restore are writes through the web)."""
    from core_tables.models import CollectionPeriod

    CollectionPeriod.objects.create(bssy=BSSY, opens=dt.date(2025, 12, 1), closes=dt.date(2099, 1, 1), is_current=True)


@pytest.fixture
def lea(make_user):
    return make_user("E017UPL", "lea-upload", "017")


@pytest.fixture
def school(make_user):
    return make_user("E017SU1", "school-upload", "017", sites=["017001"])


@pytest.fixture
def three_sites(tmp_path, lea):
    """Sponsor 017 with 3 students at 017001, 2 at 017002 and 2 at 017003, loaded by the LEA."""
    people = {site: [registry_student(site, i) for i in range(n)]
              for site, n in (("017001", 3), ("017002", 2), ("017003", 2))}
    records = [r for sids in people.values() for sid in sids for r in (student_record(sid), course(sid))]
    assert _run(tmp_path, "all.txt", records, lea, "partial").loaded == 7
    return people


def _on_file(site):
    return set(Student.objects.filter(bssy=BSSY, site__code=site).values_list("state_id", flat=True))


def test_a_school_users_replace_keeps_the_other_sites_students(tmp_path, school, three_sites):
    keep = three_sites["017001"][0]
    run = _run(tmp_path, "one.txt", [student_record(keep), course(keep, "120102")], school, "replace")
    assert run.accepted and run.loaded == 1
    assert run.deleted_absent == 2 and run.absent_by_site == {"017001": 2}
    assert _on_file("017001") == {keep.unique_id}
    assert _on_file("017002") == {s.unique_id for s in three_sites["017002"]}  # untouched
    assert _on_file("017003") == {s.unique_id for s in three_sites["017003"]}
    kept = DeletedStudentSet.objects.all()
    assert {k.state_id for k in kept} == {s.unique_id for s in three_sites["017001"][1:]}
    assert {(k.source, k.upload_number, k.deleted_by) for k in kept} == {("batch", None, "E017SU1")}
    assert all(len(k.records["transcripts"]) == 1 for k in kept)  # the whole record set is kept


def test_an_lea_users_replace_deletes_across_its_sites_but_never_another_sponsors(tmp_path, lea, make_user,
                                                                                 three_sites):
    other = make_user("E036ALL", "lea-all", "036")
    outsider = registry_student("036001", 0)
    assert _run(tmp_path, "o.txt", [student_record(outsider), course(outsider)], other, "partial").loaded == 1
    keep = three_sites["017002"][0]
    run = _run(tmp_path, "one.txt", [student_record(keep), course(keep)], lea, "replace")
    assert run.deleted_absent == 6 and run.absent_by_site == {"017001": 3, "017002": 1, "017003": 2}
    assert set(Student.objects.filter(sponsor__code="017").values_list("state_id", flat=True)) == {keep.unique_id}
    assert Student.objects.filter(sponsor__code="036", state_id=outsider.unique_id).exists()


def test_validate_only_reports_what_replace_would_delete(tmp_path, school, three_sites):
    keep = three_sites["017001"][0]
    records = [student_record(keep), course(keep)]
    upload, run = _record_upload(tmp_path, "v.txt", records, school, "validate")
    assert upload.result["replace_deletes"] == {"students": 2, "sites": {"017001": 2}}
    assert Student.objects.count() == 7  # validate writes nothing
    upload, run = _record_upload(tmp_path, "r.txt", records, school, "replace")
    assert run.deleted_absent == 2 and upload.result["replace_deletes"]["students"] == 2


def test_a_school_users_file_cannot_replace_a_student_on_file_at_another_site(tmp_path, school, three_sites):
    elsewhere = three_sites["017002"][0]
    before = list(Transcript.objects.filter(student__state_id=elsewhere.unique_id).values_list("course_code", flat=True))
    # The 020 claims the student for 017001 (the file's own site): refused, not moved.
    moved = student_record(elsewhere, site="017001")
    run = _run(tmp_path, "m.txt", [moved, course(elsewhere, "120104")], school, "partial")
    assert run.rejected == 1 and run.loaded == 0
    assert [(e["code"], e["message"]) for e in run.errors][:1] == [("213", OUT_OF_REACH)]
    assert "017002" not in run.errors[0]["message"]
    # A partial update without the 020 (030s only) is refused too.
    run = _run(tmp_path, "p.txt", [course(elsewhere, "120104")], school, "partial")
    assert run.rejected == 1 and run.errors[0]["code"] == "213"
    student = Student.objects.get(state_id=elsewhere.unique_id)
    assert student.site.code == "017002"
    assert list(student.transcripts.values_list("course_code", flat=True)) == before


def test_the_report_lists_the_deleted_students_and_undo_restores_them(tmp_path, client, lea, three_sites):
    keep = three_sites["017001"][0]
    upload, run = _record_upload(tmp_path, "r.txt", [student_record(keep), course(keep)], lea, "replace")
    assert run.deleted_absent == 6
    client.force_login(lea)
    page = client.get(reverse("uploads:detail", args=[upload.pk])).content.decode()
    assert "Deleted by this upload: 6 students" in page
    for sid in three_sites["017003"]:
        assert sid.unique_id in page
    assert 'id="undo-deletions"' in page
    response = client.post(reverse("uploads:undo", args=[upload.pk]), follow=True)
    assert "6 students deleted by upload" in response.content.decode()
    assert Student.objects.filter(sponsor__code="017", bssy=BSSY).count() == 7
    restored = Student.objects.get(state_id=three_sites["017003"][1].unique_id)
    assert restored.transcripts.count() == 1
    assert DeletedStudentSet.objects.filter(upload_number=upload.pk, restored_at__isnull=True).count() == 0


def test_undo_is_refused_once_a_later_change_touched_a_deleted_student(tmp_path, client, lea, three_sites):
    keep = three_sites["017001"][0]
    upload, _run_ = _record_upload(tmp_path, "r.txt", [student_record(keep), course(keep)], lea, "replace")
    back = three_sites["017002"][1]
    later, _ = _record_upload(tmp_path, "b.txt", [student_record(back), course(back, "120104")], lea, "partial")
    assert later.status == "complete"
    client.force_login(lea)
    page = client.get(reverse("uploads:detail", args=[upload.pk])).content.decode()
    assert "were changed since" in page and back.unique_id in page and 'id="undo-deletions"' not in page
    response = client.post(reverse("uploads:undo", args=[upload.pk]), follow=True)
    assert "were changed since" in response.content.decode()
    assert Student.objects.filter(sponsor__code="017", bssy=BSSY).count() == 2  # nothing restored


def test_state_staff_restore_a_replace_deleted_student_one_by_one(tmp_path, client, lea, make_user, three_sites):
    keep = three_sites["017001"][0]
    _record_upload(tmp_path, "r.txt", [student_record(keep), course(keep)], lea, "replace")
    kept = DeletedStudentSet.objects.get(state_id=three_sites["017002"][0].unique_id)
    assert kept.upload_number is not None and kept.source.startswith("upload #")
    client.force_login(make_user("ELDOE01", "ldoe"))
    response = client.post(reverse("transcripts:restore_set", args=[kept.pk]))
    assert response.status_code == 302
    assert Student.objects.filter(state_id=kept.state_id, bssy=BSSY).exists()


# --- pins of the loading rules (item 9) -------------------------------------------------------

def test_a_partial_030_update_without_the_020_replaces_the_students_030s(tmp_path, lea):
    sid = registry_student()
    _run(tmp_path, "a.txt", [student_record(sid), course(sid, "120101"), course(sid, "160321")], lea, "partial")
    run = _run(tmp_path, "b.txt", [course(sid, "120102")], lea, "partial")
    assert run.loaded == 1
    assert list(Transcript.objects.filter(student__state_id=sid.unique_id).values_list("course_code", flat=True)) == [
        "120102"]


def test_a_partial_update_touches_this_bssys_row_only(tmp_path, lea):
    sid = registry_student()
    prior = Student.objects.create(bssy=BSSY - 1, sponsor=sid.sponsor, site=sid.site, state_id=sid.unique_id,
                                   local_id=sid.local_id, first_name="X", last_name="OLD", sex=sid.sex, grade="09")
    Transcript.objects.create(student=prior, course_bssy=BSSY - 2, course_code="120101", semester="Y1", grade="A",
                              credit_attempted=1, credit_earned=1, grade_point_max=4, quality_points=4, course_type="RG")
    _run(tmp_path, "a.txt", [student_record(sid), course(sid, "120101")], lea, "partial")
    _run(tmp_path, "b.txt", [course(sid, "120104")], lea, "partial")
    prior.refresh_from_db()
    assert prior.last_name == "OLD" and list(prior.transcripts.values_list("course_code", flat=True)) == ["120101"]
    current = Student.objects.get(bssy=BSSY, state_id=sid.unique_id)
    assert list(current.transcripts.values_list("course_code", flat=True)) == ["120104"]


def test_an_orphan_030_in_replace_mode_is_error_200(tmp_path, lea):
    sid = registry_student()
    _run(tmp_path, "a.txt", [student_record(sid), course(sid)], lea, "partial")
    other = registry_student(index=1)
    run = _run(tmp_path, "b.txt", [student_record(other), course(other), course(sid, "120104")], lea, "replace")
    assert "200" in [e["code"] for e in run.errors if e["state_id"] == sid.unique_id]


def test_the_graduation_date_removal_row_points_at_columns_107_to_114(tmp_path, lea):
    sid = registry_student()
    grad = student_record(sid, grade="12", grade9_entry=str(BSSY - 3), graduation_date="02202026", gee_flag="Y",
                          fafsa="1")
    run = _run(tmp_path, "g.txt", [grad, course(sid)], lea, "partial")
    rows = [e for e in run.errors if e["code"].startswith("GR")]
    assert rows and all((e["position"], e["length"], e["field"]) == (107, 8, "graduation_date") for e in rows)
    assert all(e["record"][106:114] == "02202026" for e in rows)


def test_deleting_keeps_ibcs_credentials_and_change_history(tmp_path, lea):
    from core_tables.models import IbcCode

    sid = registry_student()
    _run(tmp_path, "a.txt", [student_record(sid), course(sid), ibc(sid, IbcCode.objects.first().code)], lea, "partial")
    other = registry_student(index=1)
    _run(tmp_path, "b.txt", [student_record(other), course(other)], lea, "replace")
    kept = DeletedStudentSet.objects.get(state_id=sid.unique_id)
    assert len(kept.records["ibcs"]) == 1 and not Ibc.objects.filter(student__state_id=sid.unique_id).exists()
    assert StudentChange.objects.filter(state_id=sid.unique_id, action="all records deleted").exists()
