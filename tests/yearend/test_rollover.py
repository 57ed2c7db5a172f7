"""Rollover of BSSY 2025's non-graduates into 2026 (issue 20, item 1)."""
import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from transcripts.models import Ibc, Student, StudentChange, StudentProgress, Transcript
from yearend import rollover
from yearend.models import RolledStudent

from .conftest import make_student

pytestmark = pytest.mark.django_db


def roll(*args):
    out = StringIO()
    call_command("sts_rollover", "--from", "2025", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_dry_run_counts_and_changes_nothing(year):
    out = roll("--sponsor", "017", "--dry-run")
    assert (out["rolled"], out["skipped_graduates"], out["already_present"]) == (2, 1, 0)
    assert out["dry_run"] is True and out["sponsors"] == [
        {"sponsor": "017", "rolled": 2, "skipped_graduates": 1, "already_present": 0}]
    assert not Student.objects.filter(bssy=2026).exists()


def test_non_graduates_roll_with_history_and_ibcs_consent_reset_grade_up(year):
    out = roll("--sponsor", "017")
    assert (out["rolled"], out["skipped_graduates"], out["already_present"]) == (2, 1, 0)
    new = {s.state_id: s for s in Student.objects.filter(bssy=2026)}
    junior, t9, graduate = year["junior"], year["t9"], year["graduate"]
    assert set(new) == {junior.state_id, t9.state_id} and graduate.state_id not in new  # graduates stay
    copy = new[junior.state_id]
    assert copy.parental_consent is False and junior.parental_consent is True  # consent is per school year
    assert copy.grade == "12" and new[t9.state_id].grade == "09"
    assert (copy.site_id, copy.local_id, copy.diploma_path, copy.grade9_entry) == (
        junior.site_id, junior.local_id, junior.diploma_path, junior.grade9_entry)

    def courses(student):
        return sorted(Transcript.objects.filter(student=student).values_list(
            "course_bssy", "course_code", "semester", "grade", "credit_earned", "quality_points"))
    assert courses(copy) == courses(junior) and len(courses(copy)) == 24
    assert list(Ibc.objects.filter(student=copy).values_list("ibc_code", "pass_fail", "year_earned")) == [
        ("001", "P", 2025)]
    assert StudentProgress.objects.get(student=copy).total_credits == 24  # stored for the new year
    marker = RolledStudent.objects.get(student=copy)
    assert (marker.from_bssy, marker.from_grade, marker.from_site) == (2025, "11", "017001")
    # The old year is untouched.
    assert Student.objects.filter(bssy=2025).count() == 3 and Transcript.objects.filter(student=junior).count() == 24


def test_second_run_changes_nothing_and_reports_already_present(year):
    roll("--sponsor", "017")
    before = sorted(Student.objects.filter(bssy=2026).values_list("pk", "updated_at"))
    out = roll("--sponsor", "017")
    assert (out["rolled"], out["skipped_graduates"], out["already_present"]) == (0, 1, 2)
    assert sorted(Student.objects.filter(bssy=2026).values_list("pk", "updated_at")) == before
    assert Transcript.objects.filter(student__bssy=2026).count() == 48


def test_a_student_already_sent_for_the_new_year_is_never_overwritten(year):
    junior = year["junior"]
    sent = make_student(1, "12", bssy=2026, courses=["120101"], diploma_path="CA")
    out = roll("--sponsor", "017")
    assert (out["rolled"], out["already_present"]) == (1, 1)
    sent.refresh_from_db()
    assert (sent.grade, sent.diploma_path, sent.transcripts.count()) == ("12", "CA", 1)
    assert not RolledStudent.objects.filter(student=sent).exists()
    assert Student.objects.filter(bssy=2026, state_id=junior.state_id).count() == 1


def test_undo_removes_exactly_what_the_rollover_added(year):
    sent = make_student(3, "10", bssy=2026)  # the LEA's, before the rollover
    roll("--sponsor", "017")
    assert Student.objects.filter(bssy=2026).count() == 3
    removed = rollover.undo(year["junior"].sponsor, 2026, by="ELDOE01")
    assert removed == 2
    assert list(Student.objects.filter(bssy=2026).values_list("pk", flat=True)) == [sent.pk]
    assert sent.transcripts.count() == 24
    assert not StudentChange.objects.filter(bssy=2026, source="rollover").exists()
    assert Student.objects.filter(bssy=2025).count() == 3
    # Undone: a new rollover can copy them again.
    assert roll("--sponsor", "017")["rolled"] == 2


def test_undo_is_refused_after_the_sponsors_first_change_in_the_new_year(year):
    from transcripts.online.services import delete_row

    roll("--sponsor", "017")
    copy = Student.objects.get(bssy=2026, state_id=year["junior"].state_id)
    assert rollover.undo_refusal(copy.sponsor, 2026) == ""
    delete_row(copy, copy.ibcs.get(), by="E017UPD", today=dt.date(2026, 1, 5))  # the sponsor's first change
    assert "online" in rollover.undo_refusal(copy.sponsor, 2026)
    with pytest.raises(rollover.RolloverRefused, match="can no longer be undone"):
        rollover.undo(copy.sponsor, 2026, by="ELDOE01")
    assert Student.objects.filter(bssy=2026).count() == 2


def test_rolled_marker_and_awaiting_filter(year):
    from yearend.queries import rolled_filter, rolled_marker

    roll("--sponsor", "017")
    copies = Student.objects.filter(bssy=2026)
    junior = copies.get(state_id=year["junior"].state_id)
    assert "Rolled over from BSSY 2025 (grade 11)" in rolled_marker(junior)
    assert rolled_filter(copies, "awaiting").count() == 2
    junior.local_id = "NEW1"
    junior.save()  # the LEA changed it: no longer awaiting
    assert list(rolled_filter(copies, "awaiting")) == [copies.get(state_id=year["t9"].state_id)]
    assert rolled_filter(copies, "rolled").count() == 2 and rolled_filter(copies, "not_rolled").count() == 0


def test_command_refuses_bad_input():
    with pytest.raises(CommandError, match="From BSSY"):
        call_command("sts_rollover", "--from", "20x5")
    with pytest.raises(CommandError, match="no sponsor"):
        call_command("sts_rollover", "--from", "2025", "--sponsor", "ZZZ")
