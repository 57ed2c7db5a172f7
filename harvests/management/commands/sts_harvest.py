"""The state extracts from the command line (issue 19; keep this contract exactly):

    python manage.py sts_harvest stsq01|stsq02|stsq03 --bssy YYYY [--snapshot NAME] [--sponsor S]
                                 [--site X] [--format txt|csv] --out FILE [--user ID]

Writes the extract to FILE (streaming) and prints a JSON summary. An operator's command is
unscoped; `--user` runs it with that user's rights (LOSFA: STSQ01/02, Board of Regents: STSQ01/03).
"""
import json

from django.core.exceptions import BadRequest
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from sts.exports import EXPORTERS

from ...extracts import EXTRACTS
from .sts_snapshot import user_or_error


class Command(BaseCommand):
    help = "Write STSQ01, STSQ02 or STSQ03 (live data or a snapshot) to a file."

    def add_arguments(self, parser):
        parser.add_argument("extract", choices=EXTRACTS)
        parser.add_argument("--bssy", type=int, required=True)
        parser.add_argument("--snapshot", default="")
        parser.add_argument("--sponsor", default="")
        parser.add_argument("--site", default="")
        parser.add_argument("--format", choices=("txt", "csv"), default="txt")
        parser.add_argument("--out", required=True)
        parser.add_argument("--user", default="")

    def handle(self, *args, **o):
        user = user_or_error(o["user"])
        params = {k: str(o[k]) for k in ("bssy", "snapshot", "sponsor", "site") if o[k]}
        exporter = EXPORTERS[o["extract"]].bind(user)
        try:
            exporter.check(user, params)
            written = exporter.render(o["format"], params, o["out"])
        except Http404:
            raise CommandError(f"User {user.username} may not run {o['extract'].upper()}.") from None
        except BadRequest as exc:
            raise CommandError(str(exc)) from None
        with open(written, encoding="utf-8") as f:
            lines = sum(1 for _ in f)
        self.stdout.write(json.dumps({"extract": o["extract"], "out": str(written), "lines": lines, **params}))
