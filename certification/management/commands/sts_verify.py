"""Is a transcript genuine? (issue items 5 and 9)

    python manage.py sts_verify FILE|CODE

Prints {"genuine": bool, "state_id", "bssy", "version", "current"} and exits 0 only for a genuine,
unaltered PDF (a verification code that exists prints genuine too, and exits 0).
"""
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from ...verify import verify_code, verify_pdf


class Command(BaseCommand):
    help = "Check an official transcript PDF (signature, issued copy) or a verification code."

    def add_arguments(self, parser):
        parser.add_argument("target", help="a PDF file, or a verification code")

    def handle(self, *args, **o):
        target = o["target"]
        path = Path(target)
        if path.is_file():
            verdict = verify_pdf(path.read_bytes())
        elif path.suffix.lower() == ".pdf" or "/" in target:
            self.stderr.write(f"{target}: no such file")
            sys.exit(2)
        else:
            verdict = verify_code(target)
        # An operator's command (not the public page): it names the State ID and BSSY.
        t = verdict.transcript if verdict.genuine else None
        data = {"genuine": verdict.genuine, "state_id": t.state_id if t else None, "bssy": t.bssy if t else None,
                "version": t.version if t else None, "current": verdict.current if t else None}
        self.stdout.write(json.dumps(data, indent=2))
        self.stderr.write(verdict.message)
        if not verdict.genuine:
            sys.exit(1)
