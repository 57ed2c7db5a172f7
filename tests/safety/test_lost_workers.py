"""A lost worker never leaves an upload Processing for ever, and an old file never lands over newer
data (issue 8, item 3). The real kill -9 of a worker is in tests/integration; these pin the rules."""
import time

import pytest
from django.core.cache import cache

from transcripts.models import Student, Transcript
from uploads.models import Upload
from uploads.pipeline import Abandoned, run_pipeline
from uploads.tasks import MAX_ATTEMPTS, _claim, heartbeat_key, is_stale, reap_stale_uploads, run_upload

from tests.batch.helpers import TODAY, course, registry_student, student_record, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def lea(make_user):
    return make_user("E017UPL", "lea-upload", "017")


def _queued(tmp_path, user, name, *records, mode="partial"):
    path = write(tmp_path / name, *records)
    return Upload.objects.create(user=user, mode=mode, original_name=name, stored_path=str(path), today=TODAY)


def _courses(sid):
    return list(Transcript.objects.filter(student__state_id=sid.unique_id).values_list("course_code", flat=True))


def test_a_retried_old_upload_ends_superseded_and_writes_nothing(tmp_path, lea):
    sid = registry_student()
    old = _queued(tmp_path, lea, "old.txt", student_record(sid), course(sid, "120101"))
    new = _queued(tmp_path, lea, "new.txt", student_record(sid), course(sid, "120104"))
    run_upload(new, synchronous=True)
    assert _courses(sid) == ["120104"]
    run = run_upload(old, synchronous=True)  # the old file comes back (a redelivery or retry)
    old.refresh_from_db()
    assert old.status == "superseded" and run.superseded_by == new.pk
    assert f"upload #{new.pk}" in old.result["file_errors"][0]["message"]
    assert _courses(sid) == ["120104"]  # the newer data stands


def test_a_validate_only_upload_does_not_supersede_anything(tmp_path, lea):
    sid = registry_student()
    old = _queued(tmp_path, lea, "old.txt", student_record(sid), course(sid, "120101"))
    run_upload(_queued(tmp_path, lea, "v.txt", student_record(sid), course(sid, "120104"), mode="validate"),
               synchronous=True)
    run_upload(old, synchronous=True)
    old.refresh_from_db()
    assert old.status == "complete" and _courses(sid) == ["120101"]


def test_a_run_whose_attempt_was_taken_over_writes_nothing(tmp_path, lea):
    sid = registry_student()
    upload = _queued(tmp_path, lea, "a.txt", student_record(sid), course(sid))
    Upload.objects.filter(pk=upload.pk).update(status="processing", attempts=2)
    with pytest.raises(Abandoned):
        run_pipeline(upload.stored_path, upload.original_name, mode="partial", today=TODAY, user=lea,
                     upload=(upload.pk, 1))
    assert not Student.objects.exists()


def test_a_message_delivered_twice_runs_the_upload_once(tmp_path, lea):
    sid = registry_student()
    upload = _queued(tmp_path, lea, "a.txt", student_record(sid), course(sid))
    assert _claim(upload.pk) is not None  # the first delivery claims it
    assert _claim(upload.pk) is None  # a second delivery meets a fresh heartbeat: it leaves it alone
    upload.refresh_from_db()
    assert upload.status == "processing" and upload.attempts == 1


def test_a_stale_upload_is_queued_again_then_failed_after_the_last_attempt(tmp_path, lea, settings, monkeypatch,
                                                                           django_capture_on_commit_callbacks):
    from uploads import tasks

    queued = []
    monkeypatch.setattr(tasks.process_upload, "delay", lambda pk: queued.append(pk))
    settings.STS_UPLOAD_STALE_SECONDS = 60
    sid = registry_student()
    upload = _queued(tmp_path, lea, "a.txt", student_record(sid), course(sid))
    assert _claim(upload.pk)
    upload.refresh_from_db()
    assert not is_stale(upload)
    cache.set(heartbeat_key(upload.pk), time.time() - 61)  # the worker went quiet 61 s ago
    assert is_stale(upload)
    with django_capture_on_commit_callbacks(execute=True):
        reaped = reap_stale_uploads()
    assert reaped == [upload.pk] and queued == [upload.pk]  # back in the worker queue
    upload.refresh_from_db()
    assert upload.status == "queued" and "queued again" in upload.result["notice"]
    # Each later attempt dies too: after MAX_ATTEMPTS the upload is failed with a clear message.
    for _ in range(MAX_ATTEMPTS - 1):
        assert _claim(upload.pk)
        cache.set(heartbeat_key(upload.pk), time.time() - 61)
        reap_stale_uploads()
    upload.refresh_from_db()
    assert upload.status == "failed" and f"stopped {MAX_ATTEMPTS} times" in upload.result["message"]
    assert not Student.objects.exists()
