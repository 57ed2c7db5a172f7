from django.urls import path

from . import views

app_name = "core_tables"
urlpatterns = [
    path("prior-period/", views.prior_requests, name="prior_requests"),
    path("prior-period/<int:pk>/decide/", views.decide_prior_request, name="decide_prior_request"),
]
