from django.core.management.base import BaseCommand

from sts.clock import DatedCommand

from sts.tasks import purge_expired


class Command(DatedCommand, BaseCommand):
    help = ("Delete exports past their keep time (STS_EXPORT_KEEP_HOURS): files and rows. Workers also do it "
            "before each export; run it from cron where exports are rare.")

    def handle(self, *args, **options):
        self.stdout.write(f"{purge_expired()} expired exports removed")
