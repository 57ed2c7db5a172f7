from django.contrib import admin

from sts.admin import ReferenceAdmin, site

from .models import SiteAccess, User


class SiteAccessInline(admin.TabularInline):
    model = SiteAccess
    extra = 0


@admin.register(User, site=site)
class UserAdmin(ReferenceAdmin):
    list_display = ("username", "sts_group", "sponsor", "locked", "failed_signins", "last_login")
    list_filter = ("sts_group", "locked")
    search_fields = ("username", "last_name")
    fields = ("username", "first_name", "last_name", "email", "sts_group", "sponsor", "is_active",
              "locked", "failed_signins", "must_change_password", "last_login")
    readonly_fields = ("last_login",)
    inlines = [SiteAccessInline]
