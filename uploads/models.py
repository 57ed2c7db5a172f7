from django.conf import settings
from django.db import models

from core_tables.models import Sponsor
from sts.jobs import JobModel


FINISHED = ("complete", "not_accepted", "failed", "superseded")


class Upload(JobModel):
    """A batch file and its run, a job of the one lifecycle (sts/jobs.py): Queued, Processing,
    then Complete, File Not Accepted, Failed or Superseded."""
    JOB_TASK = "uploads.tasks.process_upload"
    JOB_RUNNING = "processing"
    JOB_FINAL = frozenset(FINISHED)
    JOB_LABEL = "upload"
    JOB_WATCHED = True  # a coordinator watches the page: a snapshot gives way meanwhile
    MODES = [("validate", "Validate only"), ("partial", "Update partial list"),
             ("replace", "Delete all records and replace")]
    STATUSES = [("queued", "Queued"), ("processing", "Processing"), ("complete", "Complete"),
                ("not_accepted", "File Not Accepted"), ("failed", "Failed"), ("superseded", "Superseded")]
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, null=True, blank=True, related_name="uploads")
    bssy = models.PositiveSmallIntegerField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploads")
    mode = models.CharField(max_length=8, choices=MODES)
    original_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    today = models.DateField(null=True, blank=True, help_text="Date the edits took as today")
    status = models.CharField(max_length=12, choices=STATUSES, default="queued", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    students_done = models.PositiveIntegerField(default=0)
    students_total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)  # the sts_validate JSON, without the error list
    counts = models.JSONField(default=dict, blank=True)  # loaded / in error per record type
    error_counts = models.JSONField(default=dict, blank=True)  # {code: n}

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Upload {self.pk} {self.original_name}"

    def on_job_failed(self, message):
        # The report reads the outcome from `result`, as for every other ending.
        type(self).objects.filter(pk=self.pk).update(result={"message": message})
        self.result = {"message": message}

    @property
    def percent(self):
        return int(100 * self.students_done / self.students_total) if self.students_total else 0


class UploadError(models.Model):
    """One edit failure (or graduation-date removal) of an upload, with the input record."""
    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="errors")
    line = models.PositiveIntegerField()
    record_type = models.CharField(max_length=4)
    state_id = models.CharField(max_length=10, blank=True)
    site = models.CharField(max_length=6, blank=True)  # the student's site (file's 020, else on file)
    name = models.CharField(max_length=60, blank=True)  # the student's name (file's 020, else on file)
    code = models.CharField(max_length=4, db_index=True)
    field = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    length = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.CharField(max_length=200, blank=True)
    message = models.CharField(max_length=300)
    severity = models.CharField(max_length=16, default="reject")
    record = models.TextField(blank=True)

    class Meta:
        ordering = ["line", "id"]
        indexes = [models.Index(fields=["upload", "state_id"])]


class SponsorYearLock(models.Model):
    """One row per sponsor and BSSY, locked FOR UPDATE while an upload writes: two uploads for the
    same sponsor and BSSY never interleave."""
    sponsor = models.ForeignKey(Sponsor, on_delete=models.CASCADE, related_name="+")
    bssy = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sponsor", "bssy"], name="uniq_sponsor_year_lock")]
