"""The public verification page's rate limit (issue 17 item 6): a fixed window per client that
refused look-ups do not extend, counted atomically, answered 429 with Retry-After; every look-up
logged."""
import threading

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.urls import reverse

from certification.models import VerificationLookup
from certification.throttle import take


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_window_is_fixed_and_refusals_do_not_push_it_back():
    start = 1_800_000_000.0 - 1_800_000_000.0 % 60  # a window's first second
    assert [take("10.0.0.1", limit=3, window=60, now=start + s) for s in (0, 1, 2)] == [0, 0, 0]
    assert take("10.0.0.1", limit=3, window=60, now=start + 3) == 57
    # A client retrying through the window is still told the same end, never a later one.
    assert [take("10.0.0.1", limit=3, window=60, now=start + s) for s in (30, 59.5)] == [30, 1]
    assert take("10.0.0.1", limit=3, window=60, now=start + 60) == 0  # the next window lets it in
    assert take("10.0.0.2", limit=3, window=60, now=start + 4) == 0  # another client has its own count


@pytest.mark.django_db
def test_a_refused_lookup_answers_429_with_retry_after_and_every_lookup_is_logged(client, settings):
    settings.STS_VERIFY_RATE = 3
    url = reverse("verify:page")
    responses = [client.get(url, {"code": "AAAAA"}) for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429, 429]
    retry = int(responses[3]["Retry-After"])
    assert 1 <= retry <= settings.STS_VERIFY_WINDOW
    assert f"try again in {retry} second" in responses[3].content.decode()
    assert "Retry-After" not in responses[0]
    assert list(VerificationLookup.objects.order_by("pk").values_list("kind", "outcome", "client")) == (
        [("code", "not ours", "127.0.0.1")] * 3 + [("code", "throttled", "127.0.0.1")] * 2)
    assert client.get(url).status_code == 200  # the bare page is no look-up


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_eight_parallel_clients_of_one_address_get_exactly_the_limit_through(settings):
    settings.STS_VERIFY_RATE = 30
    settings.STS_VERIFY_WINDOW = 3600  # one window for the whole test, whatever the machine's load
    url = reverse("verify:page")
    statuses, lock = [], threading.Lock()
    barrier = threading.Barrier(8)

    def client_thread():
        try:
            browser = Client(REMOTE_ADDR="192.0.2.7")
            barrier.wait()
            got = [browser.get(url, {"code": "ZZZZZ-ZZZZZ"}).status_code for _ in range(10)]
            with lock:
                statuses.extend(got)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client_thread) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(statuses) == 80
    assert statuses.count(200) == 30 and statuses.count(429) == 50
    assert VerificationLookup.objects.filter(outcome="throttled").count() == 50
