from django.urls import path

from . import views

app_name = "certification"
urlpatterns = [
    path("certify/", views.certify_list, name="certify"),
    path("certify/<str:site_code>/", views.certify_site, name="site"),
    path("transcripts/<int:pk>.pdf", views.transcript_pdf, name="transcript_pdf"),
    path("transcripts/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("search/", views.ots_search, name="search"),
    path("search/merged/", views.ots_bulk, name="bulk"),
    path("sites/<str:site_code>/<str:exporter_name>.<str:fmt>", views.list_export, name="list_export"),
]

# The public verification page (no sign-in), outside the /ots/ prefix.
public_urlpatterns = [
    path("", views.verify, name="page"),
]
