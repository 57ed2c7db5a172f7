from django.contrib import admin

from sts.admin import CoreTableAdmin, ReferenceAdmin, site

from . import models


@admin.register(models.Sponsor, site=site)
class SponsorAdmin(ReferenceAdmin):
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(models.Site, site=site)
class SiteAdmin(ReferenceAdmin):
    list_display = ("code", "name", "sponsor", "kind")
    list_filter = ("kind", "sponsor__kind")
    search_fields = ("code", "name")


@admin.register(models.CourseCode, site=site)
class CourseCodeAdmin(CoreTableAdmin):
    list_display = ("code", "name", "first_bssy", "last_bssy", "requires_course_name", "ap_type_allowed",
                    "five_point_eligible", "experience_only")
    list_filter = ("requires_course_name", "ap_type_allowed", "five_point_eligible", "experience_only")
    search_fields = ("code", "name")


class CategoryInline(admin.TabularInline):
    model = models.Category
    extra = 0


@admin.register(models.Curriculum, site=site)
class CurriculumAdmin(CoreTableAdmin):
    list_display = ("code", "name", "kind", "units_required", "min_gpa", "first_grad_bssy", "last_grad_bssy")
    inlines = [CategoryInline]


class SetCourseInline(admin.TabularInline):
    model = models.SetCourse
    extra = 0
    autocomplete_fields = ("course",)


@admin.register(models.Category, site=site)
class CategoryAdmin(CoreTableAdmin):
    list_display = ("curriculum", "code", "description", "units_required")
    list_filter = ("curriculum",)
    inlines = [SetCourseInline]


@admin.register(models.SetCourse, site=site)
class SetCourseAdmin(CoreTableAdmin):
    list_display = ("category", "set_code", "course", "units_allowed", "units_required",
                    "effective_grad_bssy", "expiration_grad_bssy")
    list_filter = ("category__curriculum",)
    search_fields = ("course__code", "course__name")
    autocomplete_fields = ("course",)


@admin.register(models.IbcCode, site=site)
class IbcCodeAdmin(ReferenceAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(models.TestVendor, site=site)
class TestVendorAdmin(ReferenceAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(models.CodeValue, site=site)
class CodeValueAdmin(ReferenceAdmin):
    list_display = ("list_name", "code", "name", "active")
    list_filter = ("list_name", "active")
    search_fields = ("code", "name")


class SecureIdChangeInline(admin.TabularInline):
    model = models.SecureIdChange
    extra = 0
    can_delete = False
    readonly_fields = ("changed_at", "changed_by", "changes")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.SecureId, site=site)
class SecureIdAdmin(ReferenceAdmin):
    list_display = ("unique_id", "last_name", "first_name", "sponsor", "site", "local_id", "laa1", "act833")
    list_filter = ("sponsor", "laa1", "act833")
    search_fields = ("unique_id", "last_name", "local_id")
    inlines = [SecureIdChangeInline]

    def save_model(self, request, obj, form, change):
        if change and form.changed_data:
            old = type(obj).objects.get(pk=obj.pk)
            diff = {f: [str(getattr(old, f)), str(getattr(obj, f))] for f in obj.TRACKED
                    if getattr(old, f) != getattr(obj, f)}
            super().save_model(request, obj, form, change)
            if diff:
                models.SecureIdChange.objects.create(secure_id=obj, changed_by=request.user.username, changes=diff)
            return
        super().save_model(request, obj, form, change)


@admin.register(models.CollectionPeriod, site=site)
class CollectionPeriodAdmin(ReferenceAdmin):
    list_display = ("__str__", "opens", "closes", "closed_for_maintenance", "is_current")


@admin.register(models.PriorPeriodRequest, site=site)
class PriorPeriodRequestAdmin(ReferenceAdmin):
    list_display = ("sponsor", "bssy", "requested_by", "requested_at", "status", "access_until")
    list_filter = ("status",)


@admin.register(models.Announcement, site=site)
class AnnouncementAdmin(ReferenceAdmin):
    list_display = ("title", "posted_at", "posted_by", "active")

    def save_model(self, request, obj, form, change):
        obj.posted_by = obj.posted_by or request.user.username
        super().save_model(request, obj, form, change)
