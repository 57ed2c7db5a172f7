from django.core.management.base import BaseCommand
from django.db import transaction

from core_tables.models import Announcement, CollectionPeriod
from sts.accounts.services import create_user
from sts.demo import DEMO_BSSY, DEMO_PASSWORD, DEMO_USERS, demo_period


class Command(BaseCommand):
    help = "Create the demo users, collection period and announcements (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for user_id, group, sponsor, sites, _about in DEMO_USERS:
                create_user(user_id, group, DEMO_PASSWORD, sponsor=sponsor or None,
                            sites=[s for s in sites.split(",") if s], must_change_password=False)
            CollectionPeriod.objects.update_or_create(bssy=DEMO_BSSY, defaults=demo_period())
            Announcement.objects.get_or_create(
                title=f"STS is open for the {DEMO_BSSY}-{(DEMO_BSSY + 1) % 100:02d} collection",
                defaults={"body": "Upload your 020, 030 and 050 files from the Upload menu and check the "
                                  "error report after every submission. Certify graduate sites when done.",
                          "posted_by": "ELDOE01"})
        self.stdout.write(f"Demo users ready ({len(DEMO_USERS)}).")
