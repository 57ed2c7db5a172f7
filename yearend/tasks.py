"""Year-end jobs run by Celery workers, each a job of the one lifecycle (sts/jobs.py): the
rollover, and the recalculation with its parts."""
from celery import shared_task

from sts import jobs


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_rollover(rollover_id):
    from .models import Rollover
    from .rollover import run_job

    jobs.execute(Rollover, rollover_id, run_job)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def start_recalculation(recalculation_id):
    """Cut the selection into parts and queue one task each (so more workers finish it sooner)."""
    from .models import Recalculation
    from .recalculation import fan_out

    jobs.execute(Recalculation, recalculation_id, fan_out)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def recalculate_chunk(chunk_id):
    from .models import RecalculationChunk
    from .recalculation import run_chunk

    jobs.execute(RecalculationChunk, chunk_id, run_chunk)
