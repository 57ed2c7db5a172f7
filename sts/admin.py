"""The admin, for state staff's reference tables. Who may see or change what is asked of
`permissions` (not Django's model permissions), like every other page."""
from django.contrib import admin

from .accounts.permissions import Action, can, is_state_staff


class StsAdminSite(admin.AdminSite):
    site_header = "STS reference tables"
    site_title = "STS administration"
    index_title = "Reference tables"

    def has_permission(self, request):
        return is_state_staff(request.user) and (can(request.user, Action.EDIT_REFERENCE)
                                                  or can(request.user, Action.EDIT_CORE_TABLES))


site = StsAdminSite(name="admin")


class ReferenceAdmin(admin.ModelAdmin):
    """Editable by the holders of `edit_action`; viewable by any state staff with admin access."""
    edit_action = Action.EDIT_REFERENCE

    def has_module_permission(self, request):
        return site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return site.has_permission(request)

    def _may_edit(self, request):
        return can(request.user, self.edit_action)

    def has_add_permission(self, request):
        return self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request)


class CoreTableAdmin(ReferenceAdmin):
    """Core curricula: LOSFA core-table users edit them too. A change makes every stored progress
    result stale, so it queues their recomputation."""
    edit_action = Action.EDIT_CORE_TABLES

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
