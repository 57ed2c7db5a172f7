"""Online entry (issue 12, item 5): a State ID already on file warns while it is typed and links
the student only for a user who may see it; numeric fields are validated as numbers with a plain
message (and, where a batch file gets a code for the field, that code)."""
import pytest
from django.urls import reverse

from transcripts.online.fields import CREDITS, NUMBER, YEAR, number_problem

from .helpers import add_student, registry_student, student_typed, transcript_typed

pytestmark = pytest.mark.django_db


def _check(client, site_code, state_id):
    response = client.get(reverse("transcripts:on_file_check", args=[site_code]), {"state_id": state_id})
    assert response.status_code == 200
    return response.content.decode()


def test_a_state_id_on_file_warns_and_links_the_student(client, editor, site, today):
    student = add_student(site, registry_student(index=0), today)
    client.force_login(editor)
    html = _check(client, site.code, student.state_id)
    assert 'id="on-file-warning"' in html and "already on file for this sponsor" in html
    assert reverse("transcripts:student", args=[student.pk]) in html and student.display_name in html
    assert _check(client, site.code, registry_student(index=1).unique_id).strip() == ""
    assert _check(client, site.code, student.state_id[:5]).strip() == ""  # only the whole ID is on file
    # The Add New Student form asks while the State ID is typed.
    form = client.get(reverse("transcripts:add_student", args=[site.code])).content.decode()
    assert 'hx-trigger="keyup changed delay:300ms from:#id_state_id' in form
    assert reverse("transcripts:on_file_check", args=[site.code]) in form


def test_a_student_at_another_site_is_not_linked_for_a_school_level_user(client, make_user, editor, today):
    from core_tables.models import Site

    other = Site.objects.select_related("sponsor").get(code="017002")
    student = add_student(other, registry_student(site="017002", index=0), today)
    school = make_user("E017SC1", "school-update", "017", sites=["017001"])
    client.force_login(school)
    html = _check(client, "017001", student.state_id)
    assert "already on file for this sponsor" in html
    assert "017002" not in html and student.display_name not in html and "/students/" not in html
    client.force_login(editor)  # an LEA user sees where it is
    assert "at site 017002" in _check(client, "017001", student.state_id)


@pytest.mark.parametrize("kind,typed,wanted", [
    (YEAR, "2024", ""), (YEAR, "24", "a 4-digit year, like 2024"), (CREDITS, "1.00", ""), (CREDITS, ".5", ""),
    (CREDITS, "1.234", "a number with at most two decimals, like 1.00"), (CREDITS, "abc", "a number with at most"),
    (NUMBER, "3.50", ""), (NUMBER, "3,5", "a number, like 3.50"), (NUMBER, "", ""), (YEAR, "２０２４", "a 4-digit")])
def test_number_fields_say_what_to_type(kind, typed, wanted):
    assert number_problem(kind, typed).startswith(wanted) and bool(number_problem(kind, typed)) == bool(wanted)


def test_a_local_gpa_that_is_not_a_number_is_refused_with_a_plain_message(client, editor, site):
    client.force_login(editor)
    sid = registry_student(index=2)
    response = client.post(reverse("transcripts:add_student", args=[site.code]),
                           student_typed(state_id=sid.unique_id, local_gpa="A+"))
    html = response.content.decode()
    assert response.status_code == 200 and "&#x27;A+&#x27; is not a number; type a number, like 3.50." in html
    response = client.post(reverse("transcripts:add_student", args=[site.code]),
                           student_typed(state_id=sid.unique_id, local_gpa="3.50"))
    assert response.status_code == 302


def test_a_credit_that_is_not_a_number_keeps_the_batch_code(client, editor, site, today):
    student = add_student(site, registry_student(index=3), today)
    client.force_login(editor)
    response = client.post(reverse("transcripts:add_transcript", args=[student.pk]),
                           transcript_typed(credit_attempted="one"))
    html = response.content.decode()
    assert 'data-codes="306"' in html
    assert "306 INVALID CREDIT ATTEMPTED COUNT: &#x27;one&#x27; is not a number; type a number with at most two " \
           "decimals, like 1.00." in html
    # The live check says the same as soon as the field is left.
    live = client.post(reverse("transcripts:check_record", args=[student.pk, "transcript"]),
                       {**transcript_typed(course_bssy="20X4"), "_field": "course_bssy"}).content.decode()
    assert "301 INVALID COURSE BSSY" in live and "a 4-digit year, like 2024" in live
