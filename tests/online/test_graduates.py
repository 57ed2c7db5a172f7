"""Item 10: any change to a graduate's data (online or upload) records, per site and BSSY, when
graduate data last changed, so certification can tell a certified site needs recertification."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.batch import helpers as batch
from transcripts.graduates import last_graduate_change, mark_graduate_change, needs_recertification
from transcripts.models import GraduateDataChange
from uploads.pipeline import run_pipeline

from .helpers import (
    BSSY, GRADUATE, PASSING_TU, add_courses, add_student, registry_student, student_typed, transcript_typed,
)

pytestmark = pytest.mark.django_db


def test_marking_keeps_the_latest_change_per_site_and_bssy(site):
    first = timezone.now() - dt.timedelta(hours=2)
    mark_graduate_change([site.pk, site.pk], BSSY, by="A", source="online", at=first)
    mark_graduate_change([site.pk], BSSY, by="B", source="upload #3")
    row = GraduateDataChange.objects.get(site=site, bssy=BSSY)
    assert row.changed_by == "B" and row.changed_at > first
    assert needs_recertification(site.pk, BSSY, certified_at=first)
    assert not needs_recertification(site.pk, BSSY, certified_at=timezone.now())
    assert last_graduate_change(site.pk, BSSY - 1) is None and not needs_recertification(site.pk, BSSY - 1, None)


def test_online_changes_mark_the_site_only_for_graduates(client, editor, site, today):
    student = add_student(site, registry_student(), today, grade="12", grade9_entry="2022")
    add_courses(student, PASSING_TU)
    client.force_login(editor)
    client.post(reverse("transcripts:edit_student", args=[student.pk]), student_typed(grade="12", grade9_entry="2022",
                                                                                     local_gpa="3.0"))
    assert last_graduate_change(site.pk, BSSY) is None  # not a graduate yet
    assert client.post(reverse("transcripts:edit_student", args=[student.pk]),
                       student_typed(**GRADUATE)).status_code == 302
    marked = last_graduate_change(site.pk, BSSY)
    assert marked is not None
    client.post(reverse("transcripts:add_transcript", args=[student.pk]), transcript_typed(code="110104"))
    assert last_graduate_change(site.pk, BSSY) > marked
    assert GraduateDataChange.objects.get(site=site).source == "online"


def test_uploads_mark_the_sites_of_graduates_they_load_or_delete(tmp_path, make_user, open_period, today):
    uploader = make_user("E017UPL", "lea-upload", "017")
    grad, other = registry_student(site="017001"), registry_student(site="017002")
    record = batch.student_record(grad, grade="12", grade9_entry="2022", graduation_date="05202026", fafsa="1",
                                  gee_flag="Y")
    path = batch.write(tmp_path / "a.txt", record, batch.course(grad), batch.student_record(other),
                       batch.course(other))
    run_pipeline(path, path.name, mode="partial", today=today, user=uploader)
    marked = dict(GraduateDataChange.objects.values_list("site__code", "source"))
    assert marked == {"017001": "batch"}  # the graduate's site only
    # Replace mode deleting the (removed-date) graduate marks its site again.
    before = last_graduate_change(GraduateDataChange.objects.get().site_id, BSSY)
    only_other = batch.write(tmp_path / "b.txt", batch.student_record(other), batch.course(other))
    run_pipeline(only_other, only_other.name, mode="replace", today=today, user=uploader)
    assert last_graduate_change(GraduateDataChange.objects.get(site__code="017001").site_id, BSSY) > before
    assert not GraduateDataChange.objects.filter(site__code="017002").exists()
