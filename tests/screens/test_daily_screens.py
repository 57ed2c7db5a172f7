"""Daily screens (issue 22, item 5): a school-level user is offered "my sites", never the whole
sponsor, and what it gets says so."""
import re

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


def test_the_error_exports_name_fields_as_the_screen_does_and_carry_a_heading(tmp_path, make_user):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from sts.exports import EXPORTERS
    from tests.batch.helpers import course, registry_student, student_record
    from tests.screens.test_upload_report import _report

    coordinator = make_user("E017UPL", "lea-upload", "017")
    sid = registry_student()
    upload = _report(tmp_path, coordinator, student_record(sid, birth_day="45"), course(sid, quality_points="ABC"))
    exporter = EXPORTERS["upload_errors"].bind(coordinator)
    book = load_workbook(exporter.render("xlsx", {"upload": upload.pk}, tmp_path / "e.xlsx"))
    rows = list(book.worksheets[0].values)
    fields = {r[5] for r in rows[1:]}
    assert rows[0][5] == "Field" and fields == {"Day of Birth", "Quality Points Awarded Count"}
    assert not fields & {"birth_day", "quality_points"}
    about = dict(row for row in book["About"].values if len(row) == 2 and row[1] is not None)
    assert about["Sponsor"].startswith("017 ") and about["BSSY"] == "2025-26"
    assert about["Prepared by"] == "E017UPL" and about["Submitted"].endswith("by E017UPL")
    # Both times in the installation's time zone (a UTC "Submitted" would read hours off).
    import datetime as dt

    submitted = dt.datetime.strptime(about["Submitted"][:16], "%m/%d/%Y %H:%M")
    prepared = dt.datetime.strptime(about["Prepared"], "%m/%d/%Y %H:%M")
    assert abs(prepared - submitted) < dt.timedelta(minutes=5)

    pdf = exporter.render("pdf", {"upload": upload.pk}, tmp_path / "e.pdf")
    text = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Sponsor: 017" in text and "BSSY: 2025-26" in text and "Prepared by: E017UPL" in text
    assert "Day of Birth" in text and "birth_day" not in text


def test_a_student_list_export_says_which_sponsor_site_and_year_who_and_when(make_user, current_2025, tmp_path):
    from pypdf import PdfReader

    from sts.exports import EXPORTERS

    make_student("1000000031", "017001")
    user = make_user("E017INQ", "lea-inquiry", "017")
    pdf = EXPORTERS["student_list"].bind(user).render("pdf", {"site": "017001", "bssy": "2025"}, tmp_path / "l.pdf")
    text = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Sponsor: 017" in text and "Site: 017001" in text and "BSSY: 2025-26" in text
    assert "Prepared by: E017INQ" in text and re.search(r"Prepared: \d\d/\d\d/\d{4} \d\d:\d\d", text)


def test_lists_and_searches_show_the_registry_full_name_to_users_who_may_see_it(client, make_user, current_2025):
    from core_tables.models import SecureId, Site

    entry = SecureId.objects.filter(site__code="017001").order_by("unique_id").first()
    partial = make_student(entry.unique_id, "017001", last_name=entry.last_name[:3].upper())
    partial.first_name = entry.first_name[0]
    partial.save()
    full = f"{entry.last_name}, {entry.first_name}"
    list_url = reverse("transcripts:student_list", args=["017001"])
    search_url = reverse("search_student")
    for user in (make_user("E017INQ", "lea-inquiry", "017"), make_user("ELDOE01", "ldoe")):
        client.force_login(user)
        assert full in client.get(list_url).content.decode()
        assert full in client.get(search_url, {"q": entry.last_name[:3], "page": "1"}).content.decode()
        assert full in client.get(reverse("transcripts:student", args=[partial.pk])).content.decode()
    # LOSFA sees the name only with consent Y (the student is not even listed without it).
    client.force_login(make_user("ELOSINQ", "losfa-inquiry"))
    assert full not in client.get(list_url).content.decode()
    partial.parental_consent = True
    partial.save()
    assert full in client.get(list_url).content.decode()
    # The registry moved the student to another sponsor's site: 017's users keep the partial name.
    entry.site, entry.sponsor = Site.objects.get(code="036001"), Site.objects.get(code="036001").sponsor
    entry.save()
    client.force_login(make_user("E017ALL", "lea-all", "017"))
    html = client.get(list_url).content.decode()
    assert full not in html and partial.display_name in html
