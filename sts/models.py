import hashlib
import json

from django.conf import settings
from django.db import models

from .jobs import JobModel


class ExportJob(JobModel):
    """A report or export rendered by a worker (never inside a web request), downloaded when done
    and kept until `expires_at` (settings.STS_EXPORT_KEEP_HOURS), then purged with its file. A job
    of the one lifecycle (sts/jobs.py); a large one fans out into `ExportPart`s."""
    JOB_TASK = "sts.tasks.run_export"
    JOB_LABEL = "export"
    STATUSES = [("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")]
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    exporter = models.CharField(max_length=60)
    fmt = models.CharField(max_length=4)  # what was asked: csv | xlsx | pdf | docx | txt
    params = models.JSONField(default=dict)
    # The same request (user, exporter, format, params) while one is queued or running joins it.
    key = models.CharField(max_length=64, db_index=True, blank=True)
    title = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=8, choices=STATUSES, default="queued")
    path = models.CharField(max_length=500, blank=True)
    filename = models.CharField(max_length=200, blank=True)  # what the download is called (.zip for parts)
    size = models.BigIntegerField(null=True, blank=True)
    # A large export renders as parts (e.g. files of 100 students) on several workers, zipped at the end.
    parts = models.JSONField(default=list, blank=True)
    parts_done = models.JSONField(default=list, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)  # records, for the progress bar
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def job_waiting_on_children(self) -> bool:
        return self.export_parts.exclude(status__in=ExportPart.JOB_FINAL).exists()

    @staticmethod
    def key_of(user_id, exporter, fmt, params) -> str:
        text = json.dumps([user_id, exporter, fmt, params], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


class ExportPart(JobModel):
    """One part of a large export (e.g. a file of 100 students), rendered by any worker; the last
    part to finish zips them all and ends the export."""
    JOB_TASK = "sts.tasks.run_export_part"
    JOB_LABEL = "export part"
    STATUSES = ExportJob.STATUSES
    job = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="export_parts")
    index = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=STATUSES, default="queued")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="uniq_export_part")]

    def on_job_failed(self, message):
        from . import jobs

        job = ExportJob.objects.filter(pk=self.job_id).first()
        if job is not None and job.status == job.JOB_RUNNING:
            jobs.fail(job, f"Part {self.index + 1} of the export could not be made: {message}")
