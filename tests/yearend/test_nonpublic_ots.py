"""Nonpublic graduates reach the OTS queue without certification (issue 20, item 2)."""
import json
from io import StringIO

import pytest
from django.core.management import call_command

from certification.models import OfficialTranscript, OtsEntry
from certification.storage import file_of
from certification.verify import verify_code, verify_pdf

from . import nonpublic

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploader(make_user, open_period):
    return make_user("EN52UPL", "lea-upload", "N52")


def upload(tmp_path, capture, *record_sets, name="NP.txt"):
    path = nonpublic.write(tmp_path / name, *record_sets)
    out = StringIO()
    with capture(execute=True):
        call_command("sts_upload", str(path), "--user", "EN52UPL", "--mode", "partial", "--today", "2026-06-01",
                     "--json", stdout=out)
    return json.loads(out.getvalue())


def test_uploaded_graduate_reaches_s_with_a_signed_pdf_and_a_rejected_one_r_with_the_reason(
        tmp_path, uploader, eager, django_capture_on_commit_callbacks):
    result = upload(tmp_path, django_capture_on_commit_callbacks, nonpublic.graduate("200000001", "DOE"),
                    nonpublic.graduate("200000002", "ROE", courses=nonpublic.PASSING_TU[:10]))
    assert result["accepted"] and result["students"]["loaded"] == 2, result
    entries = {e.state_id: e for e in OtsEntry.objects.all()}
    assert entries["200000001"].status == "S" and entries["200000001"].certification is None
    assert entries["200000002"].status == "R"
    assert "removed by the graduation check" in entries["200000002"].reason
    t = OfficialTranscript.objects.get()
    assert (t.state_id, t.version, t.certification) == ("200000001", 1, None)
    verdict = verify_pdf(file_of(t).read_bytes())
    assert verdict.genuine and verdict.transcript.current and verify_code(t.code).genuine
    # The OTS search finds it as it finds a public graduate's (the nonpublic school's own coordinator too).
    from certification.queries import search_transcripts

    assert list(search_transcripts(uploader, {"state_id": "200000001"})) == [t]
    assert list(search_transcripts(uploader, {"name": "DOE, J*"})) == [t]


def test_a_later_change_issues_version_2_and_an_unchanged_upload_none(tmp_path, uploader, eager,
                                                                      django_capture_on_commit_callbacks):
    upload(tmp_path, django_capture_on_commit_callbacks, nonpublic.graduate("200000001", "DOE"))
    first = OfficialTranscript.objects.get()
    upload(tmp_path, django_capture_on_commit_callbacks, nonpublic.graduate("200000001", "DOE", grade="B"),
           name="NP2.txt")
    second = OfficialTranscript.objects.get(version=2)
    first.refresh_from_db()
    assert not first.current and second.current and first.superseded_by_id == second.pk
    assert verify_pdf(file_of(first).read_bytes()).transcript.standing == "superseded"
    # A recompute with nothing changed (STSQ05, say) queues nothing more.
    from transcripts.models import Student
    from transcripts.progress_store import recompute

    entries = OtsEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        recompute(Student.objects.values_list("pk", flat=True))
    assert OtsEntry.objects.count() == entries and OfficialTranscript.objects.count() == 2


def test_graduates_left_queued_by_a_signing_fault_are_issued_by_the_next_change(tmp_path, uploader, eager, settings,
                                                                              django_capture_on_commit_callbacks):
    from certification.models import IssueBatch

    good = settings.STS_SIGNING_CERT
    settings.STS_SIGNING_CERT = str(tmp_path / "missing.pem")
    upload(tmp_path, django_capture_on_commit_callbacks, nonpublic.graduate("200000001", "DOE"))
    entry = OtsEntry.objects.get()
    assert entry.status == "Q" and IssueBatch.objects.get().status == "failed"  # never rejected for our fault
    settings.STS_SIGNING_CERT = good
    upload(tmp_path, django_capture_on_commit_callbacks, nonpublic.graduate("200000001", "DOE", grade="B"),
           name="NP2.txt")
    entry.refresh_from_db()
    assert entry.status == "S" and OtsEntry.objects.count() == 1
    assert list(IssueBatch.objects.order_by("pk").values_list("status", flat=True)) == ["done", "done"]
