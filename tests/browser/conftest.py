"""The browser suite's shared parts: Debian's chromium launched once per session, a fresh
Playwright context per test at 1366x768, every page watched, and a screenshot of a failure kept.

Every page a test opens is watched by a script injected into the context (it runs before the
page's own scripts and outside its Content-Security-Policy): after the page loads and after every
htmx swap it reports a page wider than the window (document.documentElement.scrollWidth), any
CSP violation, and every serious or critical axe-core (WCAG 2.1 A/AA) violation as console errors. The `page` fixture collects console errors and uncaught page
errors and fails the test if any appeared, unless the test allowed that message (a refusal page
answers 403, which chromium logs as a failed resource).

A failed test leaves a full-page screenshot in var/browser-failures/ (CI keeps var/ as artifacts).
"""
import importlib.util
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.online.conftest import open_period  # noqa: F401  (fixture: BSSY 2025 current and open)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop

ROOT = Path(__file__).resolve().parents[2]
FAILURES = Path(os.environ.get("STS_BROWSER_FAILURES", ROOT / "var" / "browser-failures"))
VIEWPORT = {"width": 1366, "height": 768}
AXE_SCRIPT = Path(importlib.util.find_spec("axe_playwright_python").origin).parent / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

WATCH_SCRIPT = """
(() => {
  const check = (when) => {
    const root = document.documentElement;
    if (root && root.scrollWidth > root.clientWidth) {
      console.error(`STS-WIDTH ${location.pathname}${location.search}: the page is ${root.scrollWidth}px wide in a ${root.clientWidth}px window (${when})`);
    }
    window.__stsChecked = (window.__stsChecked || 0) + 1;
  };
  window.addEventListener("load", () => check("load"));
  document.addEventListener("htmx:afterSettle", () => setTimeout(() => check("after an htmx swap"), 0));
  // Accessibility: axe-core (injected with this script) on every page after it loads and after htmx
  // swaps (settled for 300 ms); serious and critical WCAG 2.1 A/AA violations are console errors.
  let axeTimer = null;
  const axeCheck = () => {
    if (!window.axe) return;
    // Rows past the 50th of a table repeat the first 50's markup; checking thousands of cells would
    // hold the page's only thread for many seconds.
    window.__stsAxe = (window.__stsAxe || Promise.resolve()).then(() => window.axe.run({exclude: [["tbody > tr:nth-child(n+51)"]]}, {
      runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"],
    })).then((results) => {
      for (const v of results.violations) {
        if (v.impact !== "serious" && v.impact !== "critical") continue;
        const where = v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join(" | ");
        console.error(`STS-AXE ${location.pathname}${location.search}: ${v.id} (${v.impact}) ${v.help}; ${v.nodes.length} element(s): ${where}`);
      }
    }).catch((e) => console.error(`STS-AXE could not check ${location.pathname}: ${e}`));
  };
  window.addEventListener("load", () => axeCheck());
  document.addEventListener("htmx:afterSettle", () => { clearTimeout(axeTimer); axeTimer = setTimeout(axeCheck, 300); });
  document.addEventListener("securitypolicyviolation", (e) => {
    console.error(`STS-CSP ${e.violatedDirective} blocked ${e.blockedURI || "inline code"} on ${location.pathname}`);
  });
})();
"""


class Watch:
    """What went wrong on the pages of one test: console errors, page errors, CSP violations,
    pages wider than the window. `allow(pattern)` accepts an expected console error."""

    def __init__(self):
        self.problems: list[str] = []
        self.allowed: list[re.Pattern] = []
        self.pages: list[str] = []

    def allow(self, pattern: str):
        self.allowed.append(re.compile(pattern))

    def on_console(self, message):
        if message.type != "error":
            return
        text = message.text
        if any(p.search(text) for p in self.allowed) and not text.startswith(("STS-WIDTH", "STS-CSP", "STS-AXE")):
            return
        where = (message.location or {}).get("url", "")
        self.problems.append(f"console error on {where}: {text}")

    def on_page_error(self, error):
        self.problems.append(f"uncaught error: {error}")

    def on_navigation(self, frame):
        if frame.parent_frame is None:
            self.pages.append(frame.url)

    def assert_clean(self):
        assert not self.problems, "\n".join(self.problems)


def wait_for_axe(page):
    """Let the last page's accessibility check finish before the context closes."""
    try:
        page.evaluate("() => window.__stsAxe")
    except Exception:  # a page already closed or navigating: its earlier checks have reported
        pass


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """Debian's chromium, started once for the session; each test's Playwright connects to it over
    the DevTools protocol. (A Playwright kept running for the whole session would leave its event
    loop running in the main thread, and every later test calling asyncio.run() - pyHanko's
    signature validation does - would fail.)"""
    executable = os.environ.get("STS_CHROMIUM", "/usr/bin/chromium")
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen(
        [executable, "--headless=new", "--remote-debugging-port=0", f"--user-data-dir={profile}",
         "--no-first-run", "--no-default-browser-check", "--mute-audio", *CHROMIUM_ARGS, "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    endpoint, seen = None, []
    deadline = time.monotonic() + 30
    while endpoint is None and time.monotonic() < deadline and process.poll() is None:
        line = process.stderr.readline()
        seen.append(line)
        if match := re.search(r"DevTools listening on (ws://\S+)", line):
            endpoint = match.group(1)
    if endpoint is None:
        process.kill()
        pytest.fail("chromium did not start: " + "".join(seen[-20:]))
    # Keep reading its output so a full pipe never blocks it.
    threading.Thread(target=lambda: [None for _ in process.stderr], daemon=True).start()
    yield endpoint
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def watch():
    return Watch()


@pytest.fixture
def page(chromium, live_server, watch):
    """A page in a fresh context (no cookies, no storage) of the live server, watched."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.connect_over_cdp(chromium)
        context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url, accept_downloads=True)
        context.set_default_timeout(15_000)
        context.add_init_script(path=AXE_SCRIPT)  # axe-core from the test environment (PyPI), never fetched
        context.add_init_script(WATCH_SCRIPT)
        page = context.new_page()
        page.on("console", watch.on_console)
        page.on("pageerror", watch.on_page_error)
        page.on("framenavigated", watch.on_navigation)
        yield page
        wait_for_axe(page)
        context.close()
        browser.close()  # disconnects; the session's chromium keeps running
    watch.assert_clean()  # after the test: no console error on any page it opened


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test: a full-page screenshot of where it stood, for CI's artifacts."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        FAILURES.mkdir(parents=True, exist_ok=True)
        target = FAILURES / (re.sub(r"[^\w.-]+", "_", item.nodeid)[-150:] + ".png")
        try:
            page.screenshot(path=str(target), full_page=True)
            report.sections.append(("browser", f"screenshot of the failure: {target}"))
        except Exception as exc:  # a closed page: the failure report matters more than the picture
            report.sections.append(("browser", f"no screenshot ({exc})"))


# --- data and sign-in ---------------------------------------------------------------------------

@pytest.fixture
def reference(committed_reference, open_period):
    """The shipped reference set, committed, with BSSY 2025 the current, open year."""


@pytest.fixture
def eager_queue():
    """Celery tasks run in the live server's thread (journeys whose worker path is tested elsewhere)."""
    from sts.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
