"""Journeys of a batch upload, in the browser against a real Celery worker (Redis, PostgreSQL):
upload a generated batch and watch Queued -> Processing -> Complete without a reload; open the
report, a record, filter by code and export the errors in each format, opening each file; and a
bad file refused with a message that says why."""
import csv
import io
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.integration.conftest import worker  # noqa: F401  (fixture: a real worker process)

from .helpers import saved, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker,
              pytest.mark.django_db(transaction=True)]

# Records every state the live status block shows (it is swapped in by htmx, never reloaded).
STATUS_RECORDER = """() => {
  window.__stsPage = "the same page";
  window.__stsStatuses = [];
  const note = () => {
    const block = document.querySelector("#upload-status");
    const status = block && block.dataset.status;
    if (status && window.__stsStatuses[window.__stsStatuses.length - 1] !== status) window.__stsStatuses.push(status);
  };
  note();
  new MutationObserver(note).observe(document.body, {childList: true, subtree: true});
}"""


def _generate(tmp_path, students, error_rate, name):
    out = tmp_path / name
    call_command("generate_batch", "--students", str(students), "--sponsor", "017", "--seed", "12",
                 "--error-rate", str(error_rate), "--out", str(out), stdout=io.StringIO(), stderr=io.StringIO())
    return out


def _submit(page, path, mode):
    page.goto("/upload/")
    expect(page).to_have_title("Upload · Student Transcript System")
    page.set_input_files("#id_file", str(path))
    page.check(f"input[name=mode][value={mode}]")
    page.click("#upload-submit")


def test_upload_a_generated_batch_watch_it_finish_and_work_the_error_report(
        reference, worker, live_server, page, make_user, tmp_path):  # noqa: F811
    from django.db import transaction

    from core_tables.models import Sponsor
    from uploads.models import SponsorYearLock, Upload, UploadError

    user = make_user("E017UPL", "lea-upload", "017")
    path = _generate(tmp_path, 300, 0.08, "gen017300.txt")
    sign_in(page, live_server, user)

    # Queued: no worker is listening yet.
    worker.stop()
    _submit(page, path, "partial")
    expect(page.locator("#upload-status")).to_contain_text("Queued")
    page.evaluate(STATUS_RECORDER)
    upload = Upload.objects.get()
    # Processing: the worker starts and claims the file; the sponsor's year stays locked by
    # another writer for a moment, so the claim is seen before any record is checked.
    lock, _ = SponsorYearLock.objects.get_or_create(sponsor=Sponsor.objects.get(code="017"), bssy=2025)
    with transaction.atomic():
        SponsorYearLock.objects.select_for_update().get(pk=lock.pk)
        worker.start()
        expect(page.locator("#upload-status")).to_contain_text("Processing — counting records…", timeout=45_000)
    # Complete: the report replaces the status in place.
    expect(page.locator("#upload-status")).to_contain_text("Complete", timeout=90_000)
    assert page.evaluate("window.__stsPage") == "the same page"  # never reloaded
    assert page.evaluate("window.__stsStatuses") == ["queued", "processing", "complete"]
    upload.refresh_from_db()
    students = upload.result["students"]
    assert students["rejected"] > 0
    expect(page.locator("#upload-status")).to_contain_text(
        f"{students['total']} students: {students['loaded']} loaded, {students['rejected']} rejected")
    counts = page.locator("#record-counts tr[data-record-type='020']")
    expect(counts.locator("[data-count=rejected]")).to_have_text(str(upload.counts["error_020"]))
    expect(counts.locator("[data-count=loaded]")).to_have_text(str(upload.counts["loaded_020"]))

    # A record: the line as submitted, ruled, its field in error marked, inside the page.
    first = page.locator("#error-table tbody tr[data-code]").first
    first.locator("td").first.locator("a").click()
    viewer = page.locator("#error-table .record-view").first
    expect(viewer).to_be_visible()
    expect(viewer.locator(".rec-ruler").first).to_have_text("····+···10")
    expect(viewer.locator("mark").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    # Errors by code, most first; one code filters the list.
    page.click("#errors-by-code th[data-sort-key=n] a")
    expect(page.locator("#errors-by-code th[data-sort-key=n]")).to_have_attribute("aria-sort", "descending")
    top = page.locator("#errors-by-code tbody tr").first
    code = top.get_attribute("data-code")
    top.locator("td.code a").click()
    expect(page.locator("#code-filter")).to_have_text(code)
    shown = page.locator("#error-table tbody tr[data-code]")
    expected = UploadError.objects.filter(upload=upload, code=code).count()
    expect(shown).to_have_count(min(expected, 100))
    assert set(shown.evaluate_all("rows => rows.map(r => r.dataset.code)")) == {code}

    # Export the errors listed, in each format, and open each file.
    files = {}
    for fmt in ("xlsx", "csv", "pdf"):
        with page.expect_download(timeout=90_000) as download:
            page.click(f"#error-report-exports [data-export='upload_errors.{fmt}']")
        files[fmt] = saved(download.value, tmp_path)
        assert files[fmt].suffix == f".{fmt}"
    book = load_workbook(files["xlsx"]).active
    assert book.freeze_panes == "A2"  # the header stays in view
    sheet = list(book.values)
    assert sheet[0][:5] == ("Line", "Record type", "State ID", "Name", "Code")
    assert {row[4] for row in sheet[1:]} == {code} and len(sheet) - 1 == expected
    assert isinstance(sheet[1][0], int)  # numbers stay numbers
    rows = list(csv.reader(io.StringIO(files["csv"].read_text(encoding="utf-8-sig"))))
    assert [r[4] for r in rows[1:]] == [str(r[4]) for r in sheet[1:]]
    text = "".join(p.extract_text() for p in PdfReader(files["pdf"]).pages)
    assert f"Upload {upload.pk} error report" in text and code in text
    expect(page.locator("#export-jobs")).to_contain_text("is ready")


def test_a_bad_file_is_refused_with_a_message_that_says_why(reference, worker, live_server, page, make_user,  # noqa: F811
                                                             tmp_path):
    from uploads.models import Upload

    user = make_user("E017UPL", "lea-upload", "017")
    sign_in(page, live_server, user)
    # Another sponsor's file is refused before it is stored, and the message names no sponsor but ours.
    foreign = tmp_path / "othersponsor.txt"
    call_command("generate_batch", "--students", "2", "--sponsor", "036", "--out", str(foreign),
                 stdout=io.StringIO(), stderr=io.StringIO())
    _submit(page, foreign, "validate")
    error = page.locator("#id_file_error")
    expect(error).to_contain_text("is a file of another sponsor")
    expect(error).not_to_contain_text("036")
    assert not Upload.objects.exists()
    # A record of the wrong length: File Not Accepted, the file error where the code list would be.
    good = _generate(tmp_path, 3, 0, "short.txt")
    good.write_bytes(good.read_bytes() + b"STS0202025017 too short\r\n")
    _submit(page, good, "partial")
    expect(page.locator("#upload-status")).to_contain_text("File Not Accepted", timeout=60_000)
    expect(page.locator("#file-errors")).to_contain_text("LENGTH")
    expect(page.locator("#file-errors")).to_contain_text(re.compile(r"Line \d+: the 020 record is \d+ characters long"))
    expect(page.locator("#errors-by-code")).to_have_count(0)
    expect(page.locator("#error-report-exports")).to_have_count(0)
    page.goto("/upload/history/")
    expect(page.locator("#upload-history tr[data-status=not_accepted]")).to_contain_text("short.txt")
