"""Certify in the web client; a real Celery worker (Redis, PostgreSQL) issues the transcripts."""
import pytest
from django.urls import reverse

from certification.models import OfficialTranscript, OtsEntry
from certification.storage import file_of
from certification.verify import verify_pdf
from tests.integration.conftest import wait_for, worker  # noqa: F401  (fixture)

from .conftest import make_graduate

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]


@pytest.fixture
def worker_env(monkeypatch, signing):
    # The worker is another process: it reads the signing pair from its environment.
    monkeypatch.setenv("STS_SIGNING_CERT", str(signing["cert"]))
    monkeypatch.setenv("STS_SIGNING_KEY", str(signing["key"]))
    monkeypatch.setenv("STS_OTS_CHUNK", "2")


def test_the_worker_issues_and_rejects_a_certified_sites_graduates(worker_env, worker, client, make_user,  # noqa: F811
                                                                   settings):
    import datetime as dt

    settings.PRIVATE_MEDIA_ROOT = worker.media_root  # where the worker process stores the PDFs

    from core_tables.models import CollectionPeriod

    CollectionPeriod.objects.create(bssy=2025, opens=dt.date(2025, 12, 1), closes=dt.date(2099, 1, 1), is_current=True)
    graduates = [make_graduate(i) for i in range(4)] + [make_graduate(4, gee="N")]
    client.force_login(make_user("E017GRD", "lea-gradcert", "017"))
    response = client.post(reverse("certification:site", args=["017001"]), {"action": "certify"})
    assert response.status_code == 302
    wait_for(lambda: not OtsEntry.objects.filter(status="Q").exists() and OtsEntry.objects.count() == 5, 120,
             "the worker to process every queued graduate")
    statuses = dict(OtsEntry.objects.values_list("state_id", "status"))
    assert [statuses[g.state_id] for g in graduates] == ["S", "S", "S", "S", "R"]
    assert OfficialTranscript.objects.count() == 4
    for t in OfficialTranscript.objects.all():
        assert verify_pdf(file_of(t).read_bytes()).genuine
    page = client.get(reverse("certification:site", args=["017001"])).content.decode()
    assert page.count('data-ots="S"') == 4 and "Met GEE/EOC flag is not Y" in page
