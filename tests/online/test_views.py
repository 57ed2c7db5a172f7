"""Online entry pages: student list, add (public from the registry, nonpublic in full), edit with
change history, transcripts and IBCs, live checks, permissions and closed periods."""
import datetime as dt
import re

import pytest
from django.urls import reverse

from core_tables.models import CollectionPeriod, SecureId, Site
from transcripts.models import Ibc, Student, StudentChange, StudentProgress, Transcript

from .helpers import BSSY, add_student, ibc_typed, registry_student, student_typed, transcript_typed
from .test_same_edits import online_codes

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"transcripts:{name}", args=args)


# --- student list -------------------------------------------------------------------------------

def test_student_list_offers_add_new_student_and_finds_partial_names(client, editor, site, today):
    sid = registry_student()
    add_student(site, sid, today)
    client.force_login(editor)
    html = client.get(url("student_list", site.code)).content.decode()
    assert url("add_student", site.code) in html and url("override_report", site.code) in html
    # A public student carries the first 3 letters of the last name: the full name finds it.
    html = client.get(url("student_list", site.code), {"q": sid.last_name}).content.decode()
    assert sid.unique_id in html
    assert sid.unique_id not in client.get(url("student_list", site.code), {"q": "Zzzzz"}).content.decode()


def test_inquiry_user_sees_no_add_button_and_cannot_add(client, make_user, open_period, site):
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    assert url("add_student", site.code) not in client.get(url("student_list", site.code)).content.decode()
    assert client.get(url("add_student", site.code)).status_code == 403
    assert client.post(url("add_student", site.code), student_typed(state_id="1")).status_code == 403


def test_student_list_pages_a_large_site(client, editor, site, django_assert_max_num_queries):
    Student.objects.bulk_create([Student(bssy=BSSY, sponsor=site.sponsor, site=site, state_id=f"{i:010d}",
                                         local_id=str(i), first_name="A", last_name="SMI", sex="F", grade="10")
                                 for i in range(3000)])
    # The registry's full names, shown to those who may see them: still no query a row.
    SecureId.objects.bulk_create([SecureId(unique_id=f"{i:010d}", sponsor=site.sponsor, site=site, local_id=str(i),
                                           first_name="Ann", last_name="Smithers", birth_date=dt.date(2009, 1, 1),
                                           sex="F") for i in range(2950, 3000)])
    client.force_login(editor)
    with django_assert_max_num_queries(15):  # the same few queries whatever the site's size
        html = client.get(url("student_list", site.code), {"page": 60, "sort": "grade"}).content.decode()
    assert "Page 60 of 60" in html and "3000 students, 2951–3000 shown" in html
    assert len(re.findall(r'<td class="code"><a href="/students/\d+/">', html)) == 50
    assert html.count("Smithers, Ann") == 50


# --- adding students ----------------------------------------------------------------------------

def test_registry_fills_the_demographics_of_a_public_student(client, editor, site):
    sid = registry_student()
    client.force_login(editor)
    html = client.get(url("registry_lookup", site.code), {"state_id": sid.unique_id}).content.decode()
    assert f">{sid.local_id}<" in html and f">{sid.last_name[:3].upper()}<" in html
    assert f">{sid.birth_date.day:02d}<" in html
    assert "U02 SECURE ID DOES NOT EXIST" in client.get(url("registry_lookup", site.code),
                                                        {"state_id": "9999999999"}).content.decode()
    assert "U01 INVALID SECURE ID" in client.get(url("registry_lookup", site.code), {"state_id": "12"}).content.decode()
    # A student the registry places at another school is not shown here.
    other = registry_student(site="017002")
    assert "U02" in client.get(url("registry_lookup", site.code), {"state_id": other.unique_id}).content.decode()


def test_adding_a_public_student_stores_registry_values_history_and_progress(client, editor, site):
    sid = registry_student()
    client.force_login(editor)
    response = client.post(url("add_student", site.code), student_typed(state_id=sid.unique_id, local_gpa="3.5",
                                                                         rank_position="3", rank_size="120"))
    student = Student.objects.get(state_id=sid.unique_id, bssy=BSSY)
    assert response.status_code == 302 and response.url == url("student", student.pk)
    assert (student.local_id, student.first_name, student.last_name) == (
        sid.local_id, sid.first_name[0].upper(), sid.last_name[:3].upper())
    assert (student.sex, student.birth_day, student.white) == (sid.sex, f"{sid.birth_date.day:02d}", sid.white)
    assert (student.rank_position, student.rank_size, student.local_gpa) == (3, 120, "3.5")
    assert student.updated_by == "E017UPD" and student.site == site
    assert StudentChange.objects.get(state_id=sid.unique_id).action == "student added"
    assert StudentProgress.objects.filter(student=student).exists()
    # The same State ID twice in the BSSY is the batch's duplicate student record.
    again = client.post(url("add_student", site.code), student_typed(state_id=sid.unique_id))
    assert "211" in online_codes(again)


