"""Background recomputation of stored progress results (Celery)."""
from celery import shared_task

CHUNK = 500


@shared_task(acks_late=True)
def recompute_progress(student_ids):
    from .progress_store import recompute

    return recompute(student_ids)


def queue_recompute(student_ids):
    """Queue recomputation in chunks so several workers share a large upload's students."""
    ids = list(student_ids)
    for start in range(0, len(ids), CHUNK):
        recompute_progress.delay(ids[start:start + CHUNK])


@shared_task
def recompute_all(bssy=None):
    from .models import Student

    students = Student.objects.all()
    if bssy is not None:
        students = students.filter(bssy=bssy)
    queue_recompute(students.values_list("id", flat=True).order_by("id"))
