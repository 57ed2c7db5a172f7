"""Online entry routes; included by transcripts/urls.py into the `transcripts` namespace."""
from django.urls import path

from . import views

urlpatterns = [
    path("sites/<str:site_code>/new/", views.add_student, name="add_student"),
    path("sites/<str:site_code>/new/check/", views.check_new_student, name="check_new_student"),
    path("sites/<str:site_code>/registry/", views.registry_lookup, name="registry_lookup"),
    path("sites/<str:site_code>/on-file/", views.on_file_check, name="on_file_check"),
    path("sites/<str:site_code>/overrides/", views.override_report, name="override_report"),
    path("sites/<str:site_code>/deleted/", views.deleted_sets, name="deleted_sets"),
    path("<int:pk>/edit/", views.edit_student, name="edit_student"),
    path("<int:pk>/delete/", views.delete_student, name="delete_student"),
    path("<int:pk>/check/<str:kind>/", views.check_record, name="check_record"),
    path("<int:pk>/check/<str:kind>/<int:record_id>/", views.check_record, name="check_record"),
    path("<int:pk>/transcripts/new/", views.transcript_form, name="add_transcript"),
    path("<int:pk>/transcripts/<int:tid>/", views.transcript_form, name="edit_transcript"),
    path("<int:pk>/transcripts/<int:tid>/delete/", views.transcript_delete, name="delete_transcript"),
    path("<int:pk>/ibcs/new/", views.ibc_form, name="add_ibc"),
    path("<int:pk>/ibcs/<int:iid>/", views.ibc_form, name="edit_ibc"),
    path("<int:pk>/ibcs/<int:iid>/delete/", views.ibc_delete, name="delete_ibc"),
    path("<int:pk>/credentials/", views.credential_upload, name="upload_credential"),
    path("credentials/<int:cid>/", views.credential_file, name="credential"),
    path("credentials/<int:cid>/delete/", views.credential_delete, name="delete_credential"),
    path("deleted/<int:set_id>/restore/", views.restore_set, name="restore_set"),
    path("reassign/", views.reassign, name="reassign"),
    path("reassign/sponsors/", views.sponsor_list, name="sponsor_list"),
]
