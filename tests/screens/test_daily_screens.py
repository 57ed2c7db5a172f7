"""Daily screens (issue 22, item 5): a school-level user is offered "my sites", never the whole
sponsor, and what it gets says so."""
import pytest
from django.urls import reverse

from tests.progress_web.helpers import make_student

pytestmark = pytest.mark.django_db


def test_a_school_level_user_is_offered_my_sites_not_the_whole_sponsor(client, make_user, current_2025):
    make_student("1000000011", "017001")
    make_student("1000000012", "017002")
    school = make_user("E017SC1", "school-update", "017", sites=["017001"])
    client.force_login(school)
    picker = client.get(reverse("transcripts:reports")).content.decode()
    assert "My sites (017001) (STSQ11, STSQ13)" in picker and "Whole sponsor" not in picker
    report = client.get(reverse("transcripts:sponsor_report", args=["017", "stsq11"])).content.decode()
    assert "my sites (017001)" in report and "sponsor 017" not in report
    assert "1000000011" in report and "1000000012" not in report
    # An LEA user still has the whole sponsor.
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    picker = client.get(reverse("transcripts:reports")).content.decode()
    assert "Whole sponsor 017" in picker and "My sites" not in picker
