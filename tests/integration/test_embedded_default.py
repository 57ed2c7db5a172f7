"""The laptop default of `make run` (SQLite file, Celery's filesystem broker, the file cache, a
worker of 2 processes with its embedded beat) under a burst of work and a kill -9 (issue 17):
ten uploads, two certifications and an export sent at once, the worker killed in the middle and
started again. Every job ends complete (or, for an older upload of a sponsor, superseded by its
newer one) or clearly failed; no student is rejected for a reason that is not the guide's; no
"database is locked" reaches anyone; every file is whole and none is orphaned.

The scenario runs the real commands of `make run` in other processes, like a person's set-up: it
needs no PostgreSQL or Redis, only time (about a minute and a half)."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.embedded
ROOT = Path(__file__).resolve().parents[2]
STALE = 10  # the machine may be loaded: a starved heartbeat must not look like a lost worker


def _env(var):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "STS_PRIVATE_MEDIA_ROOT")}
    env.update({"DJANGO_SETTINGS_MODULE": "sts.settings", "DJANGO_DEBUG": "1", "STS_VAR_DIR": str(var),
                "STS_JOB_STALE_SECONDS": str(STALE), "STS_REAP_EVERY_SECONDS": "2", "PYTHONUNBUFFERED": "1"})
    return env


def _run(var, *args, timeout=600):
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=_env(var), capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


def _driver(var, *args):
    return json.loads(_run(var, "-m", "tests.integration.embedded_driver", *args).strip().splitlines()[-1])


def _start_worker(var):
    log = open(var / f"worker-{time.time():.0f}.log", "w")
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "sts", "worker", "-B", "--loglevel", "warning",
                             "--concurrency", "2", "--without-gossip", "--without-mingle"],
                            cwd=ROOT, env=_env(var), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _kill(proc):
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def laptop(tmp_path_factory):
    """`make demo` on a fresh var/: migrate, reference data, the signing pair, the demo data."""
    var = tmp_path_factory.mktemp("laptop")
    _run(var, "manage.py", "migrate", "--noinput", "-v0")
    _run(var, "manage.py", "load_reference", "data/reference")
    _run(var, "manage.py", "sts_signing_cert")
    _run(var, "manage.py", "seed_demo")
    return var


def test_a_burst_and_a_killed_worker_on_the_laptop_default(laptop):
    var = laptop
    worker = _start_worker(var)
    try:
        sent = _driver(var, "submit", "10", str(var))
        assert len(sent["uploads"]) == 10
        # Kill the whole worker (pool and beat) while work is under way, then start it again.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _driver(var, "state")["running"] == 0:
            time.sleep(0.5)
        _kill(worker)
        killed = _driver(var, "state")
        assert sum(killed["unfinished"].values()) > 0, "everything finished before the kill: nothing was tested"
        worker = _start_worker(var)
        deadline = time.monotonic() + 420
        while True:
            now = _driver(var, "state")
            if not sum(now["unfinished"].values()):
                break
            assert time.monotonic() < deadline, f"jobs still unfinished: {now['unfinished']}\n{now}"
            time.sleep(2)
    finally:
        _kill(worker)
    # Uploads: complete, or superseded by a newer file of the same sponsor; never failed, never stuck.
    statuses = {u["pk"]: u["status"] for u in now["uploads"] if u["pk"] in sent["uploads"]}
    assert set(statuses.values()) <= {"complete", "superseded"}, now["uploads"]
    newest = {}
    for u in now["uploads"]:
        if u["pk"] in sent["uploads"]:
            newest[sent["uploads"].index(u["pk"]) % 2] = u
    assert all(u["status"] == "complete" for u in newest.values()), newest
    # The export is done and its file whole.
    export = next(e for e in now["exports"] if e["pk"] == sent["export"])
    assert export["status"] == "done", export
    assert Path(export["path"]).stat().st_size == export["size"]
    # Issuing: every graduate S or R, R only for the guide's reasons; one version each.
    assert now["entries"]["Q"] == 0 and now["entries"]["S"] > 0, now["entries"]
    assert {b["status"] for b in now["batches"]} == {"done"}, now["batches"]
    for reason in now["reasons"]:
        assert "could not" not in reason and "locked" not in reason.lower(), reason
    assert len(now["versions"]) == len({tuple(v) for v in now["versions"]})
    # Nobody reads "database is locked".
    messages = [u["message"] for u in now["uploads"]] + [e["message"] for e in now["exports"]] + [
        b["message"] for b in now["batches"]]
    assert not [m for m in messages if "locked" in m.lower()], messages
    # Files: the sweep finds no orphan (a file no row names) and every transcript is whole.
    private = var / "private"
    swept = _driver(var, "sweep")
    assert not list(private.rglob(".partial-*"))
    on_disk = {str(p.relative_to(private)): p.stat().st_size for p in (private / "transcripts").rglob("*.pdf")}
    assert on_disk == {path: size for path, size in now["paths"]}, swept
