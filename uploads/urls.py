from django.urls import path

from . import views

app_name = "uploads"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("history/", views.history, name="history"),
    path("replace-scope/", views.replace_scope_fragment, name="replace_scope"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/original/", views.original, name="original"),
    path("<int:pk>/records/<int:error_pk>/", views.record, name="record"),
    path("<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("<int:pk>/undo/", views.undo, name="undo"),
]
