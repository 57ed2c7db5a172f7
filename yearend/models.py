"""Year end (issue 20): rolling a BSSY's non-graduates into the next one, and LDOE's recalculation
of stored progress (STSQ05). Both are long jobs run by Celery workers; their rows keep who
started them, when, and what they did."""
from django.db import models

from core_tables.models import Site, Sponsor


class JobFields(models.Model):
    """The job lifecycle's fields (named as in sts/jobs.py's JobModel, which replaces this)."""
    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = [(QUEUED, "Queued"), (RUNNING, "Running"), (DONE, "Done"), (FAILED, "Failed")]
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        return self.status in (self.DONE, self.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.status == self.DONE else (100 * self.done // self.total if self.total else 0)


class Rollover(JobFields):
    """One run: every sponsor (sponsor None) or one, from BSSY `from_bssy` into the next."""
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


class Recalculation(JobFields):
    """STSQ05 Manual GPA Recalculation: the stored progress of the state, a sponsor or a site,
    fanned out over workers in chunks of a bounded number of students."""
    bssy = models.PositiveSmallIntegerField(null=True, blank=True)  # None: every BSSY (the command)
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    chunks = models.PositiveIntegerField(default=0)
    done_chunks = models.JSONField(default=list, blank=True)  # indexes of the chunks finished

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def scope(self) -> str:
        if self.site_id:
            return f"site {self.site.code}"
        if self.sponsor_id:
            return f"sponsor {self.sponsor.code}"
        return "the state"


class SponsorRecalculated(models.Model):
    """When a sponsor's stored results of a BSSY were last recalculated (all of them, or a site)."""
    sponsor = models.ForeignKey(Sponsor, on_delete=models.CASCADE, related_name="+")
    bssy = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    by = models.CharField(max_length=150, blank=True)
    scope = models.CharField(max_length=40, blank=True)  # "the state", "sponsor 017", "site 017001", "command"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sponsor", "bssy"], name="uniq_sponsor_recalculated")]
