"""Journey: an LEA coordinator lands on Home and sees what needs doing (an upload with errors, its
sites with graduates to certify), follows the upload to its report, and reads the warnings apart
from the errors, each message once with its count."""
import io
import json

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_shows_what_needs_doing_and_leads_to_the_upload_report(reference, live_server, page, make_user,
                                                                    tmp_path, settings):
    from tests.exports.conftest import TODAY
    from uploads.models import Upload, UploadError

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    coordinator = make_user("E017GRD", "lea-gradcert", "017")
    batch = tmp_path / "batch.txt"
    call_command("generate_batch", "--students", "40", "--sponsor", "017", "--seed", "5", "--error-rate", "0.1",
                 "--out", str(batch), "--today", TODAY, stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("sts_upload", str(batch), "--user", "E017GRD", "--mode", "partial", "--today", TODAY, stdout=out)
    assert json.loads(out.getvalue())["accepted"]
    upload = Upload.objects.get()
    warned = UploadError.objects.filter(upload=upload, severity="remove_grad_date")
    rejecting = UploadError.objects.filter(upload=upload).exclude(severity="remove_grad_date")
    assert warned.exists() and rejecting.exists()  # the seed gives both

    sign_in(page, live_server, coordinator)
    page.goto("/")
    todo = page.locator("#to-do")
    expect(todo.locator("[data-task=uploads]")).to_contain_text("1 upload of the last 14 days has errors to correct")
    rejected = upload.result["students"]["rejected"]
    expect(todo.locator("[data-task=uploads]")).to_contain_text(f"#{upload.pk} batch.txt")
    expect(todo.locator("[data-task=uploads]")).to_contain_text(f"{rejected} students rejected")
    expect(todo.locator("[data-task=certify]")).to_contain_text("with graduates not certified for 2025-26")
    shot(page, "home-to-do")

    todo.locator("[data-task=uploads] li a").first.click()
    expect(page.locator("#warnings")).to_be_visible()
    messages = page.locator("#warnings [data-warning]")
    codes = [messages.nth(i).get_attribute("data-warning") for i in range(messages.count())]
    assert sorted(codes) == sorted(set(warned.values_list("code", flat=True)))  # each once
    for code in codes:
        count = warned.filter(code=code).count()
        expect(page.locator(f"#warnings [data-warning='{code}'] .badge")).to_have_text(
            f"{count} student{'s' if count != 1 else ''}")
    expect(page.locator("#error-table tbody tr[data-code^='GR']")).to_have_count(0)
    expect(page.locator("#errors-by-code tr[data-code^='GR']")).to_have_count(0)
    shot(page, "upload-report-warnings")
