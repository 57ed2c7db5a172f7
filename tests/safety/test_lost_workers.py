"""A lost worker never leaves an upload Processing for ever, and an old file never lands over newer
data (issue 8, item 3). The real kill -9 of a worker is in tests/integration; these pin the rules."""
import datetime as dt
import time

import pytest
from django.core.cache import cache

from transcripts.models import Student, Transcript
from uploads.models import Upload
from uploads.pipeline import Abandoned, run_pipeline
from sts import jobs
from uploads.tasks import run_upload

from tests.batch.helpers import TODAY, course, registry_student, student_record, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def lea(make_user):
    return make_user("E017UPL", "lea-upload", "017")


def _queued(tmp_path, user, name, *records, mode="partial"):
    path = write(tmp_path / name, *records)
    return Upload.objects.create(user=user, mode=mode, original_name=name, stored_path=str(path), today=TODAY,
                                 **jobs.queued_fields(Upload))


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
    assert jobs.claim(Upload, upload.pk) is not None  # the first delivery claims it
    assert jobs.claim(Upload, upload.pk) is None  # a second delivery meets a fresh lease: it leaves it alone
    upload.refresh_from_db()
    assert upload.status == "processing" and upload.attempts == 1


def _lapse(obj):
    cache.set(jobs._lease_key(obj), time.time() - 61)  # the worker went quiet 61 s ago


def test_a_redelivered_message_of_a_dead_worker_runs_the_upload_as_its_next_attempt(tmp_path, lea, settings):
    """Pin (issue 17, item 9): the message of a worker that died (lease older than the stale time)
    is run again as the next attempt; one with a fresh lease is never run twice."""
    settings.STS_JOB_STALE_SECONDS = 60
    sid = registry_student()
    upload = _queued(tmp_path, lea, "a.txt", student_record(sid), course(sid))
    claimed = jobs.claim(Upload, upload.pk)
    assert claimed.attempts == 1
    _lapse(claimed)
    from uploads.tasks import process_upload
    process_upload(upload.pk)  # the broker hands the message out again
    upload.refresh_from_db()
    assert upload.status == "complete" and upload.attempts == 2
    assert Student.objects.filter(state_id=sid.unique_id).count() == 1


def test_a_stale_upload_is_queued_again_then_failed_after_the_last_attempt(tmp_path, lea, settings, monkeypatch,
                                                                           django_capture_on_commit_callbacks):
    from uploads import tasks

    queued = []
    monkeypatch.setattr(tasks.process_upload, "apply_async", lambda args, countdown=None: queued.append(args[0]))
    settings.STS_JOB_STALE_SECONDS = 60
    sid = registry_student()
    upload = _queued(tmp_path, lea, "a.txt", student_record(sid), course(sid))
    claimed = jobs.claim(Upload, upload.pk)
    assert claimed and not jobs.lease_lapsed(claimed)
    _lapse(claimed)
    assert jobs.lease_lapsed(claimed)
    Upload.objects.filter(pk=upload.pk).update(claimed_at=claimed.claimed_at - dt.timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=True):
        reaped = jobs.reap()
    assert reaped == {"uploads.upload": [upload.pk]} and queued == [upload.pk]  # back in the worker queue
    upload.refresh_from_db()
    assert upload.status == "queued" and "queued again" in upload.message
    assert jobs.describe(upload) == "Retrying (attempt 2 of 3)"
    # Each later attempt dies too: after the last attempt the upload is failed with a clear message.
    for _ in range(settings.STS_JOB_MAX_ATTEMPTS - 1):
        claimed = jobs.claim(Upload, upload.pk)
        assert claimed
        _lapse(claimed)
        Upload.objects.filter(pk=upload.pk).update(claimed_at=claimed.claimed_at - dt.timedelta(seconds=61))
        jobs.reap()
    upload.refresh_from_db()
    n = settings.STS_JOB_MAX_ATTEMPTS
    assert upload.status == "failed" and f"stopped {n} times" in upload.message
    assert f"stopped {n} times" in upload.result["message"]  # what the report shows
    assert not Student.objects.exists()
