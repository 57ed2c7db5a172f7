from django.urls import include, path

from . import views
from .admin import site as admin_site

urlpatterns = [
    path("", views.home, name="home"),
    path("bssy/", views.select_bssy, name="select_bssy"),
    path("bssy/current/", views.reset_bssy, name="reset_bssy"),
    path("search/", views.search_student, name="search_student"),
    path("help/", views.help_index, name="help"),
    path("accounts/", include("sts.accounts.urls")),
    path("tables/", include("core_tables.urls")),
    path("students/", include("transcripts.urls")),
    path("admin/", admin_site.urls),
]
