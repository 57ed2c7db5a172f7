"""Benchmark of the daily pages under load (issue 22 item 7): 8 concurrent clients on the production
stack (gunicorn, PostgreSQL, Redis) over Home, Site List, Student List, Student detail, Core
Progress, View Uploads and the upload report, on the demo data plus a 3,000-student site.

    .venv/bin/python bench/bench_pages.py [--clients 8] [--requests 40] [--workers 3] [--db sts_bench_pages]
                                          [--redis redis://127.0.0.1:6379/6] [--keep] [--reuse]

Creates (and drops) its own database on the local PostgreSQL; REDIS_URL is the cache and broker
(no worker runs: the pages only read). Bounded: every client signs in once (a session of its own
user) and asks --requests pages in turn, after one warm-up round. Prints a Markdown table of
latency per page (p50, p95, max) and overall, requests/s, and, measured in this process with
Django's test client, the queries and server time of one request of each page.
"""
import argparse
import datetime as dt
import http.client
import io
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from common import free_port, pct  # noqa: E402
BIG_SITE = "017003"
SECRET = "bench-only-secret-key-" + "x" * 40
TODAY = "2026-03-01"


def setup_django(args):
    os.environ.update(DATABASE_URL=args.db_url, REDIS_URL=args.redis, CELERY_BROKER_URL=args.redis,
                      DJANGO_SETTINGS_MODULE="sts.settings", DJANGO_SECRET_KEY=SECRET, DJANGO_DEBUG="0", STS_PUBLIC_URL="https://sts.bench.example",
                      STS_SSL_REDIRECT="0", STS_SECURE_COOKIES="0", STS_EMAIL_FILE_PATH="",
                      DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver")
    import django

    django.setup()


def set_up(args):
    """The demo data (seed_demo), and site 017003 with 3,000 generated students, progress stored."""
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"], check=True)
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"CREATE DATABASE {args.db}"], check=True)
    from django.core.management import call_command

    from core_tables.loading import load_folder
    from core_tables.models import Site
    from sts import clock
    from sts.accounts.models import User
    from transcripts.models import Student
    from transcripts.progress_store import recompute
    from uploads.pipeline import run_pipeline

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference", str(ROOT / "data" / "reference"), stdout=io.StringIO())
    call_command("seed_demo", "--today", TODAY, stdout=io.StringIO())
    work = Path(tempfile.mkdtemp(prefix="sts-bench-pages-"))
    (work / "ids").mkdir()
    before = set(Student.objects.filter(sponsor__code="017").values_list("pk", flat=True))
    call_command("generate_batch", "--students", str(args.site_students), "--sponsor", "017", "--seed", "11",
                 "--out", str(work / "big.txt"), "--today", TODAY, "--secure-ids-out", str(work / "ids" / "secure_ids.csv"),
                 stdout=io.StringIO(), stderr=io.StringIO())
    load_folder(work / "ids")
    with clock.fixed(dt.date.fromisoformat(TODAY)):
        run = run_pipeline(work / "big.txt", "big.txt", mode="partial", today=clock.today(),
                           user=User.objects.get(username="E017UPL"))
    assert run.accepted, run.file_errors
    new = [pk for pk in Student.objects.filter(sponsor__code="017").values_list("pk", flat=True) if pk not in before]
    Student.objects.filter(pk__in=new).update(site=Site.objects.get(code=BIG_SITE))
    recompute(new)
    from django.db import connection

    with connection.cursor() as cursor:  # the planner's statistics, as autovacuum keeps them in production
        cursor.execute("ANALYZE")
    return time.perf_counter() - t


def pages():
    """(name, path) of the daily pages, on the 3,000-student site where a page is of a site."""
    from django.urls import reverse

    from transcripts.models import Student
    from uploads.models import Upload

    student = Student.objects.filter(site__code=BIG_SITE).order_by("state_id")[100]
    upload = Upload.objects.filter(sponsor__code="017").order_by("pk").first()
    return [("Home", reverse("home")), ("Site List", reverse("transcripts:site_list")),
            ("Student List (3,000)", reverse("transcripts:student_list", args=[BIG_SITE])),
            ("Student detail", reverse("transcripts:student", args=[student.pk])),
            ("Core Progress", reverse("transcripts:progress", args=[student.pk])),
            ("View Uploads", reverse("uploads:history")),
            ("Upload report", reverse("uploads:detail", args=[upload.pk]))]


