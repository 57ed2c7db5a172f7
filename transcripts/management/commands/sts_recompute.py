"""Recompute and store the core progress results of every student (after a rule or core-table
change, or a deployment that changes how GPAs are computed): synchronously, or by workers.

    python manage.py sts_recompute [--bssy YYYY] [--sponsor S] [--queue]
"""
from django.core.management.base import BaseCommand

from sts.clock import DatedCommand

from transcripts.models import Student
from transcripts.progress_store import recompute
from transcripts.tasks import queue_recompute


class Command(DatedCommand, BaseCommand):
    help = "Recompute the stored progress results (GPAs, categories, awards) of the students selected."

    def add_arguments(self, parser):
        parser.add_argument("--bssy", type=int)
        parser.add_argument("--sponsor")
        parser.add_argument("--queue", action="store_true", help="hand the work to Celery workers in chunks")

    def handle(self, *args, bssy, sponsor, queue, **options):
        students = Student.objects.all()
        if bssy:
            students = students.filter(bssy=bssy)
        if sponsor:
            students = students.filter(sponsor__code=sponsor.upper())
        ids = list(students.order_by("pk").values_list("pk", flat=True))
        if queue:
            queue_recompute(ids)
            self.stdout.write(f"{_students(len(ids))} queued for recomputation.")
        else:
            self.stdout.write(f"{_students(recompute(ids))} recomputed.")


def _students(n):
    return f"{n} student{'' if n == 1 else 's'}"
