"""A real Celery worker on Redis and PostgreSQL, for the end-to-end tests.

The tests run with committed data (transactional_db): the worker is another process and only
sees what is committed. Reference data is loaded again for each test (the flush of the
previous transactional test removed it).
"""
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _db_url():
    db = settings.DATABASES["default"]
    return f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Worker:
    """A real worker process. `env` overrides its settings (e.g. the broker's visibility timeout and
    the stale-upload threshold, short in tests so redelivery and retries happen within seconds)."""

    def __init__(self, media_root, **env):
        self.media_root = media_root
        self.env = {"STS_BROKER_VISIBILITY_TIMEOUT": "4", "STS_JOB_STALE_SECONDS": "3", **env}
        self.proc = None
        self.beat = False

    def start(self, **env):
        self.env.update(env)
        env = {**os.environ, "DATABASE_URL": _db_url(), "STS_PRIVATE_MEDIA_ROOT": str(self.media_root),
               "DJANGO_SETTINGS_MODULE": "sts.test_settings", "PYTHONUNBUFFERED": "1", **self.env}
        log = open(self.media_root / f"worker-{uuid.uuid4().hex[:6]}.log", "w")
        # With beat, the reaper runs in the worker as in production (every STS_REAP_EVERY_SECONDS).
        beat = ["-B", "--schedule", str(self.media_root / f"beat-{uuid.uuid4().hex[:6]}")] if self.beat else []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "sts", "worker", "--loglevel", "info", "--concurrency", "1",
             "--without-gossip", "--without-mingle", "-n", f"test-{uuid.uuid4().hex[:8]}@%h", *beat],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def kill(self):
        """SIGKILL the worker and its pool: no cleanup, like a crashed machine."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker(committed_reference, tmp_path, settings):
    from sts.celery import app

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT.mkdir()
    app.control.purge()
    _forget_unacknowledged(app)
    w = Worker(tmp_path).start()
    yield w
    w.stop()


def _forget_unacknowledged(app):
    """A worker killed by an earlier test leaves its message unacknowledged in Redis (kombu's
    `unacked` hash); drop it so it is not redelivered into this test."""
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        client.delete("unacked", "unacked_index", "unacked_mutex")


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
