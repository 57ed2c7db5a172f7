"""The upload error report reads right (issue 12, item 1): counts that say what they count, errors
by code sortable by count, the record ruled and wrapping, the student's name beside the State ID,
file errors where the code list would be, plain English for every status."""
import csv
import io
import re
from dataclasses import replace

import pytest
from django.urls import reverse

from sts.exports import EXPORTERS
from tests.batch.helpers import TODAY, course, registry_student, student_record, write
from uploads.models import Upload, UploadError
from uploads.pipeline import run_pipeline
from uploads.recordview import record_blocks, ruler
from uploads.tasks import save_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user):
    return make_user("E017UPL", "lea-upload", "017")


def _report(tmp_path, user, *records, name="r.txt", mode="validate", extra_line=""):
    path = write(tmp_path / name, *records)
    if extra_line:
        path.write_bytes(path.read_bytes() + extra_line.encode() + b"\r\n")
    # As a worker's run: the job claimed (processing, its first attempt), so `save_run` may finish it.
    upload = Upload.objects.create(user=user, mode=mode, original_name=name, stored_path=str(path),
                                   status=Upload.JOB_RUNNING, attempts=1)
    save_run(upload, run_pipeline(path, name, mode=mode, today=TODAY, user=user))
    upload.refresh_from_db()
    return upload


def _cells(html, record_type):
    row = re.search(rf'<tr data-record-type="{record_type}">(.*?)</tr>', html, re.S).group(1)
    return {k: int(v) for k, v in re.findall(r'data-count="([\w-]+)">(\d+)<', row)}


def test_counts_say_what_they_count_and_the_name_stands_beside_the_state_id(tmp_path, client, coordinator):
    good, bad = registry_student(index=0), registry_student(index=1)
    upload = _report(tmp_path, coordinator, student_record(good), course(good),
                     student_record(bad), course(bad, semester="Q9"), course(bad, "160321"), course(bad, "120102"))
    client.force_login(coordinator)
    html = client.get(reverse("uploads:detail", args=[upload.pk])).content.decode()
    # One 030 has an error of its own; the student's three 030s and its 020 are all left out.
    assert _cells(html, "030") == {"with-error": 1, "rejected": 3, "loaded": 1}
    assert _cells(html, "020") == {"with-error": 0, "rejected": 1, "loaded": 1}
    assert "Would load" in html  # validate only
    error = UploadError.objects.get(upload=upload)
    assert error.name == f"{bad.last_name[:3].upper()}, {bad.first_name[0].upper()}"
    assert f'<td class="text-nowrap">{error.name}</td>' in html.replace("&#x27;", "'")
    assert "Semester Code" in html  # the guide's field name, not "semester"


def test_a_student_whose_020_is_not_in_the_file_is_named_from_the_student_on_file(tmp_path, coordinator):
    sid = registry_student()
    _report(tmp_path, coordinator, student_record(sid), course(sid), name="a.txt", mode="partial")
    upload = _report(tmp_path, coordinator, course(sid, semester="Q9"), name="b.txt")
    assert UploadError.objects.get(upload=upload, code="304").name == \
        f"{sid.last_name[:3].upper()}, {sid.first_name[0].upper()}"


