"""The export framework: permissions on every export, a repeated request joins the running job,
files expire and are purged, the status shows in place (htmx), My downloads."""
import datetime as dt
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from sts.exports import EXPORTERS, write_pdf
from sts.models import ExportJob
from sts.tasks import purge_expired, run_export
from transcripts.models import Student

from .conftest import BSSY

pytestmark = pytest.mark.django_db
LIST_EXPORTS = [("summary", "xlsx"), ("student_list", "pdf"), ("core_progress", "pdf"), ("extract_all", "txt"),
                ("extract_ibc", "txt"), ("extract_ibc_history", "txt")]


def post(client, name, fmt, params, htmx=False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("export_request", args=[name, fmt]), params, **headers)


@pytest.mark.parametrize("name,fmt", LIST_EXPORTS + [("stsq11", "xlsx"), ("stsq13", "pdf")])
def test_every_export_refuses_another_lea_and_unlisted_sites(loaded_017, client, make_user, name, fmt):
    params = {"site": "017001", "bssy": BSSY, "element": "career_option"}
    client.force_login(make_user("E036ALL", "lea-all", "036"))
    assert post(client, name, fmt, params).status_code == 403
    refused = post(client, name, fmt, params, htmx=True)
    assert refused.status_code == 403 and "a site you do not have access to" in refused.content.decode()
    assert "017001" not in refused.content.decode()  # a refusal names no other sponsor's site
    client.force_login(make_user("E017SCH", "school-update", "017", sites=["017002"]))
    assert post(client, name, fmt, params).status_code == 403
    assert not ExportJob.objects.exists()
    assert post(client, name, fmt, {**params, "site": "017002"}).status_code == 302


def _rows(name, user, params):
    exporter = EXPORTERS[name].bind(user)
    if user is not None:  # None: an operator's command
        exporter.check(user, params)
    return list(exporter.rows(params))


def test_school_user_sponsor_wide_sees_only_its_sites(loaded_017, make_user):
    school = make_user("E017SCH", "school-update", "017", sites=["017002"])
    rows = _rows("stsq11", school, {"sponsor": "017", "bssy": BSSY})
    assert {r[1] for r in rows[1:]} == {"017002"}
    assert len(rows) - 1 == Student.objects.filter(site__code="017002", bssy=BSSY).count()


def test_losfa_sees_consent_y_students_only_with_their_class_ranks(loaded_017, make_user, tmp_path):
    losfa = make_user("ELOSFA1", "losfa-inquiry")
    at_site = Student.objects.filter(site__code="017001", bssy=BSSY)
    at_site.filter(pk__in=list(at_site.order_by("state_id").values_list("pk", flat=True)[::3])).update(
        parental_consent=False)
    consent = set(at_site.filter(parental_consent=True).values_list("state_id", flat=True))
    assert consent and at_site.filter(parental_consent=False).exists()
    summary = _rows("summary", losfa, {"site": "017001", "bssy": BSSY})
    assert {r[0] for r in summary[1:]} == consent
    everyone = {r[3]: r for r in _rows("stsq11", None, {"site": "017001", "bssy": BSSY})[1:]}
    ranked = _rows("stsq11", losfa, {"site": "017001", "bssy": BSSY})
    assert {r[3] for r in ranked[1:]} == consent
    assert all(r == everyone[r[3]] for r in ranked[1:])  # ranks over the whole class
    exporter = EXPORTERS["extract_all"].bind(losfa)
    path = tmp_path / "x.txt"
    exporter.render("txt", {"site": "017001", "bssy": BSSY}, path)
    ids = {line[13:23] for line in path.read_text().splitlines() if line[3:6] == "020"}
    assert ids == consent


def test_the_same_request_joins_the_running_job(loaded_017, client, make_user, django_capture_on_commit_callbacks):
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    params = {"site": "017001", "bssy": BSSY, "grade": "12"}
    with django_capture_on_commit_callbacks() as sent:
        first = post(client, "summary", "xlsx", params, htmx=True)
        again = post(client, "summary", "xlsx", {**params, "q": ""}, htmx=True)  # an empty filter is no filter
        other = post(client, "summary", "csv", params, htmx=True)
    assert ExportJob.objects.count() == 2 and len(sent) == 2
    job = ExportJob.objects.get(fmt="xlsx")
    assert f'id="export-status-{job.pk}"' in first.content.decode() and f'id="export-status-{job.pk}"' in again.content.decode()
    assert f"export-status-{job.pk}" not in other.content.decode()
    run_export(job.pk)  # the worker's task, here in-process
    job.refresh_from_db()
    assert job.status == "done" and job.expires_at > timezone.now() + dt.timedelta(hours=23)
    post(client, "summary", "xlsx", params, htmx=True)  # finished: a new request is a new job
    assert ExportJob.objects.filter(fmt="xlsx").count() == 2


