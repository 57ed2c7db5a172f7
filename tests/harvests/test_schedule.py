"""The scheduled snapshots fire from beat at their deadline (the clock frozen by passing `now`,
as beat's clock) and the weekly LOSFA run on its weekday."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from harvests import services, tasks
from harvests.models import Deadline, FrozenStudent, Snapshot
from transcripts.models import Student

from .conftest import BSSY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]
CENTRAL = ZoneInfo("America/Chicago")


def test_default_deadlines_mid_february_june_september():
    deadlines = services.ensure_default_deadlines(BSSY)
    assert [timezone_date(d.due_at) for d in deadlines] == [dt.date(2026, 2, 15), dt.date(2026, 6, 15),
                                                            dt.date(2026, 9, 15)]
    assert len(services.ensure_default_deadlines(BSSY)) == 3 and Deadline.objects.count() == 3


def timezone_date(value):
    return value.astimezone(CENTRAL).date()


def test_a_deadline_fires_at_its_time_once(state, settings, django_capture_on_commit_callbacks):
    settings.STS_LOSFA_WEEKDAY = 6  # a Sunday: the weekly run stays out of this test
    due = dt.datetime(2026, 2, 16, 12, 0, tzinfo=CENTRAL)  # a Monday
    Deadline.objects.create(bssy=BSSY, name="February harvest", due_at=due)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.take_due_snapshots(now=due - dt.timedelta(minutes=1)) == []
    assert not Snapshot.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.take_due_snapshots(now=due + dt.timedelta(seconds=30)) == ["February harvest"]
    snapshot = Snapshot.objects.get()
    # Taken by the task, sent on commit (run here in this process: `eager`).
    assert snapshot.trigger == "deadline" and snapshot.deadline.name == "February harvest"
    assert snapshot.status == "done" and FrozenStudent.objects.count() == Student.objects.filter(bssy=BSSY).count()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.take_due_snapshots(now=due + dt.timedelta(minutes=1)) == []  # taken once
    assert Snapshot.objects.count() == 1


def test_weekly_losfa_run_on_tuesdays(state, settings, django_capture_on_commit_callbacks):
    settings.STS_LOSFA_WEEKDAY, settings.STS_LOSFA_HOUR = 1, 6
    tuesday_early = dt.datetime(2026, 3, 3, 5, 59, tzinfo=CENTRAL)
    assert tuesday_early.weekday() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.take_due_snapshots(now=tuesday_early) == []
        assert tasks.take_due_snapshots(now=tuesday_early + dt.timedelta(minutes=1)) == ["LOSFA weekly 2026-03-03"]
        assert tasks.take_due_snapshots(now=tuesday_early + dt.timedelta(hours=3)) == []
        assert tasks.take_due_snapshots(now=tuesday_early + dt.timedelta(days=1)) == []  # Wednesday
        assert tasks.take_due_snapshots(now=tuesday_early + dt.timedelta(days=7, hours=1)) == [
            "LOSFA weekly 2026-03-10"]
    assert list(Snapshot.objects.order_by("name").values_list("trigger", "status")) == [("weekly", "done")] * 2


def test_beat_schedules_the_task(settings):
    entries = {e["task"]: e for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert entries["harvests.tasks.take_due_snapshots"]["schedule"] <= 60
