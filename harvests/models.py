"""Harvest deadlines and snapshots.

A snapshot freezes one BSSY of every sponsor as of one instant (one consistent read): the 020
students, 030 transcripts, 050 IBCs, the stored core progress figures the extracts print, and the
sites' certification dates. Frozen rows live in their own tables keyed by snapshot (written with
INSERT ... SELECT, never read into Python), so later uploads, deletions and rollover leave them as
they were. Ranks are not stored: they are a function of the frozen GPAs and are computed from them
(docs/decisions.md, "Snapshots").
"""
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from sts.jobs import JobModel
from transcripts.models import Ibc, Student, Transcript


class Deadline(models.Model):
    """A named harvest deadline of a BSSY (defaults: mid-February, mid-June, mid-September)."""
    bssy = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60, help_text="The snapshot taken at the deadline gets this name.")
    due_at = models.DateTimeField("due")
    created_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["bssy", "due_at", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="uniq_deadline_name")]

    def __str__(self):
        return self.name


class Snapshot(JobModel):
    """A snapshot is a job of the one lifecycle (sts/jobs.py): queued, claimed by a worker, taken
    under a lease, retried on a lost worker or a busy database, done or failed with a message."""
    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    JOB_TASK = "harvests.tasks.run_snapshot"
    JOB_LABEL = "snapshot"
    STATUSES = [(QUEUED, "Queued"), (RUNNING, "Taking"), (DONE, "Taken"), (FAILED, "Failed")]
    TRIGGERS = [("deadline", "Harvest deadline"), ("weekly", "Weekly LOSFA run"), ("ad hoc", "Ad hoc"),
                ("command", "Command line")]
    name = models.CharField(max_length=60, unique=True)
    bssy = models.PositiveSmallIntegerField()
    # A deadline is taken once: a second snapshot of it is refused by this constraint.
    deadline = models.OneToOneField(Deadline, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="snapshot")
    trigger = models.CharField(max_length=10, choices=TRIGGERS)
    requested_by = models.CharField(max_length=150)
    status = models.CharField(max_length=8, choices=STATUSES, default=QUEUED)
    requested_at = models.DateTimeField(auto_now_add=True)
    taken_at = models.DateTimeField(null=True, blank=True)  # the instant of the consistent read
    seconds = models.FloatField(null=True, blank=True)
    students = models.PositiveIntegerField(default=0)
    transcripts = models.PositiveIntegerField(default=0)
    ibcs = models.PositiveIntegerField(default=0)
    consent_n = models.PositiveIntegerField("students without consent", default=0)
    graduates = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return self.name

    @property
    def counts(self) -> dict:
        return {"students": self.students, "transcripts": self.transcripts, "ibcs": self.ibcs,
                "graduates": self.graduates, "consent_n": self.consent_n}


def _frozen(source, skip=("id",)) -> dict:
    """The source model's columns as fields of a frozen table (the same names and types; never
    unique, never related, no auto timestamps: a frozen row is written once, by INSERT ... SELECT)."""
    fields = {}
    for f in source._meta.concrete_fields:
        if f.name in skip or f.is_relation:
            continue
        name, path, args, kwargs = f.deconstruct()
        for key in ("auto_now", "auto_now_add", "unique", "db_index", "primary_key"):
            kwargs.pop(key, None)
        fields[name] = f.__class__(*args, **kwargs)
    return fields


def _frozen_model(name, source, extra, doc, row=True):
    """A frozen table keyed by (snapshot, student, source row): its primary key is its only index
    (no sequence, no second index: 6,000,000 transcript rows are written in one statement) and it
    serves the extracts' look-up of a chunk of students' records."""
    key = ("snapshot", "student_id", "row_id") if row else ("snapshot", "student_id")
    attrs = {"__module__": __name__, "__doc__": doc, "pk": models.CompositePrimaryKey(*key),
             # No database constraint: PostgreSQL checks a deferred foreign key row by row at commit,
             # which cost a statewide snapshot 15 of its 39 s. The rows go with their snapshot
             # through `_drop_frozen_rows`.
             "snapshot": models.ForeignKey(Snapshot, on_delete=models.DO_NOTHING, related_name="+", db_index=False,
                                           db_constraint=False),
             "student_id": models.BigIntegerField(help_text="The student's key in the snapshot (its live pk then)."),
             **({"row_id": models.BigIntegerField(help_text="The record's live pk then.")} if row else {}),
             **extra, **_frozen(source)}
    return type(name, (models.Model,), attrs)


FrozenStudent = _frozen_model("FrozenStudent", Student, {
    "sponsor_code": models.CharField(max_length=3), "site_code": models.CharField(max_length=6),
    # The stored core progress figures (transcripts.StudentProgress and its result's pathway and
    # TOPS award), null where none was stored.
    "overall_gpa": models.DecimalField(max_digits=5, decimal_places=3, null=True),
    "core_gpa": models.DecimalField(max_digits=5, decimal_places=3, null=True),
    "tops_gpa": models.DecimalField(max_digits=5, decimal_places=3, null=True),
    "total_credits": models.DecimalField(max_digits=5, decimal_places=2, null=True),
    "pathway": models.CharField(max_length=2, blank=True, null=True),
    "pathway_complete": models.BooleanField(null=True),
    "award_code": models.CharField(max_length=2, blank=True, null=True),
    "award_eligible": models.BooleanField(null=True),
    "award_gpa": models.CharField(max_length=60, blank=True, null=True),
    "award_units_earned": models.CharField(max_length=60, blank=True, null=True),
    "award_units_required": models.CharField(max_length=60, blank=True, null=True),
}, "A 020 student record, its sponsor and site codes and its stored progress, as of a snapshot.", row=False)
FrozenTranscript = _frozen_model("FrozenTranscript", Transcript, {},
                                 "A 030 transcript record as of a snapshot.")
FrozenIbc = _frozen_model("FrozenIbc", Ibc, {}, "A 050 IBC record as of a snapshot.")


@receiver(pre_delete, sender=Snapshot)
def _drop_frozen_rows(sender, instance, using, **kwargs):
    for model in (FrozenStudent, FrozenTranscript, FrozenIbc):
        model.objects.using(using).filter(snapshot=instance)._raw_delete(using)


class FrozenCertification(models.Model):
    """The certification state of a site with students, as of a snapshot (certification's
    `SiteState` code: never, certified, needs_recertification, uncertified)."""
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")
    sponsor_code = models.CharField(max_length=3)
    site_code = models.CharField(max_length=6)
    state = models.CharField(max_length=24)
    certified_at = models.DateTimeField(null=True)
