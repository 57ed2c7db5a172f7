"""Core Progress screen: stored result by default, what-if by htmx (never saved), permissions."""
import re

import pytest
from django.urls import reverse

from transcripts.models import StudentProgress
from transcripts.progress_store import recompute

from .helpers import TU_COURSES, make_student

pytestmark = pytest.mark.django_db


def page(client, student, **params):
    return client.get(reverse("transcripts:progress", args=[student.pk]), params)


def test_student_detail_links_to_core_progress(client, lea_user):
    student = make_student()
    client.force_login(lea_user)
    html = client.get(reverse("transcripts:student", args=[student.pk])).content.decode()
    assert reverse("transcripts:progress", args=[student.pk]) in html


def test_screen_shows_categories_courses_missing_awards_and_reasons(client, lea_user):
    student = make_student(courses=TU_COURSES)
    recompute([student.pk])
    client.force_login(lea_user)
    response = page(client, student)
    assert response.status_code == 200
    html = response.content.decode()
    english = re.search(r'data-category="01">.*?</tr>\s*</table>', html, re.S).group(0)
    assert "120101" in english and ">2023<" in english and ">A<" in english
    assert re.search(r'<tr class="missing" data-category="08">', html)  # Math 4th unit: missing, in bold
    assert re.search(r'<tr class="" data-category="01">', html)
    award = re.search(r'data-award="TC".*?</table>', html, re.S).group(0)
    assert "Opportunity" in award and "Performance" in award and "Honors" in award and "Not eligible" in html
    check = re.search(r'id="graduation-check">.*?</table>', html, re.S).group(0)
    assert "Student does not have at least 23 credits" in check and "missing at least 1 category" in check
    assert 'id="what-if-path"' in html and 'value="CA"' in html and 'value="L1"' in html
    # Every pathway by its name as well as its code.
    options = dict(re.findall(r'<option value="(\w\w)"[^>]*>(.*?)</option>', html))
    assert options["L1"] == "L1 Jump Start Career Diploma (LAA1)"
    assert options["CA"].startswith("CA Jump Start TOPS Tech Career Diploma")


def test_eligible_award_shows_opportunity_and_only_the_gpa_for_honors(client, lea_user):
    grades = {code: "A" for code, _ in TU_COURSES}
    courses = [(code, grades[code]) for code, _ in TU_COURSES] + [
        ("160351", "A"), ("150303", "A"), ("150314", "A"), ("220201", "A"), ("220204", "A")]
    student = make_student(courses=courses)
    recompute([student.pk])
    client.force_login(lea_user)
    html = page(client, student).content.decode()
    assert "Eligible: Opportunity" in html
    assert "Eligible: Honors" not in html and "Eligible: Performance" not in html
    assert "GPA meets the Performance (3.00) / Honors (3.50) minimum; ACT not held in STS" in html
    assert StudentProgress.objects.get(student=student).award_eligible


def test_without_stored_result_the_screen_computes_and_stores_it(client, lea_user):
    student = make_student(courses=TU_COURSES)
    assert not StudentProgress.objects.filter(student=student).exists()
    client.force_login(lea_user)
    assert page(client, student).status_code == 200
    stored = StudentProgress.objects.get(student=student)
    assert stored.result["pathway"]["code"] == "TU" and str(stored.overall_gpa) == "3.571"


def test_what_if_swaps_the_result_and_leaves_the_stored_one_alone(client, lea_user):
    student = make_student(courses=TU_COURSES)
    recompute([student.pk])
    before = StudentProgress.objects.get(student=student)
    client.force_login(lea_user)
    response = client.get(reverse("transcripts:progress", args=[student.pk]), {"path": "CA"},
                          HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html  # the fragment htmx swaps in
    assert "What-if: progress computed" in html and "CA Jump Start TOPS Tech Career Diploma" in html
    assert 'data-award="TJ"' in html
    assert 'data-award="TC"' not in html
    after = StudentProgress.objects.get(student=student)
    assert after.result == before.result and after.computed_at == before.computed_at
    # The declared path again: the stored result, no what-if banner.
    html = page(client, student, path="TU").content.decode()
    assert "What-if: progress computed" not in html and "Stored result of" in html


def test_unknown_what_if_path_is_a_bad_request(client, lea_user):
    student = make_student()
    client.force_login(lea_user)
    assert page(client, student, path="ZZ").status_code == 400


def test_user_of_another_lea_gets_403(client, other_lea_user):
    student = make_student(courses=TU_COURSES)
    client.force_login(other_lea_user)
    assert page(client, student).status_code == 403
    assert page(client, student, path="CA").status_code == 403
    assert not StudentProgress.objects.filter(student=student).exists()


def test_each_gpa_has_one_name_on_the_page_and_the_award_gpa_is_its_own_core(client, lea_user):
    """Issue 12, item 6: "TU core GPA" and "TC core GPA" (the TOPS GPA), never a bare "Core GPA"
    for two different numbers, and the page says why the two core GPAs differ."""
    student = make_student(courses=TU_COURSES)
    recompute([student.pk])
    client.force_login(lea_user)
    html = page(client, student).content.decode()
    assert re.search(r'data-gpa-name="core">TU core GPA<', html)
    assert re.search(r'data-gpa-name="tops">TC core GPA <span[^>]*>\(TOPS GPA\)', html)
    award = re.search(r'data-award="TC".*?</table>', html, re.S).group(0)
    assert "TC core GPA <strong data-award-gpa>" in award and "Minimum TC core GPA" in award
    summary_tops = re.search(r'data-gpa="tops">([^<]*)<', html).group(1)
    assert re.search(r"data-award-gpa>([^<]*)<", award).group(1) == summary_tops  # the same number, the same name
    assert "Core GPA" not in html.replace("TU core GPA", "").replace("TC core GPA", "")
    assert "that is why the two core GPAs differ" in html
    what_if = page(client, student, path="CA").content.decode()
    assert 'data-gpa-name="core">CA core GPA<' in what_if and "TJ core GPA" in what_if
