"""Taking a snapshot, and the default harvest deadlines. Plain functions the task, the command
and the pages call.

A snapshot is one consistent read: on PostgreSQL a REPEATABLE READ transaction (every statement
sees the database as of its first one; writers are never blocked, no table is locked); on SQLite
(`make run`) one transaction, which SQLite already reads consistently. The frozen rows are
copied with INSERT ... SELECT inside the database: no row passes through Python, so memory stays
flat at any size.
"""
import datetime as dt
import time
import uuid

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from sts import jobs
from transcripts import extensions

from .models import Deadline, FrozenCertification, FrozenIbc, FrozenStudent, FrozenTranscript, Snapshot


# The frozen rows are copied a chunk of students at a time (about 30,000 transcript rows, a tenth of
# a second), all in the one consistent read. While an upload runs (a person waits on it) the
# snapshot pauses after each chunk for YIELD_FACTOR times the chunk's own time, so the upload keeps
# the cores: docs/benchmarks.md measures an upload beside a statewide snapshot.
CHUNK_STUDENTS = 1000
YIELD_FACTOR = 3


def give_way(seconds: float) -> None:
    time.sleep(seconds)


class SnapshotRefused(Exception):
    """A snapshot that may not be taken (its name or deadline already taken); the message says why."""


# The Board of Regents harvests (guide, Appendix J): mid-February, mid-June and mid-September
# after the BSSY began (the school year BSSY-BSSY+1), noon Central time.
DEFAULT_DEADLINES = (("February", 1, 2), ("June", 1, 6), ("September", 1, 9))


def default_deadlines(bssy: int) -> list[tuple[str, dt.datetime]]:
    tz = timezone.get_current_timezone()
    return [(f"{month} harvest {bssy}", dt.datetime(bssy + offset, number, 15, 12, tzinfo=tz))
            for month, offset, number in DEFAULT_DEADLINES]


def ensure_default_deadlines(bssy: int, by: str = "") -> list[Deadline]:
    """The BSSY's three harvest deadlines, created with the default dates where missing."""
    return [Deadline.objects.get_or_create(name=name, defaults={"bssy": bssy, "due_at": due, "created_by": by})[0]
            for name, due in default_deadlines(bssy)]


def request_snapshot(name: str, bssy: int, *, by: str, trigger: str, deadline: Deadline | None = None) -> Snapshot:
    """A queued snapshot row, or SnapshotRefused when the name or the deadline was taken already."""
    name = name.strip()
    if not name:
        raise SnapshotRefused("A snapshot needs a name.")
    try:
        with transaction.atomic():
            return Snapshot.objects.create(name=name, bssy=bssy, requested_by=by, trigger=trigger,
                                           deadline=deadline, **jobs.queued_fields(Snapshot))
    except IntegrityError:
        taken = Snapshot.objects.filter(name=name).first() or (deadline and Snapshot.objects.filter(
            deadline=deadline).first())
        when = f" on {timezone.localtime(taken.requested_at):%m/%d/%Y %H:%M}" if taken else ""
        raise SnapshotRefused(f"A snapshot named {taken.name if taken else name!r} was already taken{when}; "
                              "a snapshot is taken once. Choose another name.") from None


def _columns(model, computed: dict) -> tuple[list[str], list[str]]:
    """(target columns, source expressions): `computed` for the named ones, else `s.<column>`."""
    targets, sources = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        targets.append(connection.ops.quote_name(f.column))
        sources.append(computed.get(f.column, f"s.{connection.ops.quote_name(f.column)}"))
    return targets, sources


def _json(column: str, *path: str, kind: str = "text") -> str:
    """A value inside the stored progress result (JSON), in this database's SQL."""
    if connection.vendor == "postgresql":
        text = f"({column} #>> '{{{','.join(path)}}}')"
        return {"text": text, "bool": f"{text}::boolean"}[kind]
    steps = "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in path)
    return f"json_extract({column}, '${steps}')"


def _student_select():
    award = ("awards", "0")
    computed = {
        "snapshot_id": "%s", "student_id": "s.id", "sponsor_code": "sp.code", "site_code": "si.code",
        "overall_gpa": "p.overall_gpa", "core_gpa": "p.core_gpa", "tops_gpa": "p.tops_gpa",
        "total_credits": "p.total_credits",
        "pathway": _json("p.result", "pathway", "code"),
        "pathway_complete": _json("p.result", "pathway", "complete", kind="bool"),
        "award_code": _json("p.result", *award, "code"),
        "award_eligible": _json("p.result", *award, "eligible", kind="bool"),
        "award_gpa": _json("p.result", *award, "gpa"),
        "award_units_earned": _json("p.result", *award, "progress", "units_earned"),
        "award_units_required": _json("p.result", *award, "progress", "units_required"),
    }
    targets, sources = _columns(FrozenStudent, computed)
    return (f"INSERT INTO harvests_frozenstudent ({', '.join(targets)}) SELECT {', '.join(sources)} "
            "FROM transcripts_student s JOIN core_tables_sponsor sp ON sp.id = s.sponsor_id "
            "JOIN core_tables_site si ON si.id = s.site_id "
            "LEFT JOIN transcripts_studentprogress p ON p.student_id = s.id "
            "WHERE s.bssy = %s AND s.id BETWEEN %s AND %s")


