"""Rollover (guide, Transcript Year): "Graduates will not be resubmitted the following year.
Non-graduate student records will be rolled-over into the next transcript year."

Every non-graduate of BSSY YYYY (a graduate is a student with a graduation date, kept or removed
by the graduation check: `transcripts.graduates`) is copied with its 030 transcript history and
050 IBCs into YYYY+1, unless the sponsor already has that State ID in YYYY+1 (never
overwritten: the LEA's own record for the new year wins). On the way, parental consent is reset
(guide: consent is "for the current school year and should be locally reset for re-entry every
school year") and the grade placement moves up one (docs/decisions.md). A second run finds every
student already present and changes nothing.

One transaction per sponsor, the sponsor row locked: two runs never copy the same sponsor at once.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from core_tables.models import Sponsor
from sts import jobs
from transcripts.models import Ibc, Student, StudentChange, Transcript
from transcripts.progress_store import recompute

from .models import RolledStudent, Rollover, RolloverSponsor

log = logging.getLogger(__name__)

# Grade placement in the new year (the guide is silent; docs/decisions.md): one up; T9 enters
# grade 9 the following year (guide, Grade 9 entry year of a T9 student); a non-graduate in 12
# stays in 12.
NEXT_GRADE = {"06": "07", "07": "08", "08": "09", "T9": "09", "09": "10", "10": "11", "11": "12", "12": "12"}
GRADUATE = Q(graduation_date__isnull=False) | Q(removed_graduation_date__isnull=False)
SOURCE = "rollover"
COPIED_FIELDS = [f.name for f in Student._meta.concrete_fields
                 if f.name not in ("id", "bssy", "updated_at", "updated_by", "parental_consent", "grade")]
TRANSCRIPT_FIELDS = [f.attname for f in Transcript._meta.concrete_fields if f.name not in ("id", "student")]
IBC_FIELDS = [f.attname for f in Ibc._meta.concrete_fields if f.name not in ("id", "student")]


class RolloverRefused(Exception):
    """A rollover or undo that cannot be done, with the message to show."""


@dataclass
class SponsorPlan:
    sponsor: Sponsor
    would_roll: int = 0
    skipped_graduates: int = 0
    already_present: int = 0

    def to_json(self) -> dict:
        return {"sponsor": self.sponsor.code, "rolled": self.would_roll, "skipped_graduates": self.skipped_graduates,
                "already_present": self.already_present}


@dataclass
class Plan:
    from_bssy: int
    sponsors: list[SponsorPlan] = field(default_factory=list)

    def totals(self) -> dict:
        return {"rolled": sum(p.would_roll for p in self.sponsors),
                "skipped_graduates": sum(p.skipped_graduates for p in self.sponsors),
                "already_present": sum(p.already_present for p in self.sponsors)}


def check_bssy(from_bssy) -> int:
    try:
        year = int(from_bssy)
    except (TypeError, ValueError):
        raise RolloverRefused("From BSSY: enter a year such as 2025.") from None
    if not 2000 <= year <= 2098:
        raise RolloverRefused(f"From BSSY: {year} is not a school year STS keeps.")
    return year


def sponsors_of(from_bssy: int, sponsor: Sponsor | None = None):
    """The sponsors with students in `from_bssy` (or the one asked for)."""
    if sponsor is not None:
        return [sponsor]
    return list(Sponsor.objects.filter(students__bssy=from_bssy).distinct().order_by("code"))


def _present_in_next(from_bssy):
    return Exists(Student.objects.filter(bssy=from_bssy + 1, sponsor_id=OuterRef("sponsor_id"),
                                         state_id=OuterRef("state_id")))


def plan(from_bssy: int, sponsor: Sponsor | None = None) -> Plan:
    """The dry run: per sponsor, how many would roll, be skipped as graduates, be already present
    (three counts in one query)."""
    rows = (Student.objects.filter(bssy=from_bssy, **({"sponsor": sponsor} if sponsor else {}))
            .annotate(present=_present_in_next(from_bssy)).values("sponsor_id")
            .annotate(graduates=Count("pk", filter=GRADUATE),
                      present_n=Count("pk", filter=~GRADUATE & Q(present=True)),
                      rolls=Count("pk", filter=~GRADUATE & Q(present=False))))
    by_sponsor = {r["sponsor_id"]: r for r in rows}
    out = Plan(from_bssy)
    for s in sponsors_of(from_bssy, sponsor):
        r = by_sponsor.get(s.pk, {})
        out.sponsors.append(SponsorPlan(s, r.get("rolls", 0), r.get("graduates", 0), r.get("present_n", 0)))
    return out


# --- running ---------------------------------------------------------------------------------------

def take_snapshot_first(from_bssy: int, sponsor: Sponsor | None, by: str) -> str:
    """A snapshot of YYYY before anything is copied, when the snapshots app (harvests) is installed.
    Returns what the snapshot is called, or "" without snapshots."""
    if not apps.is_installed("harvests"):
        return ""
    from harvests.services import snapshot_before  # the harvests app's named function for other apps

    return str(snapshot_before(bssy=from_bssy, sponsor=sponsor, by=by, reason="rollover"))


def run(rollover: Rollover, progress=None) -> dict:
    """Roll every sponsor of the run; `progress(done, total)` after each sponsor. Returns the
    counts (also stored on the row)."""
    sponsors = sponsors_of(rollover.from_bssy, rollover.sponsor)
    totals = {"rolled": 0, "skipped_graduates": 0, "already_present": 0}
    if not rollover.snapshot:
        rollover.snapshot = take_snapshot_first(rollover.from_bssy, rollover.sponsor, rollover.by)
        Rollover.objects.filter(pk=rollover.pk).update(snapshot=rollover.snapshot)
    for done, sponsor in enumerate(sponsors, 1):
        row = roll_sponsor(rollover, sponsor)
        for key in totals:
            totals[key] += getattr(row, key)
        if progress:
            progress(done, len(sponsors))
    return totals


def run_job(rollover: Rollover) -> dict:
    """The rollover's job (sts/jobs.py): every sponsor, progress after each, then the counts. A run
    taken over skips the sponsors this rollover already did."""
    counts = run(rollover, progress=lambda done, total: jobs.progress(rollover, done, total))
    jobs.finish(rollover, "done", counts=counts)
    return counts


def roll_sponsor(rollover: Rollover, sponsor: Sponsor) -> RolloverSponsor:
    """Copy one sponsor's non-graduates not yet in the next BSSY; their progress is computed for
    the new year. Safe to run again (a redelivered task): what is present is left alone."""
    from_bssy, to_bssy = rollover.from_bssy, rollover.to_bssy
    with transaction.atomic():
        Sponsor.objects.select_for_update().filter(pk=sponsor.pk).first()
        existing = RolloverSponsor.objects.filter(rollover=rollover, sponsor=sponsor).first()
        if existing is not None:  # this run already did this sponsor (a retried job)
            return existing
        source = Student.objects.filter(bssy=from_bssy, sponsor=sponsor)
        graduates = source.filter(GRADUATE).count()
        present = set(Student.objects.filter(bssy=to_bssy, sponsor=sponsor).values_list("state_id", flat=True))
        candidates = list(source.exclude(GRADUATE).select_related("site").order_by("pk"))
        to_copy = [s for s in candidates if s.state_id not in present]
        now = timezone.now()
        copies = [Student(bssy=to_bssy, parental_consent=False, grade=NEXT_GRADE.get(s.grade, s.grade),
                          updated_at=now, updated_by=f"rollover #{rollover.pk}",
                          **{f: getattr(s, f) for f in COPIED_FIELDS}) for s in to_copy]
        for c in copies:  # a non-graduate has neither date; nothing of last year's check is carried
            c.removed_graduation_date, c.grad_removal_reasons = None, []
        Student.objects.bulk_create(copies, batch_size=1000)
        # auto_now gave each copy its own moment: one moment, the marker's, tells "not changed since".
        Student.objects.filter(pk__in=[c.pk for c in copies]).update(updated_at=now)
        new_id = {old.pk: new.pk for old, new in zip(to_copy, copies)}
        _copy_children(Transcript, TRANSCRIPT_FIELDS, new_id)
        _copy_children(Ibc, IBC_FIELDS, new_id)
        row = RolloverSponsor.objects.create(rollover=rollover, sponsor=sponsor, rolled=len(copies),
                                             skipped_graduates=graduates,
                                             already_present=len(candidates) - len(copies), rolled_at=now)
        RolledStudent.objects.bulk_create([
            RolledStudent(rollover_sponsor=row, student_id=new.pk, from_bssy=from_bssy, from_site=old.site.code, from_grade=old.grade, rolled_at=now)
            for old, new in zip(to_copy, copies)], batch_size=1000)
        StudentChange.objects.bulk_create([
            StudentChange(bssy=to_bssy, sponsor_id=sponsor.pk, site_id=c.site_id, state_id=c.state_id, by=rollover.by,
                          source=SOURCE, action=f"rolled over from {from_bssy}",
                          detail={"rollover": rollover.pk, "from_grade": old.grade, "grade": c.grade})
            for old, c in zip(to_copy, copies)], batch_size=1000)
        ids = [c.pk for c in copies]
        if ids:
            recompute(ids)  # the new year's stored progress (pages never compute on the fly)
    log.info("Rollover %s: sponsor %s rolled %s", rollover.pk, sponsor.code, row.rolled)
    return row


def _copy_children(model, fields, new_id):
    """Copy the 030 (or 050) rows of the old students onto their copies, 2,000 at a time."""
    old_ids = list(new_id)
    for start in range(0, len(old_ids), 2000):
        rows = model.objects.filter(student_id__in=old_ids[start:start + 2000]).values("student_id", *fields)
        model.objects.bulk_create([model(**{**{f: r[f] for f in fields}, "student_id": new_id[r["student_id"]]})
                                   for r in rows], batch_size=2000)


# --- undo ------------------------------------------------------------------------------------------

def active_rollovers(sponsor, to_bssy: int):
    return RolloverSponsor.objects.filter(sponsor=sponsor, rollover__from_bssy=to_bssy - 1, undone_at__isnull=True,
                                          rolled__gt=0)


def first_change_after(sponsor, to_bssy: int, since):
    """The sponsor's first upload or online change in `to_bssy` after `since` (not the rollover's own
    lines), or None."""
    return (StudentChange.objects.filter(sponsor=sponsor, bssy=to_bssy, at__gt=since).exclude(source=SOURCE)
            .order_by("at", "id").first())


def undo_refusal(sponsor, to_bssy: int) -> str:
    """Why the sponsor's rollover into `to_bssy` cannot be undone ("" when it can)."""
    rows = list(active_rollovers(sponsor, to_bssy))
    if not rows:
        return f"Sponsor {sponsor.code} has no rollover into BSSY {to_bssy} to undo."
    change = first_change_after(sponsor, to_bssy, min(r.rolled_at for r in rows))
    if change is not None:
        return (f"The rollover of sponsor {sponsor.code} can no longer be undone: the sponsor changed its BSSY "
                f"{to_bssy} records on {timezone.localtime(change.at):%m/%d/%Y %H:%M} ({change.source} by {change.by}).")
    return ""


