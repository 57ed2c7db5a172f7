import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

BSSY = 2025
TODAY = "2026-03-01"


@pytest.fixture
def open_2025(db):
    from core_tables.models import CollectionPeriod

    CollectionPeriod.objects.update(is_current=False)
    CollectionPeriod.objects.update_or_create(bssy=BSSY, defaults={
        "opens": dt.date(2025, 12, 1), "closes": dt.date(2099, 1, 1), "is_current": True})


def generate(tmp_path, sponsor, students, seed=3, name=None):
    out = tmp_path / (name or f"gen{sponsor}{students}.txt")
    call_command("generate_batch", "--students", str(students), "--sponsor", sponsor, "--seed", str(seed),
                 "--out", str(out), "--today", TODAY, stdout=io.StringIO(), stderr=io.StringIO())
    return out


def upload(path, user_id, mode="replace"):
    """The real pipeline (sts_upload: store, parse, every edit, load, recompute progress)."""
    out = io.StringIO()
    call_command("sts_upload", str(path), "--user", user_id, "--mode", mode, "--today", TODAY, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def loaded_017(tmp_path, make_user, open_2025, settings):
    """Sponsor 017 loaded from a generated batch through the real pipeline, progress stored."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    make_user("E017UPL", "lea-upload", "017")
    result = upload(generate(tmp_path, "017", 60), "E017UPL")
    assert result["accepted"] and result["students"]["rejected"] == 0, result
    return result
