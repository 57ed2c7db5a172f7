"""Pins for data safety (issue 17, item 9): behaviours no other test held, each of which could break
with the whole suite still green. Each test here was seen failing with its behaviour broken.

- a redelivered upload message: a stale heartbeat (the worker died) is picked up again as the next
  attempt; a fresh one (a worker is on it) is never run twice;
- a school-level user looking at a shared replace upload sees only its own sites' deleted students;
- a deleted student can be restored while the same State ID is on file at another sponsor that
  year (a transfer);
- booleans are written Y/N in every export, never True/False or as numbers.
"""
import csv
import datetime as dt
import subprocess

import pytest
from django.urls import reverse

from sts import jobs
from sts.exports import EXPORTERS, WRITERS
from transcripts.models import DeletedStudentSet, Student
from uploads.models import Upload
from uploads.pipeline import run_pipeline
from uploads.tasks import process_upload

from tests.batch.helpers import BSSY, TODAY, course, registry_student, student_record, write

from .test_fuzz import world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_period(db):
    from core_tables.models import CollectionPeriod

    CollectionPeriod.objects.create(bssy=BSSY, opens=dt.date(2025, 12, 1), closes=dt.date(2099, 1, 1), is_current=True)


# --- a redelivered upload message --------------------------------------------------------------------

def _processing(tmp_path, user, *, claimed):
    """An upload a worker claimed (attempt 1) `claimed` seconds ago and has not finished."""
    sid = registry_student()
    path = write(tmp_path / "a.txt", student_record(sid), course(sid))
    upload = Upload.objects.create(user=user, mode="partial", original_name="a.txt", stored_path=str(path),
                                   today=TODAY, status=Upload.JOB_RUNNING, attempts=1,
                                   claimed_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=claimed))
    return upload, sid


def test_a_redelivered_message_for_a_dead_workers_upload_runs_it_as_the_next_attempt(tmp_path, make_user, settings):
    settings.STS_JOB_STALE_SECONDS = 120
    # Claimed 10 minutes ago and no lease renewed since: the worker died.
    upload, sid = _processing(tmp_path, make_user("E017UPL", "lea-upload", "017"), claimed=600)
    process_upload(upload.pk)  # the broker hands the unacknowledged message to another worker
    upload.refresh_from_db()
    assert (upload.status, upload.attempts) == ("complete", 2)
    assert Student.objects.filter(state_id=sid.unique_id).count() == 1


def test_a_redelivered_message_for_a_live_workers_upload_is_not_run_twice(tmp_path, make_user, settings):
    settings.STS_JOB_STALE_SECONDS = 120
    upload, sid = _processing(tmp_path, make_user("E017UPL", "lea-upload", "017"), claimed=600)
    with jobs.lease(upload):  # its worker is alive: it renews the lease while it runs
        process_upload(upload.pk)  # the same message delivered again
    upload.refresh_from_db()
    assert (upload.status, upload.attempts) == (Upload.JOB_RUNNING, 1)  # left to the worker that holds it
    assert not Student.objects.filter(state_id=sid.unique_id).exists()


# --- a shared replace upload, seen from one school -----------------------------------------------------

def test_a_school_user_sees_only_its_own_sites_students_deleted_by_a_shared_replace_upload(
        tmp_path, client, make_user, open_period):
    lea = make_user("E017UPL", "lea-upload", "017")
    sharer = make_user("E017SU3", "school-upload", "017", sites=["017001", "017003"])
    viewer = make_user("E017SU1", "school-upload", "017", sites=["017001"])
    people = {site: [registry_student(site, i) for i in range(n)] for site, n in (("017001", 3), ("017003", 2))}
    records = [r for sids in people.values() for sid in sids for r in (student_record(sid), course(sid))]
    path = write(tmp_path / "all.txt", *records)
    assert run_pipeline(path, path.name, mode="partial", today=TODAY, user=lea).loaded == 5
    from uploads.tasks import run_upload

    keep = people["017001"][0]
    path = write(tmp_path / "r.txt", student_record(keep), course(keep))
    upload = Upload.objects.create(user=sharer, mode="replace", original_name="r.txt", stored_path=str(path),
                                   today=TODAY)
    assert run_upload(upload, synchronous=True).deleted_absent == 4  # 2 at 017001, 2 at 017003
    own = [s.unique_id for s in people["017001"][1:]]
    other_site = [s.unique_id for s in people["017003"]]
    client.force_login(viewer)
    page = client.get(reverse("uploads:detail", args=[upload.pk])).content.decode()
    assert "Deleted by this upload: 2 students" in page
    assert all(state_id in page for state_id in own)
    assert not any(state_id in page for state_id in other_site)
    client.force_login(sharer)  # the submitter sent the whole file: it sees every deleted student
    page = client.get(reverse("uploads:detail", args=[upload.pk])).content.decode()
    assert "Deleted by this upload: 4 students" in page and all(s in page for s in own + other_site)


# --- restoring a student who has transferred ---------------------------------------------------------

