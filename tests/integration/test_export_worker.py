"""Exports through a real Celery worker on Redis and PostgreSQL: the Core Progress Report split
into parts (one task each) and zipped by the last one; the summary requested twice joins one job."""
import io
import re
import zipfile

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from sts.models import ExportJob
from transcripts.models import Student

from .conftest import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]


@pytest.fixture
def small_parts(monkeypatch, settings):
    monkeypatch.setenv("STS_REPORT_STUDENTS_PER_FILE", "9")  # read by the worker process
    settings.STS_REPORT_STUDENTS_PER_FILE = 9


@pytest.fixture
def loaded(committed_reference, tmp_path, make_user, settings):
    import datetime as dt

    from core_tables.models import CollectionPeriod
    from tests.exports.conftest import generate, upload

    CollectionPeriod.objects.create(bssy=2025, opens=dt.date(2025, 12, 1), closes=dt.date(2099, 1, 1), is_current=True)
    make_user("E017UPL", "lea-upload", "017")
    result = upload(generate(tmp_path, "017", 40), "E017UPL")
    assert result["accepted"], result
    return make_user("E017INQ", "lea-inquiry", "017")


def _done(pk):
    return wait_for(lambda: ExportJob.objects.filter(pk=pk, status__in=["done", "failed"]).first(), 120,
                    "the worker to finish the export")


def test_core_progress_parts_and_a_joined_summary_through_the_worker(small_parts, loaded, worker, client):
    client.force_login(loaded)
    count = Student.objects.filter(site__code="017001", bssy=2025).count()
    assert count > 9
    client.post(reverse("export_request", args=["core_progress", "docx"]), {"site": "017001", "bssy": 2025},
                HTTP_HX_REQUEST="true")
    job = _done(ExportJob.objects.get(exporter="core_progress").pk)
    assert job.status == "done", job.message
    assert len(job.parts) == -(-count // 9) and sorted(job.parts_done) == list(range(len(job.parts)))
    assert job.filename.endswith(".zip")
    download = client.get(reverse("export_download", args=[job.pk]))
    assert download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as zf:
        names = zf.namelist()
        students = [p.text for name in names for p in Document(io.BytesIO(zf.read(name))).paragraphs
                    if p.style.name == "Heading 1"]
    assert len(names) == len(job.parts) and len(students) == count

    first = client.post(reverse("export_request", args=["summary", "xlsx"]), {"site": "017001", "bssy": 2025},
                        HTTP_HX_REQUEST="true")
    second = client.post(reverse("export_request", args=["summary", "xlsx"]), {"site": "017001", "bssy": 2025},
                         HTTP_HX_REQUEST="true")
    ids = [int(re.search(r'id="export-status-(\d+)"', r.content.decode()).group(1)) for r in (first, second)]
    if ids[0] != ids[1]:  # a new job only when the first had finished before the second request
        earlier = _done(ids[0])
        assert earlier.finished_at <= ExportJob.objects.get(pk=ids[1]).created_at
    jobs = ExportJob.objects.filter(exporter="summary")
    summary = _done(jobs.order_by("pk").first().pk)
    assert summary.status == "done", summary.message
    rows = list(load_workbook(io.BytesIO(b"".join(client.get(
        reverse("export_download", args=[summary.pk])).streaming_content))).active.values)
    assert len(rows) == count + 1
