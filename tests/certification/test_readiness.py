"""The guide's OTS conditions as a pure function over stored facts (no database)."""
import datetime as dt
from decimal import Decimal

import pytest

from certification.readiness import GraduateFacts, reasons_not_ready, site_state

READY = dict(state_id="1", sponsor_kind="public", graduation_date=dt.date(2026, 5, 20), gee_flag="Y",
             diploma_path="TU", has_progress=True, overall_gpa=Decimal("3.5"), meets_graduation=True)


def facts(**changes):
    return GraduateFacts(**{**READY, **changes})


def test_a_complete_graduate_is_ready():
    assert reasons_not_ready(facts()) == []


@pytest.mark.parametrize("changes,expected", [
    ({"graduation_date": None}, "No graduation date"),
    ({"graduation_date": None, "removed_graduation_date": dt.date(2026, 5, 20), "removal_reasons": ("2",)},
     "Graduation date 05/20/2026 removed by the graduation check (2 fewer than the required credits)"),
    ({"has_progress": False, "overall_gpa": None}, "GPA not calculated"),
    ({"overall_gpa": None}, "GPA not calculated (no graded course on file)"),
    ({"meets_graduation": False, "check_reasons": ("3",)}, "Curriculum requirements not complete (3 diploma path"),
    ({"gee_flag": ""}, "Met GEE/EOC flag is not Y (blank)"),
    ({"gee_flag": "N"}, "Met GEE/EOC flag is not Y (it is 'N')"),
    ({"diploma_path": ""}, "No diploma pathway"),
])
def test_each_failing_condition_has_its_reason(changes, expected):
    reasons = reasons_not_ready(facts(**changes))
    assert any(r.startswith(expected) for r in reasons), reasons


def test_an_override_keeps_a_graduate_whose_check_fails_ready():
    assert reasons_not_ready(facts(meets_graduation=False, check_reasons=("2",), overridden=True)) == []


def test_gee_is_not_asked_of_nonpublic_graduates_and_not_reported_twice():
    assert reasons_not_ready(facts(sponsor_kind="nonpublic", gee_flag="")) == []
    reasons = reasons_not_ready(facts(gee_flag="", meets_graduation=False, check_reasons=("4",)))
    assert reasons == ["Met GEE/EOC flag is not Y (blank)"]


def test_site_states_name_who_when_and_what():
    at = dt.datetime(2026, 5, 21, 9, 0, tzinfo=dt.timezone.utc)
    later = at + dt.timedelta(hours=2)
    assert site_state(None).describe() == "Never certified"
    assert site_state("certify", at, "E017ALL").describe() == "Certified on 05/21/2026 09:00 by E017ALL"
    assert site_state("certify", at, "E017ALL", changed_at=at - dt.timedelta(days=1)).code == "certified"
    state = site_state("certify", at, "E017ALL", later, "E017UPL", "upload #12")
    assert state.code == "needs_recertification" and state.is_certified
    assert state.describe().startswith("Needs recertification since 05/21/2026 11:00 because of upload #12 by E017UPL")
    assert site_state("uncertify", later, "E017ALL").describe() == "Un-certified on 05/21/2026 11:00 by E017ALL"
    assert not site_state("uncertify", later, "E017ALL").is_certified
