from celery import shared_task
from django.conf import settings
from django.db import transaction

from .callbacks import attempt, due_callbacks, record
from .models import Callback


class CallbackNotDelivered(Exception):
    pass


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_callback(self, callback_id):
    """POST the signed status; on failure retry after STS_API_CALLBACK_BACKOFF * 2^n seconds, up to
    STS_API_CALLBACK_TRIES tries, then mark the callback failed (the SIS can still poll)."""
    callback = Callback.objects.select_related("token", "token__user", "upload").filter(pk=callback_id).first()
    if callback is None or callback.status != "pending":
        return callback.status if callback else None
    problem = attempt(callback)
    final = bool(problem) and callback.attempts + 1 >= settings.STS_API_CALLBACK_TRIES
    record(callback, problem, final=final)
    if problem and not final:
        raise self.retry(countdown=settings.STS_API_CALLBACK_BACKOFF * 2 ** (callback.attempts - 1),
                         exc=CallbackNotDelivered(problem))
    return callback.status


@shared_task
def send_due_callbacks():
    """Beat: callbacks of uploads that ended without their task returning (failed by the reaper),
    and deliveries lost with a worker."""
    return queue_due_callbacks()


def queue_due_callbacks(upload_ids=None) -> int:
    """Send the due callbacks (see `callbacks.due_callbacks`) to the workers once committed."""
    due = due_callbacks(upload_ids)
    for pk in due:
        transaction.on_commit(lambda pk=pk: deliver_callback.delay(pk))
    return len(due)
