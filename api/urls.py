from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import pages, views

app_name = "api"
urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start script is a file of its own (the split view): the CSP allows no inline script.
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
         name="docs"),
    path("v1/docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"),
         name="redoc"),
    path("v1/uploads/", views.UploadList.as_view(), name="uploads"),
    path("v1/uploads/<int:pk>/", views.UploadDetail.as_view(), name="upload-detail"),
    path("v1/uploads/<int:pk>/errors/", views.UploadErrors.as_view(), name="upload-errors"),
    path("v1/students/", views.StudentList.as_view(), name="students"),
    path("v1/students/<str:state_id>/<int:bssy>/", views.StudentDetail.as_view(), name="student-detail"),
    path("v1/edits/", views.EditList.as_view(), name="edits"),
    path("v1/reference/<str:table>/", views.ReferenceTable.as_view(), name="reference"),
    # Pages (session sign-in): the user's own tokens, revoking from the Security screen, the call log.
    path("tokens/", pages.my_tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.revoke_token, name="revoke"),
    path("calls/", pages.call_log, name="calls"),
]
