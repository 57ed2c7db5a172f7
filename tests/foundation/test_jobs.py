"""The one job lifecycle (sts/jobs.py), on a real kind (recalculation batches) and the real
database: claims and fencing, the reaper's two rescues, transient errors, files written whole."""
import datetime as dt
import sqlite3
import time

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.utils import timezone

from sts import jobs
from transcripts.models import RecomputeBatch

pytestmark = pytest.mark.django_db


def _batch(**fields):
    return RecomputeBatch.objects.create(student_ids=[], **{**jobs.queued_fields(RecomputeBatch), **fields})


def _lapse(obj, seconds=None):
    seconds = seconds or jobs.stale_seconds() + 1
    cache.set(jobs._lease_key(obj), time.time() - seconds)
    type(obj).objects.filter(pk=obj.pk).update(claimed_at=timezone.now() - dt.timedelta(seconds=seconds))


def test_one_claim_per_delivery_and_a_taken_over_run_writes_nothing():
    batch = _batch()
    first = jobs.claim(RecomputeBatch, batch.pk)
    assert first.status == "running" and first.attempts == 1
    assert jobs.claim(RecomputeBatch, batch.pk) is None  # a second delivery meets a live lease
    _lapse(first)
    second = jobs.claim(RecomputeBatch, batch.pk)  # the worker died: the next delivery takes over
    assert second.attempts == 2
    assert not jobs.finish(first, "done")  # the old run comes back late: it writes nothing
    assert jobs.finish(second, "done")
    assert RecomputeBatch.objects.get(pk=batch.pk).status == "done"
    assert jobs.claim(RecomputeBatch, batch.pk) is None  # finished: a redelivery is a no-op


def test_the_last_attempt_fails_with_a_message_that_says_what_to_do(settings):
    batch = _batch()
    for _ in range(settings.STS_JOB_MAX_ATTEMPTS):
        _lapse(jobs.claim(RecomputeBatch, batch.pk))
    assert jobs.claim(RecomputeBatch, batch.pk) is None
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert batch.message.startswith(f"The recalculation stopped {settings.STS_JOB_MAX_ATTEMPTS} times")
    assert "Start it again" in batch.message


def test_a_lost_message_is_sent_again_and_the_job_runs(eager, django_capture_on_commit_callbacks):
    batch = _batch(queued_at=timezone.now() - dt.timedelta(seconds=jobs.stale_seconds() + 5))
    fresh = _batch()
    with django_capture_on_commit_callbacks(execute=True):
        touched = jobs.reap()
    assert touched == {"transcripts.recomputebatch": [batch.pk]}  # the fresh one is still waiting
    batch.refresh_from_db()
    assert batch.status == "done" and batch.attempts == 1
    assert RecomputeBatch.objects.get(pk=fresh.pk).status == "queued"


def test_with_no_worker_at_all_a_queued_job_fails_in_the_end(settings):
    cache.delete("job-worker-seen")
    settings.STS_JOB_MAX_RESENDS = 2
    batch = _batch()
    for _ in range(3):
        RecomputeBatch.objects.filter(pk=batch.pk).update(
            queued_at=timezone.now() - dt.timedelta(seconds=jobs.stale_seconds() + 5))
        jobs.reap()
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.message.startswith("No worker took this recalculation")


def test_busy_workers_never_fail_a_waiting_job(settings):
    settings.STS_JOB_MAX_RESENDS = 1
    batch = _batch()
    for _ in range(4):
        cache.set("job-worker-seen", time.time())  # workers are alive, just busy
        RecomputeBatch.objects.filter(pk=batch.pk).update(
            queued_at=timezone.now() - dt.timedelta(seconds=jobs.stale_seconds() + 5))
        jobs.reap()
    batch.refresh_from_db()
    assert batch.status == "queued" and batch.resends == 0


def test_a_lapsed_running_job_is_queued_again_with_its_standing(eager, django_capture_on_commit_callbacks):
    batch = _batch()
    claimed = jobs.claim(RecomputeBatch, batch.pk)
    assert jobs.describe(claimed) == "Running"
    _lapse(claimed)
    from sts.celery import app
    app.conf.task_always_eager = False  # look at it between the reaper and the next run
    jobs.reap()
    batch.refresh_from_db()
    assert batch.status == "queued" and jobs.describe(batch) == "Retrying (attempt 2 of 3)"
    assert "stopped during attempt 1 of 3" in batch.message


def _locked():
    return OperationalError("database is locked")


@pytest.mark.django_db(transaction=True)  # retried only outside a transaction (never a broken one)
def test_transient_errors_are_retried_and_other_errors_are_not(settings):
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise _locked()
        return "done"
    assert jobs.retry_transient(flaky, base_delay=0.001) == "done" and len(calls) == 3

    def broken():
        raise OperationalError("no such table: nothing")
    with pytest.raises(OperationalError):
        jobs.retry_transient(broken, base_delay=0.001)
    with pytest.raises(jobs.StillTransient):
        jobs.retry_transient(lambda: (_ for _ in ()).throw(_locked()), tries=2, base_delay=0.001)
    real = sqlite3.connect(":memory:")
    try:
        real.execute("select * from missing")
    except sqlite3.OperationalError as exc:
        assert not jobs.is_transient(OperationalError(str(exc)))


def test_a_job_that_stays_busy_is_queued_again_not_failed(monkeypatch):
    batch = _batch()
    from transcripts import tasks

    def busy(_batch):
        raise jobs.StillTransient("database is locked")
    monkeypatch.setattr(tasks, "_recompute", busy)
    tasks.recompute_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "queued" and batch.attempts == 1 and "database was busy" in batch.message


def test_a_defect_fails_the_job_with_a_message_for_support(monkeypatch):
    batch = _batch()
    from transcripts import tasks

    monkeypatch.setattr(tasks, "_recompute", lambda _b: 1 / 0)
    tasks.recompute_batch(batch.pk)  # the worker survives
    batch.refresh_from_db()
    assert batch.status == "failed" and "logged for support" in batch.message


def test_files_are_whole_or_absent(tmp_path):
    target = tmp_path / "out" / "report.pdf"
    with pytest.raises(RuntimeError):
        with jobs.atomic_dir(tmp_path) as work:
            (work / "report.pdf").write_bytes(b"half")
            raise RuntimeError("killed")
    assert not target.exists() and not list(tmp_path.iterdir())
    with jobs.atomic_dir(tmp_path) as work:
        (work / "report.pdf").write_bytes(b"whole")
        jobs.publish(work / "report.pdf", target)
    assert target.read_bytes() == b"whole" and [p.name for p in target.parent.iterdir()] == ["report.pdf"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # the work folder is gone


def test_the_sweep_keeps_a_live_jobs_files_and_removes_a_dead_ones(tmp_path):
    live = jobs.claim(RecomputeBatch, _batch().pk)
    dead = jobs.claim(RecomputeBatch, _batch().pk)
    _lapse(dead)
    with jobs.atomic_dir(tmp_path, owner=live) as live_dir, jobs.atomic_dir(tmp_path, owner=dead) as dead_dir:
        (live_dir / "part.pdf").write_bytes(b"x")
        (dead_dir / "part.pdf").write_bytes(b"x")
        stray = jobs.temp_name(tmp_path / "t.pdf")
        stray.write_bytes(b"x")
        assert jobs.sweep_temporary(tmp_path) == 1  # the dead attempt's folder; the young stray stays
        assert live_dir.exists() and not dead_dir.exists() and stray.exists()
        assert jobs.sweep_temporary(tmp_path, older_than=0) == 1  # the stray, once old enough
