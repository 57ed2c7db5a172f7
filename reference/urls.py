from django.urls import path

from . import views

app_name = "reference"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.table_list, name="table"),
    path("<slug:slug>/add/", views.row_edit, name="add"),
    path("<slug:slug>/<int:pk>/", views.row_edit, name="edit"),
    path("<slug:slug>/history/", views.table_history, name="history"),
]
