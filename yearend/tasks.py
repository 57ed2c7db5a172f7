"""Year-end jobs run by Celery workers: the rollover, and the recalculation's chunks."""
from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_rollover(rollover_id):
    from . import lifecycle, rollover
    from .models import Rollover

    def work(obj):
        counts = rollover.run(obj, progress=lambda done, total: lifecycle.progress(obj, done, total))
        lifecycle.finish(obj, Rollover.DONE, counts=counts)
        return counts

    return lifecycle.execute(Rollover, rollover_id, work)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def start_recalculation(recalculation_id):
    """Split the selection into chunks and queue one task each (so more workers finish sooner)."""
    from . import lifecycle, recalculation
    from .models import Recalculation

    return lifecycle.execute(Recalculation, recalculation_id,
                             lambda obj: recalculation.fan_out(obj, recalculate_chunk.delay))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def recalculate_chunk(recalculation_id, index, student_ids):
    from . import recalculation

    return recalculation.run_chunk(recalculation_id, index, student_ids)