def test_status_in_place_then_download_starts_and_my_downloads_lists_it(loaded_017, client, make_user):
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    post(client, "extract_ibc", "txt", {"site": "017001", "bssy": BSSY}, htmx=True)
    job = ExportJob.objects.get()
    waiting = client.get(reverse("export_status", args=[job.pk]) + "?follow=1", HTTP_HX_REQUEST="true").content.decode()
    assert "waiting for a worker" in waiting and 'hx-trigger="every 1s"' in waiting
    run_export(job.pk)
    done = client.get(reverse("export_status", args=[job.pk]) + "?follow=1", HTTP_HX_REQUEST="true").content.decode()
    assert "data-auto-download" in done and reverse("export_download", args=[job.pk]) in done
    job.refresh_from_db()
    assert job.filename == "017001ibc2025.txt"
    listed = client.get(reverse("my_downloads")).content.decode()
    assert job.title in listed and "data-auto-download" not in listed
    download = client.get(reverse("export_download", args=[job.pk]))
    assert download["Content-Type"] == "text/plain"
    assert b"".join(download.streaming_content).endswith(b"\r\n")


def test_download_is_rechecked_and_expired_files_are_purged(loaded_017, client, make_user, settings):
    user = make_user("E017INQ", "lea-inquiry", "017")
    client.force_login(user)
    post(client, "summary", "xlsx", {"site": "017001", "bssy": BSSY})
    job = ExportJob.objects.get()
    run_export(job.pk)
    job.refresh_from_db()
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 200
    other = make_user("E036ALL", "lea-all", "036")
    client.force_login(other)
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 404  # not theirs
    client.force_login(user)
    user.sts_group = "school-update"  # lost the LEA-wide right, no site listed
    user.save()
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 403
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 410
    stuck = ExportJob.objects.create(user=user, exporter="summary", fmt="xlsx", params={})
    ExportJob.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    fresh = ExportJob.objects.create(user=user, exporter="summary", fmt="xlsx", params={})
    from pathlib import Path
    assert Path(job.path).exists()
    assert purge_expired() == 2
    assert not Path(job.path).exists() and list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_failed_export_shows_its_message(loaded_017, make_user):
    user = make_user("E017INQ", "lea-inquiry", "017")
    job = ExportJob.objects.create(user=user, exporter="stsq13", fmt="pdf",
                                   params={"site": "017001", "bssy": str(BSSY), "element": "nope"})
    run_export(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "Choose a data element" in job.message


def test_error_report_pdf_keeps_the_record_columns(tmp_path):
    record = "STS0202025017" + "1234567890" + "   A  B" + " " * 10 + "END"
    path = tmp_path / "r.pdf"
    write_pdf("Upload 1 error report", iter([["Line", "Code", "Input record"], [3, "201", record]]), path,
              record_columns=("Input record",))
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True).stdout
    words = {m[2]: float(m[0]) for m in re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<', bbox)}
    first = record.split()[0]
    start = words[first]
    width = next(float(m[1]) - float(m[0]) for m in re.findall(
        r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">' + first, bbox)) / len(first)
    for word in ("A", "B", "END"):  # each word where its column is: the spaces were kept
        assert words[word] == pytest.approx(start + record.index(" " + word) * width + width, abs=0.3)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "Mono" in fonts


def test_report_pages_sort_both_ways_page_and_run_sponsor_wide(loaded_017, client, make_user):
    import re as _re

    from core_tables.models import CollectionPeriod  # noqa: F401  (BSSY 2025 is current: open_2025)

    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    url = reverse("transcripts:site_report", args=["017001", "stsq11"])

    def gpas(html):
        body = html.split("<tbody>")[1]
        return [_re.findall(r"<td[^>]*>([^<]*)</td>", row)[5] for row in body.split("<tr>")[1:]]
    up = [g for g in gpas(client.get(url, {"sort": 5, "dir": "asc"}).content.decode()) if g]
    down = [g for g in gpas(client.get(url, {"sort": 5, "dir": "desc"}).content.decode()) if g]
    assert up == sorted(up, key=float) and down == sorted(down, key=float, reverse=True) and up != down
    paged = client.get(url, {"per_page": 50, "page": 1}).content.decode()
    assert "Rows per page" in paged and 'aria-sort' not in paged
    sponsor = client.get(reverse("transcripts:sponsor_report", args=["017", "stsq13"]),
                         {"element": "career_option"}).content.decode()
    assert "sponsor 017" in sponsor and "Career Option Code" in sponsor
    client.force_login(make_user("E036ALL", "lea-all", "036"))
    assert client.get(reverse("transcripts:sponsor_report", args=["017", "stsq11"])).status_code == 403
    picker = client.get(reverse("transcripts:reports"), {"site": "sponsor:036", "report": "stsq11"})
    assert picker.status_code == 302 and picker.url == reverse("transcripts:sponsor_report", args=["036", "stsq11"])
