"""Benchmark of issue 19 at the whole state's size: about 200,000 students and 6,000,000
transcript records over 64 sponsors, on PostgreSQL.

    .venv/bin/python bench/bench_statewide.py [--students 200000] [--db sts_bench_statewide] [--generate]
                                              [--only snapshot,stsq01,...]

The statewide set is generated once inside PostgreSQL (INSERT ... SELECT over generate_series:
no row passes through Python) and kept: later runs reuse the database unless --generate is given.
Each figure runs in a fresh process that reports its own time and peak RSS, as a worker would.
Prints a Markdown table, each figure beside PostgreSQL's floor (COPY of the same rows) where one
exists.
"""
import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from common import peak_rss_mb  # noqa: E402
BSSY = 2025
SPONSORS = 64
SITES_PER_SPONSOR = 6
TRANSCRIPTS_PER_STUDENT = 30


def setup_django(db_url):
    os.environ["DATABASE_URL"] = db_url
    # The recompute's batches go to the workers' Redis (without it, the embedded laptop broker).
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
    os.environ.setdefault("CELERY_BROKER_URL", os.environ["REDIS_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sts.settings")
    import django

    django.setup()



def generate(args, db_url):
    """A fresh database with the statewide set: sponsors S00..S63, 6 sites each, the students
    spread over them, 30 transcript records and one IBC each, stored progress for everyone."""
    server = args.server
    subprocess.run(["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"], check=True)
    subprocess.run(["psql", f"{server}/postgres", "-qc", f"CREATE DATABASE {args.db}"], check=True)
    setup_django(db_url)
    from django.core.management import call_command
    from django.db import connection

    from core_tables.loading import load_folder
    from core_tables.models import CollectionPeriod
    from sts.accounts.services import create_user

    call_command("migrate", verbosity=0)
    load_folder(ROOT / "data" / "reference")
    CollectionPeriod.objects.create(bssy=BSSY, opens=dt.date(2025, 12, 1), closes=dt.date(2099, 1, 1))
    create_user("ELDOBEN", "ldoe", "Bench#2025", must_change_password=False)
    create_user("ELOSBEN", "losfa-inquiry", "Bench#2025", must_change_password=False)
    create_user("E017BEN", "lea-upload", "Bench#2025", sponsor="017", must_change_password=False)
    t = time.perf_counter()
    n = args.students
    with connection.cursor() as cur:
        cur.execute("""
            INSERT INTO core_tables_sponsor (code, name, kind)
            SELECT 'S' || lpad(i::text, 2, '0'), 'Statewide sponsor ' || i, 'public' FROM generate_series(0, %s) i;
            INSERT INTO core_tables_site (code, sponsor_id, name, kind, updated_at, address, city, state, zip_code, phone)
            SELECT sp.code || lpad(j::text, 3, '0'), sp.id, 'Site ' || j, 'school', now(), j || ' Main St',
              'Baton Rouge', 'LA', '70802', ''
            FROM core_tables_sponsor sp, generate_series(1, %s) j WHERE sp.code LIKE 'S%%';
        """, [SPONSORS - 1, SITES_PER_SPONSOR])
        cur.execute("""
            CREATE TEMP TABLE bench_sites AS SELECT row_number() OVER (ORDER BY code) - 1 AS n, id, sponsor_id
            FROM core_tables_site WHERE code LIKE 'S%%';
            INSERT INTO transcripts_student (bssy, sponsor_id, site_id, state_id, local_id, first_name, middle_name,
              last_name, suffix, birth_day, sex, grade, grade9_entry, graduation_date, career_option,
              academic_endorsement, career_endorsement, gee_flag, local_gpa, hispanic, american_indian, asian, black,
              pacific_islander, white, diploma_path, parental_consent, fafsa, community_service, biliteracy_seal,
              eoc_ela, eoc_math, eoc_science, eoc_social_studies, grad_removal_reasons, updated_at, updated_by)
            SELECT %s, b.sponsor_id, b.id, lpad((7000000000 + i)::text, 10, '0'), 'L' || i, 'F' , '',
              'LAS' || chr(65 + i %% 26), '', lpad((1 + i %% 28)::text, 2, '0'), CASE WHEN i %% 2 = 0 THEN 'M' ELSE 'F' END,
              (ARRAY['09','10','11','12'])[1 + i %% 4], 2022, CASE WHEN i %% 4 = 3 AND i %% 5 <> 0 THEN DATE '2026-05-20' END,
              '', '', '', 'Y', '', false, false, false, false, false, true, CASE WHEN i %% 3 = 0 THEN 'CA' ELSE 'TU' END,
              i %% 10 <> 0, 'Y', '', '', '', '', '', '', '[]'::jsonb, now(), 'bench'
            FROM generate_series(0, %s) i JOIN bench_sites b ON b.n = i %% %s;
        """, [BSSY, n - 1, SPONSORS * SITES_PER_SPONSOR])
        cur.execute("""
            INSERT INTO transcripts_transcript (student_id, course_bssy, course_code, part, semester, grade,
              credit_attempted, credit_earned, grade_point_max, waiver, course_sponsor, course_site, course_site_name,
              course_name, quality_points, course_type, distance_learning, local_course_code, de_credit_hours,
              de_secondary_site)
            SELECT s.id, 2022 + k / 8, (ARRAY['120101','120102','160301','160302','200101','200102','220101','250101'])[1 + k %% 8],
              '', 'Y1', (ARRAY['A','B','C','B','A'])[1 + (s.id + k) %% 5], 1.00, 1.00, 4.00, false, '', '', '', '',
              (ARRAY[4,3,2,3,4])[1 + (s.id + k) %% 5], 'RG', '', '', NULL, ''
            FROM transcripts_student s, generate_series(0, %s) k;
            INSERT INTO transcripts_ibc (student_id, site, local_id, ibc_code, semester_earned, year_earned, vendor,
              pass_fail, earned_sponsor, earned_site)
            SELECT s.id, '', '', '001', '1', 2024, '', 'P', '', '' FROM transcripts_student s;
            INSERT INTO transcripts_studentprogress (student_id, computed_at, overall_gpa, core_gpa, tops_gpa,
              total_credits, path_complete, award_eligible, meets_graduation, result)
            SELECT s.id, now(), g.gpa, g.gpa, g.gpa, 24.00, s.id %% 3 <> 0, g.gpa >= 2.5, true,
              jsonb_build_object('overall_gpa', g.gpa::text, 'core_gpa', g.gpa::text, 'tops_gpa', g.gpa::text,
                'total_credits', '24.00', 'pathway', jsonb_build_object('code', s.diploma_path, 'complete', s.id %% 3 <> 0),
                'awards', jsonb_build_array(jsonb_build_object('code', CASE s.diploma_path WHEN 'CA' THEN 'TJ' ELSE 'TC' END,
                  'eligible', s.id %% 3 <> 0 AND g.gpa >= 2.5, 'gpa', g.gpa::text,
                  'progress', jsonb_build_object('units_earned', '17.0', 'units_required', '19.0'))),
                'graduation', jsonb_build_object('meets', true, 'removal_reasons', '[]'::jsonb))
            FROM transcripts_student s, LATERAL (SELECT round((2 + (s.id %% 200) / 100.0)::numeric, 3) AS gpa) g;
            ANALYZE;
        """, [TRANSCRIPTS_PER_STUDENT - 1])
    return time.perf_counter() - t


# --- one measured process -------------------------------------------------------------------

def child(args):
    setup_django(args.db_url)
    start_mb = peak_rss_mb()
    t = time.perf_counter()
    extra = {}
    if args.child == "snapshot":
        from harvests.services import take_now

        snapshot = take_now(args.name, BSSY, by="bench")
        extra = snapshot.counts
    elif args.child in ("stsq01", "stsq02", "stsq03"):
        from sts.exports import EXPORTERS

        params = {"bssy": str(BSSY), **({"snapshot": args.name} if args.name else {})}
        EXPORTERS[args.child].bind(None).render("txt", params, args.out)
        extra = {"bytes": Path(args.out).stat().st_size}
    elif args.child == "upload":
        # As a worker runs it: a stored upload, a job of the lifecycle (claimed, leased, watched).
        from sts.accounts.models import User
        from uploads.models import Upload
        from uploads.storage import file_chunks, store_upload
        from uploads.tasks import process_upload

        path = Path(args.out)
        upload = store_upload(User.objects.get(username="E017BEN"), path.name, file_chunks(path), mode="partial",
                              bssy=BSSY, today=dt.date(2026, 3, 1))
        t = time.perf_counter()  # from the worker's claim, as the upload page's time
        process_upload(upload.pk)
        upload = Upload.objects.get(pk=upload.pk)
        extra = {"accepted": upload.status == "complete", "status": upload.status}
    print(json.dumps({"seconds": time.perf_counter() - t, "rss_mb": peak_rss_mb(), "start_mb": start_mb, **extra}))


def run_child(db_url, kind, **kw):
    cmd = [sys.executable, __file__, "--child", kind, "--db-url", db_url]
    for k, v in kw.items():
        cmd += [f"--{k}", str(v)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)


def result(proc):
    out, _ = proc.communicate()
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=200_000)
    parser.add_argument("--db", default="sts_bench_statewide")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--only", default="")
    parser.add_argument("--recompute-students", type=int, default=10_000)
    parser.add_argument("--child")
    parser.add_argument("--db-url")
    parser.add_argument("--name", default="")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    if args.child:
        return child(args)
    db_url = f"{args.server}/{args.db}"
    exists = subprocess.run(["psql", f"{args.server}/postgres", "-tAc",
                             f"SELECT 1 FROM pg_database WHERE datname = '{args.db}'"],
                            capture_output=True, text=True).stdout.strip() == "1"
    if args.generate or not exists:
        seconds = generate(args, db_url)
        print(f"generated the statewide set in {seconds:.0f} s", file=sys.stderr, flush=True)
        if args.only == "generate":
            return
    measure(args, db_url)


