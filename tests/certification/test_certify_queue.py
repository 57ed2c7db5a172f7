"""`sts_certify --queue` (issue 17, item 8): the command certifies and hands the issuing to the
workers, printing the queued entries as JSON; a real Celery worker (Redis, PostgreSQL) issues them.
Scripted checks exercise the worker path through it."""
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from certification.models import OfficialTranscript, OtsEntry
from certification.verify import verify_pdf
from tests.integration.conftest import wait_for, worker  # noqa: F401  (fixture)

from .conftest import BSSY, make_graduate
from .test_worker import worker_env  # noqa: F401  (fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]


def test_sts_certify_queue_hands_the_issuing_to_a_real_worker(worker_env, worker, make_user, settings,  # noqa: F811
                                                              tmp_path):
    from core_tables.models import CollectionPeriod

    # This process stores nothing where the worker does: a PDF found there was written by the worker.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "command"
    CollectionPeriod.objects.create(bssy=BSSY, opens=dt.date(2025, 12, 1), closes=dt.date(2099, 1, 1), is_current=True)
    make_user("E017GRD", "lea-gradcert", "017")
    ready = [make_graduate(i) for i in range(3)]
    not_ready = make_graduate(3, gee="N")
    out = io.StringIO()
    call_command("sts_certify", "--sponsor", "017", "--site", "017001", "--bssy", str(BSSY), "--user", "E017GRD",
                 "--queue", "--json", stdout=out)
    result = json.loads(out.getvalue())
    # The contract's keys, as without --queue, and the entries handed to the workers.
    assert list(result) == ["site", "bssy", "state", "graduates", "issued", "rejected", "queued"]
    assert (result["site"], result["bssy"], result["state"], result["graduates"]) == ("017001", BSSY, "certified", 4)
    entries = dict(OtsEntry.objects.values_list("state_id", "pk"))
    assert [(q["entry"], q["state_id"]) for q in result["queued"]] == sorted(
        ((entries[s.state_id], s.state_id) for s in [*ready, not_ready]), key=lambda e: e[1]), result["queued"]
    assert all(q["status"] in "QSR" for q in result["queued"])

    wait_for(lambda: not OtsEntry.objects.filter(status="Q").exists(), 120, "the worker to process every entry")
    statuses = dict(OtsEntry.objects.values_list("state_id", "status"))
    assert [statuses[g.state_id] for g in ready] == ["S", "S", "S"] and statuses[not_ready.state_id] == "R"
    assert OfficialTranscript.objects.count() == 3
    for transcript in OfficialTranscript.objects.all():
        assert verify_pdf((worker.media_root / transcript.path).read_bytes()).genuine
    assert not (tmp_path / "command").exists()  # the command itself issued nothing
