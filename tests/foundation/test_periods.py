import datetime as dt

import pytest
from django.urls import reverse

from core_tables.models import CollectionPeriod, PriorPeriodRequest
from core_tables.periods import current_bssy, period_status
from sts.accounts.permissions import Action, PeriodClosed, require_write

pytestmark = pytest.mark.django_db


def test_default_window_is_december_to_september():
    assert not period_status(2025, today=dt.date(2025, 11, 30)).open
    assert period_status(2025, today=dt.date(2025, 12, 1)).open
    assert period_status(2025, today=dt.date(2026, 9, 30)).open
    status = period_status(2025, today=dt.date(2026, 10, 1))
    assert not status.open and "closed 09/30/2026" in status.message


def test_configured_period_and_maintenance():
    CollectionPeriod.objects.create(bssy=2025, opens=dt.date(2026, 1, 5), closes=dt.date(2026, 10, 15))
    assert not period_status(2025, today=dt.date(2025, 12, 15)).open
    assert period_status(2025, today=dt.date(2026, 10, 15)).open
    CollectionPeriod.objects.filter(bssy=2025).update(closed_for_maintenance=True, maintenance_message="closed for year-end processing")
    status = period_status(2025, today=dt.date(2026, 3, 1))
    assert not status.open and "year-end processing" in status.message


def test_current_bssy_follows_the_flag_else_the_session():
    assert current_bssy(dt.date(2026, 11, 23)) == 2026
    assert current_bssy(dt.date(2026, 3, 1)) == 2025
    CollectionPeriod.objects.create(bssy=2024, opens=dt.date(2024, 12, 1), closes=dt.date(2025, 9, 30), is_current=True)
    assert current_bssy(dt.date(2026, 11, 23)) == 2024


def test_write_to_closed_period_is_refused_with_the_reason(make_user):
    user = make_user("E017UPD", "lea-update", "017")
    with pytest.raises(PeriodClosed, match="closed 09/30/2024"):
        require_write(user, Action.UPDATE, site="017001", bssy=2023, today=dt.date(2026, 3, 1))
    require_write(user, Action.UPDATE, site="017001", bssy=2025, today=dt.date(2026, 3, 1))


def test_prior_period_request_opens_the_year_for_that_sponsor_only(client, make_user):
    lea = make_user("E017UPD", "lea-update", "017")
    ldoe = make_user("ELDOE01", "ldoe")
    client.force_login(lea)
    response = client.post(reverse("core_tables:prior_requests"), {
        "bssy": 2023, "coordinator_name": "Pat Coordinator", "school_names": "Demo High",
        "student_ids": "1000000001 Demo High 05/20/2024", "reason": "Grade change after appeal"})
    assert response.status_code == 302
    request = PriorPeriodRequest.objects.get()
    assert request.status == "pending" and request.sponsor.code == "017"
    # An LEA user cannot decide it.
    assert client.post(reverse("core_tables:decide_prior_request", args=[request.pk]),
                       {"decision": "approved", "access_until": "2099-01-31"}).status_code == 403
    client.force_login(ldoe)
    client.post(reverse("core_tables:decide_prior_request", args=[request.pk]),
                {"decision": "approved", "access_until": "2099-01-31"})
    assert period_status(2023, "017").open
    assert not period_status(2023, "036").open