def measure(args, db_url):
    only = set(filter(None, args.only.split(",")))
    setup_django(db_url)
    from django.db import connection

    from harvests.models import Snapshot
    from transcripts.models import Student, Transcript

    students = Student.objects.filter(bssy=BSSY).count()
    transcripts = Transcript.objects.filter(student__bssy=BSSY).count()
    print(f"Statewide set: {students:,} students, {transcripts:,} transcript records, "
          f"load average {os.getloadavg()[0]:.2f} at start.\n")
    print("| Measure | Seconds | Peak RSS (MB) | Floor (PostgreSQL COPY of the same rows) | Target |")
    print("|---|---|---|---|---|")
    work = Path(tempfile.mkdtemp(prefix="sts-bench-statewide-"))
    name = f"bench-{dt.datetime.now():%Y%m%d%H%M%S}"
    connection.close()
    if not only or "snapshot" in only:
        seed = int(time.time()) % 100000  # new students each run
        first, second = make_upload(work, seed), make_upload(work, seed + 1)
        connection.close()
        alone = result(run_child(db_url, "upload", out=first))
        snap = run_child(db_url, "snapshot", name=name)
        time.sleep(1)
        beside = result(run_child(db_url, "upload", out=second))
        snap = result(snap)
        floor = copy_floor(db_url)
        print(f"| snapshot ({snap['students']:,} students, {snap['transcripts']:,} transcripts) | "
              f"{snap['seconds']:.1f} | {snap['rss_mb']:.0f} | {floor:.1f} | <= 60 s, < 300 MB |")
        print(f"| upload of 500 students of 017 alone / beside the snapshot | {alone['seconds']:.1f} / "
              f"{beside['seconds']:.1f} ({100 * (beside['seconds'] / alone['seconds'] - 1):+.0f}%) | "
              f"{beside['rss_mb']:.0f} | | at most 10% slower |")
    else:
        name = Snapshot.objects.filter(status="done").order_by("-taken_at").values_list("name", flat=True).first()
    for extract, target in (("stsq01", "<= 60 s, < 300 MB"), ("stsq02", "<= 30 s"), ("stsq03", "<= 30 s")):
        if only and extract not in only:
            continue
        out = work / f"{extract}.txt"
        r = result(run_child(db_url, extract, name=name, out=out))
        print(f"| {extract.upper()} statewide from the snapshot ({r['bytes'] / 1e6:,.0f} MB) | {r['seconds']:.1f} | "
              f"{r['rss_mb']:.0f} | | {target} |")
        out.unlink(missing_ok=True)
    if not only or "pages" in only:
        measure_pages(db_url, name)
    if not only or "recompute" in only:
        measure_recompute(db_url, args.recompute_students)
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.2f}.")


