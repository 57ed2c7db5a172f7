import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sts.accounts.models import User
from sts.accounts.permissions import Action, can
from uploads.files import FileRejected, check_name
from uploads.models import Upload
from uploads.tasks import run_upload
from uploads.views import storage_dir

from ._common import dump, parse_today


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
        try:
            name = check_name(path.name)
        except FileRejected:
            name = "upload.txt" if path.suffix.lower() != ".zip" else "upload.zip"  # the pipeline reports the real name
        # Recorded like a browser upload, so View Uploads lists it with its error report.
        upload = Upload.objects.create(user=account, mode=mode, bssy=bssy, original_name=name,
                                       size=path.stat().st_size, stored_path="", today=parse_today(today))
        stored = storage_dir(upload.pk) / name
        shutil.copyfile(path, stored)
        upload.stored_path = str(stored)
        upload.save(update_fields=["stored_path"])
        upload.original_name = path.name  # name checks apply to what the user sent
        run = run_upload(upload, synchronous=True)
        dump(self, run.as_json())
