"""The lists and the page shell (issue 12, items 3 and 4; issue 9, item 9): sortable both ways
with an indicator, paged with a page-size choice, filters kept in the URL, searches by prefix
that say when nothing matches; passed IBCs counted, grades 06-08 offered where present, the
Diploma Path linked to its calculation; course names, guide names of code lists, the user guide,
a favicon, a title per screen, refusals that name no other site."""
import re
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core_tables.models import Site
from sts.lists import DESC, Column, Listing, row_listing
from tests.progress_web.helpers import add_course, make_student
from transcripts.models import Ibc

pytestmark = pytest.mark.django_db


@pytest.fixture
def lea(make_user, current_2025):
    return make_user("E017INQ", "lea-inquiry", "017")


def _ids(html, table="student-table"):
    body = html.split(f'id="{table}"')[1].split("</table>")[0]
    return re.findall(r'data-state-id="(\d+)"', body)


def test_a_listing_sorts_both_ways_keeps_the_filters_and_pages(rf=RequestFactory()):
    columns = [Column("name", "Name", ("last_name",)), Column("n", "Count", ("n",), first=DESC, numeric=True),
               Column("note", "Note")]
    listing = Listing(rf.get("/", {"q": "SMI", "grade": "10", "sort": "name", "dir": "desc", "page": "3"}), columns,
                      default="name")
    name, count, note = listing.headers
    assert name.active and name.aria_sort == "descending" and "dir=asc" in name.url and "page=" not in name.url
    assert "q=SMI" in name.url and "grade=10" in name.url  # filters kept
    assert not count.active and "dir=desc" in count.url  # counts sort most first on the first click
    assert note.url == ""  # not sortable
    assert listing.signed == "-name"
    assert "page=4" in listing.page_url(4) and "q=SMI" in listing.page_url(4)
    # A request naming another column or size than the list has falls back to its defaults.
    odd = Listing(rf.get("/", {"sort": "nope", "dir": "sideways", "per_page": "7"}), columns, default="n")
    assert (odd.sort, odd.dir, odd.per_page) == ("n", "desc", 50)
    rows = row_listing(rf.get("/", {"sort": "1", "dir": "desc", "per_page": "50"}), ["Name", "GPA"],
                       [["A", Decimal("3.1")], ["B", None], ["C", Decimal("3.9")]])
    assert [r[0] for r in rows.page] == ["C", "A", "B"]  # empty last either way
    assert rows.headers[1].column.numeric and not rows.headers[0].column.numeric


def test_the_student_list_sorts_both_ways_pages_and_keeps_its_filters(client, lea):
    for i, name in enumerate(["Adams", "Baker", "Clark", "Davis"]):
        make_student(state_id=f"100000000{i}", last_name=name, grade="10")
    client.force_login(lea)
    url = reverse("transcripts:student_list", args=["017001"])
    up = client.get(url, {"sort": "name", "dir": "asc"}).content.decode()
    down = client.get(url, {"sort": "name", "dir": "desc"}).content.decode()
    assert _ids(up) == ["1000000000", "1000000001", "1000000002", "1000000003"] == _ids(down)[::-1]
    assert 'aria-sort="descending"' in down and "bi-caret-down-fill" in down
    paged = client.get(url, {"per_page": "25", "grade": "10", "q": "1000"}).content.decode()
    assert 'name="per_page"' in paged and '<option value="25" selected>' in paged
    head = paged.split("<thead>")[1].split("</thead>")[0]
    assert "grade=10" in head and "q=1000" in head and "per_page=25" in head  # every sort link keeps them
    # Print & Export prints the students in the list's order.
    assert 'name="sort" value="-name"' in down


