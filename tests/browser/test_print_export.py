"""In a real browser: the Student List's Print & Export -> Export Summary to Excel shows its
progress in place, the download starts by itself when the worker is done, and My downloads
lists the file."""
import pytest
from openpyxl import load_workbook

from tests.integration.conftest import worker  # noqa: F401  (fixture)

from .helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker,
              pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loaded(committed_reference, tmp_path, make_user):  # noqa: F811
    import datetime as dt

    from core_tables.models import CollectionPeriod
    from tests.exports.conftest import generate, upload

    CollectionPeriod.objects.update(is_current=False)
    CollectionPeriod.objects.create(bssy=2025, opens=dt.date(2025, 12, 1), closes=dt.date(2099, 1, 1), is_current=True)
    make_user("E017UPL", "lea-upload", "017")
    assert upload(generate(tmp_path, "017", 30), "E017UPL")["accepted"]
    return make_user("E017INQ", "lea-inquiry", "017")


def test_export_summary_from_the_student_list(loaded, worker, live_server, page, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    from transcripts.models import Student

    sign_in(page, live_server, loaded)
    page.goto("/students/sites/017001/?grade=12")
    page.click("#print-export .dropdown-toggle")
    expect(page.locator("#print-export")).to_contain_text("For the students listed: 017001, grade 12")
    # One menu, plain names: the transcripts are in it too; no guide codes or report titles as items.
    expect(page.locator("main .dropdown-toggle")).to_have_count(1)
    menu = page.locator("#print-export .dropdown-menu")
    for item in ("Summary of the students listed (Excel)", "Official transcripts of the graduates listed",
                 "Students whose name, birth date or SSN is missing from the Secure ID registry"):
        expect(menu).to_contain_text(item)
    expect(menu).not_to_contain_text("No PII found")
    expect(menu).not_to_contain_text("Extract 050")
    shot(page, "student-list-print-export")
    with page.expect_download(timeout=90_000) as download:
        page.click("[data-export='summary.xlsx']")
        status = page.locator("#export-jobs .export-status").first
        expect(status).to_contain_text("Student Summary - 017001, grade 12")
        expect(status).to_contain_text("is ready", timeout=90_000)
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"
    rows = list(load_workbook(path).active.values)
    expected = set(Student.objects.filter(site__code="017001", bssy=2025, grade="12").values_list("state_id", flat=True))
    assert rows[0][0] == "State ID" and {r[0] for r in rows[1:]} == expected
    assert page.url.endswith("/students/sites/017001/?grade=12")  # still on the list
    page.click("nav .dropdown-toggle:has-text('E017INQ')")
    page.click("#menu-my-downloads")
    expect(page.locator("#my-downloads")).to_contain_text("Student Summary - 017001, grade 12")
    expect(page.locator("#my-downloads")).to_contain_text("download")
