from django.core.management.base import BaseCommand, CommandError

from core_tables.csvspec import ReferenceLoadError
from core_tables.loading import load_folder


class Command(BaseCommand):
    help = "Load reference CSV files (sponsors, sites, course codes, Secure IDs, core tables...) from DIR."

    def add_arguments(self, parser):
        parser.add_argument("dir")

    def handle(self, *args, dir, **options):
        try:
            report = load_folder(dir)
        except ReferenceLoadError as exc:
            raise CommandError(f"{exc} (nothing was loaded)") from None
        for file, (added, updated) in report.items():
            self.stdout.write(f"{file}: {added} added, {updated} updated")
        from transcripts.signals import reference_tables_changed
        reference_tables_changed.send(sender=self.__class__)