def _env(db_url, **extra):
    return {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "sts.test_settings",
            "STS_SSL_REDIRECT": "0", "STS_SECURE_COOKIES": "0", **extra}


def measure_pages(db_url, snapshot, clients=8, requests_each=25):
    """p95 of the dashboard, the statewide STSQ11 first page and a state staff Student List search,
    with `clients` concurrent clients against gunicorn (2 sync workers: the machine's cores)."""
    import http.client
    import statistics
    import threading
    from urllib.parse import quote

    from django.contrib.sessions.backends.db import SessionStore

    from sts.accounts.models import User

    user = User.objects.get(username="ELDOBEN")
    session = SessionStore()
    from django.conf import settings

    session["_auth_user_id"], session["_auth_user_backend"] = str(user.pk), settings.AUTHENTICATION_BACKENDS[0]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session["bssy"] = BSSY  # the statewide set's year, whatever today's current year is
    session.create()
    port = 8765
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "sts.wsgi", "-w", "2", "-b",
                               f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT, env=_env(db_url))
    try:
        _wait_http(port)
        pages = {"dashboard (live)": "/state/", "dashboard (snapshot)": f"/state/?snapshot={quote(snapshot or '')}",
                 "STSQ11 statewide, first page": "/state/reports/stsq11/",
                 "Student List search (state staff)": "/search/?q=70000012"}
        for label, url in pages.items():
            times, errors = [], []

            def client():
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                for _ in range(requests_each):
                    t = time.perf_counter()
                    conn.request("GET", url, headers={"Cookie": f"sessionid={session.session_key}"})
                    response = conn.getresponse()
                    response.read()
                    times.append(time.perf_counter() - t)
                    if response.status != 200:
                        errors.append(response.status)
            status = _one(port, url, session.session_key)  # a first request (a cold cache) is not in the figure
            assert status == 200, (url, status)
            threads = [threading.Thread(target=client) for _ in range(clients)]
            [t.start() for t in threads]
            [t.join() for t in threads]
            p95 = statistics.quantiles(times, n=20)[-1]
            print(f"| {label}: p95 of {len(times)} requests, {clients} concurrent clients"
                  f"{' (errors: ' + str(set(errors)) + ')' if errors else ''} | {p95 * 1000:.0f} ms | | | p95 < 300 ms |")
    finally:
        server.terminate()
        server.wait(timeout=30)