def _child_select(model, table):
    targets, sources = _columns(model, {"snapshot_id": "%s", "student_id": "s.student_id", "row_id": "s.id"})
    return (f"INSERT INTO {model._meta.db_table} ({', '.join(targets)}) SELECT {', '.join(sources)} "
            f"FROM {table} s JOIN transcripts_student st ON st.id = s.student_id "
            "WHERE st.bssy = %s AND st.id BETWEEN %s AND %s")


def take(snapshot: Snapshot, *, between=None) -> Snapshot:
    """Freeze the snapshot's BSSY as of one instant and end the job with its counts, in the same
    transaction (a run taken over by a later attempt keeps nothing). The job must be claimed
    (`jobs.execute`). `between` (tests) is called after the students are copied and before their
    transcripts, inside the read."""
    started = time.perf_counter()
    outer = connection.in_atomic_block  # tests run inside a transaction: no isolation change there
    with transaction.atomic():
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        taken_at = timezone.now()
        with connection.cursor() as cur:
            for model in (FrozenStudent, FrozenTranscript, FrozenIbc, FrozenCertification):
                model.objects.filter(snapshot=snapshot).delete()  # a retried take starts clean
            cur.execute("SELECT id FROM transcripts_student WHERE bssy = %s ORDER BY id", [snapshot.bssy])
            ids = [row[0] for row in cur.fetchall()]
            chunks = [(ids[i], ids[min(i + CHUNK_STUDENTS, len(ids)) - 1])
                      for i in range(0, len(ids), CHUNK_STUDENTS)]
            counts, done = [], 0
            for step, sql in enumerate((_student_select(), _child_select(FrozenTranscript, "transcripts_transcript"),
                                        _child_select(FrozenIbc, "transcripts_ibc"))):
                if step == 1 and between:
                    between()
                counts.append(0)
                for first, last in chunks:
                    began = time.perf_counter()
                    cur.execute(sql, [snapshot.pk, snapshot.bssy, first, last])
                    counts[-1] += cur.rowcount
                    done += 1
                    jobs.progress(snapshot, done, 3 * len(chunks))
                    if jobs.someone_waiting():  # an upload runs: give the cores back for a while
                        give_way(YIELD_FACTOR * (time.perf_counter() - began))
            students, transcripts, ibcs = counts
        _freeze_certifications(snapshot)
        frozen = FrozenStudent.objects.filter(snapshot=snapshot).order_by().aggregate(
            consent_n=Count("student_id", filter=Q(parental_consent=False)),
            graduates=Count("student_id", filter=Q(graduation_date__isnull=False)))
        if not jobs.finish(snapshot, Snapshot.DONE, students=students, transcripts=transcripts, ibcs=ibcs,
                           taken_at=taken_at, seconds=time.perf_counter() - started, message="", **frozen):
            raise jobs.JobRefused("This snapshot was taken over by a later attempt.")
    return snapshot


def _freeze_certifications(snapshot):
    sites = dict(FrozenStudent.objects.filter(snapshot=snapshot).order_by().values_list(
        "site_code", "sponsor_code").distinct())
    from core_tables.models import Site

    ids = dict(Site.objects.filter(code__in=sites).values_list("pk", "code"))
    states = extensions.call(extensions.SITE_CERTIFICATIONS, list(ids), snapshot.bssy, default={})
    FrozenCertification.objects.bulk_create([
        FrozenCertification(snapshot=snapshot, site_code=code, sponsor_code=sites[code],
                            state=states[pk].code if pk in states else "never",
                            certified_at=states[pk].certified_at if pk in states and states[pk].is_certified else None)
        for pk, code in ids.items()])


def take_now(name: str, bssy: int, *, by: str, trigger: str = "command", deadline=None) -> Snapshot:
    """Request and take a snapshot in this process (the command line), through the job lifecycle
    as a worker would (claimed, leased, transient errors retried). Returns it done or failed."""
    snapshot = request_snapshot(name, bssy, by=by, trigger=trigger, deadline=deadline)
    jobs.execute(Snapshot, snapshot.pk, take)
    snapshot.refresh_from_db()
    return snapshot


def snapshot_before(*, bssy: int, sponsor=None, by: str, reason: str) -> str:
    """A snapshot of `bssy` taken now, before other work changes the year (the rollover). Named
    for the reason and the moment, so each run has its own. Returns the snapshot's name."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    scope = sponsor.code if sponsor is not None else "all"
    name = f"Before {reason} {bssy} {scope} {stamp}-{uuid.uuid4().hex[:4]}"  # two runs in one second differ
    snapshot = take_now(name[:60], bssy, by=by, trigger="ad hoc")
    if snapshot.status != "done":
        raise SnapshotRefused(f"The snapshot before the {reason} could not be taken: {snapshot.message}")
    return snapshot.name


def due_deadlines(now=None):
    """Deadlines whose time has come and that have no snapshot yet."""
    return Deadline.objects.filter(due_at__lte=now or timezone.now(), snapshot__isnull=True)


def weekly_name(day: dt.date) -> str:
    return f"LOSFA weekly {day:%Y-%m-%d}"
