"""Student reassignment: public to public or nonpublic to nonpublic; copied from another LEA (or a
prior BSSY), moved within the LEA; the Secure ID registry must place a public student first."""
import pytest
from django.urls import reverse

from core_tables.models import SecureId, Site
from transcripts.models import Ibc, Student, StudentChange, Transcript
from transcripts.online import services as S
from transcripts.online.fields import raw_values

from .helpers import BSSY, add_student, ibc_typed, registry_student, student_typed, transcript_typed

pytestmark = pytest.mark.django_db


def post(client, **data):
    return client.post(reverse("transcripts:reassign"), data)


def form(student, to_site, from_bssy=BSSY):
    return {"from_bssy": from_bssy, "from_sponsor": student.sponsor.code, "from_site": student.site.code,
            "state_id": student.state_id, "to_site": to_site}


def with_records(client, student, ibc_code):
    client.post(reverse("transcripts:add_transcript", args=[student.pk]), transcript_typed())
    client.post(reverse("transcripts:add_ibc", args=[student.pk]), ibc_typed(ibc_code))
    assert student.transcripts.count() == 1 and student.ibcs.count() == 1


def test_within_the_lea_the_records_move_once_the_registry_places_the_student(client, editor, site, today, ibc_code):
    sid = registry_student()
    student = add_student(site, sid, today)
    client.force_login(editor)
    with_records(client, student, ibc_code)
    html = post(client, **form(student, "017002")).content.decode()
    assert "U02 SECURE ID DOES NOT EXIST" in html  # eScholar first
    SecureId.objects.filter(pk=sid.pk).update(site=Site.objects.get(code="017002"))
    response = post(client, **form(student, "017002"))
    assert response.status_code == 302 and response.url == reverse("transcripts:student", args=[student.pk])
    moved = Student.objects.get(pk=student.pk)
    assert moved.site.code == "017002" and Student.objects.count() == 1
    assert Ibc.objects.get().site == "017002" and Transcript.objects.get().student_id == student.pk
    actions = set(StudentChange.objects.filter(state_id=sid.unique_id).values_list("action", flat=True))
    assert {"reassigned out", "reassigned in"} <= actions


def test_from_another_lea_the_records_are_copied(client, editor, today, ibc_code):
    site036 = Site.objects.select_related("sponsor").get(code="036001")
    sid = registry_student(site="036001")
    source = add_student(site036, sid, today, by="E036ALL")
    S.save_transcript(source, raw_values("030", "public", transcript_typed(course_sponsor="036",
                                                                          course_site="036001"))[0],
                      by="E036ALL", today=today)
    SecureId.objects.filter(pk=sid.pk).update(sponsor=Site.objects.get(code="017001").sponsor,
                                              site=Site.objects.get(code="017001"))
    client.force_login(editor)
    response = post(client, **form(source, "017001"))
    copy = Student.objects.get(sponsor__code="017", state_id=sid.unique_id)
    assert response.status_code == 302 and copy.pk != source.pk and copy.site.code == "017001"
    assert Student.objects.filter(pk=source.pk, site=site036).exists()  # the other LEA keeps its records
    assert list(copy.transcripts.values_list("course_code", "course_site")) == [("120101", "036001")]
    change = StudentChange.objects.get(state_id=sid.unique_id, sponsor__code="017", action="reassigned in")
    assert change.source == "reassignment" and change.detail["from"]["sponsor"] == "036"
    # Reassigning again finds the student on file: the batch's duplicate student record.
    assert "211 DUPLICATE STUDENT RECORD" in post(client, **form(source, "017001")).content.decode()


def test_from_a_prior_bssy_the_records_are_copied_into_the_current_one(client, editor, site, today):
    sid = registry_student()
    raw, _ = raw_values("020", "public", student_typed(state_id=sid.unique_id, grade="09", grade9_entry="2024"))
    prior = S.save_student(site=site, bssy=BSSY - 1, raw=raw, by="E017UPD", today=today).student
    client.force_login(editor)
    response = post(client, **form(prior, "017001", from_bssy=BSSY - 1))
    assert response.status_code == 302
    assert set(Student.objects.filter(state_id=sid.unique_id).values_list("bssy", flat=True)) == {BSSY - 1, BSSY}


def test_public_to_nonpublic_is_refused_and_unknown_students_are_reported(client, make_user, open_period, site, today):
    student = add_student(site, registry_student(), today)
    client.force_login(make_user("EN52UPD", "lea-update", "N52"))
    html = post(client, **form(student, "N52001")).content.decode()
    assert "only public/charter to public/charter or nonpublic to nonpublic" in html
    html = post(client, **{**form(student, "N52001"), "state_id": "0000000001"}).content.decode()
    assert "No student 0000000001 at site 017001" in html
    assert Student.objects.count() == 1


def test_reassignment_targets_only_sites_the_user_may_update(client, make_user, open_period, site, today):
    student = add_student(site, registry_student(), today)
    client.force_login(make_user("E017SCH", "school-update", "017", sites=["017002"]))
    html = post(client, **form(student, "017003")).content.decode()
    assert "Select a valid choice" in html
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    assert client.get(reverse("transcripts:reassign")).status_code == 403
    assert "036" in client.get(reverse("transcripts:sponsor_list")).content.decode()
