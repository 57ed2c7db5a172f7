"""The pipeline end to end on the database: accept, reject, replace, partial, file-level checks."""
import json

import pytest
from django.core.management import call_command

from core_tables.models import IbcCode
from transcripts.models import Ibc, Student, StudentChange, Transcript
from uploads.models import Upload, UploadError
from uploads.pipeline import run_pipeline

from .helpers import BSSY, TODAY, course, ibc, registry_student, student_record, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user):
    return make_user("E017UPL", "lea-upload", "017")


def _upload(path, user, mode, **kw):
    return run_pipeline(path, path.name, mode=mode, today=TODAY, user=user, **kw)


def test_valid_students_load_and_a_student_with_an_error_loads_nothing(tmp_path, coordinator):
    good, bad = registry_student(index=0), registry_student(index=1)
    ibc_code = IbcCode.objects.first().code
    path = write(tmp_path / "good1.txt",
                 student_record(good), course(good, "120101"), course(good, "160321", grade="B"), ibc(good, ibc_code),
                 student_record(bad), course(bad, "120101", semester="Q9"))
    run = _upload(path, coordinator, "partial")
    assert run.accepted, run.file_errors
    assert (run.total, run.loaded, run.rejected) == (2, 1, 1)
    assert [e["code"] for e in run.errors] == ["304"]
    assert run.errors[0]["state_id"] == bad.unique_id and run.errors[0]["position"] == 35
    student = Student.objects.get(state_id=good.unique_id, bssy=BSSY)
    assert student.transcripts.count() == 2 and student.ibcs.count() == 1
    assert not Student.objects.filter(state_id=bad.unique_id).exists()
    assert StudentChange.objects.filter(state_id=good.unique_id, action="replaced by batch").exists()


def test_resubmitting_replaces_the_students_records_and_is_idempotent(tmp_path, coordinator):
    sid = registry_student()
    first = write(tmp_path / "a.txt", student_record(sid), course(sid, "120101"), course(sid, "160321"),
                  ibc(sid, IbcCode.objects.first().code))
    _upload(first, coordinator, "partial")
    second = write(tmp_path / "b.txt", student_record(sid, grade="11", grade9_entry=str(BSSY - 2)), course(sid, "120102"))
    for _ in range(2):
        run = _upload(second, coordinator, "partial")
        assert run.loaded == 1
        student = Student.objects.get(state_id=sid.unique_id)
        assert student.grade == "11"
        assert list(student.transcripts.values_list("course_code", flat=True)) == ["120102"]
        assert not student.ibcs.exists()  # a file without the student's 050s deletes them
    assert Transcript.objects.count() == 1 and Ibc.objects.count() == 0


def test_replace_deletes_absent_students_but_validate_writes_nothing(tmp_path, coordinator):
    a, b = registry_student(index=0), registry_student(index=1)
    _upload(write(tmp_path / "ab.txt", student_record(a), course(a), student_record(b), course(b)), coordinator, "partial")
    only_a = write(tmp_path / "a.txt", student_record(a), course(a, "120102"))
    run = _upload(only_a, coordinator, "validate")
    assert run.accepted and run.loaded == 1
    assert Student.objects.count() == 2
    assert Transcript.objects.get(student__state_id=a.unique_id).course_code == "120101"
    run = _upload(only_a, coordinator, "replace")
    assert run.deleted_absent == 1
    assert list(Student.objects.values_list("state_id", flat=True)) == [a.unique_id]


def test_excessive_errors_reject_the_file_and_keep_the_previous_data(tmp_path, coordinator, settings):
    a, b = registry_student(index=0), registry_student(index=1)
    _upload(write(tmp_path / "a.txt", student_record(a), course(a)), coordinator, "partial")
    settings.STS_EXCESSIVE_ERROR_SHARE = 0.4
    settings.STS_EXCESSIVE_MIN_STUDENTS = 2
    path = write(tmp_path / "ab.txt", student_record(a), course(a, "120102"), student_record(b, sex="X"), course(b))
    run = _upload(path, coordinator, "replace")
    assert not run.accepted and run.file_errors[0]["code"] == "EXCESSIVE"
    assert Transcript.objects.get(student__state_id=a.unique_id).course_code == "120101"
    assert run.errors and run.errors[0]["state_id"] == b.unique_id  # the errors are still listed


