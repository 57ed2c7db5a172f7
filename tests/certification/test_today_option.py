"""`--today` on the commands whose result depends on the day (issue 22 item 1): a script
reproduces a run of any day."""
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from certification.models import Certification, OfficialTranscript

from .conftest import BSSY, make_graduate

pytestmark = pytest.mark.django_db


def certify(*extra):
    out = io.StringIO()
    call_command("sts_certify", "--sponsor", "017", "--site", "017001", "--bssy", str(BSSY), "--user", "E017GRD",
                 "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


def test_sts_certify_works_as_on_the_day_given(open_period, make_user):
    make_user("E017GRD", "lea-gradcert", "017")
    make_graduate(0)
    # The period opens 2025-12-01: the day before it the command is refused as the screen would be.
    with pytest.raises(CommandError, match="(?i)not open|closed|opens"):
        certify("--today", "2025-11-30")
    assert not Certification.objects.exists()
    assert certify("--today", "2026-06-15")["issued"] == 1
    cert, transcript = Certification.objects.get(), OfficialTranscript.objects.get()
    assert timezone.localtime(cert.at).date() == dt.date(2026, 6, 15)
    assert timezone.localtime(transcript.issued_at).date() == dt.date(2026, 6, 15)


@pytest.mark.parametrize("command", ["sts_certify", "sts_export", "sts_progress", "sts_recompute", "sts_extract",
                                     "sts_ots", "sts_purge_exports", "seed_demo", "sts_upload", "sts_validate",
                                     "generate_batch"])
def test_every_dated_command_takes_today_and_names_a_bad_one(command):
    from django.core.management import load_command_class
    from django.core.management import get_commands

    parser = load_command_class(get_commands()[command], command).create_parser("manage.py", command)
    assert "--today" in parser.format_help()
    if command not in ("sts_upload", "sts_validate", "generate_batch"):  # they parse it in handle()
        with pytest.raises(CommandError, match="--today must be a date YYYY-MM-DD, not '2026-13-01'"):
            parser.parse_args(["--today", "2026-13-01"])
