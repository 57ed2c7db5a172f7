"""STSQ05 fanned out over real Celery workers (Redis, PostgreSQL): two worker processes store the
same results as one (issue 20, item 4)."""
import pytest

from tests.exports.conftest import generate, upload
from tests.integration.conftest import Worker, _forget_unacknowledged, wait_for
from transcripts.models import StudentProgress
from yearend import recalculation
from yearend.models import Recalculation

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]
FIELDS = ("student_id", "overall_gpa", "core_gpa", "tops_gpa", "total_credits", "path_complete", "award_eligible",
          "meets_graduation", "result")


def stored():
    return sorted(StudentProgress.objects.values_list(*FIELDS))


def recalculate_with(workers, tmp_path):
    wait_for(lambda: sum(" ready." in p.read_text() for p in tmp_path.glob("worker-*.log")) == len(workers), 60,
             f"{len(workers)} worker process(es) to be ready")
    StudentProgress.objects.all().delete()  # nothing left from the last run can pass for this one's
    job = recalculation.start(bssy=2025, sponsor=None, by="ELDOE01")
    wait_for(lambda: Recalculation.objects.get(pk=job.pk).status == "done", 180, "the recalculation to finish")
    job.refresh_from_db()
    return job, stored()


def test_two_worker_processes_store_the_same_results_as_one(committed_reference, tmp_path, settings, make_user):
    import datetime as dt

    from core_tables.models import CollectionPeriod
    from sts.celery import app

    CollectionPeriod.objects.update(is_current=False)
    CollectionPeriod.objects.update_or_create(bssy=2025, defaults={
        "opens": dt.date(2025, 12, 1), "closes": dt.date(2099, 1, 1), "is_current": True})
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    make_user("E017UPL", "lea-upload", "017")
    assert upload(generate(tmp_path, "017", 80), "E017UPL")["accepted"]
    in_process = stored()  # the upload's own computation, in this process
    assert len(in_process) == 80
    app.control.purge()
    _forget_unacknowledged(app)
    env = {"STS_RECALC_CHUNK": "7"}
    first = Worker(tmp_path, **env).start()
    try:
        one_job, one = recalculate_with([first], tmp_path)
        second = Worker(tmp_path, **env).start()
        try:
            two_job, two = recalculate_with([first, second], tmp_path)
        finally:
            second.stop()
    finally:
        first.stop()
    assert one_job.chunks == two_job.chunks == 12 and one_job.total == two_job.total == 80
    assert one == two == in_process
    # Both processes took chunks of the second run.
    logs = [p.read_text() for p in sorted(tmp_path.glob("worker-*.log"))]
    assert len(logs) == 2 and all("yearend.tasks.recalculate_chunk" in log for log in logs)
