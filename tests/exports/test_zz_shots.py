import os
import pytest
from tests.integration.conftest import committed_reference, worker  # noqa
from tests.online.test_browser import browser_page, sign_in  # noqa
from tests.exports.test_browser_export import loaded  # noqa
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = [pytest.mark.django_db(transaction=True)]

def test_shots(loaded, worker, live_server, browser_page, tmp_path):
    from playwright.sync_api import expect
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server, loaded)
    page.goto("/students/sites/017001/")
    page.click("#print-export .dropdown-toggle")
    page.screenshot(path="/tmp/shots/list-menu.png")
    page.click("[data-export='core_progress.pdf']")
    expect(page.locator("#export-jobs .export-status").first).to_contain_text("is ready", timeout=90_000)
    page.screenshot(path="/tmp/shots/list-done.png")
    page.goto("/students/reports/017001/stsq11/?sort=5&dir=desc")
    page.screenshot(path="/tmp/shots/stsq11.png", full_page=False)
    page.goto("/students/reports/sponsor/017/stsq13/?element=dual_enrollment")
    page.click("[data-export='stsq13.pdf']")
    page.wait_for_timeout(1500)
    page.screenshot(path="/tmp/shots/stsq13.png")
    page.goto("/students/reports/")
    page.screenshot(path="/tmp/shots/reports.png")
    page.goto("/exports/")
    page.screenshot(path="/tmp/shots/downloads.png")
    from sts.models import ExportJob
    import shutil
    for j in ExportJob.objects.filter(status="done"):
        shutil.copy(j.path, f"/tmp/shots/{j.filename}")
