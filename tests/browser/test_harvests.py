"""Journeys of the state's side: a LOSFA user opens the statewide dashboard, picks a snapshot and
downloads STSQ02 from it; a state staff member defines a harvest deadline and takes a snapshot
(taken by a real worker). Each new page is screenshotted under var/screenshots/harvests/."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from harvests import layouts as L
from tests.integration.conftest import worker  # noqa: F401  (fixture: a real worker process)

from .helpers import load_generated, saved, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker,
              pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "harvests"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_losfa_user_downloads_stsq02_from_a_snapshot(reference, worker, live_server, page, make_user,  # noqa: F811
                                                     tmp_path):
    import io

    from django.core.management import call_command

    from transcripts.models import Student

    make_user("E017UPL", "lea-upload", "017")
    load_generated(tmp_path, "017", 30, "E017UPL")
    call_command("sts_snapshot", "take", "--name", "February harvest 2025", "--bssy", "2025", stdout=io.StringIO())
    Student.objects.filter(bssy=2025).update(last_name="LATER")  # after the snapshot: not in its extract
    consenting = set(Student.objects.filter(bssy=2025, parental_consent=True).values_list("state_id", flat=True))
    held_back = Student.objects.filter(bssy=2025, parental_consent=False).count()
    sign_in(page, live_server, make_user("ELOSINQ", "losfa-inquiry"))

    page.goto("/")
    page.click("nav #state-menu")
    page.click("nav .dropdown-item:has-text('Statewide dashboard')")
    expect(page.locator("h1")).to_have_text("Statewide dashboard")
    expect(page.locator("#dashboard-table tr[data-sponsor='017'] td[data-figure='students']")).to_have_text(
        str(len(consenting) + held_back))
    page.select_option("#snapshot-select", "February harvest 2025")
    expect(page.locator("h1 + div")).to_contain_text("snapshot February harvest 2025")
    expect(page.locator("#dashboard-table tr[data-sponsor='017'] td[data-figure='consent_n']")).to_have_text(
        str(held_back))
    shot(page, "dashboard-snapshot")
    # The rows behind a figure: consent-Y students only, the others counted.
    page.click("#dashboard-table tr[data-sponsor='017'] td[data-figure='students'] a")
    expect(page.locator("#figure-rows tbody tr")).to_have_count(len(consenting))
    expect(page.locator("#hidden-count")).to_have_text(f"{held_back} without parental consent not listed")
    shot(page, "figure-rows")
    page.goto("/state/?snapshot=February+harvest+2025")
    page.click("main a:has-text('STSQ11 statewide')")
    expect(page.locator("h1")).to_have_text("STSQ11 Overall GPA Report (statewide)")
    expect(page.locator("#report-table tbody tr")).to_have_count(len(consenting))
    expect(page.locator("#report-table")).not_to_contain_text("LATER")  # from the snapshot
    shot(page, "stsq11-statewide")
    page.goto("/state/?snapshot=February+harvest+2025")
    page.click("#dashboard-extracts")
    expect(page.locator("#extract-scope")).to_contain_text("snapshot February harvest 2025")
    expect(page.locator("#extract-scope")).to_contain_text(f"{held_back} student")
    expect(page.locator("#extract-stsq03")).to_have_count(0)  # the Board of Regents' extract
    with page.expect_download(timeout=90_000) as download:
        page.click("[data-export='stsq02.txt']")
    path = saved(download.value, tmp_path)
    shot(page, "extracts-done")
    lines = path.read_bytes().decode().split("\r\n")[:-1]
    assert all(len(line) == L.record_length(L.TOPS_GPA) for line in lines[:-1])
    written = {line[14:24] for line in lines[:-1]}
    assert written == consenting and "LATER" not in path.read_text()
    trailer = lines[-1]
    assert trailer.startswith("Z2025STSQ02STATE") and trailer.endswith(f"{held_back:09d}")


def test_state_staff_define_a_deadline_and_take_a_snapshot(reference, worker, live_server, page,  # noqa: F811
                                                           make_user, tmp_path):
    from harvests.models import Deadline, Snapshot
    from transcripts.models import Student

    make_user("E017UPL", "lea-upload", "017")
    load_generated(tmp_path, "017", 20, "E017UPL")
    sign_in(page, live_server, make_user("ELDOSTA", "ldoe"))
    page.goto("/")
    page.click("nav #state-menu")
    page.click("nav .dropdown-item:has-text('Harvest deadlines and snapshots')")
    expect(page.locator("h1")).to_have_text("Harvest deadlines and snapshots")
    expect(page.locator("#deadlines")).to_contain_text("February harvest 2025")  # the defaults
    page.fill("#id_name", "Spring check 2025")
    page.fill("#id_bssy", "2025")
    page.fill("#id_due_at", "2026-04-01T12:00")
    page.click("#save-deadline")
    expect(page.locator(".alert-success")).to_contain_text("Deadline Spring check 2025 saved")
    expect(page.locator("#deadlines")).to_contain_text("04/01/2026 12:00")
    assert Deadline.objects.get(name="Spring check 2025").created_by == "ELDOSTA"
    page.fill("#id_snapshot_name", "Ad hoc before the harvest")
    page.click("#take-snapshot")
    row = page.locator("tr[data-snapshot='Ad hoc before the harvest']")
    expect(row).to_contain_text("Taken", timeout=60_000)
    students = Student.objects.filter(bssy=2025).count()
    expect(row.locator("td").nth(5)).to_have_text(str(students))
    shot(page, "harvests")
    # The same name again: refused, not duplicated.
    page.fill("#id_snapshot_name", "Ad hoc before the harvest")
    page.click("#take-snapshot")
    expect(page.locator(".invalid-feedback")).to_contain_text("already taken")
    assert Snapshot.objects.filter(name="Ad hoc before the harvest").count() == 1
