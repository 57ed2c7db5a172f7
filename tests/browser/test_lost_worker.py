"""A coordinator watches an upload whose worker is killed in the middle of the file: the page says
it is retrying (never a frozen bar), then completes when a worker is back, all without a reload
(issue 17: one job lifecycle)."""
import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from core_tables.loading import load_folder
from tests.integration.conftest import wait_for, worker  # noqa: F401  (fixture: a real worker process)

from .helpers import sign_in
from .test_upload import STATUS_RECORDER, _submit

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker,
              pytest.mark.django_db(transaction=True)]


def test_a_killed_worker_shows_retrying_then_complete(reference, worker, live_server, page, make_user,  # noqa: F811
                                                      tmp_path, settings):
    from transcripts.models import Student
    from uploads.models import Upload
    from uploads.tasks import read_progress

    settings.STS_JOB_STALE_SECONDS = 3  # the page's own reaper check (the live server is this process)
    worker.env["STS_BROKER_VISIBILITY_TIMEOUT"] = "3600"  # no redelivery: only the reaper brings it back
    worker.stop()
    worker.start()
    out, ids = tmp_path / "big.txt", tmp_path / "ids"
    ids.mkdir()
    call_command("generate_batch", "--students", "3000", "--sponsor", "017", "--seed", "5", "--error-rate", "0",
                 "--out", str(out), "--secure-ids-out", str(ids / "secure_ids.csv"), stdout=io.StringIO(),
                 stderr=io.StringIO())
    load_folder(ids)
    sign_in(page, live_server, make_user("E017UPL", "lea-upload", "017"))
    _submit(page, out, "partial")
    page.evaluate(STATUS_RECORDER)
    upload = Upload.objects.get()
    wait_for(lambda: Upload.objects.get(pk=upload.pk).status == "processing" and read_progress(upload)[0] > 5000,
             120, "the worker to be well into the file")
    worker.kill()
    status = page.locator("#upload-status")
    expect(status).to_contain_text("Retrying (attempt 2 of 3)", timeout=30_000)
    expect(status).to_contain_text("The worker stopped during attempt 1 of 3; nothing of that attempt was kept")
    assert Student.objects.count() == 0  # nothing half-written
    worker.start()
    expect(status).to_contain_text("Complete", timeout=180_000)
    expect(status).to_contain_text("3000 students: 3000 loaded, 0 rejected")
    assert page.evaluate("window.__stsPage") == "the same page"
    seen = page.evaluate("window.__stsStatuses")
    assert seen[-1] == "complete" and seen.count("queued") >= 1 and "processing" in seen