def test_searches_go_by_prefix_and_say_when_nothing_matches(client, lea):
    make_student(state_id="1234500001", last_name="Smith")
    make_student(state_id="1234500002", last_name="Smithers")
    make_student(state_id="9999900003", last_name="Jones")
    client.force_login(lea)
    url = reverse("transcripts:student_list", args=["017001"])
    assert _ids(client.get(url, {"q": "12345"}).content.decode()) == ["1234500001", "1234500002"]
    assert _ids(client.get(url, {"q": "smi"}).content.decode()) == ["1234500001", "1234500002"]
    assert _ids(client.get(url, {"q": "Jones, A"}).content.decode()) == ["9999900003"]
    none = client.get(url, {"q": "777"}).content.decode()
    assert "No student matches “777” at this site" in none and "No students for this site" not in none
    # The search box of every page: one match opens the student, several are listed, none says so.
    one = client.get(reverse("search_student"), {"q": "99999"})
    assert one.status_code == 302 and one.url.startswith("/students/")
    many = client.get(reverse("search_student"), {"q": "123"}).content.decode()
    assert _ids(many, "search-results") == ["1234500001", "1234500002"]
    assert "No student matches “000”" in client.get(reverse("search_student"), {"q": "000"}).content.decode()


def test_search_finds_no_student_of_a_site_the_user_may_not_see(client, make_user, current_2025):
    make_student(state_id="5550000001", site="017002", last_name="Hidden")
    client.force_login(make_user("E017SC1", "school-update", "017", sites=["017001"]))
    html = client.get(reverse("search_student"), {"q": "555"}).content.decode()
    assert "No student matches" in html and "Hidden" not in html.replace("“555”", "")


def test_ibc_count_counts_passed_ibcs_and_the_path_links_to_its_calculation(client, lea):
    student = make_student(state_id="1000000009")
    for code, result in (("A1", "P"), ("A2", "F"), ("A3", "P")):
        Ibc.objects.create(student=student, ibc_code=code, semester_earned="1", year_earned=2025, pass_fail=result)
    client.force_login(lea)
    html = client.get(reverse("transcripts:student_list", args=["017001"])).content.decode()
    row = html.split('data-state-id="1000000009"')[1].split("</tr>")[0]
    assert re.search(r"<td class=\"text-end\" data-ibcs>2</td>", row)
    assert f'href="{reverse("transcripts:progress", args=[student.pk])}"' in row and ">TU</a>" in row


def test_the_grade_filter_offers_06_to_08_only_where_such_students_exist(client, lea):
    make_student(state_id="1000000011", grade="10")
    client.force_login(lea)
    url = reverse("transcripts:student_list", args=["017001"])

    def offered():
        form = client.get(url).content.decode().split('id="student-search"')[1].split("</form>")[0]
        return re.findall(r'<option value="(\w+)"', form)
    assert offered() == ["T9", "09", "10", "11", "12"]
    make_student(state_id="1000000012", grade="07", grade9_entry=None, path="ND")
    assert offered() == ["07", "T9", "09", "10", "11", "12"]
    assert _ids(client.get(url, {"grade": "07"}).content.decode()) == ["1000000012"]


def test_uploads_and_reports_use_the_same_list(client, make_user, current_2025):
    from uploads.models import Upload

    user = make_user("E017UPL", "lea-upload", "017")
    for name, status in (("b.txt", "complete"), ("a.txt", "not_accepted"), ("c.txt", "complete")):
        Upload.objects.create(user=user, mode="partial", original_name=name, stored_path="/x", status=status)
    client.force_login(user)
    url = reverse("uploads:history")
    by_file = client.get(url, {"sort": "file", "dir": "asc"}).content.decode()
    assert re.findall(r'<a href="/upload/\d+/original/">(\w\.txt)</a>', by_file) == ["a.txt", "b.txt", "c.txt"]
    complete = client.get(url, {"status": "complete", "sort": "file", "dir": "desc"}).content.decode()
    assert re.findall(r'<a href="/upload/\d+/original/">(\w\.txt)</a>', complete) == ["c.txt", "b.txt"]
    assert "status=complete" in complete.split("<thead>")[1].split("</thead>")[0]
    assert "No upload matches the filter." in client.get(url, {"q": "zzz"}).content.decode()


