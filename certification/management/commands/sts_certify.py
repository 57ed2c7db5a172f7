"""Certify (or un-certify) a site's graduates from the command line (issue item 9).

    python manage.py sts_certify --sponsor 017 --site 017001 --bssy 2025 --user E017ALL [--uncertify] [--queue] --json

Prints {"site", "bssy", "state", "graduates", "issued", "rejected": [{"state_id", "reason"}]}. The
user's rights are checked as on the Certify screen (CERTIFY on the site, collection period open).
Transcripts are issued in this process; with --queue the workers issue them, as after the Certify
screen, and the output adds "queued": [{"entry", "state_id", "status"}], the entries handed to the workers
(issued and rejected then count what the workers had done when the command printed). A signing key
that is missing or unreadable stops it before anything is queued.
"""
import json

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from core_tables.models import Site
from sts.accounts import permissions
from sts.accounts.models import User
from sts.accounts.permissions import Action

from ...models import OtsEntry
from ...services import IssueProblem, NotCertifiable, certify_and_issue, certify_site, state_of, uncertify_site
from ...signing import SigningNotConfigured


class Command(BaseCommand):
    help = "Certify or un-certify a site's graduates for a BSSY and issue their official transcripts."

    def add_arguments(self, parser):
        parser.add_argument("--sponsor", required=True)
        parser.add_argument("--site", required=True)
        parser.add_argument("--bssy", type=int, required=True)
        parser.add_argument("--user", required=True, help="the STS user ID who certifies")
        parser.add_argument("--uncertify", action="store_true")
        parser.add_argument("--queue", action="store_true",
                            help="hand the issuing to the workers and print the queued entries")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        user = User.objects.filter(username=o["user"].strip().upper()).first()
        if user is None:
            raise CommandError(f"No STS user {o['user']!r}.")
        site = Site.objects.select_related("sponsor").filter(code=o["site"].strip().upper()).first()
        if site is None or site.sponsor.code != o["sponsor"].strip().upper():
            raise CommandError(f"No site {o['site']} of sponsor {o['sponsor']}.")
        bssy = o["bssy"]
        if o["queue"] and o["uncertify"]:
            raise CommandError("--queue hands certified graduates to the workers; un-certifying queues nothing.")
        try:
            permissions.require_write(user, Action.CERTIFY, site=site, bssy=bssy)
            if o["uncertify"]:
                uncertify_site(site, bssy, by=user.username)
                graduates, issued, rejected = _graduates(site, bssy), 0, []
            elif o["queue"]:
                # The entries are sent to the workers when this transaction commits.
                outcome = certify_site(site, bssy, by=user.username, queue=True)
            else:
                outcome = certify_and_issue(site, bssy, by=user.username)
            if not o["uncertify"]:
                entries = OtsEntry.objects.filter(certification=outcome.certification).order_by("state_id")
                graduates = outcome.certification.graduates
                issued = entries.filter(status=OtsEntry.SENT).count()
                rejected = [{"state_id": e.state_id, "reason": e.reason}
                            for e in entries.filter(status=OtsEntry.REJECTED)]
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "Not allowed.") from None
        except (NotCertifiable, IssueProblem, SigningNotConfigured) as exc:
            raise CommandError(str(exc)) from None
        result = {"site": site.code, "bssy": bssy, "state": state_of(site.pk, bssy).code, "graduates": graduates,
                  "issued": issued, "rejected": rejected}
        if o["queue"] and not o["uncertify"]:
            result["queued"] = [{"entry": pk, "state_id": state_id, "status": status} for pk, state_id, status in
                                OtsEntry.objects.filter(pk__in=outcome.entry_ids).order_by("state_id").values_list(
                                    "pk", "state_id", "status")]
        if o["json"]:
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self.stdout.write(f"{site.code} BSSY {bssy}: {result['state']}; {graduates} graduates, {issued} issued, "
                              f"{len(rejected)} rejected" + (f", {len(result['queued'])} queued for the workers"
                                                             if "queued" in result else ""))
            for r in rejected:
                self.stdout.write(f"  {r['state_id']}: {r['reason']}")


def _graduates(site, bssy):
    from transcripts.graduates import graduates
    from transcripts.models import Student

    return graduates(Student.objects.filter(site=site, bssy=bssy)).count()
