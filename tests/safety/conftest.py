import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Heartbeats and progress live in the cache: no key of an earlier test may leak into one."""
    cache.clear()
    yield
    cache.clear()
