"""The current year follows the collection window (issue 9, item 5): "STS will open ... in December
and remain open until September 30th"."""
import datetime as dt

import pytest
from django.urls import reverse

from core_tables.models import CollectionPeriod
from core_tables.periods import current_bssy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day,bssy", [
    (dt.date(2026, 3, 1), 2025),    # mid-year: the session and the open period agree
    (dt.date(2026, 7, 1), 2025),    # July: 2025-26 is still open until September 30; 2026-27 opens in December
    (dt.date(2026, 9, 30), 2025),   # the last day of the 2025-26 collection
    (dt.date(2026, 10, 1), 2026),   # nothing open: the session year
    (dt.date(2026, 12, 1), 2026),   # 2026-27 opens
])
def test_without_a_flag_the_current_year_is_the_one_still_open(day, bssy):
    CollectionPeriod.objects.all().delete()
    assert current_bssy(day) == bssy


def test_state_staffs_flag_wins():
    CollectionPeriod.objects.all().delete()
    CollectionPeriod.objects.create(bssy=2026, opens=dt.date(2026, 12, 1), closes=dt.date(2027, 9, 30), is_current=True)
    assert current_bssy(dt.date(2026, 7, 15)) == 2026


def test_a_period_closed_early_is_not_the_current_year_in_summer():
    CollectionPeriod.objects.all().delete()
    CollectionPeriod.objects.create(bssy=2025, opens=dt.date(2025, 12, 1), closes=dt.date(2026, 6, 30))
    assert current_bssy(dt.date(2026, 7, 15)) == 2026


def test_home_returns_to_the_current_year(client, make_user):
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    current = client.get(reverse("home")).wsgi_request.current_bssy
    client.post(reverse("select_bssy"), {"bssy": current - 1})
    page = client.get(reverse("home")).content.decode()
    assert "not the current year" in page
    home_link = reverse("reset_bssy")
    assert f'href="{home_link}" id="nav-home"' in page
    page = client.get(home_link, follow=True).content.decode()
    assert "not the current year" not in page
