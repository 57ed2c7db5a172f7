"""Snapshots run by workers, and the beat task that takes them when they are due."""
import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core_tables.periods import current_bssy
from sts import jobs

from . import services
from .models import Snapshot

log = logging.getLogger(__name__)


def enqueue(snapshot: Snapshot) -> None:
    jobs.enqueue(snapshot)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_snapshot(snapshot_id):
    jobs.execute(Snapshot, snapshot_id, services.take)


@shared_task
def take_due_snapshots(now=None):
    """Beat (every minute): a snapshot for each deadline whose time has come, and the weekly
    LOSFA run on its weekday (settings.STS_LOSFA_WEEKDAY, 0 Monday .. 6 Sunday; Tuesday by
    default) from STS_LOSFA_HOUR on. A deadline or a weekly run is taken once (unique names)."""
    now = now or timezone.now()
    queued = []
    for deadline in services.due_deadlines(now):
        try:
            with transaction.atomic():
                snapshot = services.request_snapshot(deadline.name, deadline.bssy, by="scheduler",
                                                     trigger="deadline", deadline=deadline)
                enqueue(snapshot)
            queued.append(snapshot.name)
        except services.SnapshotRefused as exc:
            log.warning("deadline %s: %s", deadline.name, exc)
    local = timezone.localtime(now)
    if local.weekday() == settings.STS_LOSFA_WEEKDAY and local.hour >= settings.STS_LOSFA_HOUR:
        name = services.weekly_name(local.date())
        if not Snapshot.objects.filter(name=name).exists():
            try:
                with transaction.atomic():
                    snapshot = services.request_snapshot(name, current_bssy(local.date()), by="scheduler",
                                                         trigger="weekly")
                    enqueue(snapshot)
                queued.append(name)
            except services.SnapshotRefused:
                pass  # another beat took it a moment ago
    return queued
