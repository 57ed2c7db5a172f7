"""Year end in a real browser (issue 20): state staff run a rollover dry run and then the rollover
(and undo it); a nonpublic coordinator uploads a graduate and watches the Official Transcript
History box reach S, issued by a real worker; state staff withdraw a transcript and /verify/ says
so."""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.certification.conftest import make_graduate, signing, signing_pair  # noqa: F401  (fixtures)
from tests.integration.conftest import worker  # noqa: F401  (fixture: a real worker process)
from tests.yearend import nonpublic
from tests.yearend.conftest import make_student

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("STS_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "screens-yearend"))


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_state_staff_dry_run_then_roll_over_then_undo(reference, live_server, page, make_user, eager_queue):
    from core_tables.models import CollectionPeriod
    from transcripts.models import Student

    junior = make_student(1, "11")
    make_student(2, "10")
    make_graduate(0)
    sign_in(page, live_server, make_user("ELDOE01", "ldoe"))
    page.goto("/")
    page.click("text=Update")
    page.click("#nav-rollover")
    page.fill("#from_bssy", "2025")
    page.select_option("#sponsor", "017")
    page.click("#dry-run")
    row = page.locator("#rollover-plan tr[data-sponsor='017']")
    expect(row).to_contain_text("2")
    expect(row.locator(".would-roll")).to_have_text("2")
    expect(page.locator("#rollover-plan tfoot")).to_contain_text("1")  # the graduate is skipped
    assert not Student.objects.filter(bssy=2026).exists()  # a dry run changes nothing
    shot(page, "rollover-dry-run")
    page.click("#run-rollover")
    expect(page.locator("#rollover-status")).to_have_attribute("data-status", "done")
    expect(page.locator("#rollover-status")).to_contain_text("Rollover done: 2 rolled, 1 graduates skipped")
    shot(page, "rollover-done")

    # The new year opens: the rolled students are there, marked, awaiting this year's file.
    CollectionPeriod.objects.update(is_current=False)
    CollectionPeriod.objects.create(bssy=2026, opens="2026-07-01", closes="2099-01-01", is_current=True)
    page.goto("/students/sites/017001/")
    page.select_option("#rolled-filter", "awaiting")
    page.click("#student-search button")
    expect(page.locator("#student-table tbody tr")).to_have_count(2)
    shot(page, "rollover-student-list")
    page.click(f"#student-table tr[data-state-id='{junior.state_id}'] a")
    expect(page.locator("#rolled-marker")).to_contain_text("Rolled over from BSSY 2025 (grade 11)")
    expect(page.locator("#demographics")).to_contain_text("12")
    shot(page, "rollover-student-detail")

    # Undo, before the sponsor changed anything in 2026.
    page.goto("/yearend/rollover/")
    page.click("#rollover-history tr[data-sponsor='017'] .undo-rollover")
    expect(page.locator(".alert-success")).to_contain_text("2 rolled student records removed")
    expect(page.locator("#rollover-history tr[data-sponsor='017']")).to_contain_text("Undone")
    assert not Student.objects.filter(bssy=2026).exists()


@pytest.fixture
def worker_env(monkeypatch, signing):  # noqa: F811
    # The worker is another process: it reads the signing pair from its environment.
    monkeypatch.setenv("STS_SIGNING_CERT", str(signing["cert"]))
    monkeypatch.setenv("STS_SIGNING_KEY", str(signing["key"]))


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.worker
def test_nonpublic_coordinator_uploads_a_graduate_and_watches_ots_reach_s(reference, worker_env, worker, settings,  # noqa: F811
                                                                        live_server, page, make_user, tmp_path):
    from transcripts.models import Student

    settings.PRIVATE_MEDIA_ROOT = worker.media_root  # where the worker stores the PDFs
    path = nonpublic.write(tmp_path / "N52GRAD.txt", nonpublic.graduate("200000001", "DOE"))
    sign_in(page, live_server, make_user("EN52UPL", "lea-upload", "N52"))
    page.goto("/upload/")
    page.set_input_files("#id_file", str(path))
    page.check("input[name=mode][value=partial]")
    page.click("#upload-submit")
    expect(page.locator("#upload-status")).to_have_attribute("data-status", "complete", timeout=90_000)
    student = Student.objects.get(state_id="200000001", bssy=2025)
    page.goto(f"/students/{student.pk}/")
    line = page.locator("#official-transcripts tbody tr").first
    expect(line).to_have_attribute("data-status", "S", timeout=90_000)  # the box refreshes itself while Q
    expect(line).to_have_attribute("data-version", "1")
    expect(line.locator(".transcript-standing")).to_have_text("current")
    shot(page, "nonpublic-ots-history")
    pdf = page.request.get(line.locator("a.official-transcript-link").get_attribute("href"))
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"
    (SHOTS / "nonpublic-official.pdf").write_bytes(pdf.body())


@pytest.fixture
def issued(reference, signing):  # noqa: F811
    """Two graduates of 017001 certified and issued, before the browser starts (signing runs an
    event loop of its own, which Playwright's would block)."""
    from certification import services
    from certification.models import OfficialTranscript
    from core_tables.models import Site

    grad = make_graduate(0)
    make_graduate(1)
    services.certify_and_issue(Site.objects.get(code="017001"), 2025, by="E017GRD")
    return OfficialTranscript.objects.select_related("student").get(state_id=grad.state_id)


def test_state_staff_withdraw_a_transcript_and_verify_says_so(issued, live_server, page, make_user, tmp_path):
    from django.utils import timezone

    grad = issued.student
    sign_in(page, live_server, make_user("ELDOE01", "ldoe"))
    page.goto("/students/sites/")
    expect(page.locator("#site-list tr", has_text="017001").locator(".in-ots")).to_have_text("2")
    page.goto(f"/students/{grad.pk}/")
    form = page.locator("#official-transcripts .withdraw-form")
    form.locator("input[name=reason]").fill("Sent to OTS in error")
    form.locator("button").click()
    today = timezone.localdate().strftime("%m/%d/%Y")
    expect(page.locator(".alert-warning").first).to_contain_text("withdrawn")
    expect(page.locator("#official-transcripts .transcript-standing").first).to_have_text(
        f"Withdrawn on {today} by ELDOE01: Sent to OTS in error")
    expect(page.locator("#official-transcripts .withdraw-form")).to_have_count(0)
    shot(page, "withdrawn-history")
    page.goto("/students/sites/")
    expect(page.locator("#site-list tr", has_text="017001").locator(".in-ots")).to_have_text("1")

    page.context.clear_cookies()  # a verifier, signed out
    page.goto(f"/verify/?code={issued.code}")
    expect(page.locator("#verdict")).to_have_attribute("data-genuine", "true")
    expect(page.locator("#verdict")).to_contain_text(f"has been withdrawn by LDOE on {today}")
    expect(page.locator("#verdict")).not_to_contain_text("the current official transcript")
    shot(page, "withdrawn-verify-code")
    from certification.storage import file_of

    saved = tmp_path / "withdrawn.pdf"
    saved.write_bytes(file_of(issued).read_bytes())
    page.goto("/verify/")
    page.set_input_files("#verify-file", str(saved))
    page.click("#verify-file-form button")
    expect(page.locator("#verdict")).to_contain_text("WITHDRAWN")
    shot(page, "withdrawn-verify-pdf")


def test_state_staff_start_stsq05_and_see_when_each_sponsor_was_last_recalculated(reference, live_server, page,
                                                                                  make_user, eager_queue, settings):
    from transcripts.models import StudentProgress

    settings.STS_RECALC_CHUNK = 2
    for i in range(3):
        make_student(i, "11")
    StudentProgress.objects.update(overall_gpa="1.234")  # stale after a core-table change
    sign_in(page, live_server, make_user("ELDOE01", "ldoe"))
    page.goto("/")
    page.click("text=Update")
    page.click("#nav-recalculate")
    expect(page.locator("#last-recalculated tr[data-sponsor='017'] .last-at")).to_contain_text("never from here")
    page.select_option("#scope", "sponsor")
    page.fill("#code", "017")
    page.click("#start-recalculation")
    expect(page.locator("#recalculate-status")).to_have_attribute("data-status", "done")
    expect(page.locator("#recalculate-status")).to_contain_text("Recalculated 3 students in 2 tasks")
    shot(page, "stsq05-done")
    assert not StudentProgress.objects.filter(overall_gpa="1.234").exists()
    page.click("text=Back to STSQ05")
    expect(page.locator("#last-recalculated tr[data-sponsor='017']")).to_contain_text("sponsor 017")
    expect(page.locator("#last-recalculated tr[data-sponsor='017']")).to_contain_text("ELDOE01")
    shot(page, "stsq05-page")
