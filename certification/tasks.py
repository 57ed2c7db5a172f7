"""The OTS worker: issue or reject a batch of queued graduates (Celery), a job of the one
lifecycle (sts/jobs.py).

A batch whose worker died is taken over by the reaper (or redelivered); `issue_entry` skips
entries already processed and never issues for a certification that is no longer current, so a
second run neither duplicates a version nor overwrites a newer one.
"""
from celery import shared_task

from sts import jobs


@shared_task(acks_late=True, reject_on_worker_lost=True)
def issue_batch(batch_id):
    from .models import IssueBatch
    from .services import run_batch

    jobs.execute(IssueBatch, batch_id, run_batch)


@shared_task
def sweep_transcript_files():
    """Celery beat: transcript files no row names and temporary files a killed worker left."""
    from .services import sweep_transcripts

    return sweep_transcripts()
