from django.urls import path

from . import views

app_name = "transcripts"
urlpatterns = [
    path("sites/", views.site_list, name="site_list"),
    path("sites/<str:site_code>/", views.student_list, name="student_list"),
    path("<int:pk>/", views.student_detail, name="student"),
]
