"""Recompute and store the core progress results of every student (after a rule or core-table
change, or a deployment that changes how GPAs are computed): synchronously, or by workers. The
same path as Reports -> STSQ05 Manual GPA Recalculation (yearend.recalculation).

    python manage.py sts_recompute [--bssy YYYY] [--sponsor S] [--queue]
"""
from django.core.management.base import BaseCommand, CommandError

from core_tables.models import Sponsor
from sts.clock import DatedCommand
from yearend import recalculation


class Command(DatedCommand, BaseCommand):
    help = "Recompute the stored progress results (GPAs, categories, awards) of the students selected."

    def add_arguments(self, parser):
        parser.add_argument("--bssy", type=int)
        parser.add_argument("--sponsor")
        parser.add_argument("--queue", action="store_true", help="hand the work to Celery workers in chunks")

    def handle(self, *args, bssy, sponsor, queue, **options):
        sponsor_row = None
        if sponsor:
            sponsor_row = Sponsor.objects.filter(code=sponsor.strip().upper()).first()
            if sponsor_row is None:
                raise CommandError(f"--sponsor: no sponsor {sponsor!r}.")
        recalc = recalculation.start(bssy=bssy, sponsor=sponsor_row, by="command", queue=queue)
        if queue:
            self.stdout.write(f"Recalculation #{recalc.pk} queued for the workers.")
        else:
            self.stdout.write(f"{_students(recalc.total)} recomputed.")


def _students(n):
    return f"{n} student{'' if n == 1 else 's'}"
