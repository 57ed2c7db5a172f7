"""`make bench`: run every benchmark and write docs/benchmarks.md with the machine they ran on.

Benchmarks measure speed and memory; tests never time anything.
"""
import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHES = [
    ("Batch validation: 1,000,000 records, versus pandas.read_fwf", ["bench/bench_validate.py"]),
    ("Core progress engine: 3,000 students", ["bench/bench_progress.py"]),
    ("Batch upload into PostgreSQL: 500,000 records, versus COPY", ["bench/bench_upload.py"]),
    ("Print & Export: a 3,000-student site and a 1,000,000-record extract", ["bench/bench_exports.py"]),
    ("Official transcripts: 500 graduates issued on 2 worker processes", ["bench/bench_certify.py"]),
    ("Year end: rollover, STSQ05 and all records in Excel (3,000 students)", ["bench/bench_yearend.py"]),
    ("Statewide: 200,000 students, 6,000,000 transcript records (snapshot, extracts, pages, recompute)",
     ["bench/bench_statewide.py"]),
    ("REST API: 20 clients polling and paging the errors of a 25,000-student upload", ["bench/bench_api.py"]),
    ("Daily pages under load: 8 clients on gunicorn, PostgreSQL and Redis", ["bench/bench_pages.py"]),
]


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return (f"{platform.node()}: {cpu}, {os.cpu_count()} cores, {mem} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def main():
    only = sys.argv[1:]
    sections = []
    for title, cmd in BENCHES:
        if only and not any(o in cmd[0] for o in only):
            continue
        print(f"== {title}", flush=True)
        proc = subprocess.run([sys.executable, *cmd], cwd=ROOT, capture_output=True, text=True)
        out = proc.stdout.strip() + ("\n\n```\n" + proc.stderr.strip()[-3000:] + "\n```" if proc.returncode else "")
        print(out, flush=True)
        sections.append(f"## {title}\n\n`{' '.join(cmd)}`\n\n{out}\n")
    report = ROOT / "docs" / "benchmarks.md"
    header = None
    if only and report.exists():
        # A subset run (`bench/run_all.py bench_certify`) replaces its own sections and keeps the
        # others with the header (date, machine) of the run that wrote them; each section names
        # its own machine.
        text = report.read_text()
        sections = _merged_sections(text, sections)
        header = text[:text.find("## ")] if "## " in text else None
    header = header or (f"# Benchmarks\n\nWritten by `make bench` on {dt.date.today():%Y-%m-%d}.\n\nMachine: {machine()}\n\n"
              "Speed and memory are measured here, never asserted in tests.\n\n")
    notes = (ROOT / "bench" / "notes.md").read_text()
    report.write_text(header + "\n".join(sections) + "\n" + notes)
    print(f"wrote {report}")


def _merged_sections(text, fresh):
    titles = [t for t, _cmd in BENCHES]
    kept = {}
    for title in titles:
        start = text.find(f"## {title}\n")
        if start < 0:
            continue
        ends = [text.find(f"## {t}\n", start + 1) for t in titles] + [text.find("## Reading the figures", start + 1)]
        end = min([e for e in ends if e > start] or [len(text)])
        kept[title] = text[start:end].rstrip() + "\n"
    for section in fresh:
        kept[section.split("\n", 1)[0][3:]] = section
    return [kept[t] for t in titles if t in kept]


if __name__ == "__main__":
    main()
