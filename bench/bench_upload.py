"""Benchmark (b) of the batch-upload issue: a 500,000-record upload loaded into PostgreSQL end to
end (parse, every edit, graduation checks, writing), with PostgreSQL COPY of the same rows beside
it as the floor.

    .venv/bin/python bench/bench_upload.py [--records 500000] [--db sts_bench]

Creates (and drops) its own database on the local PostgreSQL (DATABASE_URL's server, default
postgres://postgres@127.0.0.1:5432). Prints a Markdown table.
"""
import argparse
import io
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=500_000)
    parser.add_argument("--db", default="sts_bench")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"], check=True)
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"CREATE DATABASE {args.db}"], check=True)
    os.environ["DATABASE_URL"] = f"{args.server}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sts.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from core_tables.loading import load_folder
    from uploads.pipeline import run_pipeline
    from sts.accounts.services import create_user
    from core_tables.models import CollectionPeriod
    import datetime as dt

    call_command("migrate", verbosity=0)
    load_folder(ROOT / "data" / "reference")
    CollectionPeriod.objects.create(bssy=2025, opens=dt.date(2025, 12, 1), closes=dt.date(2099, 1, 1))
    user = create_user("E017BEN", "lea-upload", "Bench#2025", sponsor="017", must_change_password=False)
    work = Path(tempfile.mkdtemp(prefix="sts-bench-"))
    students = max(1, args.records // 20)  # the generator writes about 20 records a student
    t = time.perf_counter()
    (work / "ids").mkdir()
    call_command("generate_batch", "--students", str(students), "--sponsor", "017", "--seed", "3",
                 "--out", str(work / "bench.txt"), "--today", "2026-03-01",
                 "--secure-ids-out", str(work / "ids" / "secure_ids.csv"), stdout=io.StringIO())
    load_folder(work / "ids")
    gen_s = time.perf_counter() - t
    records = sum(1 for _ in open(work / "bench.txt", "rb"))

    t = time.perf_counter()
    run = run_pipeline(work / "bench.txt", "bench.txt", mode="partial", today=dt.date(2026, 3, 1), user=user)
    load_s = time.perf_counter() - t
    assert run.accepted, run.file_errors

    from transcripts.progress_store import recompute

    t = time.perf_counter()
    recomputed = recompute(run.loaded_student_ids)
    recompute_s = time.perf_counter() - t

    t = time.perf_counter()
    run2 = run_pipeline(work / "bench.txt", "bench.txt", mode="partial", today=dt.date(2026, 3, 1), user=user)
    reload_s = time.perf_counter() - t

    # The floor: COPY of the same transcript rows into a bare table (no edits, no parsing in Python).
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE copy_floor (LIKE transcripts_transcript INCLUDING DEFAULTS)")
        buf = io.StringIO()
        cur.cursor.copy_expert("COPY transcripts_transcript TO STDOUT WITH (FORMAT csv)", buf)
        students_buf = io.StringIO()
        cur.cursor.copy_expert("COPY transcripts_student TO STDOUT WITH (FORMAT csv)", students_buf)
        cur.execute("CREATE TEMP TABLE copy_floor_students (LIKE transcripts_student INCLUDING DEFAULTS)")
        buf.seek(0)
        students_buf.seek(0)
        t = time.perf_counter()
        cur.cursor.copy_expert("COPY copy_floor FROM STDIN WITH (FORMAT csv)", buf)
        cur.cursor.copy_expert("COPY copy_floor_students FROM STDIN WITH (FORMAT csv)", students_buf)
        copy_s = time.perf_counter() - t

    print(f"\n### Upload into PostgreSQL ({records:,} records, {run.total:,} students)\n")
    print(f"Machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"PostgreSQL {connection.pg_version // 10000}\n")
    print("| step | seconds | records/s |")
    print("|---|---|---|")
    print(f"| generate file + registry rows (not part of the upload) | {gen_s:.1f} | |")
    print(f"| upload, partial mode, empty database (parse, every edit, graduation checks, write) | {load_s:.1f} | {records / load_s:,.0f} |")
    print(f"| same file again (every student replaced) | {reload_s:.1f} | {records / reload_s:,.0f} |")
    print(f"| stored progress recomputed for {recomputed:,} students, one process (what the workers do after an upload) "
          f"| {recompute_s:.1f} | {recomputed / recompute_s:,.0f} students/s ({1000 * recompute_s / recomputed:.2f} ms each) |")
    print(f"| floor: PostgreSQL COPY of the same student + transcript rows | {copy_s:.1f} | {records / copy_s:,.0f} |")
    print(f"\nLoaded {run.loaded:,} students ({run2.loaded:,} on the second run), rejected {run.rejected}, "
          f"graduation dates removed {len(run.grad_date_removed)}.")
    connection.close()
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"], check=True)


if __name__ == "__main__":
    main()