def test_a_small_correction_file_with_an_error_is_complete_with_that_student_rejected(tmp_path, coordinator):
    """Issue 9, item 8: a share of rejected students is judged only on files of 20 students or more."""
    a = registry_student(index=0)
    run = _upload(write(tmp_path / "one.txt", student_record(a, sex="X"), course(a)), coordinator, "partial")
    assert run.accepted and (run.total, run.loaded, run.rejected) == (1, 0, 1)
    assert [e["code"] for e in run.errors] == ["207"]


def test_any_file_name_is_accepted_with_a_notice(tmp_path, coordinator):
    a = registry_student(index=0)
    path = write(tmp_path / "x.txt", student_record(a), course(a))
    run = run_pipeline(path, "district_file 2025-26.TXT", mode="partial", today=TODAY, user=coordinator)
    assert run.accepted and run.loaded == 1
    assert "district_file 2025-26.TXT" in run.notices[0] and "not critical" in run.notices[0]
    assert not run_pipeline(path, "plain2025.txt", mode="validate", today=TODAY, user=coordinator).notices


def test_validate_only_runs_while_the_period_is_closed_and_a_load_lists_its_errors(tmp_path, coordinator):
    a, b = registry_student(index=0), registry_student(index=1)
    path = write(tmp_path / "ab.txt", student_record(a), course(a), student_record(b), course(b, semester="Q9"))
    closed = TODAY.replace(year=2030)
    run = run_pipeline(path, path.name, mode="validate", today=closed, user=coordinator)
    assert run.accepted and (run.loaded, run.rejected) == (1, 1) and "validated only" in run.notices[0]
    run = run_pipeline(path, path.name, mode="partial", today=closed, user=coordinator)
    assert not run.accepted and [e["code"] for e in run.file_errors] == ["PERIOD"]
    assert [e["code"] for e in run.errors] == ["304"]  # every record-level error still listed
    assert not Student.objects.exists()


@pytest.mark.parametrize("problem,code", [("other_lea", "SPONSOR"), ("bssy", "BSSY"), ("period", "PERIOD")])
def test_file_not_accepted(tmp_path, make_user, coordinator, problem, code):
    sid = registry_student()
    path = write(tmp_path / "a.txt", student_record(sid), course(sid))
    user, kw = coordinator, {}
    if problem == "other_lea":
        user = make_user("E036ALL", "lea-all", "036")
    elif problem == "bssy":
        kw["bssy"] = BSSY - 1
    run = run_pipeline(path, path.name, mode="partial", user=user,
                       today=TODAY.replace(year=2030) if problem == "period" else TODAY, **kw)
    assert not run.accepted
    assert code in [e["code"] for e in run.file_errors]
    assert not Student.objects.exists()


@pytest.mark.parametrize("name,content,code", [
    ("empty.txt", b"", "EMPTY"), ("junk.txt", b"HELLO WORLD\r\n", "SYSTEM"), ("fake.zip", b"STS020", "ZIP"),
])
def test_unreadable_files_are_rejected_with_a_clear_message(tmp_path, coordinator, name, content, code):
    path = tmp_path / "f.txt"
    path.write_bytes(content)
    run = run_pipeline(path, name, mode="validate", user=coordinator, today=TODAY)
    assert not run.accepted and run.file_errors[0]["code"] == code, run.file_errors


