from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from certification.urls import public_urlpatterns

from . import export_views, views
from .admin import site as admin_site

urlpatterns = [
    path("", views.home, name="home"),
    path("bssy/", views.select_bssy, name="select_bssy"),
    path("bssy/current/", views.reset_bssy, name="reset_bssy"),
    path("search/", views.search_student, name="search_student"),
    path("help/", views.help_index, name="help"),
    path("help/guide/", views.user_guide, name="user_guide"),
    path("favicon.ico", RedirectView.as_view(url=static("sts/favicon.svg"))),
    path("exports/", export_views.my_downloads, name="my_downloads"),
    path("exports/<int:pk>/", export_views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("exports/new/<str:exporter_name>.<str:fmt>", export_views.export_request, name="export_request"),
    path("accounts/", include("sts.accounts.urls")),
    path("tables/", include("core_tables.urls")),
    path("reference/", include("reference.urls")),
    path("upload/", include("uploads.urls")),
    path("students/", include("transcripts.urls")),
    path("ots/", include("certification.urls")),
    path("state/", include("harvests.urls")),

    path("yearend/", include("yearend.urls")),
    path("verify/", include((public_urlpatterns, "verify"))),
    path("api/", include("api.urls")),
    path("admin/", admin_site.urls),
]

handler400 = "sts.views.bad_request"
handler403 = "sts.views.permission_denied"
handler404 = "sts.views.page_not_found"
