"""The one job lifecycle: every long-running kind (uploads, exports, OTS issuing, recalculations,
snapshots, extracts, rollovers) is a row of a `JobModel` subclass, run by a Celery task through
`execute`, and watched by one reaper.

- Claim: a delivery runs a queued job, or a running one whose lease lapsed (its worker is gone).
  The claim is one conditional UPDATE on (status, attempts), so of two deliveries of one message
  exactly one runs it, on SQLite as on PostgreSQL. `attempts` is the fencing token: a run ends the
  job (`finish`) only while the job is still its attempt, so a run taken over never writes over
  the newer one.
- Lease: while the work runs a thread renews a cache key every few seconds (a cache, not the
  database: an upload's long SQLite write transaction must not stop its own heartbeat). A lease
  older than STS_JOB_STALE_SECONDS has lapsed.
- Reaper (`reap`, Celery beat every minute and a cheap check on the pages that show jobs): a
  running job whose lease lapsed is queued again (or, after STS_JOB_MAX_ATTEMPTS, failed with a
  message that says what to do); a queued job nobody claimed within the stale time is sent again
  (its message was lost: a filesystem broker drops a killed worker's message; duplicates are
  harmless, the claim dedups them).
- Transient database errors (a lock timeout, "database is locked", a deadlock, a serialization
  failure, a lost connection) are never outcomes: `retry_transient` runs the work again with
  backoff, and a job that still meets them is queued again as its next attempt.
- Files: `atomic_dir` and `temp_name` write under a temporary name; only a complete file is
  renamed into place, and `sweep` removes temporary files a killed worker left behind.
"""
from __future__ import annotations

import logging
import os
import random
import re
import shutil
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import InterfaceError, OperationalError, close_old_connections, connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 5  # at most; a shorter stale time (tests) beats faster
TEMP_MARK = ".partial-"  # temporary files and folders carry this in their name


class JobRefused(Exception):
    """The job cannot be done as asked (a parameter, a permission, a configuration fault): it fails
    with this message, which is shown to the user as it is."""


class JobModel(models.Model):
    """Fields every long-running job has. A subclass declares its own `status` field and:

    JOB_TASK: the dotted name of the Celery task that runs it (called with the pk);
    JOB_QUEUED, JOB_RUNNING, JOB_FAILED: its names of those statuses;
    JOB_FINAL: its final statuses (finish() sets one of them);
    JOB_LABEL: what the job is called in messages ("upload", "export");
    JOB_WATCHED: True for a kind a person waits on while it runs (an upload): long background
      work (a statewide snapshot) gives the cores back while one runs (`someone_waiting`);
    on_job_failed(message): optional, called in the transaction that fails the job.
    """
    JOB_TASK = ""
    JOB_QUEUED, JOB_RUNNING, JOB_FAILED = "queued", "running", "failed"
    JOB_FINAL = frozenset({"done", "failed"})
    JOB_LABEL = "job"
    JOB_WATCHED = False

    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    resends = models.PositiveSmallIntegerField(default=0)  # messages sent again by the reaper
    message = models.CharField(max_length=500, blank=True)  # why it failed, or why it is being retried

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        return self.status in self.JOB_FINAL

    @property
    def max_attempts(self) -> int:
        return max_attempts()

    @property
    def standing(self) -> str:
        return describe(self)

    def on_job_failed(self, message: str) -> None:
        """Hook: what else a failed job of this kind leaves (a notice, a status of its own rows)."""

    def job_waiting_on_children(self) -> bool:
        """Hook for kinds that fan out: True while child jobs (parts, chunks) are unfinished. Such a
        job holds no lease of its own meanwhile; its children are reaped one by one."""
        return False


# --- settings -----------------------------------------------------------------------------------

def stale_seconds() -> int:
    return settings.STS_JOB_STALE_SECONDS


def max_attempts() -> int:
    return settings.STS_JOB_MAX_ATTEMPTS


# --- lease (heartbeat) --------------------------------------------------------------------------

def _lease_key(obj) -> str:
    return f"job-lease-{obj._meta.label_lower}-{obj.pk}"


