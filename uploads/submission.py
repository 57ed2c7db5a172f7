"""Submitting a batch file: the one way in for the Upload page and the REST API (same checks,
same storage, same queue)."""
from django.db import transaction

from sts.accounts import permissions
from sts.accounts.permissions import Action

from .files import base_name, declared_sponsor
from .storage import store_upload


def refusal_before_storing(user, incoming):
    """Why the file is refused before it is stored ('' if it is not): a sponsor code the user may not
    submit for (such a file never enters another sponsor's history)."""
    name = base_name(incoming.name)
    sponsor = declared_sponsor(incoming, name)
    if sponsor and not permissions.can(user, Action.UPLOAD, sponsor=sponsor):
        own = f" ({user.sponsor.code})" if user.sponsor_id else ""
        return (f"{name} is a file of another sponsor: its Sponsor Code (columns 11-13 of the first record) is not "
                f"yours{own}, and you may submit only for your own sponsor. The file was not stored.")
    return ""


def store_and_queue(user, incoming, *, mode, bssy, after_store=None):
    """Store the file as an Upload and queue it for a worker once the transaction commits.
    `after_store(upload)` runs in the same transaction (the API records its Idempotency-Key there)."""
    from .tasks import queue_upload

    with transaction.atomic():
        job = store_upload(user, base_name(incoming.name), incoming.chunks(), mode=mode, bssy=bssy)
        if after_store:
            after_store(job)
        queue_upload(job)
    return job


def bssy_choices(current_bssy):
    """The BSSYs a file may be submitted for: the current one and the five before it."""
    return list(range(current_bssy, current_bssy - 6, -1))
