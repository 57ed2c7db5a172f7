"""The change history of every table state staff edit on their screens."""
from django.conf import settings
from django.db import models


class TableChange(models.Model):
    """One add or change of one row: who, when, and each field's old and new value as the screen
    shows it (kept as text, so the history still reads after the row or its neighbours change)."""
    ACTIONS = [("added", "Added"), ("changed", "Changed"), ("decided", "Decided")]
    table = models.CharField(max_length=40, db_index=True)
    object_pk = models.PositiveIntegerField()
    object_label = models.CharField(max_length=200)
    action = models.CharField(max_length=8, choices=ACTIONS)
    changes = models.JSONField(help_text="{field label: [old, new]}")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["table", "object_pk"], name="table_change_row")]

    def __str__(self):
        return f"{self.table} {self.object_label} {self.action}"
