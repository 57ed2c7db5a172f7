"""Shared fixtures. Tests marked postgres/redis/worker need real services: without them they skip,
unless STS_REQUIRE_SERVICES=1 (CI), where a missing service fails the run."""
import os
import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"

# Hypothesis: a failure found once is found again. Every failure prints its reproduction blob
# (@reproduce_failure); locally, examples that failed are kept under var/hypothesis and replayed
# first; CI (HYPOTHESIS_PROFILE=ci, a fresh clone without that folder) runs derandomized, so its
# examples are the same on every run and on a laptop that selects the same profile.
settings.register_profile("local", print_blob=True, database=DirectoryBasedExampleDatabase(
    str(Path(__file__).resolve().parent.parent / "var" / "hypothesis")))
settings.register_profile("ci", print_blob=True, derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "local"))


def _reachable(url, default_port):
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def _service_problem(marker):
    if marker == "postgres":
        if "postgresql" not in django_settings.DATABASES["default"]["ENGINE"]:
            return "DATABASE_URL is not a PostgreSQL database"
    if marker in ("redis", "worker"):
        url = os.environ.get("REDIS_URL", "")
        if not url:
            return "REDIS_URL is not set"
        if not _reachable(url, 6379):
            return f"Redis at {url} is not reachable"
    if marker == "browser":
        if not Path(os.environ.get("STS_CHROMIUM", "/usr/bin/chromium")).exists():
            return "Debian's chromium is not installed"
    return None


def pytest_collection_modifyitems(config, items):
    """`make test` runs the suite in two processes (pytest-xdist, --dist loadgroup): the tests that
    drive other processes (Chromium, real Celery workers, the laptop set-up) run one after another
    in one of them, so their timing never competes with each other; the rest share the other."""
    for item in items:
        if any(item.get_closest_marker(m) for m in ("browser", "worker", "embedded")):
            item.add_marker(pytest.mark.xdist_group("processes"))


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "worker", "browser"):
        if item.get_closest_marker(marker):
            problem = _service_problem(marker)
            if problem:
                if django_settings.STS_REQUIRE_SERVICES:
                    pytest.fail(f"STS_REQUIRE_SERVICES=1 but {problem}")
                pytest.skip(problem)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped reference set once for the whole session (tests run in transactions)."""
    from django.db import connections

    from core_tables.loading import load_folder

    # Production keeps connections between requests (CONN_MAX_AGE); in the test process a request
    # thread's kept connection would outlive its test and block dropping the test database.
    connections["default"].settings_dict["CONN_MAX_AGE"] = 0
    with django_db_blocker.unblock():
        load_folder(REFERENCE_DIR)
    yield
    # A session some thread or killed worker left open would keep the test database from being
    # dropped at the end ("is being accessed by other users"): end them first.
    with django_db_blocker.unblock():
        if connections["default"].vendor == "postgresql":
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture
def committed_reference(transactional_db):
    """The reference set, committed (tests whose work runs in other threads or processes; the
    flush of an earlier transactional test removed the session's copy)."""
    from core_tables.codes import ensure_code_lists
    from core_tables.loading import load_folder

    load_folder(REFERENCE_DIR)
    ensure_code_lists()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def eager():
    """Tasks sent with .delay() run in this process, at once (the real task code, no broker; the
    worker path is in tests/integration)."""
    from sts.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def make_user(db):
    from sts.accounts.services import create_user

    def make(user_id, group, sponsor=None, sites=(), password="Tr4nscript!", must_change_password=False):
        return create_user(user_id, group, password, sponsor=sponsor, sites=list(sites),
                           must_change_password=must_change_password)
    return make
