"""On PostgreSQL a snapshot is one REPEATABLE READ transaction: writes another connection commits
while it is being taken (after the students were copied, before their transcripts) are not in it,
and they are not blocked by it."""
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from harvests.models import FrozenStudent, FrozenTranscript, Snapshot
from harvests.services import request_snapshot, take
from transcripts.models import Student, Transcript

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_writes_committed_during_the_snapshot_are_not_in_it(committed_reference, tmp_path, make_user, settings):
    from tests.exports.conftest import generate, upload

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from core_tables.models import CollectionPeriod
    import datetime as dt

    CollectionPeriod.objects.update_or_create(bssy=2025, defaults={
        "opens": dt.date(2025, 12, 1), "closes": dt.date(2099, 1, 1), "is_current": True})
    make_user("E017UPL", "lea-upload", "017")
    assert upload(generate(tmp_path, "017", 20), "E017UPL")["accepted"]
    before = Transcript.objects.filter(student__bssy=2025).count()
    victim = Student.objects.filter(bssy=2025).order_by("pk").first()
    edited = Transcript.objects.exclude(student=victim).order_by("pk").first()
    snapshot = request_snapshot("Concurrent", 2025, by="test", trigger="command")
    timings = {}

    def writer():
        # Another connection: an online edit, a new record and a deletion, each committed at once.
        t = time.perf_counter()
        Transcript.objects.filter(pk=edited.pk).update(grade="F", quality_points=Decimal(0))
        Transcript.objects.create(student=edited.student, course_bssy=2025, course_code="120101", semester="S1",
                                  grade="A", credit_attempted=Decimal(1), credit_earned=Decimal(1),
                                  grade_point_max=Decimal(4), quality_points=Decimal(4), course_type="RG")
        Student.objects.filter(pk=victim.pk).delete()
        timings["writer"] = time.perf_counter() - t
        connection.close()

    def between():
        thread = threading.Thread(target=writer)
        thread.start()
        thread.join(timeout=30)
        assert not thread.is_alive(), "the writer was blocked by the snapshot"

    assert not connection.in_atomic_block
    from sts import jobs

    take(jobs.claim(Snapshot, snapshot.pk), between=between)
    snapshot.refresh_from_db()
    # The writes are committed and live...
    assert not Student.objects.filter(pk=victim.pk).exists()
    assert Transcript.objects.get(pk=edited.pk).grade == "F"
    # ...and the snapshot is as of its first statement: every record of the deleted student, the old grade.
    assert snapshot.transcripts == before == FrozenTranscript.objects.filter(snapshot=snapshot).count()
    assert FrozenTranscript.objects.filter(snapshot=snapshot, student_id=victim.pk).exists()
    frozen = FrozenTranscript.objects.get(snapshot=snapshot, student_id=edited.student_id,
                                          course_code=edited.course_code, course_bssy=edited.course_bssy,
                                          semester=edited.semester, part=edited.part)
    assert frozen.grade == edited.grade != "F"
    assert FrozenStudent.objects.filter(snapshot=snapshot, student_id=victim.pk).exists()
    assert timings["writer"] < 10
    assert Snapshot.objects.get(pk=snapshot.pk).status == "done"


@pytest.mark.django_db
def test_stsq01_formatted_by_postgresql_equals_the_python_formatter(state, tmp_path, monkeypatch):
    """A statewide STSQ01 is formatted by PostgreSQL (harvests.layouts.sql_expression); the same
    records formatted in Python (CSV, SQLite) must be the same bytes, live and from a snapshot."""
    from harvests.extracts import TranscriptDetailExtract

    from .conftest import harvest, take

    take("Both ways")
    for args in ((), ("--snapshot", "Both ways")):
        in_database = harvest("stsq01", tmp_path / "db.txt", *args)
        monkeypatch.setattr(TranscriptDetailExtract, "format_in_database", False)
        in_python = harvest("stsq01", tmp_path / "py.txt", *args)
        monkeypatch.setattr(TranscriptDetailExtract, "format_in_database", True)
        assert in_database.count("\r\nT") > 100
        assert in_database == in_python
