import hashlib
import json

from django.conf import settings
from django.db import models


class ExportJob(models.Model):
    """A report or export rendered by a worker (never inside a web request), downloaded when done
    and kept until `expires_at` (settings.STS_EXPORT_KEEP_HOURS), then purged with its file."""
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
    message = models.CharField(max_length=500, blank=True)
    # A large export renders as parts (e.g. files of 100 students) on several workers, zipped at the end.
    parts = models.JSONField(default=list, blank=True)
    parts_done = models.JSONField(default=list, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)  # records, for the progress bar
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def finished(self):
        return self.status in ("done", "failed")

    @staticmethod
    def key_of(user_id, exporter, fmt, params) -> str:
        text = json.dumps([user_id, exporter, fmt, params], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()
