"""Benchmark of the REST API (issue 21): 20 concurrent clients polling the status of a
25,000-student upload and paging its errors, against gunicorn on PostgreSQL (and Redis for the
throttle's counters when REDIS_URL is set). Target: p95 under 200 ms.

    .venv/bin/python bench/bench_api.py [--students 25000] [--clients 20] [--requests 60] [--db sts_bench_api]
                                        [--keep] [--reuse]

Creates (and drops) its own database on the local PostgreSQL; the load is bounded (each client
makes --requests calls) and goes to 127.0.0.1 only. Prints a Markdown table.
"""
import argparse
import datetime as dt
import io
import os
import random
import socket
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


def setup_django(db_url):
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sts.test_settings")
    import django

    django.setup()


def set_up(args, db_url):
    """A fresh database with one processed upload of --students students (5% with an error)."""
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"], check=True)
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"CREATE DATABASE {args.db}"], check=True)
    setup_django(db_url)
    from django.core.management import call_command

    from api.tokens import create_token
    from core_tables.loading import load_folder
    from core_tables.models import CollectionPeriod
    from sts.accounts.services import create_user
    from sts import jobs
    from uploads.models import Upload
    from uploads.pipeline import run_pipeline
    from uploads.storage import store_upload, file_chunks
    from uploads.tasks import save_run

    call_command("migrate", verbosity=0)
    load_folder(ROOT / "data" / "reference")
    CollectionPeriod.objects.create(bssy=2025, opens=dt.date(2025, 12, 1), closes=dt.date(2099, 1, 1), is_current=True)
    user = create_user("E017BEN", "lea-upload", "Bench#2025", sponsor="017", must_change_password=False)
    work = Path(tempfile.mkdtemp(prefix="sts-bench-api-"))
    (work / "ids").mkdir()
    call_command("generate_batch", "--students", str(args.students), "--sponsor", "017", "--seed", "5",
                 "--error-rate", "0.05", "--out", str(work / "bench.txt"), "--today", "2026-03-01",
                 "--secure-ids-out", str(work / "ids" / "secure_ids.csv"), stdout=io.StringIO(), stderr=io.StringIO())
    load_folder(work / "ids")
    upload = store_upload(user, "bench.txt", file_chunks(work / "bench.txt"), mode="partial", bssy=2025,
                          today=dt.date(2026, 3, 1))
    upload = jobs.claim(Upload, upload.pk)  # as a worker would (its results are written under the claim)
    saved = []
    run = run_pipeline(upload.stored_path, "bench.txt", mode="partial", bssy=2025, today=dt.date(2026, 3, 1),
                       user=user, upload=(upload.pk, upload.attempts),
                       on_written=lambda run: (save_run(upload, run), saved.append(run)))
    assert run.accepted, run.file_errors
    if not saved:
        save_run(upload, run)
    _token, raw = create_token(user, "bench")
    return upload.pk, raw, upload.errors.count()



def serve(db_url, port, workers):
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "sts.test_settings",
           "STS_API_RATE": "1000000/min", "STS_LOG_LEVEL": "ERROR"}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "sts.wsgi", "-b", f"127.0.0.1:{port}", "-w",
                             str(workers), "-k", "gthread", "--threads", "4", "--log-level", "warning"],
                            cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def client(base, token, upload_id, pages, requests_each, seed, out):
    """One SIS: poll the status, then read a page of errors, alternately, over one kept-alive
    connection (http.client: the load client shares the 2 cores, so it should cost little)."""
    import http.client
    from urllib.parse import urlsplit

    rng = random.Random(seed)
    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=60)
    headers = {"Authorization": f"Bearer {token}"}
    for i in range(requests_each):
        if i % 2 == 0:
            kind, path = "status", f"/api/v1/uploads/{upload_id}/"
        else:
            kind, path = "errors page", f"/api/v1/uploads/{upload_id}/errors/?page={rng.randint(1, pages)}"
        t = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        out.append((kind, time.perf_counter() - t, response.status))
    connection.close()


