"""Benchmark of the Print & Export issue: for a 3,000-student site, the Excel summary and the
Core Progress Report (PDF and Word, files of 100 students on 2 worker processes); and the extract
of about 1,000,000 records. Each export runs in a fresh process, as a worker would, which
reports its own time and peak RSS.

    .venv/bin/python bench/bench_exports.py [--students 50000] [--site-students 3000] [--db sts_bench_exports]
                                            [--keep] [--reuse] [--only summary,core_progress_pdf,...]

Creates (and drops) its own database on the local PostgreSQL. Prints a Markdown table. While
profiling, `--keep` leaves the database in place and `--reuse` measures on a kept one (no set-up).
"""
import argparse
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from common import peak_rss_mb  # noqa: E402
SITE = "017001"


def setup_django(db_url):
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sts.settings")
    import django

    django.setup()


def child(args):
    """One worker process: render the export (or its share of the parts), print time and peak RSS."""
    setup_django(args.db_url)
    from sts.exports import EXPORTERS

    exporter = EXPORTERS[args.child].bind(None)
    start_mb = peak_rss_mb()  # Django and the apps loaded (scipy for the progress engine)
    params = json.loads(args.params)
    out = Path(args.out)
    t, cpu = time.perf_counter(), time.process_time()
    files = 0
    if args.parts:  # this process' share of the parts, one after the other (as a worker's tasks)
        share, of = (int(x) for x in args.parts.split("/"))
        for i, part in enumerate(exporter.parts(params)):
            if i % of == share:
                exporter.render_part(args.fmt, params, part, out.with_name(f"{out.stem}-{i}{out.suffix}"))
                files += 1
    else:
        exporter.render(args.fmt, params, out)
        files = 1
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "rss_mb": peak_rss_mb(), "start_mb": start_mb, "files": files}))



def run_children(db_url, name, fmt, params, out, processes=1):
    cmd = [sys.executable, __file__, "--child", name, "--fmt", fmt, "--params", json.dumps(params),
           "--out", str(out), "--db-url", db_url]
    t = time.perf_counter()
    if processes == 1:
        procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)]
    else:
        procs = [subprocess.Popen(cmd + ["--parts", f"{i}/{processes}"], stdout=subprocess.PIPE, text=True)
                 for i in range(processes)]
    results = []
    for p in procs:
        stdout, _ = p.communicate()
        if p.returncode:
            raise SystemExit(f"{name} {fmt} failed")
        results.append(json.loads(stdout.strip().splitlines()[-1]))
    wall = time.perf_counter() - t
    return wall, results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=50_000, help="students of the sponsor (~20 records each)")
    parser.add_argument("--site-students", type=int, default=3000)
    parser.add_argument("--db", default="sts_bench_exports")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--child")
    parser.add_argument("--fmt")
    parser.add_argument("--params")
    parser.add_argument("--out")
    parser.add_argument("--parts")
    parser.add_argument("--db-url")
    parser.add_argument("--keep", action="store_true", help="leave the database in place")
    parser.add_argument("--reuse", action="store_true", help="measure on a database kept by --keep")
    parser.add_argument("--only", default="", help="comma-separated: " + ",".join(MEASURES))
    args = parser.parse_args()
    if args.child:
        return child(args)

    db_url = f"{args.server}/{args.db}"
    load_before = os.getloadavg()[0]
    if args.reuse:
        setup_django(db_url)
        from transcripts.models import Ibc, Student, Transcript
        site_ids = Student.objects.filter(site__code=SITE, bssy=2025).values_list("pk", flat=True)
        records = Student.objects.count() + Transcript.objects.count() + Ibc.objects.count()
        args.students = Student.objects.count()
        setup_s, work = 0.0, Path(tempfile.mkdtemp(prefix="sts-bench-exports-"))
    else:
        setup_s, site_ids, records, work = set_up(args, db_url)
    measures = [m for m in args.only.split(",") if m] or list(MEASURES)
    lines, baseline = [], None
    for m in measures:
        line, start_mb = MEASURES[m](db_url, work)
        lines.extend(line if isinstance(line, list) else [line])
        baseline = baseline or start_mb

    print(f"{args.students:,} students ({records:,} records) generated and loaded in {setup_s:.0f} s; "
          f"site {SITE} has {len(site_ids):,} students with stored progress. Each export ran in a fresh process "
          "(as a worker does) reporting its own time and peak RSS (Django start-up excluded).\n")
    print("| export | seconds | peak RSS of the worker | target |\n|---|---:|---:|---|")
    for what, seconds, rss, target in lines:
        print(f"| {what} | {seconds:.1f} | {rss:.0f} MB | {target} |")
    print(f"\nA worker process holds {baseline:.0f} MB before any export (Django and the apps); "
          "the peak RSS above includes it.")
    print(f"\nLoad average (1 min) {load_before:.1f} before the set-up, {os.getloadavg()[0]:.1f} after the exports "
          f"(5 min: {os.getloadavg()[1]:.1f}) on {os.cpu_count()} cores.")
    print(f"files in {work}", file=sys.stderr)
    from django.db import connections
    connections.close_all()
    if not args.keep:
        subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"], check=False)


def set_up(args, db_url):
    """A fresh database: 017's students generated and loaded, one site of --site-students."""
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"], check=True)
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"CREATE DATABASE {args.db}"], check=True)
    setup_django(db_url)
    from django.core.management import call_command

    from core_tables.loading import load_folder
    from core_tables.models import CollectionPeriod, Site
    from sts.accounts.services import create_user
    from transcripts.models import Ibc, Student, Transcript
    from transcripts.progress_store import recompute
    from uploads.pipeline import run_pipeline

    call_command("migrate", verbosity=0)
    load_folder(ROOT / "data" / "reference")
    CollectionPeriod.objects.create(bssy=2025, opens=dt.date(2025, 12, 1), closes=dt.date(2099, 1, 1))
    user = create_user("E017BEN", "lea-upload", "Bench#2025", sponsor="017", must_change_password=False)
    work = Path(tempfile.mkdtemp(prefix="sts-bench-exports-"))
    (work / "ids").mkdir()
    t = time.perf_counter()
    call_command("generate_batch", "--students", str(args.students), "--sponsor", "017", "--seed", "5",
                 "--out", str(work / "bench.txt"), "--today", "2026-03-01",
                 "--secure-ids-out", str(work / "ids" / "secure_ids.csv"), stdout=io.StringIO(), stderr=io.StringIO())
    load_folder(work / "ids")
    run = run_pipeline(work / "bench.txt", "bench.txt", mode="partial", today=dt.date(2026, 3, 1), user=user)
    assert run.accepted, run.file_errors
    # One site of --site-students students (the others at a second site), their progress stored.
    ids = list(Student.objects.filter(sponsor__code="017", bssy=2025).order_by("pk").values_list("pk", flat=True))
    site_ids = ids[:args.site_students]
    Student.objects.filter(pk__in=site_ids).update(site=Site.objects.get(code=SITE))
    Student.objects.filter(pk__in=ids[args.site_students:]).update(site=Site.objects.get(code="017002"))
    recompute(site_ids)
    setup_s = time.perf_counter() - t
    records = (Student.objects.filter(sponsor__code="017").count() + Transcript.objects.count()
               + Ibc.objects.count())
    return setup_s, site_ids, records, work


SITE_PARAMS = {"site": SITE, "bssy": "2025"}


def measure_summary(db_url, work):
    _wall, (r,) = run_children(db_url, "summary", "xlsx", SITE_PARAMS, work / "summary.xlsx")
    return ("Excel summary (.xlsx), 3,000 students, 1 process", r["seconds"], r["rss_mb"],
            "<= 5 s, <= 150 MB"), r["start_mb"]


def measure_cpr_pdf(db_url, work):
    wall, rs = run_children(db_url, "core_progress", "pdf", SITE_PARAMS, work / "cpr.pdf", processes=2)
    cpu = " + ".join(f"{x['cpu']:.0f}" for x in rs)
    return (f"Core Progress Report PDF, 3,000 students in {sum(x['files'] for x in rs)} files of 100, "
            f"2 processes (wall time; CPU seconds {cpu})", wall, max(x["rss_mb"] for x in rs),
            "<= 120 s, < 400 MB a worker"), rs[0]["start_mb"]


