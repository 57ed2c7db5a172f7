"""The OTS worker: issue or reject a chunk of queued graduates (Celery).

acks_late: a chunk whose worker died is redelivered; `issue_entry` skips entries already
processed and never issues for a certification that is no longer current, so a redelivery
neither duplicates a version nor overwrites a newer one.
"""
from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def issue_transcripts(entry_ids):
    from .services import process_entries

    return process_entries(entry_ids)
