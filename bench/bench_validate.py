"""Benchmark: validate a synthetic 1,000,000-record batch file, against pandas.read_fwf.

    .venv/bin/python bench/bench_validate.py [--students 32258] [--json out.json]

Writes a deterministic valid public file (per student one 020, 29 030s and 0-2 050s, about
31 records) into a temporary directory, builds the matching in-memory reference snapshot,
then in separate subprocesses (so each peak RSS is its own, read from ru_maxrss):

- validate: uploads.validation.validate_stream over the whole file (scan, parse, every edit);
- pandas:   pandas.read_fwf of the same file with the 030 layout's column specs (parse only).

Snapshot building is timed apart: in the application it is the loader's database work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from common import peak_rss_mb  # noqa: E402

from transcripts.records import PUBLIC, IbcRecord, StudentRecord, TranscriptRecord  # noqa: E402
from transcripts.reference import CourseCodeRef, ReferenceSnapshot, SecureIdRef, SiteRef  # noqa: E402
from transcripts.layouts import colspecs, format_record  # noqa: E402

BSSY, TODAY, SPONSOR = 2019, dt.date(2020, 6, 30), "001"
SEED = 20191
STUDENTS = 32_258  # x 31 records ~ 1,000,000
COURSES_PER_STUDENT = 29
SITES = tuple(f"001{n:03d}" for n in range(1, 21))
FIRST = ("Ann", "Bob", "Cyd", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai", "Lu", "Max", "Ned", "Oz")
LAST = ("Smith", "Li", "Nguyen", "Broussard", "Thibodeaux", "Ng", "Landry", "Hebert", "Johnson", "Ray", "Ox")
GRADES = (("A", 4), ("B", 3), ("C", 2), ("D", 1), ("F", 0))


def _courses() -> list[CourseCodeRef]:
    rng = random.Random(SEED)
    out = []
    for n in range(400):
        roll = rng.random()
        out.append(CourseCodeRef(
            f"{100000 + n * 37:06d}", f"COURSE {n}", 2000,
            requires_course_name=roll < 0.05,
            ap_type_allowed="required" if 0.05 <= roll < 0.08 else "optional" if 0.08 <= roll < 0.15 else "",
            five_point_eligible=0.05 <= roll < 0.25,
        ))
    return out


def _course_tails(courses: list[CourseCodeRef]) -> list[str]:
    """Columns 24-200 of valid public 030s with distinct (course BSSY, code, part, semester)."""
    rng = random.Random(SEED + 1)
    tails = []
    for course in courses:
        for course_bssy in (2016, 2017, 2018, 2019):
            for part, semester, credits in (("", "Y1", "100"), ("1", "S1", "050"), ("2", "S2", "050")):
                letter, points = rng.choice(GRADES) if part or rng.random() < 0.9 else ("P", 0)  # P: whole course
                course_type = "AP" if course.ap_type_allowed == "required" else rng.choice(("RG", "RG", "HR"))
                maximum = 500 if course.five_point_eligible and course_type != "RG" else 400
                quality = {"A": maximum, "B": maximum - 100, "C": maximum - 200, "D": 100}.get(letter, 0)
                de = course_type == "RG" and not course.ap_type_allowed == "required" and rng.random() < 0.03
                record = TranscriptRecord(
                    bssy=str(BSSY), sponsor=SPONSOR, state_id="0" * 10, course_bssy=str(course_bssy),
                    course_code=course.code, part=part, semester=semester, grade=letter, credit_attempted=credits,
                    credit_earned="000" if letter == "F" else credits, grade_point_max=str(maximum), waiver="N",
                    course_sponsor="401" if de else SPONSOR, course_site="401001" if de else rng.choice(SITES),
                    course_name="ELECTIVE " + str(rng.randint(1, 9)) if course.requires_course_name else "",
                    quality_points=f"{quality:03d}", course_type="DE" if de else course_type,
                    local_course_code=f"L{rng.randint(0, 99999):05d}",
                    de_credit_hours="0300" if de else "", de_secondary_site="001001" if de else "",
                    layout=PUBLIC,
                )
                tails.append(format_record(record)[23:])
    return tails


def _student(n: int, rng: random.Random) -> tuple[StudentRecord, SecureIdRef]:
    state_id = f"{2_000_000_000 + n:010d}"
    first, last = rng.choice(FIRST), rng.choice(LAST)
    born = dt.date(2002, 1, 1) + dt.timedelta(days=rng.randint(0, 1400))
    site = rng.choice(SITES)
    flags = [rng.random() < 0.3 for _ in range(6)]
    flags[5] = flags[5] or not any(flags)
    grade = rng.choice(("09", "10", "11", "12"))
    entry = BSSY - (int(grade) - 9)
    graduate = grade == "12" and rng.random() < 0.7
    registry = SecureIdRef(state_id, SPONSOR, site, f"L{n:07d}", first, last, born, rng.choice("MF"), *flags)
    student = StudentRecord(
        bssy=str(BSSY), sponsor=SPONSOR, state_id=state_id, local_id=registry.local_id, site=site,
        first_name=first[0].upper(), last_name=last[:3].upper(), birth_day=f"{born.day:02d}", sex=registry.sex,
        grade=grade, grade9_entry=str(entry), graduation_date="05222020" if graduate else "",
        gee_flag="Y" if graduate else "", local_gpa="3.2", diploma_path="ND" if grade == "09" else "TU",
        parental_consent="Y", fafsa="1" if graduate else "", layout=PUBLIC,
        **{name: "Y" if flag else "N" for name, flag in zip(
            ("hispanic", "american_indian", "asian", "black", "pacific_islander", "white"), flags)},
    )
    return student, registry


def _ibcs(student: StudentRecord, rng: random.Random) -> list[IbcRecord]:
    count = rng.choice((0, 1, 1, 2))
    return [IbcRecord(bssy=str(BSSY), sponsor=SPONSOR, site=student.site, local_id=student.local_id,
                      state_id=student.state_id, last_name=student.last_name, first_name=student.first_name,
                      ibc_code=f"{k + 1:03d}", semester_earned="2", year_earned="2019", vendor="V01",
                      pass_fail="P", earned_sponsor=SPONSOR, earned_site=student.site, layout=PUBLIC)
            for k in range(count)]


def synthetic(students: int = STUDENTS, path: Path | None = None) -> ReferenceSnapshot:
    """The snapshot of the synthetic population; with `path`, also write the file."""
    courses = _courses()
    tails = _course_tails(courses)
    rng = random.Random(SEED + 2)
    registry = []
    out = open(path, "w", encoding="ascii", newline="") if path else None
    try:
        for n in range(students):
            student, entry = _student(n, rng)
            registry.append(entry)
            picks = rng.sample(tails, COURSES_PER_STUDENT)
            ibcs = _ibcs(student, rng)
            if out:
                head = f"STS030{BSSY}{SPONSOR}{student.state_id}"
                out.write(format_record(student) + "\r\n")
                out.writelines(head + tail + "\r\n" for tail in picks)
                out.writelines(format_record(ibc) + "\r\n" for ibc in ibcs)
    finally:
        if out:
            out.close()
    return ReferenceSnapshot.build(
        sponsors={SPONSOR: "public", "401": "postsecondary"},
        sites=[SiteRef(code, SPONSOR) for code in SITES] + [SiteRef("401001", "401", "postsecondary")],
        courses=courses, secure_ids=registry, ibc_codes=[f"{k:03d}" for k in range(1, 21)], test_vendors=["V01"],
    )


def run_validate(path: str, students: int) -> dict:
    from uploads.validation import validate_stream

    started = time.perf_counter()
    snapshot = synthetic(students)
    snapshot_seconds = time.perf_counter() - started
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    run = validate_stream(path, snapshot, bssy=BSSY, today=TODAY)
    outcomes = rejected = findings = 0
    for outcome in run:
        outcomes += 1
        rejected += outcome.rejected
        findings += len(outcome.findings)
    seconds = time.perf_counter() - started
    records = sum(run.summary.records.values())
    return {"tool": "validate_stream", "seconds": seconds, "records": records, "records_per_s": records / seconds,
            "students": outcomes, "rejected": rejected, "findings": findings,
            "file_errors": run.summary.file_error_count, "contiguous": run.summary.contiguous,
            "peak_rss_mb": peak_rss_mb(), "peak_rss_before_mb": rss_before, "snapshot_seconds": snapshot_seconds}


def run_pandas(path: str) -> dict:
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_fwf(path, colspecs=colspecs("030", PUBLIC), header=None, dtype=str, keep_default_na=False)
    seconds = time.perf_counter() - started
    return {"tool": "pandas.read_fwf", "seconds": seconds, "records": len(frame), "records_per_s": len(frame) / seconds,
            "peak_rss_mb": peak_rss_mb()}


def _child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=STUDENTS)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("TOOL", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        tool, path = args.child
        print(json.dumps(run_validate(path, args.students) if tool == "validate" else run_pandas(path)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.txt"
        started = time.perf_counter()
        synthetic(args.students, path)
        print(f"wrote {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        results = [_child("--students", str(args.students), "--child", "validate", str(path))]
        if not args.skip_pandas:
            results.append(_child("--child", "pandas", str(path)))
    print("| tool | records | seconds | records/s | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['tool']} | {r['records']:,} | {r['seconds']:.2f} | {r['records_per_s']:,.0f} | "
              f"{r['peak_rss_mb']:.0f} MB |")
    validate = results[0]
    print(f"\nvalidate_stream: {validate['students']:,} students, {validate['rejected']} rejected, "
          f"{validate['findings']} findings; the in-memory reference snapshot took {validate['snapshot_seconds']:.1f} s "
          f"to build (peak RSS {validate['peak_rss_before_mb']:.0f} MB before validating).")
    if len(results) > 1:
        ratio = results[1]["seconds"] / validate["seconds"]
        print(f"Speed-up over the pandas parse alone: {ratio:.2f}x (target 2x); peak RSS "
              f"{validate['peak_rss_mb']:.0f} MB (target under 200 MB).")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
