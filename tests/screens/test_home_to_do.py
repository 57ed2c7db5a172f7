"""Home shows each role what needs doing (issue 22, item 5): uploads with errors, sites with
graduates to certify, a collection period about to close, prior-period requests."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core_tables.models import CollectionPeriod, PriorPeriodRequest, Sponsor
from tests.progress_web.helpers import make_student

pytestmark = pytest.mark.django_db


def tasks(client):
    html = client.get(reverse("home")).content.decode()
    box = html.split('id="to-do"')[1].split("Announcements")[0]
    return {kind: text for kind, text in re.findall(r'data-task="(\w+)">(.*?)</div></div>', box, re.S)}, box


def test_uploads_with_errors_show_for_the_sponsors_uploaders_only(client, make_user, current_2025):
    uploader = make_user("E017UPL", "lea-upload", "017")
    sponsor = Sponsor.objects.get(code="017")
    bad = Upload(uploader, sponsor, "bad.txt", "complete", {"error_020": 2, "loaded_020": 5})
    Upload(uploader, sponsor, "good.txt", "complete", {"error_020": 0, "loaded_020": 7})
    refused = Upload(uploader, None, "junk.txt", "not_accepted", {})
    client.force_login(uploader)
    found, _ = tasks(client)
    assert "2 uploads of the last 14 days have errors to correct" in found["uploads"]
    assert f"#{bad.pk} bad.txt" in found["uploads"] and "2 records of rejected students" in found["uploads"]
    assert f"#{refused.pk} junk.txt" in found["uploads"] and "File Not Accepted" in found["uploads"]
    assert "good.txt" not in found["uploads"]
    client.force_login(make_user("E036ALL", "lea-all", "036"))
    found, box = tasks(client)
    assert "uploads" not in found and "bad.txt" not in box


def Upload(user, sponsor, name, status, counts):
    from uploads.models import Upload as Model

    return Model.objects.create(user=user, sponsor=sponsor, bssy=2025, mode="partial", original_name=name,
                                stored_path="/nonexistent", status=status, counts=counts)


def test_a_certifier_sees_its_sites_with_graduates_not_yet_certified(client, make_user, current_2025):
    make_student("1000000021", "017001", graduation_date=dt.date(2026, 5, 20))
    make_student("1000000022", "017002")  # no graduate: nothing to certify
    client.force_login(make_user("E017GRD", "lea-gradcert", "017"))
    found, _ = tasks(client)
    assert "1 site with graduates not certified for 2025-26" in found["certify"]
    assert "017001" in found["certify"] and "Never certified" in found["certify"] and "017002" not in found["certify"]
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    found, box = tasks(client)
    assert found == {} and 'id="nothing-to-do"' in box


def test_a_closing_collection_period_shows_as_a_deadline(client, make_user, current_2025):
    today = timezone.localdate()
    CollectionPeriod.objects.filter(bssy=2025).update(opens=today - dt.timedelta(days=100),
                                                      closes=today + dt.timedelta(days=10))
    client.force_login(make_user("E017UPD", "lea-update", "017"))
    found, _ = tasks(client)
    assert f"closes in 10 days, on {today + dt.timedelta(days=10):%m/%d/%Y}" in found["deadline"]
    CollectionPeriod.objects.filter(bssy=2025).update(closes=today + dt.timedelta(days=100))
    found, _ = tasks(client)
    assert "deadline" not in found


def test_prior_period_requests_wait_on_ldoe_and_show_to_the_requesting_sponsor(client, make_user, current_2025):
    lea = make_user("E017UPD", "lea-update", "017")
    PriorPeriodRequest.objects.create(sponsor=lea.sponsor, bssy=2023, requested_by=lea, coordinator_name="C",
                                      school_names="017001", student_ids="1", reason="Late grades")
    client.force_login(make_user("ELDOE01", "ldoe"))
    found, _ = tasks(client)
    assert "1 prior collection period request to decide" in found["prior_requests"]
    assert "017 asks for 2023-24" in found["prior_requests"]
    client.force_login(lea)
    found, _ = tasks(client)
    assert "2023-24: waiting for LDOE" in found["prior_requests"]
    client.force_login(make_user("E036UPD", "lea-update", "036"))
    found, _ = tasks(client)
    assert "prior_requests" not in found
