"""Pins for certification (issue 18 item 6): behaviours the suite did not hold, each asserted so it
fails when the behaviour breaks. (Un-certify withdrawing only current versions, a withdrawn
transcript verifying as withdrawn and consent-only users refused a student no longer on file are
in test_documents.py.)"""
import pytest
from django.utils import timezone

from certification import services
from certification.models import OtsEntry
from core_tables.models import Site
from tests.online.helpers import GRADUATE, student_typed
from transcripts.online import services as online
from transcripts.online.fields import raw_values

from .conftest import BSSY, make_graduate

pytestmark = pytest.mark.django_db


def test_a_charter_graduate_without_the_gee_eoc_flag_is_rejected_like_a_public_one(open_period):
    charter = Site.objects.select_related("sponsor").get(code="W3B001")
    assert charter.sponsor.kind == "charter"
    ready = make_graduate(0, site_code="W3B001")
    blank, no = make_graduate(1, site_code="W3B001", gee=""), make_graduate(2, site_code="W3B001", gee="N")
    outcome = services.certify_and_issue(charter, BSSY, by="EW3BALL")
    entries = {e.state_id: e for e in OtsEntry.objects.filter(certification=outcome.certification)}
    assert entries[ready.state_id].status == "S"
    for flagged in (blank, no):
        rejected = entries[flagged.state_id]
        assert rejected.status == "R" and "Met GEE/EOC flag is not Y" in rejected.reason, rejected.reason


def test_removing_a_graduation_date_online_marks_the_certified_site_for_recertification(open_period, site):
    grad = make_graduate(0)
    services.certify_and_issue(site, BSSY, by="E017ALL")
    assert services.state_of(site.pk, BSSY).code == "certified"
    typed = student_typed(**{**GRADUATE, "graduation_date": "", "parental_consent": "Y"})
    raw, problems = raw_values("020", site.sponsor.layout, {**typed, "state_id": grad.state_id})
    assert not problems
    outcome = online.save_student(site=site, bssy=BSSY, raw=raw, by="E017UPD", today=timezone.localdate(),
                                  student=grad)
    assert outcome.saved, (outcome.findings, outcome.needs_override)
    grad.refresh_from_db()
    assert grad.graduation_date is None
    state = services.state_of(site.pk, BSSY)
    assert state.code == "needs_recertification" and state.changed_by == "E017UPD"
