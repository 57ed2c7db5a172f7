"""Certification state transitions and the OTS queue: Q -> S (issued, versioned) or R (reason),
idempotent under redelivery."""
import pytest
from django.utils import timezone

from certification import services
from certification.models import Certification, OfficialTranscript, OtsEntry
from certification.storage import file_of
from core_tables.models import Site
from tests.batch import helpers as batch
from transcripts.models import GraduationOverride, Transcript
from transcripts.online import services as online
from transcripts.online.fields import raw_values
from uploads.pipeline import run_pipeline

from .conftest import BSSY, PASSING_TU, make_graduate, registry

pytestmark = pytest.mark.django_db


def entry_of(student, certification=None):
    entries = OtsEntry.objects.filter(state_id=student.state_id)
    if certification is not None:
        entries = entries.filter(certification=certification)
    return entries.order_by("-queued_at", "-id").first()


def test_certifying_issues_ready_graduates_and_rejects_the_others_with_reasons(open_period, site):
    ready = make_graduate(0)
    no_gee = make_graduate(1, gee="")
    short = make_graduate(2, courses=PASSING_TU[:10])  # its graduation date kept (ORM set-up), the check fails
    outcome = services.certify_and_issue(site, BSSY, by="E017ALL")
    assert [s.state_id for s in outcome.ready] == [ready.state_id]
    assert {s.state_id for s, _ in outcome.not_ready} == {no_gee.state_id, short.state_id}
    assert entry_of(ready).status == "S" and entry_of(ready).transcript.version == 1
    assert entry_of(no_gee).status == "R" and "Met GEE/EOC flag is not Y" in entry_of(no_gee).reason
    assert entry_of(short).status == "R" and "Curriculum requirements not complete" in entry_of(short).reason
    assert services.state_of(site.pk, BSSY).code == "certified"
    transcript = OfficialTranscript.objects.get()
    assert file_of(transcript).read_bytes()[:5] == b"%PDF-" and transcript.current


def test_queued_entries_are_rejected_for_each_condition_failing_when_the_worker_runs(open_period, site):
    """Q -> R: the worker checks the conditions again with the data as it is then."""
    students = [make_graduate(i) for i in range(6)]
    outcome = services.certify_site(site, BSSY, by="E017ALL", queue=False)
    assert set(OtsEntry.objects.values_list("status", flat=True)) == {"Q"}
    a, b, c, d, e, f = students
    type(a).objects.filter(pk=a.pk).update(graduation_date=None)
    type(b).objects.filter(pk=b.pk).update(gee_flag="N")
    Transcript.objects.filter(student=c).delete()  # no graded course: no GPA, curriculum not complete
    c.progress.delete()
    type(d).objects.filter(pk=d.pk).update(site=Site.objects.get(code="017002"))  # moved to another site
    e.delete()
    services.process_entries(outcome.entry_ids)
    reasons = {s.state_id: (entry_of(s).status, entry_of(s).reason) for s in students}
    assert reasons[a.state_id] == ("R", "No graduation date")
    assert reasons[b.state_id] == ("R", "Met GEE/EOC flag is not Y (it is 'N')")
    assert reasons[c.state_id][0] == "R" and "GPA not calculated" in reasons[c.state_id][1]
    assert reasons[d.state_id] == ("R", "The student is no longer at the certified site")
    assert reasons[e.state_id] == ("R", "The student is no longer on file")
    assert reasons[f.state_id] == ("S", "")


def test_a_change_after_certification_rejects_queued_graduates_until_recertified(open_period, site):
    grad = make_graduate(0)
    outcome = services.certify_site(site, BSSY, by="E017ALL", queue=False)
    from transcripts.graduates import mark_graduate_change
    mark_graduate_change([site.pk], BSSY, by="E017UPD", source="online")
    services.process_entries(outcome.entry_ids)
    entry = entry_of(grad)
    assert entry.status == "R" and entry.reason.startswith("Site not certified: graduate data changed on")
    assert services.state_of(site.pk, BSSY).code == "needs_recertification"


