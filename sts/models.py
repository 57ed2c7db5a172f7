from django.conf import settings
from django.db import models


class ExportJob(models.Model):
    """A report or export rendered by a worker (never inside a web request), downloaded when done."""
    STATUSES = [("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")]
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    exporter = models.CharField(max_length=60)
    fmt = models.CharField(max_length=4)  # csv | xlsx | pdf | txt
    params = models.JSONField(default=dict)
    title = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=8, choices=STATUSES, default="queued")
    path = models.CharField(max_length=500, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def finished(self):
        return self.status in ("done", "failed")