def test_student_detail_shows_the_course_name(client, lea):
    from core_tables.models import CourseCode

    student = make_student(state_id="1000000021")
    add_course(student, "120101")
    named = add_course(student, "160321")
    named.course_name = "ALGEBRA I HONORS"
    named.save()
    client.force_login(lea)
    html = client.get(reverse("transcripts:student", args=[student.pk])).content.decode()
    names = re.findall(r"<td data-course-name[^>]*>([^<]*)</td>", html)
    assert sorted(names) == sorted([CourseCode.objects.get(code="120101").name, "ALGEBRA I HONORS"])
    assert "<title>Student 1000000021 Smith, A · Student Transcript System</title>" in html


def test_help_names_code_lists_as_the_guide_does_and_links_the_user_guide(client, lea, settings):
    from core_tables.codes import ensure_code_lists

    ensure_code_lists()
    client.force_login(lea)
    html = client.get(reverse("help")).content.decode()
    assert "Academic Endorsement Code (020)" in html and "Letter Grade Code (030)" in html
    assert "AcademicEndorsement" not in html and "Academic_endorsement" not in html
    assert reverse("user_guide") in html
    settings.STS_USER_GUIDE_URL = "https://example.org/sts-guide.pdf"
    assert client.get(reverse("user_guide")).url == "https://example.org/sts-guide.pdf"
    menus = client.get(reverse("home")).content.decode()
    assert menus.count(reverse("core_tables:core_reference")) >= 2  # in the Help and the Reports menus


def test_every_page_has_a_favicon_from_this_host_and_its_own_title(client, lea):
    client.force_login(lea)
    home = client.get(reverse("home")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', home).group(1)
    assert icon.startswith("/static/") and icon.endswith(".svg")
    assert client.get("/favicon.ico").url == icon
    titles = {client.get(reverse(name, args=args)).content.decode().split("<title>")[1].split("</title>")[0]
              for name, args in (("home", []), ("transcripts:site_list", []), ("help", []),
                                 ("transcripts:student_list", ["017001"]), ("transcripts:reports", []))}
    assert len(titles) == 5 and all(t.endswith("· Student Transcript System") and not t.startswith("STS ·")
                                    for t in titles)


@pytest.mark.parametrize("who,url", [
    ("school", "/students/sites/017002/"), ("school", "/students/reports/017002/stsq11/"),
    ("other", "/students/sites/017001/"), ("other", "/students/reports/sponsor/017/stsq11/"),
    ("other", "/students/sites/017001/new/"), ("inquiry", "/upload/"),
])
def test_refusals_name_no_other_site_or_sponsor(client, make_user, current_2025, who, url):
    user = {"school": lambda: make_user("E017SC1", "school-update", "017", sites=["017001"]),
            "other": lambda: make_user("E036ALL", "lea-all", "036"),
            "inquiry": lambda: make_user("E017INQ", "lea-inquiry", "017")}[who]()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 403
    alert = response.content.decode().split('class="alert alert-danger"')[1].split("</div>")[0]
    assert not re.search(r"\b(017\d{3}|036\d{3}|017|036)\b", alert.replace(user.username, "")), alert
    assert "you do not have access to" in alert or "may not" in alert


def test_the_403_page_never_echoes_a_site_in_its_message_for_a_student_elsewhere(client, make_user, current_2025):
    student = make_student(state_id="1000000031", site="017002")
    client.force_login(make_user("E017SC1", "school-update", "017", sites=["017001"]))
    response = client.get(reverse("transcripts:student", args=[student.pk]))
    assert response.status_code == 403 and "This student is at a site you do not have access to." in \
        response.content.decode() and "017002" not in response.content.decode().split("<main")[1].split("</main>")[0]
    assert Site.objects.filter(code="017002").exists()