def test_errors_by_code_sort_by_count_and_a_code_filters_the_list_and_the_export(tmp_path, client, coordinator):
    students = [registry_student(index=i) for i in range(3)]
    records = []
    for i, sid in enumerate(students):
        records += [student_record(sid), course(sid, semester="Q9")]
        if i == 0:
            records.append(replace(course(sid, "160321"), grade="Z"))
    upload = _report(tmp_path, coordinator, *records)
    client.force_login(coordinator)
    url = reverse("uploads:detail", args=[upload.pk])
    by_count = client.get(url, {"codes_sort": "n", "codes_dir": "desc"}).content.decode()
    table = by_count.split('id="errors-by-code"')[1].split("</table>")[0]
    assert re.findall(r'data-code="(\w+)"', table) == ["304", "305"]
    assert 'aria-sort="descending"' in table
    ascending = client.get(url, {"codes_sort": "n", "codes_dir": "asc"}).content.decode()
    assert re.findall(r'data-code="(\w+)"', ascending.split('id="errors-by-code"')[1].split("</table>")[0]) == \
        ["305", "304"]
    filtered = client.get(url, {"code": "305"}).content.decode()
    listed = filtered.split('id="error-table"')[1]
    assert re.findall(r'<tr class="[^"]*" data-code="(\w+)"', listed) == ["305"]
    assert 'name="code" value="305"' in filtered  # the export buttons carry the filter
    out = tmp_path / "e.csv"
    EXPORTERS["upload_errors"].bind(coordinator).render("csv", {"upload": upload.pk, "code": "305"}, out)
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0][:5] == ["Line", "Record type", "State ID", "Name", "Code"] and [r[4] for r in rows[1:]] == ["305"]
    assert "(code 305)" in EXPORTERS["upload_errors"].title({"upload": upload.pk, "code": "305"})


def test_the_record_is_ruled_in_blocks_that_wrap_with_the_field_marked(tmp_path, client, coordinator):
    assert ruler(1, 10) == "····+···10" and ruler(101, 10) == "····+··110" and ruler(191, 7) == "····+··"
    blocks = record_blocks("A" * 40, 12, 5)
    assert [b.first for b in blocks] == [1, 11, 21, 31]
    assert [(r.marked, r.text, r.ruler) for r in blocks[1].runs] == [
        (False, "A", "·"), (True, "AAAAA", "···+·"), (False, "AAAA", "··20")]
    sid = registry_student()
    upload = _report(tmp_path, coordinator, student_record(sid), course(sid, semester="Q9"))
    error = UploadError.objects.get(upload=upload)
    client.force_login(coordinator)
    fragment = client.get(reverse("uploads:record", args=[upload.pk, error.pk])).content.decode()
    assert "columns 35–36: <strong" in fragment and "Semester Code" in fragment
    assert fragment.count('class="rec-block"') == 20  # 200 columns, ten to a block
    assert "<mark>Q9</mark>" in fragment and "····+··200" in fragment


def test_a_rejected_file_shows_its_file_errors_where_the_code_list_would_be(tmp_path, client, coordinator):
    sid = registry_student()
    upload = _report(tmp_path, coordinator, student_record(sid), extra_line="STS020short")
    assert upload.status == "not_accepted"
    client.force_login(coordinator)
    html = client.get(reverse("uploads:detail", args=[upload.pk])).content.decode()
    assert 'id="file-errors"' in html and "LENGTH" in html and "1 file error" in html
    assert 'id="errors-by-code"' not in html and "No errors" not in html
    assert 'id="error-report-exports"' not in html  # nothing to export


@pytest.mark.parametrize("status,result,students,expected", [
    ("complete", {"students": {"total": 1, "loaded": 1, "rejected": 0}, "grad_date_removed": [{"state_id": "1"}]},
     0, "1 student: 1 loaded, 0 rejected, 1 graduation date removed."),
    ("complete", {"students": {"total": 3, "loaded": 1, "rejected": 2}, "grad_date_removed": [{}, {}]},
     0, "3 students: 1 loaded, 2 rejected, 2 graduation dates removed."),
    ("processing", {}, 0, "counting records…"),
])
def test_every_status_reads_in_plain_english(client, coordinator, status, result, students, expected):
    from django.utils import timezone

    upload = Upload.objects.create(user=coordinator, mode="partial", original_name="s.txt", stored_path="/nonexistent",
                                   status=status, result=result, claimed_at=timezone.now())
    client.force_login(coordinator)
    response = client.get(reverse("uploads:detail", args=[upload.pk]), {"part": "status"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert expected in " ".join(html.split()) and "of ?" not in html
    # The last poll swaps the whole report in place of the status: the page is not reloaded.
    finished = status == "complete"
    assert (response.get("HX-Retarget"), "HX-Refresh" in response) == (("#upload-report" if finished else None), False)
    assert ('id="record-counts"' in html) is finished
    if finished:
        assert "part=status" not in html  # the report's links are the page's, not the poll's
