"""STSQ05 Manual GPA Recalculation ("run by LDOE"): recompute the stored progress of the state, a
sponsor or a site, e.g. after a core-table change. The selection is cut into chunks of at most
STS_RECALC_CHUNK students, one Celery task each, so more worker processes finish it sooner; each
chunk is `progress_store.recompute`, the same computation as everywhere else, so the stored
results do not depend on how many workers shared the job. `sts_recompute` goes the same way.
"""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from transcripts.models import Student
from transcripts.progress_store import recompute

from . import lifecycle
from .models import Recalculation, SponsorRecalculated


def chunk_size() -> int:
    return max(1, int(getattr(settings, "STS_RECALC_CHUNK", 200)))


def students_of(recalc: Recalculation):
    students = Student.objects.all()
    if recalc.bssy:
        students = students.filter(bssy=recalc.bssy)
    if recalc.site_id:
        students = students.filter(site_id=recalc.site_id)
    elif recalc.sponsor_id:
        students = students.filter(sponsor_id=recalc.sponsor_id)
    return students


def fan_out(recalc: Recalculation, send) -> int:
    """Cut the selection into chunks and hand each to `send(recalc_id, index, ids)` (a task's
    .delay, or a function in this process). Returns the chunks."""
    ids = list(students_of(recalc).order_by("pk").values_list("pk", flat=True))
    size = chunk_size()
    chunks = [ids[i:i + size] for i in range(0, len(ids), size)]
    Recalculation.objects.filter(pk=recalc.pk).update(total=len(ids), chunks=len(chunks))
    recalc.total, recalc.chunks = len(ids), len(chunks)
    if not chunks:
        _finish(recalc)
        return 0
    for index, chunk in enumerate(chunks):
        send(recalc.pk, index, chunk)
    return len(chunks)


def run_chunk(recalc_id: int, index: int, student_ids) -> int:
    """Recompute one chunk, then count it once (a redelivered chunk recomputes, harmless, and is
    not counted twice); the last chunk finishes the job."""
    done = recompute(student_ids)
    with transaction.atomic():
        recalc = Recalculation.objects.select_for_update().filter(pk=recalc_id).first()
        if recalc is None or index in recalc.done_chunks or recalc.status != Recalculation.RUNNING:
            return done
        recalc.done_chunks = [*recalc.done_chunks, index]
        recalc.done += len(student_ids)
        recalc.save(update_fields=["done_chunks", "done"])
        if len(recalc.done_chunks) >= recalc.chunks:
            _finish(recalc)
    return done


def _finish(recalc: Recalculation):
    """Done: each sponsor of the selection was recalculated now (for the BSSYs it covered)."""
    now = timezone.now()
    pairs = students_of(recalc).order_by().values_list("sponsor_id", "bssy").distinct()
    scope = recalc.scope if recalc.by != "command" else f"command ({recalc.scope})"
    SponsorRecalculated.objects.bulk_create(
        [SponsorRecalculated(sponsor_id=sp, bssy=bssy, at=now, by=recalc.by, scope=scope[:40]) for sp, bssy in pairs],
        update_conflicts=True, unique_fields=["sponsor", "bssy"], update_fields=["at", "by", "scope"])
    lifecycle.finish(recalc, Recalculation.DONE, done=recalc.total)


def start(*, bssy, sponsor=None, site=None, by: str, queue: bool = True) -> Recalculation:
    """A recalculation row, queued for the workers (the page, `sts_recompute --queue`) or run
    here chunk by chunk (`sts_recompute`)."""
    from .tasks import start_recalculation

    with transaction.atomic():
        recalc = Recalculation.objects.create(bssy=bssy, sponsor=sponsor if site is None else site.sponsor,
                                              site=site, by=by[:150])
        if queue:
            lifecycle.enqueue(recalc, start_recalculation)
            return recalc
        recalc.status, recalc.queued_at = Recalculation.QUEUED, timezone.now()
        recalc.save(update_fields=["status", "queued_at"])
    lifecycle.execute(Recalculation, recalc.pk, lambda obj: fan_out(obj, run_chunk))
    recalc.refresh_from_db()
    return recalc


def last_recalculated(bssy: int) -> dict:
    """{sponsor id: SponsorRecalculated} for the page."""
    return {r.sponsor_id: r for r in SponsorRecalculated.objects.filter(bssy=bssy)}