def test_a_deleted_student_is_restored_while_its_state_id_is_on_file_at_another_sponsor(client, make_user,
                                                                                        open_period):
    from core_tables.models import Site
    from transcripts.online.services import delete_student

    sid = registry_student("017001")
    site = Site.objects.select_related("sponsor").get(code="017001")
    elsewhere = Site.objects.select_related("sponsor").get(code="036001")
    common = dict(bssy=BSSY, state_id=sid.unique_id, local_id="L1", first_name="T", last_name="TRA", sex="F",
                  grade="11")
    student = Student.objects.create(sponsor=site.sponsor, site=site, **common)
    kept = delete_student(student, by="E017ALL")
    Student.objects.create(sponsor=elsewhere.sponsor, site=elsewhere, **common)  # the transfer, the same year
    client.force_login(make_user("ELDOE01", "ldoe"))
    response = client.post(reverse("transcripts:restore_set", args=[kept.pk]))
    restored = Student.objects.get(sponsor=site.sponsor, bssy=BSSY, state_id=sid.unique_id)
    assert response.status_code == 302 and response.url == reverse("transcripts:student", args=[restored.pk])
    assert DeletedStudentSet.objects.get(pk=kept.pk).restored_by == "ELDOE01"
    assert Student.objects.filter(bssy=BSSY, state_id=sid.unique_id).count() == 2  # both sponsors keep theirs


# --- booleans in exports -----------------------------------------------------------------------------

def _rows(fmt, path):
    """The rows of a written table export (CSV, Excel), or None for other formats."""
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.reader(f))
    if fmt == "xlsx":
        from openpyxl import load_workbook

        return [list(row) for ws in load_workbook(path).worksheets for row in ws.iter_rows(values_only=True)]
    return None


def _cells(fmt, path, tmp_path):
    """The cells (or words) of a written export, as a reader of the file sees them."""
    rows = _rows(fmt, path)
    if rows is not None:
        return [cell for row in rows for cell in row]
    if fmt == "docx":
        from docx import Document

        return [cell.text for table in Document(path).tables for row in table.rows for cell in row.cells]
    if fmt == "pdf":
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout.split()
    return path.read_text(encoding="utf-8", errors="replace").split()


# Columns that hold a yes/no (the Student Summary's and the Student List's).
FLAG_COLUMNS = {"Parental Consent", "Path Categories Met", "Award Categories Met"}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_every_writer_writes_booleans_y_and_n(fmt, tmp_path):
    path = tmp_path / f"b.{fmt}"
    WRITERS[fmt]("Booleans", iter([["Flag", "Other", "Count"], ["yes", True, 1], ["no", False, 0]]), path)
    cells = _cells(fmt, path, tmp_path)
    assert [c for c in cells if c in ("Y", "N")] == ["Y", "N"], cells
    assert not [c for c in cells if isinstance(c, bool) or str(c).lower() in ("true", "false")], cells
    if fmt == "xlsx":  # the counts stay numbers, the flags are text
        assert cells[-6:] == ["yes", "Y", 1, "no", "N", 0]


@pytest.fixture
def students_with_flags(world):  # noqa: F811
    """The fuzz world's students with every boolean both ways (consent, races, progress flags)."""
    from transcripts.models import StudentProgress
    from transcripts.progress_store import recompute

    students = list(Student.objects.filter(sponsor__code="017"))
    recompute([s.pk for s in students])
    for i, s in enumerate(students):
        flag = i % 2 == 0
        Student.objects.filter(pk=s.pk).update(parental_consent=flag, hispanic=flag, white=not flag)
        StudentProgress.objects.filter(student=s).update(path_complete=flag, award_eligible=not flag,
                                                          meets_graduation=flag)
    return world


def test_no_export_writes_a_boolean_as_true_false_or_a_number(students_with_flags, tmp_path):
    """Every registered exporter in every format it offers, for a site of students whose flags go
    both ways: no cell is a spreadsheet boolean or reads True/False."""
    world = students_with_flags
    user = world["users"]["E017ALL"]
    params = {"site": "017001", "bssy": "2025", "list": "1", "upload": str(world["upload_017"]),
              "element": "endorsement"}
    written, checked = 0, {}
    for name, exporter in sorted(EXPORTERS.items()):
        for fmt in exporter.formats:
            path = tmp_path / f"{name}.{fmt}"
            try:
                out = exporter.bind(user).render(fmt, params, path) or path
            except Exception as exc:  # an exporter that has nothing to print for this site
                if type(exc).__name__ in ("BadRequest", "PermissionDenied"):
                    continue
                raise
            if str(out).endswith(".zip"):
                continue
            cells = _cells(fmt, out, tmp_path)
            assert not [c for c in cells if isinstance(c, bool)], (name, fmt)
            assert not [c for c in cells if str(c).strip().lower() in ("true", "false")], (name, fmt)
            rows = _rows(fmt, out)
            for j, heading in enumerate(rows[0] if rows else []):
                if heading in FLAG_COLUMNS:
                    flags = [row[j] for row in rows[1:] if len(row) > j]  # a heading line is shorter
                    assert set(flags) <= {"Y", "N", "", None}, (name, fmt, heading, flags)
                    checked.setdefault((name, heading), set()).update(flags)
            written += 1
    assert written >= 25
    # Both yes and no were written (a sweep of empty exports would prove nothing).
    assert {"Y", "N"} <= checked[("summary", "Parental Consent")] and "Y" in checked[("student_list", "Path Categories Met")]