def _one(port, url, key):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request("GET", url, headers={"Cookie": f"sessionid={key}"})
    response = conn.getresponse()
    response.read()
    return response.status


def _wait_http(port, seconds=60):
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not start")


def measure_recompute(db_url, sample):
    """Stored progress recomputed for `sample` students, fanned out as Celery batches
    (transcripts.tasks.queue_recompute) on 1 and on 2 worker processes; projected to the state."""
    from transcripts.models import RecomputeBatch, Student
    from transcripts.tasks import queue_recompute

    redis = os.environ["REDIS_URL"]
    ids = list(Student.objects.filter(bssy=BSSY, sponsor__code__startswith="S").order_by("pk").values_list(
        "pk", flat=True)[:sample])
    rates = {}
    for processes in (1, 2):
        RecomputeBatch.objects.all().delete()
        worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "sts", "worker", "--concurrency",
                                   str(processes), "--loglevel", "warning", "--without-gossip", "--without-mingle",
                                   "-n", f"bench{processes}@%h"], cwd=ROOT,
                                  env=_env(db_url, REDIS_URL=redis, CELERY_BROKER_URL=redis))
        try:
            time.sleep(8)  # the worker up and its pool forked
            t = time.perf_counter()
            queue_recompute(ids)
            while RecomputeBatch.objects.exclude(status__in=["done", "failed"]).exists():
                time.sleep(0.5)
            seconds = time.perf_counter() - t
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        failed = RecomputeBatch.objects.filter(status="failed").count()
        rates[processes] = len(ids) / seconds
        print(f"| recompute {len(ids):,} students on {processes} worker process{'es' if processes > 1 else ''}"
              f"{f' ({failed} batches failed)' if failed else ''} | {seconds:.1f} ({rates[processes]:.0f} students/s) "
              f"| | | |")
    speedup = rates[2] / rates[1]
    per_worker = rates[2] / 2
    needed = 200_000 / (300 * per_worker)
    print(f"| recompute: speed-up on 2 processes | {speedup:.2f}x | | | at least 1.8x |")
    print(f"| recompute 200,000 students in 5 minutes: worker processes needed (at {per_worker:.0f} students/s each) "
          f"| {needed:.0f} | | | |")


def make_upload(work, seed):
    """500 new students of sponsor 017 (their Secure IDs loaded, as the upload benchmark does)."""
    import io

    from django.core.management import call_command

    from core_tables.loading import load_folder

    out, ids = work / f"bench500-{seed}.txt", work / f"ids-{seed}"
    ids.mkdir()
    call_command("generate_batch", "--students", "500", "--sponsor", "017", "--seed", str(seed), "--out", str(out),
                 "--today", "2026-03-01", "--secure-ids-out", str(ids / "secure_ids.csv"),
                 stdout=io.StringIO(), stderr=io.StringIO())
    load_folder(ids)
    return out


def copy_floor(db_url):
    """COPY of the same student and transcript rows out to a file and into a bare table:
    PostgreSQL's own floor for freezing them."""
    import psycopg2

    t = time.perf_counter()
    with psycopg2.connect(db_url) as conn, conn.cursor() as cur, tempfile.TemporaryFile() as buf:
        cur.execute("CREATE TEMP TABLE f_s (LIKE transcripts_student); "
                    "CREATE TEMP TABLE f_t (LIKE transcripts_transcript)")
        for src, dst in ((f"SELECT * FROM transcripts_student WHERE bssy = {BSSY}", "f_s"),
                         ("SELECT t.* FROM transcripts_transcript t JOIN transcripts_student s ON s.id = t.student_id "
                          f"WHERE s.bssy = {BSSY}", "f_t")):
            buf.seek(0)
            buf.truncate()
            cur.copy_expert(f"COPY ({src}) TO STDOUT", buf)
            buf.seek(0)
            cur.copy_expert(f"COPY {dst} FROM STDIN", buf)
        conn.rollback()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
