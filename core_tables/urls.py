from django.urls import path

from . import browse_views, views

app_name = "core_tables"
urlpatterns = [
    path("prior-period/", views.prior_requests, name="prior_requests"),
    path("prior-period/<int:pk>/decide/", views.decide_prior_request, name="decide_prior_request"),
    path("core/", browse_views.core_reference, name="core_reference"),
    path("core/stsq12/", browse_views.stsq12, name="stsq12"),
]
