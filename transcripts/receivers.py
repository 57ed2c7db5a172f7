from django.db import transaction
from django.dispatch import receiver

from .signals import reference_tables_changed


@receiver(reference_tables_changed)
def _recompute_when_core_tables_change(sender, **kwargs):
    from .tasks import recompute_all

    transaction.on_commit(lambda: recompute_all.delay())