WATCHED_KEY = "job-watched-until"


def _beat(obj) -> None:
    cache.set(_lease_key(obj), time.time(), stale_seconds() * 10)
    cache.set("job-worker-seen", time.time(), stale_seconds() * 10)
    if obj.JOB_WATCHED:
        cache.set(WATCHED_KEY, time.time() + 2 * _beat_every(), stale_seconds() * 10)


def _beat_every() -> float:
    return min(HEARTBEAT_SECONDS, stale_seconds() / 4)


def lease_lapsed(obj, now: float | None = None) -> bool:
    """A running job whose worker has shown no sign of life for STS_JOB_STALE_SECONDS."""
    if obj.status != obj.JOB_RUNNING:
        return False
    last = cache.get(_lease_key(obj))
    if last is None:
        last = obj.claimed_at.timestamp() if obj.claimed_at else 0
    return (now or time.time()) - last > stale_seconds()


@contextmanager
def lease(obj):
    """Renew the job's lease every HEARTBEAT_SECONDS while the block runs (a thread, so a long COPY
    or commit keeps it alive; it dies with the process, and the lease then lapses)."""
    stop = threading.Event()
    every = _beat_every()

    def run():
        while not stop.wait(every):
            try:
                _beat(obj)
            except Exception:  # a cache hiccup must not kill the job
                log.warning("lease of %s %s not renewed", obj.JOB_LABEL, obj.pk, exc_info=True)

    _beat(obj)
    thread = threading.Thread(target=run, name=f"{obj.JOB_LABEL}-{obj.pk}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 1)
        cache.delete(_lease_key(obj))


# --- progress -----------------------------------------------------------------------------------

def _progress_key(obj) -> str:
    return f"job-progress-{obj._meta.label_lower}-{obj.pk}"


def progress(obj, done: int, total: int | None) -> None:
    cache.set(_progress_key(obj), (done, total), 6 * 3600)


def read_progress(obj) -> tuple[int, int | None]:
    return cache.get(_progress_key(obj)) or (0, None)


def clear_progress(obj) -> None:
    cache.delete(_progress_key(obj))


# --- transient errors ---------------------------------------------------------------------------

# PostgreSQL: serialization failure, deadlock, lock not available, admin shutdown, cannot connect now.
_TRANSIENT_PGCODES = {"40001", "40P01", "55P03", "57P01", "57P02", "57P03"}
_TRANSIENT_TEXT = ("database is locked", "database table is locked", "server closed the connection",
                   "connection already closed", "could not connect", "terminating connection",
                   "connection to server", "ssl syscall error", "the connection is closed", "connection refused")


def is_transient(exc: BaseException) -> bool:
    """A database error that a later try may not meet: never an outcome of the job."""
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return False
    cause = exc.__cause__
    code = getattr(cause, "pgcode", None)
    if code and (code in _TRANSIENT_PGCODES or code.startswith("08")):
        return True
    text = str(exc).lower()
    return any(t in text for t in _TRANSIENT_TEXT)


class StillTransient(Exception):
    """`retry_transient` gave up: the database stayed busy or out of reach."""


def retry_transient(fn, *args, tries: int | None = None, base_delay: float = 0.2, **kwargs):
    """fn(*args, **kwargs), run again with backoff (0.2 s, 0.4 s, ... up to 8 s, jittered) when it
    meets a transient database error. fn opens its own transaction: the whole of it is tried
    again. Must not run inside an outer atomic block (its transaction would be broken)."""
    tries = tries or settings.STS_JOB_TRANSIENT_TRIES
    for attempt in range(1, tries + 1):
        try:
            return fn(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if not is_transient(exc) or connection.in_atomic_block:
                raise
            log.warning("transient database error (try %s of %s): %s", attempt, tries, exc)
            if attempt == tries:
                raise StillTransient(str(exc)) from exc
            close_old_connections()
            if not connection.is_usable():
                connection.close()
            time.sleep(min(8.0, base_delay * 2 ** (attempt - 1)) * (0.5 + random.random()))
    raise AssertionError("unreachable")


# --- claim, run, finish -------------------------------------------------------------------------

def exhausted_message(obj) -> str:
    return (f"The {obj.JOB_LABEL} stopped {obj.attempts} times before finishing (the worker was lost or the "
            "database stayed busy); nothing of it was kept. Start it again; if it happens again, contact support.")


def enqueue(obj, *, countdown: int | None = None) -> None:
    """Send the job's task once the current transaction commits (the row must be visible to the
    worker). The row is expected in JOB_QUEUED with `queued_at` set (see `queued_fields`)."""
    pk, task = obj.pk, obj.JOB_TASK

    def send():
        try:
            import_string(task).apply_async(args=[pk], countdown=countdown)
        except Exception:  # a broker hiccup: the reaper sends it again after the stale time
            log.exception("could not send %s for %s %s; the reaper will send it again", task, obj.JOB_LABEL, pk)
    transaction.on_commit(send)


def queued_fields(model) -> dict:
    """Field values of a new job row: queued now."""
    return {"status": model.JOB_QUEUED, "queued_at": timezone.now()}


def claim(model, pk):
    """The job, claimed for this delivery (status running, attempts + 1), or None when this
    delivery must not run it: finished, gone, or running under a live lease."""
    obj = model.objects.filter(pk=pk).first()
    if obj is None or obj.finished:
        return None
    if obj.status == model.JOB_RUNNING and not lease_lapsed(obj):
        return None  # a message delivered twice: another worker is on it
    if obj.status not in (model.JOB_QUEUED, model.JOB_RUNNING):
        return None
    if obj.attempts >= max_attempts():
        fail(obj, exhausted_message(obj), attempt=obj.attempts, from_status=obj.status)
        return None
    now = timezone.now()
    won = model.objects.filter(pk=pk, status=obj.status, attempts=obj.attempts).update(
        status=model.JOB_RUNNING, attempts=F("attempts") + 1, claimed_at=now)
    if not won:
        return None  # another delivery claimed it between our read and our update
    obj.refresh_from_db()
    _beat(obj)
    return obj


def is_live(obj) -> bool:
    """Queued, or running with a worker alive (or its parts under way): a request may join it."""
    if obj.status == obj.JOB_QUEUED:
        return True
    return obj.status == obj.JOB_RUNNING and (not lease_lapsed(obj) or obj.job_waiting_on_children())


def finish(obj, status: str, **fields) -> bool:
    """End this run's job with a final `status` and other field values, only if the job is still
    this run's attempt (a run taken over by a later one writes nothing). Call it inside the
    transaction that writes the job's results, so both commit together."""
    assert status in obj.JOB_FINAL, status
    model = type(obj)
    values = {"status": status, "finished_at": timezone.now(), **fields}
    won = model.objects.filter(pk=obj.pk, status=obj.JOB_RUNNING, attempts=obj.attempts).update(**values)
    if won:
        for name, value in values.items():
            setattr(obj, name, value)
        clear_progress(obj)
    return bool(won)


def fail(obj, message: str, *, attempt: int | None = None, from_status: str | None = None) -> bool:
    """Fail the job with `message` (shown to the user), if it is still where the caller saw it."""
    model = type(obj)
    with transaction.atomic():
        won = model.objects.filter(pk=obj.pk, status=from_status or obj.JOB_RUNNING,
                                   attempts=obj.attempts if attempt is None else attempt).update(
            status=model.JOB_FAILED, message=message[:500], finished_at=timezone.now())
        if won:
            obj.status, obj.message = model.JOB_FAILED, message[:500]
            obj.on_job_failed(message)
    if won:
        clear_progress(obj)
    return bool(won)


def requeue(obj, message: str, *, countdown: int | None = None) -> bool:
    """Put this run's job back in the queue as its next attempt (or fail it when none is left)."""
    if obj.attempts >= max_attempts():
        return fail(obj, exhausted_message(obj))
    model = type(obj)
    with transaction.atomic():
        won = model.objects.filter(pk=obj.pk, status=obj.JOB_RUNNING, attempts=obj.attempts).update(
            status=model.JOB_QUEUED, queued_at=timezone.now(), message=message[:500])
        if won:
            obj.status = model.JOB_QUEUED
            enqueue(obj, countdown=countdown)
    return bool(won)


def execute(model, pk, work):
    """Run `work(job)` for the job `pk` of `model`, in the Celery task of that kind.

    The job is claimed (or the delivery does nothing), its lease renewed while `work` runs, and
    transient database errors retried with backoff; a job that still meets them is queued again.
    `work` ends the job with `finish`. If it returns without doing so, the job is done only in
    the sense that nothing failed: kinds that fan out (parts, chunks) end it from their last part.
    JobRefused, PermissionDenied and BadRequest fail the job with their message; any other error
    fails it with a message for support (the traceback goes to the log): a worker never dies of a
    job, and no job is left spinning."""
    obj = retry_transient(claim, model, pk)
    if obj is None:
        return None
    with lease(obj):
        try:
            return retry_transient(work, obj)
        except StillTransient:
            _safely(requeue, obj, f"The database was busy (attempt {obj.attempts} of {max_attempts()}); "
                                  "the work is queued again.", countdown=stale_seconds() // 4 or 1)
        except (JobRefused, PermissionDenied, BadRequest) as exc:
            _safely(fail, obj, str(exc) or "Not allowed.")
        except Exception:
            log.exception("%s %s failed", obj.JOB_LABEL, pk)
            _safely(fail, obj, f"The {obj.JOB_LABEL} failed unexpectedly; nothing of it was kept. The error was "
                               "logged for support.")
    return None


def _safely(fn, *args, **kwargs):
    """Record a job's outcome even if the database is briefly busy; if it never gets through, the
    lease lapses and the reaper takes the job over."""
    try:
        return retry_transient(fn, *args, **kwargs)
    except Exception:
        log.exception("could not record the outcome of %s %s", args[0].JOB_LABEL, args[0].pk)
        return None


# --- the reaper ---------------------------------------------------------------------------------

def job_models():
    return [m for m in apps.get_models() if issubclass(m, JobModel)]


def someone_waiting() -> bool:
    """Is a job that a person waits on (JOB_WATCHED) running now? Read from the cache (a long
    transaction's own consistent read would not see a job that began after it): its lease says so
    until a heartbeat or two after it ends."""
    return (cache.get(WATCHED_KEY) or 0) > time.time()


def _worker_seen_recently(now: float) -> bool:
    last = cache.get("job-worker-seen")
    return last is not None and now - last <= stale_seconds()


def reap(now: float | None = None) -> dict:
    """Take over every job whose worker is gone and send again every job whose message was lost.
    Returns {label: [pks]} of what it touched."""
    now = now or time.time()
    cutoff = timezone.now() - timezone.timedelta(seconds=stale_seconds())
    touched = {}
    for model in job_models():
        running = model.objects.filter(status=model.JOB_RUNNING, claimed_at__lt=cutoff)
        for obj in running:
            if lease_lapsed(obj, now) and not obj.job_waiting_on_children() and _safely(_take_over, model, obj.pk, now):
                touched.setdefault(model._meta.label_lower, []).append(obj.pk)
        waiting = model.objects.filter(status=model.JOB_QUEUED, queued_at__lt=cutoff)
        for obj in waiting.only("pk", "status", "attempts", "resends", "queued_at"):
            if _safely(_send_again, model, obj.pk, now):
                touched.setdefault(model._meta.label_lower, []).append(obj.pk)
    return touched


def _take_over(model, pk, now) -> bool:
    obj = model.objects.filter(pk=pk).first()
    if obj is None or not lease_lapsed(obj, now) or obj.job_waiting_on_children():
        return False
    if obj.attempts >= max_attempts():
        return fail(obj, exhausted_message(obj))
    return requeue(obj, f"The worker stopped during attempt {obj.attempts} of {max_attempts()}; nothing of that "
                        "attempt was kept. It was queued again.")


def _send_again(model, pk, now) -> bool:
    """A queued job nobody claimed within the stale time: its message was lost (or is still
    waiting behind others). Send it again. While no worker has been seen for a long time it
    counts: after STS_JOB_MAX_RESENDS it fails saying the workers seem to be down."""
    obj = model.objects.filter(pk=pk, status=model.JOB_QUEUED).first()
    if obj is None:
        return False
    idle = not _worker_seen_recently(now)
    if idle and obj.resends >= settings.STS_JOB_MAX_RESENDS:
        minutes = max(1, settings.STS_JOB_MAX_RESENDS * stale_seconds() // 60)
        return fail(obj, f"No worker took this {obj.JOB_LABEL} for {minutes} minutes; nothing was done. The "
                         "workers may be down: start it again later, or contact support.", from_status=obj.JOB_QUEUED)
    with transaction.atomic():
        won = model.objects.filter(pk=pk, status=model.JOB_QUEUED, attempts=obj.attempts).update(
            queued_at=timezone.now(), resends=F("resends") + (1 if idle else 0))
        if won:
            enqueue(obj)
    return bool(won)


def reap_now_and_then(every: int = 5) -> None:
    """`reap` from the pages that show jobs, at most once every `every` seconds (status polls run
    every second for each viewer; beat reaps every minute anyway)."""
    try:
        if cache.add("jobs-reaped-recently", True, every):
            reap()
    except Exception:  # a page must show even if the reaper hits a busy database
        log.warning("reaper check from a page failed", exc_info=True)


# --- what a page says ---------------------------------------------------------------------------

def describe(obj) -> str:
    """Where the job stands, for people: "Queued", "Running (attempt 2 of 3)", "Retrying (attempt
    2 of 3)"; empty for a finished job (its own page says how it ended)."""
    if obj.finished:
        return ""
    n = max_attempts()
    if obj.status == obj.JOB_QUEUED:
        return f"Retrying (attempt {obj.attempts + 1} of {n})" if obj.attempts else "Queued"
    return f"Running (attempt {obj.attempts} of {n})" if obj.attempts > 1 else "Running"


# --- files --------------------------------------------------------------------------------------

_OWNED = re.compile(r"^" + re.escape(TEMP_MARK) + r"(?P<label>[a-z0-9_]+\.[a-z0-9_]+)-(?P<pk>\d+)-(?P<attempt>\d+)-")


def _owner_tag(obj) -> str:
    return f"{obj._meta.label_lower}-{obj.pk}-{obj.attempts}-" if obj is not None else ""


def temp_name(path: Path, owner=None) -> Path:
    """A temporary name beside `path`. With `owner` (a job) the name says whose it is, so the sweep
    leaves a live job's files alone however long it runs."""
    return path.with_name(f"{TEMP_MARK}{_owner_tag(owner)}{uuid.uuid4().hex[:12]}-{path.name}")


@contextmanager
def atomic_dir(parent, owner=None):
    """A temporary folder under `parent` for a job's work files, removed afterwards whatever happens
    (move what you keep out of it with `publish`)."""
    folder = Path(parent) / f"{TEMP_MARK}{_owner_tag(owner)}{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publish(tmp: Path, final: Path) -> Path:
    """Rename a complete file into its final place (same file system: atomic)."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, final)
    return final


def _owner_live(match) -> bool:
    try:
        model = apps.get_model(match["label"])
    except (LookupError, ValueError):
        return False
    obj = model.objects.filter(pk=int(match["pk"])).first()
    return (obj is not None and obj.status == obj.JOB_RUNNING and obj.attempts == int(match["attempt"])
            and not lease_lapsed(obj))


def sweep_temporary(folder, older_than: float | None = None) -> int:
    """Remove the temporary files and folders (TEMP_MARK) that a killed worker left under `folder`:
    a job's once that job attempt is no longer running, others once older than the stale time."""
    folder = Path(folder)
    if not folder.exists():
        return 0
    limit = time.time() - (stale_seconds() if older_than is None else older_than)
    removed = 0
    for path in list(folder.rglob(f"{TEMP_MARK}*")):
        try:
            owned = _OWNED.match(path.name)
            if owned and _owner_live(owned):
                continue
            if not owned and path.lstat().st_mtime > limit:
                continue
            shutil.rmtree(path) if path.is_dir() else path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed
