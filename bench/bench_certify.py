"""Benchmark of the certification issue (item 10): issuing 500 graduates' official transcripts
(gather + render + sign + store, the OTS worker's `process_entries`) on 2 worker processes, with
WeasyPrint rendering alone beside it, and the bulk merged PDF of the 500 (streaming) versus
pypdf's in-memory PdfWriter.

    .venv/bin/python bench/bench_certify.py [--graduates 500] [--workers 2] [--db sts_cert_bench]

Creates (and drops) its own database on the local PostgreSQL. Prints Markdown.
"""
import argparse
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




def _issue_chunk(ids):
    from certification.services import process_entries

    start, cpu = time.perf_counter(), time.process_time()
    counts = process_entries(ids)
    return os.getpid(), counts["S"], time.perf_counter() - start, time.process_time() - cpu, peak_rss_mb()


def _render_only(ids):
    """WeasyPrint alone (no signing, no storing), in a fresh process."""
    from certification import pdf
    from certification.transcript import Gatherer, students_for_transcripts
    from transcripts.models import Student

    students = list(students_for_transcripts(Student.objects.filter(pk__in=ids)))
    gatherer = Gatherer()
    data = [gatherer.data(s) for s in students]
    start, cpu = time.perf_counter(), time.process_time()
    pages = 0
    for d in data:
        _body, n = pdf.render(d)
        pages += n
    return len(data), pages, time.perf_counter() - start, time.process_time() - cpu, peak_rss_mb()


def _merge(paths, out, streaming):
    start = time.perf_counter()
    if streaming:
        from certification.merge import StreamingMerger

        with open(out, "wb") as f:
            merger = StreamingMerger(f, "bench")
            for p in paths:
                merger.append(p)
            merger.close()
    else:
        from pypdf import PdfWriter

        writer = PdfWriter()
        for p in paths:
            writer.append(p)
        with open(out, "wb") as f:
            writer.write(f)
    return time.perf_counter() - start, peak_rss_mb(), os.path.getsize(out)


def make_graduates(count):
    """`count` public TU graduates of site 017001 with 30 courses each and stored progress."""
    import datetime as dt
    from decimal import Decimal

    from core_tables.models import CourseCode, SecureId, Site, Sponsor
    from transcripts.models import Student, Transcript
    from transcripts.progress_store import recompute

    site = Site.objects.get(code="017001")
    sponsor = Sponsor.objects.get(code="017")
    codes = ["120101", "120102", "120103", "120104", "160321", "160331", "160341", "160351", "150301", "150311",
             "150303", "150321", "220101", "220501", "220201", "220204", "140101", "140102", "110101", "190102",
             "190101", "110102", "110103", "110201"]
    extra = list(CourseCode.objects.exclude(code__in=codes).filter(first_bssy__lte=2022, requires_course_name=False)
                 .values_list("code", flat=True)[:6])
    registry, students = [], []
    for i in range(count):
        uid = f"{8_000_000_000 + i:010d}"
        registry.append(SecureId(unique_id=uid, sponsor=sponsor, site=site, local_id=f"B{i:07d}",
                                 first_name=f"Student{i}", last_name=f"Bench{i % 97}", birth_date=dt.date(2008, 1 + i % 12, 1 + i % 28),
                                 sex="MF"[i % 2], white=True, ssn_on_file=True))
        students.append(Student(bssy=2025, sponsor=sponsor, site=site, state_id=uid, local_id=f"B{i:07d}",
                                first_name="S", last_name="BEN", birth_day=f"{1 + i % 28:02d}", sex="MF"[i % 2],
                                white=True, grade="12", grade9_entry=2022, graduation_date=dt.date(2026, 5, 20),
                                diploma_path="TU", gee_flag="Y", fafsa="1", parental_consent=True))
    SecureId.objects.bulk_create(registry, batch_size=2000)
    Student.objects.bulk_create(students, batch_size=2000)
    rows = []
    grades = "AABAC"
    for s in Student.objects.filter(site=site, bssy=2025):
        for j, code in enumerate(codes + extra):
            grade = grades[(s.pk + j) % len(grades)]
            points = {"A": 4, "B": 3, "C": 2}[grade]
            rows.append(Transcript(student=s, course_bssy=2022 + j % 4, course_code=code, semester="Y1", grade=grade,
                                   credit_attempted=Decimal(1), credit_earned=Decimal(1), grade_point_max=Decimal(4),
                                   quality_points=Decimal(points), course_type="RG", course_sponsor="017",
                                   course_site="017001"))
    Transcript.objects.bulk_create(rows, batch_size=5000)
    recompute(Student.objects.filter(site=site, bssy=2025).values_list("pk", flat=True))
    return site


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--graduates", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", default="sts_cert_bench")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"], check=True)
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"CREATE DATABASE {args.db}"], check=True)
    work = Path(tempfile.mkdtemp(prefix="sts-bench-certify-"))
    os.environ.update({"DATABASE_URL": f"{args.server}/{args.db}", "STS_PRIVATE_MEDIA_ROOT": str(work / "private"),
                       "STS_SIGNING_CERT": str(work / "cert.pem"), "STS_SIGNING_KEY": str(work / "key.pem")})
    os.environ.pop("REDIS_URL", None)  # no cache server needed
    _setup_django()
    from django.core.management import call_command
    from django.db import connections

    from certification.models import OfficialTranscript
    from certification.services import certify_site
    from certification.signing import ensure_demo_certificate
    from certification.storage import file_of
    from core_tables.loading import load_folder

    try:
        call_command("migrate", verbosity=0)
        load_folder(ROOT / "data" / "reference")
        ensure_demo_certificate()
        t = time.perf_counter()
        site = make_graduates(args.graduates)
        setup_s = time.perf_counter() - t
        outcome = certify_site(site, 2025, by="EBENCH1", queue=False)
        ids = outcome.entry_ids
        chunks = [ids[i:i + 25] for i in range(0, len(ids), 25)]
        connections.close_all()

        t = time.perf_counter()
        with ProcessPoolExecutor(args.workers, initializer=init_worker) as pool:
            results = list(pool.map(_issue_chunk, chunks))
        issue_s = time.perf_counter() - t
        per_worker = {}
        for pid, issued, seconds, cpu, rss in results:
            w = per_worker.setdefault(pid, {"issued": 0, "seconds": 0.0, "cpu": 0.0, "rss": 0.0})
            w["issued"] += issued
            w["seconds"] += seconds
            w["cpu"] += cpu
            w["rss"] = max(w["rss"], rss)
        issued = sum(w["issued"] for w in per_worker.values())
        transcripts = list(OfficialTranscript.objects.order_by("display_name", "state_id"))
        pages = sum(t.pages for t in transcripts)
        student_ids = [t.student_id for t in transcripts]
        paths = [str(file_of(t)) for t in transcripts]
        size_mb = sum(t.size for t in transcripts) / 1e6
        connections.close_all()

        with ProcessPoolExecutor(1, initializer=init_worker) as pool:
            r_count, r_pages, render_s, render_cpu, render_rss = pool.submit(_render_only, student_ids).result()
        with ProcessPoolExecutor(1) as pool:
            stream_s, stream_rss, stream_size = pool.submit(_merge, paths, str(work / "merged.pdf"), True).result()
        with ProcessPoolExecutor(1) as pool:
            memory_s, memory_rss, memory_size = pool.submit(_merge, paths, str(work / "merged-pypdf.pdf"), False).result()
    finally:
        connections.close_all()
        subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {args.db}"], check=False)
        subprocess.run(["rm", "-rf", str(work)], check=False)

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    print(f"Machine: {platform.node()} · {cpu} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"PostgreSQL · {args.workers} worker processes · written {time.strftime('%Y-%m-%d')}")
    print(f"\nset-up (not measured below): {args.graduates} graduates with 30 courses and stored progress in {setup_s:.1f} s; "
          f"{issued} issued, {pages} pages ({pages / max(issued, 1):.2f} a transcript), {size_mb:.1f} MB of signed PDFs\n")
    print("| step | transcripts | seconds | transcripts/s | CPU seconds | per CPU second | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(f"| issue (gather + render + sign + store), {args.workers} processes, wall clock | {issued} | {issue_s:.1f} | "
          f"{issued / issue_s:.1f} | | | |")
    for n, (pid, w) in enumerate(sorted(per_worker.items()), start=1):
        print(f"| worker {n} | {w['issued']} | {w['seconds']:.1f} | {w['issued'] / w['seconds']:.1f} | {w['cpu']:.1f} | "
              f"{w['issued'] / w['cpu']:.1f} | {w['rss']:.0f} MB |")
    print(f"| WeasyPrint rendering alone, one process | {r_count} | {render_s:.1f} | {r_count / render_s:.1f} | "
          f"{render_cpu:.1f} | {r_count / render_cpu:.1f} | {render_rss:.0f} MB |")
    print(f"| bulk merged PDF, streaming (`certification.merge`), {r_pages} pages | {len(paths)} | {stream_s:.1f} | "
          f"{len(paths) / stream_s:.1f} | | | {stream_rss:.0f} MB |")
    print(f"| bulk merged PDF, pypdf PdfWriter in memory (for comparison) | {len(paths)} | {memory_s:.1f} | "
          f"{len(paths) / memory_s:.1f} | | | {memory_rss:.0f} MB |")
    print(f"\nLoad average while it ran: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work shares the machine).")
    print(f"\nMerged file sizes: streaming {stream_size / 1e6:.1f} MB, pypdf {memory_size / 1e6:.1f} MB.")


if __name__ == "__main__":
    main()
