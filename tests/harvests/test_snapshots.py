"""Snapshots: frozen as of one instant, taken once, unchanged by later uploads, edits and deletions."""
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from harvests.models import Deadline, FrozenIbc, FrozenStudent, FrozenTranscript, Snapshot
from transcripts.models import Ibc, Student, Transcript

from .conftest import BSSY, generate, harvest, take, upload

pytestmark = pytest.mark.django_db


def test_take_prints_name_and_counts_made_from_the_records(state):
    result = take("Feb harvest")
    students = Student.objects.filter(bssy=BSSY)
    assert result["name"] == "Feb harvest" and result["status"] == "done"
    assert result["students"] == students.count() == FrozenStudent.objects.count()
    assert result["transcripts"] == Transcript.objects.filter(student__bssy=BSSY).count() > 0
    assert result["ibcs"] == Ibc.objects.filter(student__bssy=BSSY).count()
    assert result["consent_n"] == students.filter(parental_consent=False).count()
    assert result["graduates"] == students.filter(graduation_date__isnull=False).count()
    # The frozen progress is the stored one.
    s = students.filter(progress__tops_gpa__isnull=False).select_related("progress").first()
    frozen = FrozenStudent.objects.get(student_id=s.pk)
    assert (frozen.tops_gpa, frozen.overall_gpa, frozen.sponsor_code, frozen.site_code) == (
        s.progress.tops_gpa, s.progress.overall_gpa, s.sponsor.code, s.site.code)
    assert frozen.pathway == s.progress.result["pathway"]["code"]


def test_the_same_name_taken_twice_is_refused_and_not_duplicated(state):
    take("June harvest")
    with pytest.raises(CommandError, match="already taken"):
        take("June harvest")
    assert Snapshot.objects.filter(name="June harvest").count() == 1
    assert FrozenStudent.objects.count() == Student.objects.filter(bssy=BSSY).count()


def test_list_json(state):
    take("A")
    out = io.StringIO()
    call_command("sts_snapshot", "list", "--bssy", str(BSSY), "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [r["name"] for r in rows] == ["A"] and rows[0]["students"] == Student.objects.count()
    out = io.StringIO()
    call_command("sts_snapshot", "list", "--bssy", "2019", "--json", stdout=out)
    assert json.loads(out.getvalue()) == []


def test_a_deadline_is_taken_once(state):
    from harvests.services import SnapshotRefused, request_snapshot

    deadline = Deadline.objects.create(bssy=BSSY, name="Sept", due_at=dt.datetime(2026, 9, 15, tzinfo=dt.UTC))
    request_snapshot("Sept", BSSY, by="x", trigger="deadline", deadline=deadline)
    with pytest.raises(SnapshotRefused):
        request_snapshot("Sept again", BSSY, by="x", trigger="deadline", deadline=deadline)
    assert Snapshot.objects.filter(deadline=deadline).count() == 1


def test_extracts_of_a_snapshot_survive_uploads_edits_and_deletions(state, tmp_path):
    take("Frozen")
    before = {(x, fmt): harvest(x, tmp_path / f"{x}.{fmt}", "--snapshot", "Frozen", "--format", fmt)
              for x in ("stsq01", "stsq02", "stsq03") for fmt in ("txt", "csv")}
    live_before = harvest("stsq01", tmp_path / "live1.txt")
    # An online edit, a deletion and an upload of new data after the snapshot.
    edited = Student.objects.filter(bssy=BSSY, parental_consent=True).first()
    Student.objects.filter(pk=edited.pk).update(last_name="CHANGED", graduation_date=dt.date(2026, 5, 20))
    Transcript.objects.filter(student=edited).update(grade="F")
    Student.objects.filter(bssy=BSSY, parental_consent=True).exclude(pk=edited.pk).first().delete()
    result = upload(generate(tmp_path, "017", 10, seed=9, name="again.txt"), "E017UPL")
    assert result["accepted"]
    after = {(x, fmt): harvest(x, tmp_path / f"{x}2.{fmt}", "--snapshot", "Frozen", "--format", fmt)
             for x in ("stsq01", "stsq02", "stsq03") for fmt in ("txt", "csv")}
    assert after == before
    assert harvest("stsq01", tmp_path / "live2.txt") != live_before  # the live data did change
    assert FrozenTranscript.objects.count() and FrozenIbc.objects.count() == Snapshot.objects.get().ibcs


def test_a_deleted_snapshot_takes_its_frozen_rows_and_only_its_own(state):
    # The frozen tables carry no database foreign key (docs/benchmarks.md): the rows go with it here.
    take("Kept")
    take("Dropped")
    kept, dropped = Snapshot.objects.get(name="Kept"), Snapshot.objects.get(name="Dropped")
    counts = {m: m.objects.filter(snapshot=kept).count() for m in (FrozenStudent, FrozenTranscript, FrozenIbc)}
    Snapshot.objects.filter(pk=dropped.pk).delete()
    for model, n in counts.items():
        assert n and model.objects.filter(snapshot=kept).count() == n
        assert not model.objects.filter(snapshot_id=dropped.pk).exists()


def test_a_snapshot_gives_the_cores_back_while_an_upload_runs_and_only_then(state, monkeypatch, settings):
    """Chunk by chunk, all in one read; after each chunk it pauses while a watched job (an upload)
    holds a lease, never otherwise. The frozen rows are the same either way."""
    from django.core.cache import cache

    from harvests import services
    from sts import jobs
    from uploads.models import Upload

    settings.STS_JOB_STALE_SECONDS = 120
    monkeypatch.setattr(services, "CHUNK_STUDENTS", 7)  # 65 students: 10 chunks
    pauses = []
    monkeypatch.setattr(services, "give_way", pauses.append)
    cache.delete(jobs.WATCHED_KEY)  # the fixture's uploads have ended
    alone = take("Alone")
    assert pauses == [] and not jobs.someone_waiting()
    with jobs.lease(Upload(pk=10**9, status="processing", attempts=1)):  # a worker runs an upload
        assert jobs.someone_waiting()
        beside = take("Beside")
    assert len(pauses) == 3 * 10 and all(p >= 0 for p in pauses)  # students, transcripts, IBCs
    assert {k: beside[k] for k in ("students", "transcripts", "ibcs")} == {
        k: alone[k] for k in ("students", "transcripts", "ibcs")}
    frozen = {name: sorted(FrozenTranscript.objects.filter(snapshot__name=name).values_list("row_id", "grade"))
              for name in ("Alone", "Beside")}
    assert frozen["Alone"] == frozen["Beside"] and len(frozen["Alone"]) == alone["transcripts"]
