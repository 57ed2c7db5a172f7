"""Year end (issue 20): rolling a BSSY's non-graduates into the next one, and LDOE's recalculation
of stored progress (STSQ05). Both are long jobs run by Celery workers; their rows keep who
started them, when, and what they did."""
from django.db import models
from django.utils import timezone

from core_tables.models import Site, Sponsor
from sts.jobs import JobModel


STATUSES = [("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")]


class Rollover(JobModel):
    """One run: every sponsor (sponsor None) or one, from BSSY `from_bssy` into the next (a job of
    the one lifecycle, sts/jobs.py)."""
    JOB_TASK = "yearend.tasks.run_rollover"
    JOB_LABEL = "rollover"
    status = models.CharField(max_length=8, choices=STATUSES, default="queued", db_index=True)
    from_bssy = models.PositiveSmallIntegerField()
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict, blank=True)  # {"rolled", "skipped_graduates", "already_present"}
    snapshot = models.CharField(max_length=200, blank=True)  # what the snapshot taken first is called

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def to_bssy(self) -> int:
        return self.from_bssy + 1


class RolloverSponsor(models.Model):
    """What a rollover did for one sponsor: undone as a whole, until the sponsor's first change."""
    rollover = models.ForeignKey(Rollover, on_delete=models.CASCADE, related_name="sponsors")
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="+")
    rolled = models.PositiveIntegerField(default=0)
    skipped_graduates = models.PositiveIntegerField(default=0)
    already_present = models.PositiveIntegerField(default=0)
    rolled_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.CharField(max_length=150, blank=True)
    undone_students = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-rolled_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["rollover", "sponsor"], name="uniq_rollover_sponsor")]


class RolledStudent(models.Model):
    """A student record the rollover added to the new BSSY (the marker: source and date). The
    record still awaits this year's file while the student was not changed since."""
    rollover_sponsor = models.ForeignKey(RolloverSponsor, on_delete=models.CASCADE, related_name="students")
    student = models.OneToOneField("transcripts.Student", on_delete=models.CASCADE, related_name="rolled")
    from_bssy = models.PositiveSmallIntegerField()
    from_site = models.CharField(max_length=6)
    from_grade = models.CharField(max_length=2)
    rolled_at = models.DateTimeField()


class Recalculation(JobModel):
    """STSQ05 Manual GPA Recalculation: the stored progress of the state, a sponsor or a site,
    fanned out over workers in chunks of a bounded number of students (`RecalculationChunk`, each a
    job); the last chunk to finish ends it."""
    JOB_TASK = "yearend.tasks.start_recalculation"
    JOB_LABEL = "recalculation"
    status = models.CharField(max_length=8, choices=STATUSES, default="queued", db_index=True)
    bssy = models.PositiveSmallIntegerField(null=True, blank=True)  # None: every BSSY (the command)
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    total = models.PositiveIntegerField(default=0)  # students
    chunks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def job_waiting_on_children(self) -> bool:
        return self.chunks > 0 and self.parts.exclude(status="done").exists()

    @property
    def scope(self) -> str:
        if self.site_id:
            return f"site {self.site.code}"
        if self.sponsor_id:
            return f"sponsor {self.sponsor.code}"
        return "the state"


class RecalculationChunk(JobModel):
    """At most STS_RECALC_CHUNK students of a recalculation, recomputed by one worker task."""
    JOB_TASK = "yearend.tasks.recalculate_chunk"
    JOB_LABEL = "recalculation part"
    status = models.CharField(max_length=8, choices=STATUSES, default="queued", db_index=True)
    recalculation = models.ForeignKey(Recalculation, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    student_ids = models.JSONField(default=list)

    class Meta:
        ordering = ["index"]
        constraints = [models.UniqueConstraint(fields=["recalculation", "index"], name="uniq_recalculation_chunk")]

    def on_job_failed(self, message: str) -> None:
        """A part that stops for good fails the whole recalculation (it would never finish)."""
        Recalculation.objects.filter(pk=self.recalculation_id, status="running").update(
            status="failed", finished_at=timezone.now(), message=f"Part {self.index + 1} failed: {message}"[:500])


class SponsorRecalculated(models.Model):
    """When a sponsor's stored results of a BSSY were last recalculated (all of them, or a site)."""
    sponsor = models.ForeignKey(Sponsor, on_delete=models.CASCADE, related_name="+")
    bssy = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    by = models.CharField(max_length=150, blank=True)
    scope = models.CharField(max_length=40, blank=True)  # "the state", "sponsor 017", "site 017001", "command"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sponsor", "bssy"], name="uniq_sponsor_recalculated")]
