"""Background recomputation of stored progress results (Celery): batches of students, each a job
of the one lifecycle (sts/jobs.py)."""
from celery import shared_task
from django.db import transaction

from sts import jobs

CHUNK = 500


@shared_task(acks_late=True, reject_on_worker_lost=True)
def recompute_batch(batch_id):
    from .models import RecomputeBatch

    jobs.execute(RecomputeBatch, batch_id, _recompute)


def _recompute(batch):
    from .progress_store import recompute

    recompute(batch.student_ids)  # computed from the data as it is now: a second run is harmless
    jobs.finish(batch, "done")


def queue_recompute(student_ids):
    """Queue recomputation in batches of CHUNK so several workers share a large upload's students."""
    from .models import RecomputeBatch

    ids = list(student_ids)
    batches = []
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            batch = RecomputeBatch.objects.create(student_ids=ids[start:start + CHUNK],
                                                  **jobs.queued_fields(RecomputeBatch))
            jobs.enqueue(batch)
            batches.append(batch)
    return batches


@shared_task
def recompute_all(bssy=None):
    from .models import Student

    students = Student.objects.all()
    if bssy is not None:
        students = students.filter(bssy=bssy)
    queue_recompute(students.values_list("id", flat=True).order_by("id"))
