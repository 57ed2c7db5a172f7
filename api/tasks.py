from celery import shared_task
from django.conf import settings

from .callbacks import attempt, queue_due_callbacks, record
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
