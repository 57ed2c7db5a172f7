import datetime as dt

import pytest
from django.utils import timezone

from core_tables.models import CollectionPeriod, IbcCode, Site

BSSY = 2025


@pytest.fixture
def open_period(db):
    """BSSY 2025 is the current year and open for writes."""
    CollectionPeriod.objects.update(is_current=False)
    CollectionPeriod.objects.update_or_create(bssy=BSSY, defaults={
        "opens": dt.date(2025, 12, 1), "closes": dt.date(2099, 1, 1), "is_current": True})


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def site(db):
    return Site.objects.select_related("sponsor").get(code="017001")


@pytest.fixture
def editor(make_user, open_period):
    return make_user("E017UPD", "lea-update", "017")


@pytest.fixture
def state_staff(make_user, open_period):
    return make_user("ELDOE01", "ldoe")


@pytest.fixture
def ibc_code(db):
    return IbcCode.objects.order_by("code").first().code


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT
