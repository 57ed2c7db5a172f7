"""Journey: each report of the Reports menu on screen (sortable both ways, paged) and downloaded
from the worker, each file opened."""
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.integration.conftest import worker  # noqa: F401  (fixture: a real worker process)

from .helpers import load_generated, saved, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker,
              pytest.mark.django_db(transaction=True)]


def _download(page, tmp_path, selector):
    with page.expect_download(timeout=90_000) as download:
        page.click(selector)
    return saved(download.value, tmp_path)


def test_each_report_on_screen_and_downloaded(reference, worker, live_server, page, make_user, tmp_path):  # noqa: F811
    from transcripts.models import Student

    make_user("E017UPL", "lea-upload", "017")
    load_generated(tmp_path, "017", 40, "E017UPL")
    at_site = Student.objects.filter(site__code="017001", bssy=2025).count()
    sign_in(page, live_server, make_user("E017INQ", "lea-inquiry", "017"))

    # STSQ11 from the Reports menu, for one site: sorted both ways on the Overall GPA.
    page.goto("/")
    page.click("nav .dropdown-toggle:has-text('Reports')")
    page.click("nav .dropdown-item:has-text('STSQ11 Overall GPA and Class Rank')")
    page.select_option("#report-site", "017001")
    page.click("form button:has-text('Show report')")
    expect(page.locator("h1")).to_have_text("STSQ11 Overall GPA Report")
    expect(page.locator(".sts-count")).to_contain_text(f"{at_site} rows")
    gpa = page.locator("#report-table th", has_text="Overall GPA")
    gpa.locator("a").click()
    expect(page.locator("#report-table th[aria-sort=ascending]")).to_contain_text("Overall GPA")
    page.locator("#report-table th", has_text="Overall GPA").locator("a").click()
    expect(page.locator("#report-table th[aria-sort=descending]")).to_contain_text("Overall GPA")
    column = [h.strip() for h in page.locator("#report-table thead th").all_inner_texts()].index("Overall GPA")
    shown = [t for t in page.locator(f"#report-table tbody tr td:nth-child({column + 1})").all_inner_texts() if t]
    assert shown == sorted(shown, key=float, reverse=True)
    sheet = list(load_workbook(_download(page, tmp_path, "[data-export='stsq11.xlsx']")).active.values)
    assert "Overall GPA" in sheet[0] and len(sheet) - 1 == at_site

    # STSQ08 and STSQ13 (a data element) for the site, STSQ11 for the whole sponsor.
    page.goto("/students/reports/?report=stsq08")
    page.select_option("#report-site", "017001")
    page.click("form button:has-text('Show report')")
    expect(page.locator("h1")).to_have_text("STSQ08 Course Part Number Edit Report")
    expect(page.locator("#report-table")).to_be_visible()
    path = _download(page, tmp_path, "[data-export='stsq08.csv']")
    assert path.read_text(encoding="utf-8-sig").splitlines()[0].startswith(
        page.locator("#report-table thead th").first.inner_text().strip())
    page.goto("/students/reports/017001/stsq13/")
    page.select_option("#element", "career_option")
    expect(page).to_have_url(re.compile(r"element=career_option"))
    expect(page.locator("#report-table thead")).to_contain_text("Career Option")
    text = "".join(p.extract_text() for p in PdfReader(_download(page, tmp_path, "[data-export='stsq13.pdf']")).pages)
    assert "STSQ13" in text
    page.goto("/students/reports/?report=stsq11")
    page.select_option("#report-site", "sponsor:017")
    page.click("form button:has-text('Show report')")
    expect(page.locator(".text-muted", has_text="sponsor 017")).to_be_visible()
    expect(page.locator(".sts-count")).to_contain_text(
        f"{Student.objects.filter(sponsor__code='017', bssy=2025).count()} rows")

    # STSQ12: the core tables of a graduation cohort, on screen and as a PDF.
    page.goto("/")
    page.click("nav .dropdown-toggle:has-text('Reports')")
    page.click("nav .dropdown-item:has-text('STSQ12 TOPS Reference Tables')")
    page.select_option("#stsq12-curriculum", "TC")
    page.click("form button:has-text('Show')")
    expect(page.locator("#report-table tbody tr").first).to_be_visible()
    page.select_option("#per_page-select", "50")
    expect(page.locator("#report-table tbody tr")).to_have_count(50)
    text = "".join(p.extract_text() for p in PdfReader(_download(page, tmp_path, "[data-export='stsq12.pdf']")).pages)
    assert "TC" in text
