"""Certify (or un-certify) a site's graduates from the command line, synchronously (issue item 9).

    python manage.py sts_certify --sponsor 017 --site 017001 --bssy 2025 --user E017ALL [--uncertify] --json

Prints {"site", "bssy", "state", "graduates", "issued", "rejected": [{"state_id", "reason"}]}. The
user's rights are checked as on the Certify screen (CERTIFY on the site, collection period open).
Transcripts are issued in this process, not by the workers.
"""
import json

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from core_tables.models import Site
from sts.accounts import permissions
from sts.accounts.models import User
from sts.accounts.permissions import Action

from ...models import OtsEntry
from ...services import IssueProblem, NotCertifiable, certify_and_issue, state_of, uncertify_site


class Command(BaseCommand):
    help = "Certify or un-certify a site's graduates for a BSSY and issue their official transcripts."

    def add_arguments(self, parser):
        parser.add_argument("--sponsor", required=True)
        parser.add_argument("--site", required=True)
        parser.add_argument("--bssy", type=int, required=True)
        parser.add_argument("--user", required=True, help="the STS user ID who certifies")
        parser.add_argument("--uncertify", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        user = User.objects.filter(username=o["user"].strip().upper()).first()
        if user is None:
            raise CommandError(f"No STS user {o['user']!r}.")
        site = Site.objects.select_related("sponsor").filter(code=o["site"].strip().upper()).first()
        if site is None or site.sponsor.code != o["sponsor"].strip().upper():
            raise CommandError(f"No site {o['site']} of sponsor {o['sponsor']}.")
        bssy = o["bssy"]
        try:
            permissions.require_write(user, Action.CERTIFY, site=site, bssy=bssy)
            if o["uncertify"]:
                uncertify_site(site, bssy, by=user.username)
                graduates, issued, rejected = _graduates(site, bssy), 0, []
            else:
                outcome = certify_and_issue(site, bssy, by=user.username)
                entries = OtsEntry.objects.filter(certification=outcome.certification).order_by("state_id")
                graduates = outcome.certification.graduates
                issued = entries.filter(status=OtsEntry.SENT).count()
                rejected = [{"state_id": e.state_id, "reason": e.reason}
                            for e in entries.filter(status=OtsEntry.REJECTED)]
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "Not allowed.") from None
        except (NotCertifiable, IssueProblem) as exc:
            raise CommandError(str(exc)) from None
        result = {"site": site.code, "bssy": bssy, "state": state_of(site.pk, bssy).code, "graduates": graduates,
                  "issued": issued, "rejected": rejected}
        if o["json"]:
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self.stdout.write(f"{site.code} BSSY {bssy}: {result['state']}; {graduates} graduates, {issued} issued, "
                              f"{len(rejected)} rejected")
            for r in rejected:
                self.stdout.write(f"  {r['state_id']}: {r['reason']}")


def _graduates(site, bssy):
    from transcripts.graduates import graduates
    from transcripts.models import Student

    return graduates(Student.objects.filter(site=site, bssy=bssy)).count()