def measure_cpr_pdf_celery(db_url, work):
    """The same report the way the browser gets it: a real Celery worker with 2 processes; run_export
    queues one run_export_part a file of 100, the last part zips them. Peak RSS of each pool process."""
    from sts.accounts.models import User
    from sts.export_views import queue_export
    from sts.models import ExportJob

    env = {**os.environ, "DATABASE_URL": db_url, "STS_PRIVATE_MEDIA_ROOT": str(work / "private"),
           "PYTHONUNBUFFERED": "1"}
    log_path = work / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "sts", "worker", "--concurrency", "2", "--loglevel", "info",
         "--without-gossip", "--without-mingle", "-n", f"bench-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=open(log_path, "w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait(lambda: "ready." in log_path.read_text(), 120, "the worker to start")
        pool = list(_children(worker.pid))
        t = time.perf_counter()
        job = queue_export(User.objects.get(username="E017BEN"), "core_progress", "pdf", SITE_PARAMS)
        _wait(lambda: ExportJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).exists(), 1800,
              "the export")
        wall = time.perf_counter() - t
        job.refresh_from_db()
        assert job.status == "done", job.message
        rss = max(_peak_rss_mb(pid) for pid in pool)
    finally:
        os.killpg(worker.pid, 15)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:  # the laptop broker's warm shutdown can hang; its work is done
            os.killpg(worker.pid, 9)
            worker.wait()
    # How the parts shared the two processes: busy seconds per pool process (from the worker's log).
    busy = {}
    for line in log_path.read_text().splitlines():
        m = re.search(r"/(ForkPoolWorker-\d+)\].*run_export_part\[.*\] succeeded in ([0-9.]+)s", line)
        if m:
            busy[m[1]] = busy.get(m[1], 0) + float(m[2])
    shares = " + ".join(f"{v:.0f}" for _, v in sorted(busy.items()))
    return (f"same, through a real Celery worker (--concurrency 2, {len(job.parts)} part tasks + zip; "
            f"seconds busy per process {shares})", wall, rss, "<= 120 s, < 400 MB a worker"), None


def _wait(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.5)


def _children(pid):
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if f"PPid:\t{pid}\n" in status.read_text():
                yield int(status.parent.name)
        except OSError:
            continue


def _peak_rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0


def measure_cpr_docx(db_url, work):
    wall, rs = run_children(db_url, "core_progress", "docx", SITE_PARAMS, work / "cpr.docx", processes=2)
    return ("Core Progress Report Word, same, 2 processes (wall time)", wall, max(x["rss_mb"] for x in rs),
            ""), rs[0]["start_mb"]


def measure_list_pdfs(db_url, work):
    """The table PDFs of a whole site (listings in fixed columns): Print to PDF and STSQ11."""
    lines = []
    for name, label in (("student_list", "Print to PDF (Student List)"), ("stsq11", "STSQ11 Overall GPA Report PDF")):
        _wall, (r,) = run_children(db_url, name, "pdf", SITE_PARAMS, work / f"{name}.pdf")
        lines.append((f"{label}, 3,000 students, 1 process", r["seconds"], r["rss_mb"], ""))
    return lines, r["start_mb"]


def measure_extract(db_url, work):
    _wall, (r,) = run_children(db_url, "extract_all", "txt", {"sponsor": "017", "bssy": "2025"}, work / "all.txt")
    written = sum(1 for _ in open(work / "all.txt", "rb"))
    return (f"Extract All Records, {written:,} records, 1 process", r["seconds"], r["rss_mb"], "<= 20 s"), r["start_mb"]


MEASURES = {"summary": measure_summary, "core_progress_pdf": measure_cpr_pdf,
            "core_progress_pdf_celery": measure_cpr_pdf_celery, "core_progress_docx": measure_cpr_docx,
            "list_pdfs": measure_list_pdfs,
            "extract_all": measure_extract}


if __name__ == "__main__":
    main()
