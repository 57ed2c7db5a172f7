"""Harvest deadlines in the admin (state staff with the harvest right); snapshots are listed,
never edited there (a snapshot is taken by the scheduler, the Harvests page or the command)."""
from django.contrib import admin

from sts.accounts.permissions import Action
from sts.admin import ReferenceAdmin, site

from .models import Deadline, Snapshot


class HarvestAdmin(ReferenceAdmin):
    edit_action = Action.HARVEST


@admin.register(Deadline, site=site)
class DeadlineAdmin(HarvestAdmin):
    list_display = ("name", "bssy", "due_at", "created_by")
    list_filter = ("bssy",)

    def has_change_permission(self, request, obj=None):
        # A deadline whose snapshot is taken is history.
        return super().has_change_permission(request, obj) and not (obj and hasattr(obj, "snapshot"))


@admin.register(Snapshot, site=site)
class SnapshotAdmin(HarvestAdmin):
    list_display = ("name", "bssy", "status", "taken_at", "trigger", "requested_by", "students", "transcripts",
                    "consent_n")
    list_filter = ("bssy", "status", "trigger")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a harvest is history: extracts and reports name it for good