def _online_grade_change(student, grade="B"):
    t = student.transcripts.order_by("pk").first()
    typed = {"course_bssy": str(t.course_bssy), "course_code": t.course_code, "part": "", "semester": "Y1",
             "grade": grade, "credit_attempted": "1.00", "credit_earned": "1.00", "grade_point_max": "4.00",
             "quality_points": "3.00", "waiver": "N", "course_type": "RG", "distance_learning": "",
             "course_sponsor": "017", "course_site": "017001", "course_site_name": "", "course_name": "",
             "local_course_code": "", "de_credit_hours": "", "de_secondary_site": ""}
    raw, problems = raw_values("030", "public", typed)
    assert not problems
    outcome = online.save_transcript(student, raw, by="E017UPD", today=timezone.localdate(), transcript=t)
    assert outcome.saved, outcome.findings


def test_online_correction_needs_recertification_and_recertifying_issues_version_2(open_period, site):
    grad, other = make_graduate(0), make_graduate(1)
    services.certify_and_issue(site, BSSY, by="E017ALL")
    first = OfficialTranscript.objects.get(state_id=grad.state_id)
    _online_grade_change(grad)
    state = services.state_of(site.pk, BSSY)
    assert state.code == "needs_recertification" and state.change_source == "online"
    assert state.changed_by == "E017UPD"
    second_cert = services.certify_and_issue(site, BSSY, by="E017ALL").certification
    versions = list(OfficialTranscript.objects.filter(state_id=grad.state_id).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    first.refresh_from_db()
    assert not first.current and first.superseded_by == versions[1] and versions[1].current
    assert versions[1].data_hash != first.data_hash
    # The graduate whose data did not change keeps version 1 (no duplicate version).
    unchanged = entry_of(other, second_cert)
    assert unchanged.status == "S" and unchanged.transcript.version == 1 and unchanged.transcript.current
    assert "Unchanged since version [1]" in unchanged.reason
    assert services.state_of(site.pk, BSSY).code == "certified"


def test_a_batch_upload_of_a_graduate_flips_the_site_to_needs_recertification(open_period, site, make_user, tmp_path):
    grad = make_graduate(0)
    services.certify_and_issue(site, BSSY, by="E017ALL")
    uploader = make_user("E017UPL", "lea-upload", "017")
    sid = registry("017001", 0)
    records = [batch.student_record(sid, grade="12", grade9_entry="2022", graduation_date="05202026", fafsa="1",
                                    gee_flag="Y")]
    records += [batch.course(sid, code=c, course_bssy=2022 + i // 6) for i, c in enumerate(PASSING_TU)]
    path = batch.write(tmp_path / "fix.txt", *records)
    run_pipeline(path, path.name, mode="partial", today=timezone.localdate(), user=uploader)
    state = services.state_of(site.pk, BSSY)
    assert state.code == "needs_recertification" and state.change_source == "batch"
    assert grad.state_id in OtsEntry.objects.values_list("state_id", flat=True)


def test_uncertify_withdraws_transcripts_keeps_them_and_rejects_queued(open_period, site):
    grad = make_graduate(0)
    services.certify_and_issue(site, BSSY, by="E017ALL")
    queued = services.certify_site(site, BSSY, by="E017ALL", queue=False)  # still queued
    row, withdrawn = services.uncertify_site(site, BSSY, by="E017ALL")
    assert withdrawn == 1 and row.action == "uncertify"
    t = OfficialTranscript.objects.get()
    assert not t.current and t.standing.startswith("Withdrawn: site un-certified on") and file_of(t).exists()
    assert OtsEntry.objects.get(pk=queued.entry_ids[0]).status == "R"
    assert services.state_of(site.pk, BSSY).code == "uncertified"
    assert Certification.objects.filter(site=site, bssy=BSSY).count() == 3  # history kept
    # Certifying again issues a new current version.
    services.certify_and_issue(site, BSSY, by="E017ALL")
    assert OfficialTranscript.objects.get(state_id=grad.state_id, superseded_at__isnull=True).version == 2


def test_a_redelivered_chunk_issues_nothing_twice(open_period, site):
    make_graduate(0)
    outcome = services.certify_site(site, BSSY, by="E017ALL", queue=False)
    assert services.process_entries(outcome.entry_ids) == {"S": 1, "R": 0, "skipped": 0}
    assert services.process_entries(outcome.entry_ids) == {"S": 0, "R": 0, "skipped": 1}
    assert OfficialTranscript.objects.count() == 1


def test_a_stale_chunk_of_an_older_certification_never_overwrites_a_newer_version(open_period, site):
    grad = make_graduate(0)
    old = services.certify_site(site, BSSY, by="E017ALL", queue=False)
    new = services.certify_site(site, BSSY, by="E017ALL", queue=False)
    services.process_entries(new.entry_ids)
    services.process_entries(old.entry_ids)  # redelivered late
    assert entry_of(grad, old.certification).status == "R"
    assert "replaced" in entry_of(grad, old.certification).reason
    assert OfficialTranscript.objects.filter(state_id=grad.state_id).count() == 1


def test_an_override_lets_a_graduate_whose_check_fails_through(open_period, site):
    grad = make_graduate(0, courses=PASSING_TU[:20])
    GraduationOverride.objects.create(student=grad, graduation_date=grad.graduation_date, removal_reasons=["2"],
                                      reason="Waiver", by="E017UPD")
    services.certify_and_issue(site, BSSY, by="E017ALL")
    assert entry_of(grad).status == "S"


def test_nonpublic_sites_are_not_certified(open_period):
    from core_tables.models import Site

    site = Site.objects.select_related("sponsor").filter(sponsor__kind="nonpublic").first()
    with pytest.raises(services.NotCertifiable, match="public and charter schools only"):
        services.certify_site(site, BSSY, by="ELDOE01")


def test_a_signing_fault_is_not_the_students_fault(open_period, site, settings):
    """The key becomes unreadable after certifying, while graduates wait in the queue: issuing stops
    with a message for state staff, the graduate stays queued (never rejected) and is issued once
    the configuration is mended. (Certifying itself refuses while the key is missing:
    tests/certification/test_signing_fault.py.)"""
    grad = make_graduate(0)
    outcome = services.certify_site(site, BSSY, by="E017ALL", queue=False)
    good_key = settings.STS_SIGNING_KEY
    settings.STS_SIGNING_KEY = "/nonexistent/key.pem"
    with pytest.raises(services.IssueProblem, match="cannot be signed"):
        services.process_entries(outcome.entry_ids)
    entry = entry_of(grad)
    assert entry.status == "Q" and entry.reason == ""
    settings.STS_SIGNING_KEY = good_key
    assert services.process_entries([entry.pk]) == {"S": 1, "R": 0, "skipped": 0}
    assert entry_of(grad).status == "S"


def test_a_defect_leaves_the_graduate_queued_and_the_others_issued(open_period, site, monkeypatch):
    """An unexpected error producing one transcript does not reject that graduate nor stop the batch."""
    first, second = make_graduate(0), make_graduate(1)
    outcome = services.certify_site(site, BSSY, by="E017ALL", queue=False)
    real = services.issue_entry
    broken = entry_of(first).pk

    def flaky(entry_id, gatherer=None):
        if entry_id == broken:
            raise ValueError("a defect")
        return real(entry_id, gatherer)
    monkeypatch.setattr(services, "issue_entry", flaky)
    with pytest.raises(services.IssueProblem, match="1 official transcript could not be produced"):
        services.process_entries(outcome.entry_ids)
    assert entry_of(first).status == "Q" and entry_of(second).status == "S"


@pytest.mark.postgres
def test_a_worker_issuing_one_entry_does_not_hold_its_sites_other_entries(committed_reference, open_period):
    """Two workers issue a site's graduates in parallel: locking an entry locks that row only, not
    the joined certification or site (PostgreSQL's FOR UPDATE otherwise takes them too)."""
    import threading

    from django.db import DatabaseError, connection, transaction

    site = Site.objects.get(code="017001")
    for i in range(2):
        make_graduate(i)
    services.certify_site(site, BSSY, by="E017ALL", queue=False)
    first, second = OtsEntry.objects.order_by("pk")[:2]
    outcome = {}

    def other_worker():
        try:
            with transaction.atomic():
                outcome["entry"] = services.locked_entry(second.pk) is not None
                Certification.objects.select_for_update(nowait=True).get(pk=first.certification_id)
                Site.objects.select_for_update(nowait=True).get(pk=site.pk)
                outcome["shared rows free"] = True
        except DatabaseError as exc:
            outcome["error"] = str(exc)
        finally:
            connection.close()

    with transaction.atomic():
        assert services.locked_entry(first.pk) is not None
        thread = threading.Thread(target=other_worker)
        thread.start()
        thread.join(10)
    assert outcome == {"entry": True, "shared rows free": True}, outcome