def test_zip_of_several_files_and_nested_archive(tmp_path, coordinator):
    import zipfile
    a, b = registry_student(index=0), registry_student(index=1)
    write(tmp_path / "a.txt", student_record(a), course(a))
    write(tmp_path / "b.txt", student_record(b), course(b))
    with zipfile.ZipFile(tmp_path / "both.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(tmp_path / "a.txt", "a.txt")
        z.write(tmp_path / "b.txt", "b.txt")
    run = _upload(tmp_path / "both.zip", coordinator, "partial")
    assert run.accepted and run.loaded == 2
    with zipfile.ZipFile(tmp_path / "nested.zip", "w") as z:
        z.write(tmp_path / "both.zip", "inner.zip")
    run = _upload(tmp_path / "nested.zip", coordinator, "partial")
    assert run.file_errors[0]["code"] == "NESTED"


def test_zip_bomb_is_refused(tmp_path, coordinator, settings):
    import zipfile
    settings.STS_UPLOAD_MAX_UNZIPPED_BYTES = 10_000_000
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.txt", b"0" * 50_000_000)
    run = _upload(tmp_path / "bomb.zip", coordinator, "validate")
    assert run.file_errors[0]["code"] == "BOMB"


def test_sts_validate_and_sts_upload_commands_print_the_contract_json(tmp_path, coordinator, capsys):
    sid = registry_student()
    path = write(tmp_path / "one.txt", student_record(sid), course(sid, semester="Q9"))
    call_command("sts_validate", str(path), "--today", TODAY.isoformat(), "--json")
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"accepted", "file_errors", "students", "errors", "grad_date_removed"}
    assert out["students"] == {"total": 1, "loaded": 0, "rejected": 1}
    assert out["errors"][0] == {"line": 2, "record_type": "030", "state_id": sid.unique_id, "code": "304",
                                "position": 35, "value": "Q9", "message": "INVALID SEMESTER CODE"}
    call_command("sts_validate", str(path), str(path), "--today", TODAY.isoformat(), "--json")
    assert set(json.loads(capsys.readouterr().out)) == {str(path)}
    good = write(tmp_path / "two.txt", student_record(sid), course(sid))
    call_command("sts_upload", str(good), "--user", "E017UPL", "--mode", "partial", "--today", TODAY.isoformat())
    out = json.loads(capsys.readouterr().out)
    assert out["accepted"] and out["students"]["loaded"] == 1
    upload = Upload.objects.get()
    assert upload.status == "complete" and upload.counts["loaded_030"] == 1
    assert Student.objects.get().progress.total_credits == 1


def test_windows_1252_bytes_and_lf_terminators_do_not_crash(tmp_path, coordinator):
    sid = registry_student()
    path = write(tmp_path / "w.txt", student_record(sid), course(sid, course_name="CAF\u00c9 CULTURE"), terminator="\n",
                 encoding="cp1252")
    run = _upload(path, coordinator, "validate")
    assert run.accepted and run.total == 1


def test_an_override_keeps_the_graduation_date_on_reupload(tmp_path, coordinator):
    from transcripts.models import GraduationOverride
    import datetime as dt

    sid = registry_student()
    grad = student_record(sid, grade="12", grade9_entry=str(BSSY - 3), graduation_date="02202026", gee_flag="Y",
                          fafsa="1")
    path = write(tmp_path / "g.txt", grad, course(sid))
    run = _upload(path, coordinator, "partial")
    assert run.grad_date_removed and run.grad_date_removed[0]["state_id"] == sid.unique_id
    student = Student.objects.get(state_id=sid.unique_id)
    assert student.graduation_date is None and student.removed_graduation_date == dt.date(2026, 2, 20)
    GraduationOverride.objects.create(student=student, graduation_date=dt.date(2026, 2, 20), reason="Appeal granted",
                                      by="E017ALL", removal_reasons=student.grad_removal_reasons)
    run = _upload(path, coordinator, "partial")
    assert not run.grad_date_removed
    student.refresh_from_db()
    assert student.graduation_date == dt.date(2026, 2, 20)


def test_error_report_is_visible_to_the_sponsor_only(tmp_path, client, coordinator, make_user):
    from django.urls import reverse
    from uploads.tasks import save_run

    sid = registry_student()
    path = write(tmp_path / "r.txt", student_record(sid), course(sid, semester="Q9"))
    upload = Upload.objects.create(user=coordinator, mode="validate", original_name="r.txt", stored_path=str(path),
                                   status=Upload.JOB_RUNNING, attempts=1)  # claimed, as a worker's run
    save_run(upload, _upload(path, coordinator, "validate"))
    client.force_login(make_user("E017ALL", "lea-all", "017"))
    page = client.get(reverse("uploads:detail", args=[upload.pk]))
    assert page.status_code == 200 and "INVALID SEMESTER CODE" in page.content.decode()
    error = UploadError.objects.get(upload=upload)
    fragment = client.get(reverse("uploads:record", args=[upload.pk, error.pk])).content.decode()
    assert "<mark>Q9</mark>" in fragment  # the field in error, highlighted in the input record
    client.force_login(make_user("E036ALL", "lea-all", "036"))
    assert client.get(reverse("uploads:detail", args=[upload.pk])).status_code == 404  # no hint that it exists
    assert client.post(reverse("uploads:export", args=[upload.pk, "csv"])).status_code == 404
