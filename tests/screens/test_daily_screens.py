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


def test_the_upload_report_shows_warnings_apart_from_errors_each_message_once_with_its_count(tmp_path, client,
                                                                                           make_user):
    import re

    from tests.batch.helpers import BSSY, course, registry_student, student_record
    from tests.screens.test_upload_report import _report

    coordinator = make_user("E017UPL", "lea-upload", "017")
    graduates = [registry_student(index=i) for i in range(3)]
    records = []
    for sid in graduates:
        records += [student_record(sid, grade="12", grade9_entry=str(BSSY - 3), graduation_date="02202026",
                                   gee_flag="Y", fafsa="1"), course(sid)]
    bad = registry_student(index=3)
    records += [student_record(bad), course(bad, semester="Q9")]
    upload = _report(tmp_path, coordinator, *records, mode="partial")
    client.force_login(coordinator)
    html = client.get(reverse("uploads:detail", args=[upload.pk])).content.decode()

    warnings = re.search(r'id="warnings">(.*?)</ul>', html, re.S).group(1)
    items = re.findall(r'data-warning="(GR\d)"', warnings)
    assert items and len(items) == len(set(items))  # each distinct message once
    assert re.search(r'data-count="3">3 students<', warnings)
    assert "Warnings: 3 students loaded without their graduation date" in warnings
    errors = html.split('id="error-table"')[1].split("</table>")[0]
    assert 'data-code="GR' not in errors and 'data-code="' in errors  # the rejecting error only
    by_code = html.split('id="errors-by-code"')[1].split("</table>")[0]
    assert 'data-code="GR' not in by_code
    # A warning's code lists its students.
    listed = client.get(reverse("uploads:detail", args=[upload.pk]), {"code": items[0]}).content.decode()
    rows = listed.split('id="error-table"')[1].split("</table>")[0]
    assert rows.count(f'data-code="{items[0]}"') == 3
