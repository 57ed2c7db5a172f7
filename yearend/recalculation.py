"""STSQ05 Manual GPA Recalculation ("run by LDOE"): recompute the stored progress of the state, a
sponsor or a site, e.g. after a core-table change. The selection is cut into parts of at most
STS_RECALC_CHUNK students, each a job (`RecalculationChunk`) run by one Celery task, so more
worker processes finish it sooner; each part is `progress_store.recompute`, the same computation
as everywhere else, so the stored results do not depend on how many workers shared the job. The
last part to finish ends the recalculation. `sts_recompute` goes the same way.
"""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sts import jobs
from transcripts.models import Student
from transcripts.progress_store import recompute

from .models import Recalculation, RecalculationChunk, SponsorRecalculated


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


def fan_out(recalc: Recalculation, *, in_process: bool = False) -> int:
    """The recalculation's job: its parts, queued (or, `in_process`, run here one after the other).
    A run taken over makes the parts it did not make yet and leaves the others alone. Returns the
    number of parts."""
    ids = list(students_of(recalc).order_by("pk").values_list("pk", flat=True))
    size = chunk_size()
    parts = [ids[i:i + size] for i in range(0, len(ids), size)]
    with transaction.atomic():
        Recalculation.objects.filter(pk=recalc.pk).update(total=len(ids), chunks=len(parts))
        recalc.total, recalc.chunks = len(ids), len(parts)
        if not parts:
            _finish(recalc)
            return 0
        made = set(recalc.parts.values_list("index", flat=True))
        for index, part in enumerate(parts):
            if index in made:
                continue
            chunk = RecalculationChunk.objects.create(recalculation=recalc, index=index, student_ids=part,
                                                      **jobs.queued_fields(RecalculationChunk))
            if not in_process:
                jobs.enqueue(chunk)
    if in_process:
        for pk in recalc.parts.filter(status="queued").values_list("pk", flat=True):
            jobs.execute(RecalculationChunk, pk, run_chunk)
    return len(parts)


def run_chunk(chunk: RecalculationChunk) -> int:
    """One part's job: recompute its students, then end it; the last part ends the recalculation.
    A part run twice recomputes twice (harmless) and is counted once (it ends once)."""
    done = recompute(chunk.student_ids)
    with transaction.atomic():
        recalc = Recalculation.objects.select_for_update().get(pk=chunk.recalculation_id)
        if jobs.finish(chunk, "done") and recalc.status == Recalculation.JOB_RUNNING:
            parts = recalc.parts.all()
            finished = sum(len(ids) for ids in parts.filter(status="done").values_list("student_ids", flat=True))
            jobs.progress(recalc, finished, recalc.total)
            if not parts.exclude(status="done").exists():
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
    jobs.finish(recalc, "done")


def start(*, bssy, sponsor=None, site=None, by: str, queue: bool = True) -> Recalculation:
    """A recalculation, queued for the workers (the page, `sts_recompute --queue`) or run here part
    by part (`sts_recompute`)."""
    with transaction.atomic():
        recalc = Recalculation.objects.create(bssy=bssy, sponsor=sponsor if site is None else site.sponsor,
                                              site=site, by=by[:150], **jobs.queued_fields(Recalculation))
        if queue:
            jobs.enqueue(recalc)
            return recalc
    jobs.execute(Recalculation, recalc.pk, lambda obj: fan_out(obj, in_process=True))
    recalc.refresh_from_db()
    return recalc


def done_of(recalc: Recalculation) -> int:
    """Students recalculated so far (for the progress bar)."""
    if recalc.finished:
        return recalc.total if recalc.status == "done" else jobs.read_progress(recalc)[0]
    return jobs.read_progress(recalc)[0]


def last_recalculated(bssy: int) -> dict:
    """{sponsor id: SponsorRecalculated} for the page."""
    return {r.sponsor_id: r for r in SponsorRecalculated.objects.filter(bssy=bssy)}