def session_cookie(username):
    from django.conf import settings
    from django.test import Client

    from sts.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def profile(paths, username):
    """Queries and server time of one request of each page, in this process (after a warm-up)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sts.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    rows = {}
    for name, path in paths:
        client.get(path)
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - t)
            assert response.status_code == 200, (path, response.status_code)
        rows[name] = (len(queries), statistics.median(times) * 1000, len(response.content))
    return rows


def cprofile(paths, username, top=12):
    """Where one page's time goes: cProfile over 10 requests of each page (in this process)."""
    import cProfile
    import pstats

    from django.test import Client

    from sts.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    for name, path in paths:
        client.get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            client.get(path)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(r"/(sts|transcripts|uploads|core_tables|certification)/", top)
        stats.sort_stats("tottime").print_stats(top)
        print(f"### {name} ({path}), 10 requests\n```\n{out.getvalue().strip()}\n```")



def start_gunicorn(args, port):
    env = {**os.environ}
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "sts.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/signin/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def client_run(port, cookie, paths, rounds, warm, results, errors):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for round_ in range(warm + rounds):
        name, path = paths[round_ % len(paths)]
        t = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - t
        if response.status != 200:
            errors.append(f"{path}: {response.status}")
        elif round_ >= warm:
            results.append((name, elapsed))


def cpu_seconds(root_pid):
    """User + system CPU of a process and its children (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == root_pid or int(fields[1]) == root_pid:  # fields[1]: the parent pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def load(args, paths, cookies):
    port = free_port()
    server = start_gunicorn(args, port)
    results, errors = [], []
    try:
        threads = [threading.Thread(target=client_run, args=(port, cookies[i % len(cookies)], paths[i:] + paths[:i],
                                                             args.requests, len(paths), results, errors))
                   for i in range(args.clients)]
        load_before = os.getloadavg()[0]
        cpu = cpu_seconds(server.pid)
        t = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - t
        cpu = cpu_seconds(server.pid) - cpu
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    return results, errors, wall, load_before, os.getloadavg()[0], cpu



def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=40, help="requests per client, after a warm-up round")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (docker-compose: 3)")
    parser.add_argument("--site-students", type=int, default=3000)
    parser.add_argument("--db", default="sts_bench_pages")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6"))
    parser.add_argument("--keep", action="store_true", help="keep the database (profile with --reuse)")
    parser.add_argument("--reuse", action="store_true", help="measure on a kept database, no set-up")
    parser.add_argument("--cprofile", action="store_true", help="print where each page's time goes; no load run")
    args = parser.parse_args()
    args.db_url = f"{args.server}/{args.db}"
    setup_django(args)
    try:
        setup_s = None if args.reuse else set_up(args)
        from django.db import connections

        paths = pages()
        users = ["E017ALL", "E017UPL"]  # LEA users of 017 who upload: every page is theirs (a session each client)
        cookies = [session_cookie(u) for u in users]
        if args.cprofile:
            cprofile(paths, "E017UPL")
            return
        profiled = profile(paths, "E017UPL")
        connections.close_all()
        results, errors, wall, load_before, load_after, cpu = load(args, paths, cookies)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"], check=False)
    print(f"{args.clients} clients x {args.requests} requests on gunicorn ({args.workers} workers), PostgreSQL, "
          f"Redis; demo data + site {BIG_SITE} of {args.site_students:,} students"
          + (f" (set up in {setup_s:.0f} s)" if setup_s else "") + ".")
    print(f"Load average {load_before:.1f} before, {load_after:.1f} after; {len(errors)} errors"
          + (f" ({errors[:3]})" if errors else "") + ".\n")
    print("| page | requests | p50 ms | p95 ms | max ms | queries | server ms (1 client) | KB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, _path in paths:
        times = [e for n, e in results if n == name]
        queries, server_ms, size = profiled[name]
        print(f"| {name} | {len(times)} | {pct(times, 50) * 1000:.0f} | {pct(times, 95) * 1000:.0f} | {max(times) * 1000:.0f} | "
              f"{queries} | {server_ms:.0f} | {size / 1024:.0f} |")
    every = [e for _n, e in results]
    print(f"| **all pages** | {len(every)} | {pct(every, 50) * 1000:.0f} | **{pct(every, 95) * 1000:.0f}** | {max(every) * 1000:.0f} "
          f"| | | |")
    served = args.clients * (args.requests + len(paths))  # with the warm-up round
    print(f"\n{len(every) / wall:.1f} requests/s over {wall:.1f} s (the load client shares the cores). "
          f"gunicorn's processes used {cpu:.1f} CPU seconds for {served} requests: {cpu / served * 1000:.0f} ms "
          "of CPU a request (PostgreSQL's and Redis' not counted); with 2 cores to itself that bounds it at "
          f"about {2 * served / cpu:.0f} requests/s.")


if __name__ == "__main__":
    main()
