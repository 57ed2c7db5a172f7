from django.core.management.base import BaseCommand

from demo.accounts import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo sign-ins."

    def handle(self, *args, **options):
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD})")
        for user_id, group, sponsor, sites, about in DEMO_USERS:
            self.stdout.write(f"  {user_id:8} {group:18} {sponsor or 'state':6} {about}")
        self.stdout.write("")
