"""A graduate's Official Transcript System history, and the current issued PDF (issue item 9).

    python manage.py sts_ots --state-id ID --bssy YYYY [--sponsor S] [--user USERID] --json [--pdf OUT]

Prints {"versions": [{"version", "status", "reason", "issued_at", "current"}]}: every OTS entry,
oldest first (version and issued_at are null for an entry that was not issued). With --user the
user's rights on the student are checked as on the Student Detail screen.
"""
import json
import shutil

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from sts.clock import DatedCommand

from sts.accounts import permissions
from sts.accounts.models import User

from ...models import OfficialTranscript, OtsEntry
from ...storage import file_of


class Command(DatedCommand, BaseCommand):
    help = "Print a graduate's OTS entries and versions; --pdf writes the current issued transcript."

    def add_arguments(self, parser):
        parser.add_argument("--state-id", required=True)
        parser.add_argument("--bssy", type=int, required=True)
        parser.add_argument("--sponsor", help="sponsor code, when the State ID is at several sponsors")
        parser.add_argument("--user", help="check this STS user's rights on the student")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--pdf", metavar="OUT", help="write the current issued version to OUT")

    def handle(self, *args, **o):
        state_id, bssy = o["state_id"].strip(), o["bssy"]
        entries = OtsEntry.objects.filter(state_id=state_id, bssy=bssy).select_related("transcript", "sponsor",
                                                                                          "student__site")
        if o["sponsor"]:
            entries = entries.filter(sponsor__code=o["sponsor"].strip().upper())
        entries = list(entries.order_by("queued_at", "id"))
        sponsors = {e.sponsor.code for e in entries}
        if len(sponsors) > 1:
            raise CommandError(f"State ID {state_id} has OTS entries at several sponsors in BSSY {bssy} "
                               f"({', '.join(sorted(sponsors))}): add --sponsor CODE.")
        if o["user"]:
            self._check(o["user"], entries)
        versions = [{"version": e.transcript.version if e.transcript else None, "status": e.status,
                     "reason": e.reason, "issued_at": e.transcript.issued_at.isoformat() if e.transcript else None,
                     "current": bool(e.transcript and e.transcript.current)} for e in entries]
        if o["pdf"]:
            current = OfficialTranscript.objects.filter(state_id=state_id, bssy=bssy, superseded_at__isnull=True,
                                                        sponsor__code__in=sponsors or ["-"]).first()
            if current is None:
                raise CommandError(f"No current official transcript for State ID {state_id} in BSSY {bssy}.")
            shutil.copyfile(file_of(current), o["pdf"])
        if o["json"]:
            self.stdout.write(json.dumps({"versions": versions}, indent=2))
        else:
            if not versions:
                self.stdout.write(f"No OTS entries for State ID {state_id} in BSSY {bssy}.")
            for v in versions:
                self.stdout.write(f"{v['status']} version {v['version'] or '-'} {v['issued_at'] or ''} "
                                  f"{'current' if v['current'] else ''} {v['reason']}".rstrip())

    def _check(self, user_id, entries):
        user = User.objects.filter(username=user_id.strip().upper()).first()
        if user is None:
            raise CommandError(f"No STS user {user_id!r}.")
        try:
            for e in entries:
                if e.student_id:
                    permissions.require_student(user, e.student)
                else:
                    permissions.require(user, permissions.Action.VIEW, sponsor=e.sponsor)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
