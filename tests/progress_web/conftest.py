import pytest


@pytest.fixture
def lea_user(make_user):
    return make_user("E017INQ", "lea-inquiry", "017")


@pytest.fixture
def other_lea_user(make_user):
    return make_user("E036ALL", "lea-all", "036")


@pytest.fixture
def bssy_2025(settings, db):
    """Pages work in BSSY 2025 (the selector's current year comes from the collection periods)."""
    import datetime as dt

    from core_tables.models import CollectionPeriod

    CollectionPeriod.objects.update(is_current=False)
    CollectionPeriod.objects.update_or_create(bssy=2025, defaults={
        "opens": dt.date(2025, 12, 1), "closes": dt.date(2026, 9, 30), "is_current": True})
