"""An upload submitted through the API with a token that names a callback URL: when it ends,
queue the signed status POST (never inside the upload's own work)."""
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from uploads.models import Upload


@receiver(post_save, sender=Upload, dispatch_uid="api-upload-callback")
def upload_saved(sender, instance, **kwargs):
    if not instance.finished:
        return
    from .callbacks import callback_due

    callback = callback_due(instance)
    if callback is not None:
        from .tasks import deliver_callback

        transaction.on_commit(lambda: deliver_callback.delay(callback.pk))
