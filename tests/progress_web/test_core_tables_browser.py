"""Help -> Core Reference Tables, the STSQ12 page and the Reports menu."""
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def browse(client, **params):
    return client.get(reverse("core_tables:core_reference"), params)


def test_tu_category_01_courses_for_cohort_2025(client, lea_user, bssy_2025):
    client.force_login(lea_user)
    html = browse(client, bssy=2025, curriculum="TU", category="01").content.decode()
    table = re.search(r'id="set-courses">.*?</table>', html, re.S).group(0)
    assert re.findall(r'<td class="code">(\d+)</td>', table) == ["120101", "120111"]
    row = re.search(r"<tr><td>01</td><td class=\"code\">120101</td>.*?</tr>", table).group(0)
    assert ">1.0<" in row and ">0.5<" in row and ">2017<" in row
    assert "edit in admin" not in html.lower()


def test_expired_set_course_shows_only_for_its_cohorts(client, lea_user, bssy_2025):
    client.force_login(lea_user)
    cohort = {year: browse(client, bssy=year, curriculum="TU", category="04").content.decode()
              for year in (2019, 2020)}
    assert ">120152<" in cohort[2019] and ">120152<" not in cohort[2020]  # expires with the 2019 cohort
    assert ">120104<" in cohort[2020]


def test_cohort_lists_its_curricula_and_sets_filter(client, lea_user, bssy_2025):
    client.force_login(lea_user)
    html = browse(client, bssy=2025).content.decode()
    assert "curriculum=TU" in html and "curriculum=C4" not in html
    html = browse(client, bssy=2015).content.decode()
    assert "curriculum=C4" in html and "curriculum=TU" not in html
    html = browse(client, bssy=2025, curriculum="TU", category="04", set="03").content.decode()
    table = re.search(r'id="set-courses">.*?</table>', html, re.S).group(0)
    assert set(re.findall(r"<tr><td>(\d+)</td>", table)) <= {"03"}


@pytest.mark.parametrize("user_id, group, sees_edit", [("ELOSCOR", "losfa-core-tables", True),
                                                      ("ELDOE01", "ldoe", True), ("ELOSINQ", "losfa-inquiry", False)])
def test_edit_link_for_core_table_editors(client, make_user, bssy_2025, user_id, group, sees_edit):
    client.force_login(make_user(user_id, group))
    html = browse(client, bssy=2025, curriculum="TU", category="01").content.decode()
    assert ("/reference/categories/" in html) is sees_edit
    assert "/admin/" not in html


def test_help_links_to_the_browser_and_menu_has_reports(client, lea_user, bssy_2025):
    client.force_login(lea_user)
    html = client.get(reverse("help")).content.decode()
    assert reverse("core_tables:core_reference") in html
    assert reverse("transcripts:reports") in html and reverse("core_tables:stsq12") in html


def test_stsq12_page_previews_and_offers_exports(client, other_lea_user, bssy_2025):
    client.force_login(other_lea_user)
    html = client.get(reverse("core_tables:stsq12"), {"bssy": 2025, "curriculum": "TC"}).content.decode()
    assert "120101" in html and "<td>TU</td>" not in html and "<td>TC</td>" in html
    assert reverse("export_request", args=["stsq12", "pdf"]) in html
    assert 'name="curriculum" value="TC"' in html


@pytest.mark.parametrize("url", ["transcripts:reports", "core_tables:core_reference", "core_tables:stsq12"])
def test_pages_use_local_assets_only(client, lea_user, bssy_2025, url):
    client.force_login(lea_user)
    response = client.get(reverse(url))
    assert response.status_code == 200
    assert not re.search(r'(src|href)=["\'](https?:)?//', response.content.decode())


def test_pages_need_sign_in(client):
    for url in ("transcripts:reports", "core_tables:core_reference", "core_tables:stsq12"):
        assert client.get(reverse(url)).status_code == 302