def undo(sponsor, to_bssy: int, *, by: str) -> int:
    """Remove exactly what the sponsor's rollover(s) into `to_bssy` added: the copied students with
    their transcripts, IBCs, progress and the rollover's history lines. Returns the students removed."""
    with transaction.atomic():
        Sponsor.objects.select_for_update().filter(pk=sponsor.pk).first()
        refusal = undo_refusal(sponsor, to_bssy)
        if refusal:
            raise RolloverRefused(refusal)
        rows = list(active_rollovers(sponsor, to_bssy))
        now = timezone.now()
        removed = 0
        for row in rows:
            ids = list(row.students.values_list("student_id", flat=True))
            state_ids = list(Student.objects.filter(pk__in=ids).values_list("state_id", flat=True))
            StudentChange.objects.filter(sponsor=sponsor, bssy=to_bssy, source=SOURCE, state_id__in=state_ids,
                                         detail__rollover=row.rollover_id).delete()
            removed += Student.objects.filter(pk__in=ids).delete()[1].get("transcripts.Student", 0)
            RolloverSponsor.objects.filter(pk=row.pk).update(undone_at=now, undone_by=by[:150],
                                                             undone_students=len(ids))
    return removed


def marker_text(rolled: RolledStudent) -> str:
    return (f"Rolled over from BSSY {rolled.from_bssy} (grade {rolled.from_grade}) on "
            f"{timezone.localtime(rolled.rolled_at):%m/%d/%Y %H:%M} from site {rolled.from_site} by rollover #{rolled.rollover_sponsor.rollover_id}")


def awaiting(students):
    """Rolled students not changed since the rollover: still awaiting this year's file."""
    from django.db.models import F

    return students.filter(rolled__isnull=False, updated_at__lte=F("rolled__rolled_at"))
