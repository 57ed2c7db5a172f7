import io

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from core_tables.models import Announcement, CollectionPeriod
from demo.accounts import DEMO_BATCHES, DEMO_BSSY, DEMO_NAMES, DEMO_PASSWORD, DEMO_USERS, demo_email, demo_period
from sts.accounts.models import User
from sts.accounts.services import create_user
from sts.clock import DatedCommand
from transcripts.models import Student


class Command(DatedCommand, BaseCommand):
    help = "Create the demo users, collection period, announcements and students (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for user_id, group, sponsor, sites, _about in DEMO_USERS:
                first, last = DEMO_NAMES.get(user_id, ("", ""))
                create_user(user_id, group, DEMO_PASSWORD, sponsor=sponsor or None,
                            sites=[s for s in sites.split(",") if s], must_change_password=False,
                            first_name=first, last_name=last, email=demo_email(user_id))
            CollectionPeriod.objects.update_or_create(bssy=DEMO_BSSY, defaults=demo_period())
            Announcement.objects.get_or_create(
                title=f"STS is open for the {DEMO_BSSY}-{(DEMO_BSSY + 1) % 100:02d} collection",
                defaults={"body": "Upload your 020, 030 and 050 files from the Upload menu and check the "
                                  "error report after every submission. Certify graduate sites when done.",
                          "posted_by": "ELDOE01"})
        self.stdout.write(f"Demo users ready ({len(DEMO_USERS)}).")
        for sponsor, students, error_rate, user_id in DEMO_BATCHES:
            self._load_students(sponsor, students, error_rate, user_id)

    def _load_students(self, sponsor, students, error_rate, user_id):
        """Demo students arrive the way an LEA's do: a generated SIS file through the upload pipeline."""
        if Student.objects.filter(sponsor__code=sponsor, bssy=DEMO_BSSY).exists():
            return
        from uploads.storage import file_chunks, store_upload
        from uploads.tasks import run_upload

        name = f"demo{sponsor}{DEMO_BSSY}.txt"
        generated = settings.VAR_DIR / "generated" / name
        call_command("generate_batch", "--students", str(students), "--sponsor", sponsor, "--seed", "2025",
                     "--error-rate", str(error_rate), "--bssy", str(DEMO_BSSY), "--out", str(generated),
                     stdout=io.StringIO(), stderr=io.StringIO())
        user = User.objects.get(username=user_id)
        upload = store_upload(user, name, file_chunks(generated), mode="partial", bssy=DEMO_BSSY)
        run = run_upload(upload, synchronous=True)
        self.stdout.write(f"Demo upload {upload.pk} for {sponsor}: {run.total} students, {run.loaded} loaded, "
                          f"{run.rejected} with errors, {len(run.grad_date_removed)} graduation dates removed.")
        # As a coordinator does: Jump Start graduates who lost the date only for want of a credential
        # get their credential PDF uploaded online, then the file is sent again.
        waiting = [r["state_id"] for r in run.grad_date_removed if r["reasons"] == ["6"]]
        if waiting:
            self._upload_credentials(sponsor, waiting, user_id)
            again = store_upload(user, name, file_chunks(generated), mode="partial", bssy=DEMO_BSSY)
            run = run_upload(again, synchronous=True)
            self.stdout.write(f"Demo upload {again.pk} for {sponsor} after {len(waiting)} credentials: "
                              f"{len(run.grad_date_removed)} graduation dates removed.")

    def _upload_credentials(self, sponsor, state_ids, user_id):
        from weasyprint import HTML

        from transcripts.online.services import add_credential

        for student in Student.objects.filter(sponsor__code=sponsor, bssy=DEMO_BSSY, state_id__in=state_ids):
            data = HTML(string=f"<h1>Jump Start credential</h1><p>Demo certificate of {student.display_name} "
                               f"({student.state_id}).</p>").write_pdf()
            add_credential(student, f"credential{student.state_id}.pdf", data, by=user_id)
