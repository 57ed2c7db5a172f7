from django.urls import path

from . import views

app_name = "yearend"
urlpatterns = [
    path("rollover/", views.rollover_page, name="rollover"),
    path("rollover/<int:pk>/", views.rollover_status, name="rollover_status"),
    path("rollover/undo/", views.rollover_undo, name="rollover_undo"),
    path("recalculate/", views.recalculate_page, name="recalculate"),
    path("recalculate/<int:pk>/", views.recalculate_status, name="recalculate_status"),
]
