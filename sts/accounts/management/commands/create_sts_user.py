from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sts.accounts.groups import GROUPS
from sts.accounts.services import create_user


class Command(BaseCommand):
    help = "Create or re-provision an STS user ID (security coordinators script this)."

    def add_arguments(self, parser):
        parser.add_argument("user_id")
        parser.add_argument("--group", required=True, choices=list(GROUPS))
        parser.add_argument("--sponsor")
        parser.add_argument("--sites", help="comma-separated site codes (school-level groups)")
        parser.add_argument("--password", required=True)

    def handle(self, *args, user_id, group, sponsor, sites, password, **options):
        site_list = [s for s in (sites or "").split(",") if s.strip()]
        try:
            # Guide: "This initial password will be set to expire and to force a new password
            # selection on the user's first sign-on."
            user = create_user(user_id, group, password, sponsor=sponsor, sites=site_list,
                               must_change_password=True)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"{user.username}: {GROUPS[group].label}"
                          + (f", sponsor {user.sponsor.code}" if user.sponsor_id else "")
                          + (f", sites {','.join(site_list)}" if site_list else ""))
