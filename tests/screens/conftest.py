import datetime as dt

import pytest


@pytest.fixture
def current_2025(db):
    """BSSY 2025 is the current year (the default of every page) and open."""
    from core_tables.models import CollectionPeriod

    CollectionPeriod.objects.update(is_current=False)
    CollectionPeriod.objects.update_or_create(bssy=2025, defaults={
        "opens": dt.date(2025, 12, 1), "closes": dt.date(2099, 1, 1), "is_current": True})
