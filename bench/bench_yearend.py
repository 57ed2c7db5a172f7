"""Benchmark of year end (issue 20) on a sponsor loaded through the real upload pipeline: the
rollover's dry run, the rollover (copy + the new year's stored progress), the second run
(idempotent), undo; "all records in Excel" of the largest site; STSQ05 recalculation of the
sponsor on 1 and on 2 processes (parts of STS_RECALC_CHUNK students, as the workers take them).

    .venv/bin/python bench/bench_yearend.py [--students 3000] [--db sts_yearend_bench]

Creates (and drops) its own database on the local PostgreSQL. Prints Markdown.
"""
import argparse
import io
import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from common import init_worker, peak_rss_mb  # noqa: E402


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sts.settings")
    import django

    django.setup()




def _recompute_part(ids):
    from transcripts.progress_store import recompute

    return recompute(ids)


def _all_records(site, path):
    from sts.exports import EXPORTERS

    start = time.perf_counter()
    EXPORTERS["all_records"].bind(None).render("xlsx", {"site": site, "bssy": 2025}, path)
    return time.perf_counter() - start, peak_rss_mb()


def _timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--db", default="sts_yearend_bench")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"], check=True)
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"CREATE DATABASE {args.db}"], check=True)
    work = Path(tempfile.mkdtemp(prefix="sts-bench-yearend-"))
    os.environ.update({"DATABASE_URL": f"{args.server}/{args.db}", "STS_PRIVATE_MEDIA_ROOT": str(work / "private"),
                       "DJANGO_DEBUG": "1"})
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)  # no cache server needed
    _setup_django()
    from django.core.management import call_command
    from django.db import connections
    from django.db.models import Count

    from core_tables.loading import load_folder
    from core_tables.models import Sponsor
    from sts.accounts.services import create_user
    from transcripts.models import Ibc, Student, Transcript
    from yearend import rollover
    from yearend.models import Rollover
    from yearend.recalculation import chunk_size

    try:
        call_command("migrate", verbosity=0)
        load_folder(ROOT / "data" / "reference")
        create_user("E017UPL", "lea-upload", "Tr4nscript!", sponsor="017", must_change_password=False)
        t = time.perf_counter()
        batch = work / "gen017.txt"
        (work / "ids").mkdir()
        call_command("generate_batch", "--students", str(args.students), "--sponsor", "017", "--seed", "5",
                     "--out", str(batch), "--today", "2026-03-01", "--secure-ids-out", str(work / "ids" / "secure_ids.csv"),
                     stdout=io.StringIO(), stderr=io.StringIO())
        load_folder(work / "ids")  # the registry rows of the invented students
        call_command("sts_upload", str(batch), "--user", "E017UPL", "--mode", "partial", "--today", "2026-03-01",
                     stdout=io.StringIO())
        setup_s = time.perf_counter() - t
        sponsor = Sponsor.objects.get(code="017")
        old = Student.objects.filter(bssy=2025, sponsor=sponsor)
        students, courses = old.count(), Transcript.objects.filter(student__in=old).count()
        ibcs = Ibc.objects.filter(student__in=old).count()

        plan, plan_s = _timed(rollover.plan, 2025, sponsor)
        out = io.StringIO()
        _, roll_s = _timed(call_command, "sts_rollover", "--from", "2025", "--sponsor", "017", "--json", stdout=out)
        counts = Rollover.objects.get().counts
        copied = Transcript.objects.filter(student__bssy=2026).count()
        _, again_s = _timed(call_command, "sts_rollover", "--from", "2025", "--sponsor", "017", "--json",
                            stdout=io.StringIO())
        again = Rollover.objects.order_by("-pk").first().counts
        removed, undo_s = _timed(rollover.undo, sponsor, 2026, by="EBENCH1")

        site, site_students = (old.values_list("site__code").annotate(n=Count("pk")).order_by("-n")[0])
        site_rows = site_students + Transcript.objects.filter(student__in=old.filter(site__code=site)).count() + \
            Ibc.objects.filter(student__in=old.filter(site__code=site)).count()
        ids = list(old.order_by("pk").values_list("pk", flat=True))
        size = chunk_size()
        parts = [ids[i:i + size] for i in range(0, len(ids), size)]
        connections.close_all()
        with ProcessPoolExecutor(1, initializer=init_worker) as pool:
            xlsx_s, xlsx_rss = pool.submit(_all_records, site, str(work / "all.xlsx")).result()
        timings = {}
        for workers in (1, 2):
            with ProcessPoolExecutor(workers, initializer=init_worker) as pool:
                list(pool.map(_recompute_part, parts[:1]))  # imports and warm-up, not measured
                start = time.perf_counter()
                done = sum(pool.map(_recompute_part, parts))
                timings[workers] = (done, time.perf_counter() - start)
    finally:
        connections.close_all()
        subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"], check=False)
        subprocess.run(["rm", "-rf", str(work)], check=False)

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    print(f"Machine: {platform.node()} · {cpu} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"PostgreSQL · written {time.strftime('%Y-%m-%d')}")
    print(f"\nset-up (not measured below): sponsor 017 loaded through the upload pipeline in {setup_s:.1f} s: "
          f"{students} students, {courses} 030 and {ibcs} 050 records in BSSY 2025\n")
    print("| step | students | seconds | students/s |")
    print("|---|---:|---:|---:|")
    totals = plan.totals()
    print(f"| rollover dry run (would roll {totals['rolled']}, {totals['skipped_graduates']} graduates) | {students} | "
          f"{plan_s:.2f} | {students / plan_s:,.0f} |")
    print(f"| rollover 2025 -> 2026: copy with {copied} 030s, consent reset, new year's progress stored | "
          f"{counts['rolled']} | {roll_s:.1f} | {counts['rolled'] / roll_s:,.0f} |")
    print(f"| second run: nothing copied, {again['already_present']} already present | {students} | {again_s:.2f} | "
          f"{students / again_s:,.0f} |")
    print(f"| undo (removes what it added) | {removed} | {undo_s:.2f} | {removed / undo_s:,.0f} |")
    for workers, (done, seconds) in timings.items():
        print(f"| STSQ05 recalculation, {len(parts)} parts of {size}, {workers} process{'es' if workers > 1 else ''} | "
              f"{done} | {seconds:.1f} | {done / seconds:,.0f} |")
    print(f"\nAll records in Excel, site {site} ({site_students} students, {site_rows} rows): {xlsx_s:.1f} s, peak RSS "
          f"{xlsx_rss:.0f} MB.")
    print(f"\nLoad average while it ran: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work shares the machine).")


if __name__ == "__main__":
    main()
