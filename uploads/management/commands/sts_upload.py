from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sts.accounts.models import User
from sts.accounts.permissions import Action, can
from sts.clock import parse_today
from uploads.files import declared_sponsor
from uploads.storage import file_chunks, store_upload
from uploads.tasks import run_upload

from ._common import dump


class Command(BaseCommand):
    help = "Run the batch pipeline synchronously as USERID (validate, partial update or replace); print JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--user", required=True, metavar="USERID")
        parser.add_argument("--mode", required=True, choices=["validate", "partial", "replace"])
        parser.add_argument("--bssy", type=int)
        parser.add_argument("--today")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, file, user, mode, bssy, today, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        account = User.objects.filter(username=user.upper()).first()
        if account is None:
            raise CommandError(f"No user {user}.")
        if not can(account, Action.UPLOAD):
            raise CommandError(f"User {account.username} may not upload.")
        with open(path, "rb") as f:
            sponsor = declared_sponsor(f, path.name)
        if sponsor and not can(account, Action.UPLOAD, sponsor=sponsor):
            raise CommandError(f"{path.name} is a file of sponsor {sponsor!r}; {account.username} may not submit for it. "
                               "The file was not stored.")
        # Recorded like a browser upload, so View Uploads lists it with its error report; the
        # pipeline checks the name (letters and digits) and reports it like the Upload screen does.
        upload = store_upload(account, path.name, file_chunks(path), mode=mode, bssy=bssy, today=parse_today(today))
        run = run_upload(upload, synchronous=True)
        dump(self, run.as_json())
