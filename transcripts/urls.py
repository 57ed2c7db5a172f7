from django.urls import include, path

from . import progress_views, views

app_name = "transcripts"
urlpatterns = [
    path("sites/", views.site_list, name="site_list"),
    path("sites/<str:site_code>/", views.student_list, name="student_list"),
    path("<int:pk>/", views.student_detail, name="student"),
    path("<int:pk>/progress/", progress_views.student_progress, name="progress"),
    path("reports/", progress_views.reports_index, name="reports"),
    path("reports/<str:site_code>/<str:report>/", progress_views.site_report, name="site_report"),
    path("reports/sponsor/<str:sponsor_code>/<str:report>/", progress_views.sponsor_report, name="sponsor_report"),
    path("", include("transcripts.online.urls")),  # online entry (names in this namespace)
]
