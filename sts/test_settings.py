"""The test suite's settings: production settings (DEBUG off, secure cookies, CSP, HSTS) with a
throwaway secret key and without the https redirect (the test client and live server speak http)."""
import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-any-deployment-" + "x" * 20)
os.environ.setdefault("STS_SSL_REDIRECT", "0")
os.environ.setdefault("STS_PUBLIC_URL", "https://sts.test.example")
os.environ.setdefault("DJANGO_DEBUG", "0")  # the production settings, whatever a laptop's var/local.env says
os.environ.setdefault("STS_EMAIL_FILE_PATH", "")


def _redis_of_this_test_process():
    """pytest-xdist runs the suite in several processes (`make test`: -n 2): each gets a Redis
    database of its own (the next ones after REDIS_URL's), so a test that clears the cache or a
    worker it starts never meets another process's keys or queues. Processes it starts (Celery
    workers) inherit the environment."""
    worker, url = os.environ.get("PYTEST_XDIST_WORKER", ""), os.environ.get("REDIS_URL", "")
    if not worker.startswith("gw") or not url or os.environ.get("STS_TEST_REDIS_SPLIT") == url:
        return
    base, _, db = url.rpartition("/")
    own = f"{base}/{(int(db or 0) + 1 + int(worker[2:])) % 16}"
    if os.environ.get("CELERY_BROKER_URL", url) == url:
        os.environ["CELERY_BROKER_URL"] = own
    os.environ["REDIS_URL"] = os.environ["STS_TEST_REDIS_SPLIT"] = own


_redis_of_this_test_process()

from .settings import *  # noqa: E402,F401,F403
