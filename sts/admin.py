"""The Django admin: for superusers only (repairs by whoever runs the installation). State staff
work on their own screens (the reference app), which keep a change history and recalculate stored
progress; the admin offers no bulk delete anywhere."""
from django.contrib import admin

from .accounts.permissions import may_use_admin


class StsAdminSite(admin.AdminSite):
    site_header = "STS administration (superusers)"
    site_title = "STS administration"
    index_title = "Tables"

    def has_permission(self, request):
        return may_use_admin(request.user)


site = StsAdminSite(name="admin")
site.disable_action("delete_selected")


class ReferenceAdmin(admin.ModelAdmin):
    """Every table: superusers only (asked of `permissions`, not Django's model permissions)."""

    def has_module_permission(self, request):
        return may_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return may_use_admin(request.user)

    def has_add_permission(self, request):
        return may_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return may_use_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return may_use_admin(request.user)


class CoreTableAdmin(ReferenceAdmin):
    """Core curricula: a change makes every stored progress result stale, so it queues their
    recomputation (as the state staff's screens do)."""

    def _changed(self):
        from transcripts.signals import reference_tables_changed

        reference_tables_changed.send(sender=type(self))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._changed()
