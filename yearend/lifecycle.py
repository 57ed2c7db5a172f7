"""The small part of the job lifecycle the year-end jobs need until sts/jobs.py lands: queue on
commit, claim only a queued row, record progress on the row, finish or fail with a message."""
import logging

from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)


def enqueue(obj, task):
    obj.status, obj.queued_at = obj.QUEUED, timezone.now()
    obj.save(update_fields=["status", "queued_at"])
    pk = obj.pk
    transaction.on_commit(lambda: task.delay(pk))


def execute(model, pk, work):
    """Claim the queued row and run `work(obj)`; a redelivered task finds it claimed and leaves it."""
    now = timezone.now()
    if not model.objects.filter(pk=pk, status=model.QUEUED).update(status=model.RUNNING, claimed_at=now):
        return None
    obj = model.objects.get(pk=pk)
    model.objects.filter(pk=pk).update(attempts=obj.attempts + 1)
    try:
        return work(obj)
    except Exception as exc:  # a bug: fail with a clear message rather than leave it running
        log.exception("%s %s failed", model.__name__, pk)
        finish(obj, model.FAILED, message=f"The job failed ({type(exc).__name__}); the error was logged for support.")
        return None


def progress(obj, done, total):
    type(obj).objects.filter(pk=obj.pk).update(done=done, total=total)
    obj.done, obj.total = done, total


def finish(obj, status, **fields):
    fields = {"status": status, "finished_at": timezone.now(), **fields}
    type(obj).objects.filter(pk=obj.pk).update(**fields)
    for k, v in fields.items():
        setattr(obj, k, v)