def process_cpu(match):
    """CPU seconds (user + system) of the processes whose command line contains `match`."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if match.encode() in open(f"/proc/{pid}/cmdline", "rb").read():
                fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            continue
    return total


def cpu_seconds(pid):
    """CPU seconds (user + system) of a process and its children now alive (gunicorn's workers)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid] + [int(c) for c in open(f"/proc/{pid}/task/{pid}/children").read().split()]
    for p in pids:
        fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total



def main():
    p = argparse.ArgumentParser()
    p.add_argument("--students", type=int, default=25_000)
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--requests", type=int, default=60, help="calls per client")
    p.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (4 threads each)")
    p.add_argument("--db", default="sts_bench_api")
    p.add_argument("--server", default=os.environ.get("STS_BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    p.add_argument("--keep", action="store_true")
    p.add_argument("--reuse", action="store_true")
    args = p.parse_args()
    db_url = f"{args.server}/{args.db}"
    load_before = os.getloadavg()[0]
    t = time.perf_counter()
    if args.reuse:
        setup_django(db_url)
        from api.tokens import create_token
        from sts.accounts.models import User
        from uploads.models import Upload

        upload = Upload.objects.latest("pk")
        _t, token = create_token(User.objects.get(username="E017BEN"), f"bench-{time.time():.0f}")
        upload_id, errors = upload.pk, upload.errors.count()
    else:
        upload_id, token, errors = set_up(args, db_url)
    setup_s = time.perf_counter() - t
    port = free_port()
    server = serve(db_url, port, args.workers)
    try:
        base, pages = f"http://127.0.0.1:{port}", max(1, -(-errors // 100))
        warm = []
        client(base, token, upload_id, pages, 4, 0, warm)  # each worker loads its code once
        serial = []
        client(base, token, upload_id, pages, 40, 99, serial)  # one client alone: the service time
        results, threads = [], []
        cpu, own, pg = cpu_seconds(server.pid), time.process_time(), process_cpu("postgres: ")
        t = time.perf_counter()
        for i in range(args.clients):
            threads.append(threading.Thread(target=client, args=(base, token, upload_id, pages, args.requests, i,
                                                                 results)))
            threads[-1].start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - t
        cpu, own, pg = cpu_seconds(server.pid) - cpu, time.process_time() - own, process_cpu("postgres: ") - pg
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        if not args.keep:
            from django.db import connections
            connections.close_all()
            subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"],
                           check=False)
    bad = [r for r in results if r[2] != 200]
    print(f"{args.students:,} students in one upload with {errors:,} error rows ({pages:,} pages of 100); set up "
          f"in {setup_s:.0f} s. {args.clients} concurrent clients x {args.requests} calls against gunicorn "
          f"({args.workers} processes x 4 threads) on 127.0.0.1, token auth, every call logged.\n")
    print("| calls | n | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in ("status", "errors page", "all"):
        times = [r[1] * 1000 for r in results if kind == "all" or r[0] == kind]
        print(f"| {kind} | {len(times):,} | {statistics.median(times):.0f} | {pct(times, 95):.0f} | "
              f"{pct(times, 99):.0f} | {max(times):.0f} |")
    alone = [r[1] * 1000 for r in serial]
    print(f"| one client alone | {len(alone)} | {statistics.median(alone):.0f} | {pct(alone, 95):.0f} | "
          f"{pct(alone, 99):.0f} | {max(alone):.0f} |")
    p95 = pct([r[1] * 1000 for r in results], 95)
    print(f"\n{len(results):,} calls in {wall:.1f} s: {len(results) / wall:.0f} requests/s; {len(bad)} not 200. "
          f"p95 {p95:.0f} ms (target under 200 ms: {'met' if p95 < 200 else 'NOT met'}).")
    print(f"gunicorn used {cpu * 1000 / len(results):.1f} ms of CPU a call (PostgreSQL's and Redis' share not "
          f"counted): two idle cores would serve about {2 / (cpu / len(results)):.0f} calls/s before the database.")
    print(f"Where the {2 * wall:.1f} CPU seconds of the 2 cores went: gunicorn {cpu:.1f}, PostgreSQL {pg:.1f} (its "
          f"processes alive at the end), the 20 clients {own:.1f}, the rest idle or other work.")
    print(f"Load average (1 min) {load_before:.1f} before the set-up, {os.getloadavg()[0]:.1f} after the clients, on "
          f"{os.cpu_count()} cores (the clients, gunicorn and PostgreSQL share them).")


if __name__ == "__main__":
    main()
