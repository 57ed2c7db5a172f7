"""Harvest snapshots from the command line (issue 19; scripted acceptance checks use this exact
contract):

    python manage.py sts_snapshot take --name NAME --bssy YYYY [--user ID]
    python manage.py sts_snapshot list [--bssy YYYY] --json

`take` freezes the BSSY in this process and prints the snapshot's name and counts; a name taken
before exits non-zero with a message saying so. An operator's command is unscoped; `--user` runs
it with that user's rights (state staff only).
"""
import json

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone

from sts.accounts import permissions
from sts.accounts.models import User
from sts.accounts.permissions import Action

from ...models import Snapshot
from ...services import SnapshotRefused, take_now


def user_or_error(user_id):
    if not user_id:
        return None
    user = User.objects.filter(username=user_id.strip().upper()).first()
    if user is None:
        raise CommandError(f"No STS user {user_id!r}.")
    return user


class Command(BaseCommand):
    help = "Take a harvest snapshot of a BSSY, or list the snapshots."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        take = sub.add_parser("take", help="freeze the BSSY now")
        take.add_argument("--name", required=True)
        take.add_argument("--bssy", type=int, required=True)
        take.add_argument("--user", default="", help="check this STS user's rights (state staff)")
        listing = sub.add_parser("list", help="the snapshots, newest first")
        listing.add_argument("--bssy", type=int)
        listing.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        if o["action"] == "take":
            return self.take(o)
        snapshots = Snapshot.objects.all()
        if o.get("bssy"):
            snapshots = snapshots.filter(bssy=o["bssy"])
        rows = [describe(s) for s in snapshots]
        if o["json"]:
            self.stdout.write(json.dumps(rows, indent=1))
        else:
            for r in rows:
                self.stdout.write(f"{r['name']}  BSSY {r['bssy']}  {r['status']}  {r['taken_at'] or ''}  "
                                  f"students {r['students']}  transcripts {r['transcripts']}")

    def take(self, o):
        user = user_or_error(o["user"])
        if user is not None:
            try:
                permissions.require_or_404(user, Action.HARVEST)
            except Http404:
                raise CommandError(f"User {user.username} may not take snapshots.") from None
        try:
            snapshot = take_now(o["name"], o["bssy"], by=user.username if user else "command line")
        except SnapshotRefused as exc:
            raise CommandError(str(exc)) from None
        if snapshot.status != Snapshot.DONE:
            raise CommandError(f"Snapshot {snapshot.name} failed: {snapshot.message}")
        self.stdout.write(json.dumps(describe(snapshot)))


def describe(s: Snapshot) -> dict:
    return {"name": s.name, "bssy": s.bssy, "status": s.status, "trigger": s.trigger, "requested_by": s.requested_by,
            "taken_at": timezone.localtime(s.taken_at).isoformat() if s.taken_at else None,
            "seconds": round(s.seconds, 3) if s.seconds is not None else None, **s.counts}