def test_adding_a_nonpublic_student_takes_full_demographics(client, make_user, open_period):
    site = Site.objects.get(code="N52001")
    client.force_login(make_user("EN52UPD", "lea-update", "N52"))
    typed = {k: v for k, v in student_typed(state_id="123456789").items()
             if k not in ("fafsa", "community_service", "biliteracy_seal") and not k.startswith("eoc")}
    typed.update(local_id="NP1", first_name="Marie", middle_name="Claire", last_name="Thibodeaux",
                 birth_date="02/14/2010", sex="F", white="on")
    html = client.get(url("add_student", site.code)).content.decode()
    assert 'name="birth_date"' in html and 'name="fafsa"' not in html
    bad = client.post(url("add_student", site.code), {**typed, "sex": "X", "white": ""})
    assert {"207", "206"} <= online_codes(bad)
    assert client.post(url("add_student", site.code), typed).status_code == 302
    student = Student.objects.get(state_id="123456789")
    assert (student.first_name, student.middle_name, student.last_name) == ("Marie", "Claire", "Thibodeaux")
    assert student.birth_date == dt.date(2010, 2, 14) and student.white and not student.black


# --- editing ------------------------------------------------------------------------------------

def test_editing_records_who_changed_what_and_when(client, editor, site, today):
    student = add_student(site, registry_student(), today)
    client.force_login(editor)
    form = client.get(url("edit_student", student.pk)).content.decode()
    assert re.search(r'name="grade"[^>]*>.*?<option value="10" selected', form, re.S)
    response = client.post(url("edit_student", student.pk), student_typed(grade="11", grade9_entry="2023"))
    assert response.status_code == 302
    change = StudentChange.objects.filter(state_id=student.state_id, action="student updated").get()
    assert change.by == "E017UPD" and change.source == "online"
    assert change.detail["changes"] == {"grade": ["10", "11"], "grade9_entry": ["2024", "2023"]}
    html = client.get(url("student", student.pk)).content.decode()
    history = re.search(r'id="history">.*?</table>', html, re.S).group(0)
    assert "student updated" in history and "E017UPD" in history and "10 → 11" in history


def test_transcripts_are_added_edited_and_deleted_with_history(client, editor, site, today):
    student = add_student(site, registry_student(), today)
    client.force_login(editor)
    assert client.post(url("add_transcript", student.pk), transcript_typed(credit_attempted="0.50",
                                                                          credit_earned="0.50")).status_code == 302
    row = Transcript.objects.get(student=student)
    assert str(row.credit_attempted) == "0.50" and row.course_code == "120101"
    edit = client.get(url("edit_transcript", student.pk, row.pk)).content.decode()
    assert 'value="0.50"' in edit  # shown in the online format
    bad = client.post(url("edit_transcript", student.pk, row.pk), transcript_typed(grade="F", credit_earned="1.00"))
    assert {"311"} <= online_codes(bad)
    assert client.post(url("edit_transcript", student.pk, row.pk), transcript_typed(grade="B")).status_code == 302
    assert Transcript.objects.get(pk=row.pk).grade == "B"
    assert client.post(url("delete_transcript", student.pk, row.pk)).status_code == 302
    assert not Transcript.objects.exists()
    actions = list(StudentChange.objects.filter(state_id=student.state_id).values_list("action", flat=True))
    assert {"transcript added", "transcript updated", "transcript deleted"} <= set(actions)


