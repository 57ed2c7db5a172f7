"""Create the demo signing certificate and key at STS_SIGNING_CERT / STS_SIGNING_KEY when both are
missing (`make run`). Never overwrites; production points the settings at the state's pair."""
from django.conf import settings
from django.core.management.base import BaseCommand

from ...signing import ensure_demo_certificate


class Command(BaseCommand):
    help = "Create a self-signed demo signing certificate for official transcripts if none is configured."

    def handle(self, *args, **o):
        if ensure_demo_certificate():
            self.stdout.write(f"Created a self-signed demo signing certificate {settings.STS_SIGNING_CERT} "
                              "(not the state's: transcripts it signs verify only on this installation).")
        else:
            self.stdout.write(f"Signing certificate: {settings.STS_SIGNING_CERT}")
