from django.urls import path

from . import views

app_name = "harvests"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("figures/<str:figure>/<str:sponsor>/", views.figure_rows, name="figure_rows"),
    path("harvests/", views.harvests, name="harvests"),
    path("harvests/snapshots/", views.snapshot_table, name="snapshot_table"),
    path("extracts/", views.extracts, name="extracts"),
    path("reports/<str:report>/", views.statewide_report, name="report"),
]
