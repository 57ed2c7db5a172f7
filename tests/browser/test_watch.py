"""The suite's own watch (tests/browser/conftest.py) catches what it is there to catch: a page
wider than the window, a script the Content-Security-Policy blocks, a console error, an uncaught
error. Without this, a watch that never fires would pass every journey."""
import pytest
from playwright.sync_api import expect

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_watch_reports_width_csp_console_and_page_errors(reference, live_server, page, make_user, watch):
    sign_in(page, live_server, make_user("E017INQ", "lea-inquiry", "017"))
    page.goto("/help/")
    expect(page.locator("h1")).to_have_text("Help")
    assert page.evaluate("window.__stsChecked") >= 1 and not watch.problems  # a clean page stays clean
    # Too wide, noticed after an htmx swap as after a load.
    page.evaluate("""() => {
        document.querySelector("main").insertAdjacentHTML("beforeend", '<div style="width: 2400px">wide</div>');
        document.dispatchEvent(new Event("htmx:afterSettle"));
    }""")
    # An inline script (refused by the CSP), a console error, an uncaught error.
    page.evaluate("""() => {
        const s = document.createElement("script"); s.textContent = "window.__ran = 1"; document.body.append(s);
        console.error("something broke");
        setTimeout(() => { throw new Error("uncaught boom"); }, 0);
    }""")
    page.wait_for_timeout(300)
    found = "\n".join(watch.problems)
    assert "STS-WIDTH /help/: the page is" in found, found
    assert "STS-CSP script-src" in found, found
    assert "something broke" in found and "uncaught boom" in found, found
    assert page.evaluate("window.__ran") is None  # the CSP did block it
    watch.problems.clear()  # the test's own mess, not the app's