def test_ibcs_are_added_edited_and_deleted(client, editor, site, today, ibc_code):
    student = add_student(site, registry_student(), today)
    client.force_login(editor)
    html = client.get(url("add_ibc", student.pk)).content.decode()
    assert f'<option value="{ibc_code}"' in html and 'name="vendor"' in html  # IBC matrix and vendor drop-downs
    assert client.post(url("add_ibc", student.pk), ibc_typed(ibc_code)).status_code == 302
    row = Ibc.objects.get(student=student)
    assert (row.site, row.local_id) == (site.code, student.local_id)
    assert client.post(url("edit_ibc", student.pk, row.pk), ibc_typed(ibc_code, pass_fail="F")).status_code == 302
    assert Ibc.objects.get(pk=row.pk).pass_fail == "F"
    assert client.post(url("delete_ibc", student.pk, row.pk)).status_code == 302
    assert not Ibc.objects.exists()


def test_live_check_reports_the_code_of_the_field_left(client, editor, site, today):
    student = add_student(site, registry_student(), today)
    client.force_login(editor)
    check = url("check_record", student.pk, "transcript")
    html = client.post(check, {**transcript_typed(semester="Q9", grade="X"), "_field": "semester"}).content.decode()
    assert "304 INVALID SEMESTER CODE" in html and "305" not in html  # only the field left
    assert "sts-live-error" not in client.post(check, {**transcript_typed(), "_field": "semester"}).content.decode()
    html = client.post(check, {**transcript_typed(credit_earned="12"), "_field": "credit_earned"}).content.decode()
    assert "310 INVALID CREDIT EARNED COUNT" in html
    # A graduation date the records do not support warns that an override will be needed.
    html = client.post(url("check_record", student.pk, "student"),
                       {**student_typed(grade="12", grade9_entry="2022", graduation_date="05/20/2026", fafsa="1",
                                        gee_flag="Y"), "_field": "graduation_date"}).content.decode()
    assert "sts-live-warning" in html and "override" in html
    new = url("check_new_student", site.code)
    assert "208" in client.post(new, {**student_typed(state_id=student.state_id, grade="13"),
                                      "_field": "grade"}).content.decode()


def test_school_user_cannot_open_another_sites_student(client, make_user, open_period, site, today):
    student = add_student(site, registry_student(), today)
    client.force_login(make_user("E017SCH", "school-update", "017", sites=["017002"]))
    assert client.get(url("student", student.pk)).status_code == 403
    assert client.get(url("edit_student", student.pk)).status_code == 403
    assert client.post(url("add_transcript", student.pk), transcript_typed()).status_code == 403


def test_other_lea_user_cannot_edit_a_017_student(client, make_user, open_period, site, today):
    student = add_student(site, registry_student(), today)
    client.force_login(make_user("E036ALL", "lea-all", "036"))
    assert client.get(url("edit_student", student.pk)).status_code == 403
    assert client.post(url("edit_student", student.pk), student_typed(grade="11")).status_code == 403
    assert client.post(url("delete_student", student.pk)).status_code == 403
    assert client.post(url("check_record", student.pk, "student"), {"_field": "grade"}).status_code == 403
    assert Student.objects.get(pk=student.pk).grade == "10"


def test_a_closed_period_refuses_a_save_with_its_message(client, editor, site, today):
    student = add_student(site, registry_student(), today)
    CollectionPeriod.objects.filter(bssy=BSSY).update(closes=today - dt.timedelta(days=1))
    client.force_login(editor)
    html = client.get(url("edit_student", student.pk)).content.decode()
    assert 'id="period-closed"' in html
    response = client.post(url("edit_student", student.pk), student_typed(grade="11", grade9_entry="2023"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"collection period closed {today - dt.timedelta(days=1):%m/%d/%Y}" in html
    assert Student.objects.get(pk=student.pk).grade == "10"
    response = client.post(url("add_transcript", student.pk), transcript_typed())
    assert "collection period closed" in response.content.decode() and not Transcript.objects.exists()
    response = client.post(url("delete_student", student.pk), follow=True)
    assert "collection period closed" in response.content.decode() and Student.objects.filter(pk=student.pk).exists()


@pytest.mark.parametrize("form", ["add_transcript", "add_ibc", "edit_student"])
@pytest.mark.parametrize("data", [{}, {"course_bssy": "", "year_earned": "", "grade": ""}, {"course_bssy": "20x5"}])
def test_a_blank_or_broken_form_is_refused_with_messages_never_a_500(client, editor, site, today, form, data):
    """Found by the fuzz suite: an empty course BSSY crashed the save before the edits could refuse it."""
    student = add_student(site, registry_student(), today)
    client.force_login(editor)
    response = client.post(url(form, student.pk), data)
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode() or "is-invalid" in response.content.decode()
    assert Transcript.objects.filter(student=student).count() == 0
