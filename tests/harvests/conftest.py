import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.exports.conftest import BSSY, generate, open_2025, upload  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def state(tmp_path, make_user, open_2025, settings):  # noqa: F811
    """Sponsors 017 and 036 loaded from generated batches through the real pipeline (progress
    stored), some students without consent."""
    from transcripts.models import Student

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    for sponsor, n, seed in (("017", 40, 3), ("036", 25, 4)):
        make_user(f"E{sponsor}UPL", "lea-upload", sponsor)
        result = upload(generate(tmp_path, sponsor, n, seed=seed), f"E{sponsor}UPL")
        assert result["accepted"], result
    students = Student.objects.filter(bssy=BSSY).order_by("pk")
    assert students.filter(parental_consent=False).exists() and students.filter(parental_consent=True).exists()
    return students


def take(name, bssy=BSSY, **kw):
    out = io.StringIO()
    call_command("sts_snapshot", "take", "--name", name, "--bssy", str(bssy), stdout=out, **kw)
    return json.loads(out.getvalue())


def harvest(extract, out, *args):
    text = io.StringIO()
    call_command("sts_harvest", extract, "--bssy", str(BSSY), "--out", str(out), *args, stdout=text)
    return out.read_bytes().decode("utf-8")
