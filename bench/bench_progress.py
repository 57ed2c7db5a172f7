"""Benchmark of the core progress engine (issue item 10).

Builds realistic synthetic students (30+ records each: repeats, part 1/2 halves, honors/AP/DE
courses, electives, a few passes and lone halves) against the core tables in data/reference
(or synthetic TU/CA/TC/TJ-shaped tables when that folder is absent), times compute_progress on
one core, and projects the time for 200,000 students over N Celery worker processes.

    .venv/bin/python bench/bench_progress.py [--students 3000] [--workers 1 2 4 8] [--synthetic]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transcripts.progress import (Category, CoreTables, Course, CourseInfo, Curriculum, SetCourse,  # noqa: E402
                                  StudentFacts, compute_progress, placement, prepare_curriculum)
from transcripts.progress.csvtables import load_core_tables  # noqa: E402

D = Decimal
GRADES = "ABCDF"
GRADE_WEIGHTS = (30, 35, 22, 9, 4)
POINTS = {4: {"A": 4, "B": 3, "C": 2, "D": 1, "F": 0}, 5: {"A": 5, "B": 4, "C": 3, "D": 1, "F": 0}}
ELECTIVE_NAMES = ("Wood Carving", "Furniture Making", "Yearbook", "Robotics", "Debate", "Study Hall")
COHORT_GRADE9 = 2019  # grade 9 entry: graduates in BSSY 2022


# ---- synthetic tables (used when data/reference is absent) ----------------------------------

def synthetic_tables() -> CoreTables:
    """TU/CA/TC/TJ shaped like the guide's lists, 3 codes per category (regular and honors
    '1.0 of 0.5' in one set, an AP/DE '1.0 of 1.0' in another), PE/Health halves, 2-unit
    Jump Start courses."""
    courses: dict[str, CourseInfo] = {}
    next_code = iter(range(100001, 999999))

    def codes_for(label: str, n: int = 3) -> list[SetCourse]:
        result = []
        for kind in ("", "Honors ", "AP ")[:n]:
            code = str(next(next_code))
            courses[code] = CourseInfo(code, f"{kind}{label}", five_point_eligible=bool(kind))
            result.append(SetCourse("02" if kind == "AP " else "01", code, D("1.0"),
                                    D("1.0") if kind == "AP " else D("0.5"), 2017))
        return result

    def cat(code, description, units, set_courses):
        return Category(code, description, D(units), tuple(set_courses))

    shared = {name: codes_for(name) for name in (
        "English I", "English II", "English III", "English IV", "Algebra I", "Geometry", "Algebra II",
        "Pre-Calculus", "Biology I", "Chemistry I", "Physics", "Earth Science", "US History", "Civics",
        "World History", "Geography", "Spanish I", "Spanish II", "Art I", "PE I")}
    health = [SetCourse("01", c, D("1.0"), D("0.5"), 2017) for c in ("190201", "190102")]
    courses["190201"] = CourseInfo("190201", "Health Education")
    courses["190102"] = CourseInfo("190102", "Physical Education II")
    jump = []
    for i in range(6):
        code = str(next(next_code))
        two = i < 3
        courses[code] = CourseInfo(code, f"Jump Start {i}" + (" (2 units)" if two else ""))
        jump.append(SetCourse("01", code, D("2.0") if two else D("1.0"), D("2.0") if two else D("1.0"), 2017))
    courses["999901"] = CourseInfo("999901", "General Elective", requires_course_name=True)

    science = shared["Physics"] + shared["Earth Science"] + shared["Chemistry I"]
    social = shared["World History"] + shared["Geography"]
    tu = [cat("01", "ENGLISH I", 1, shared["English I"]), cat("02", "ENGLISH II", 1, shared["English II"]),
          cat("03", "ENGLISH III", 1, shared["English III"]), cat("04", "ENGLISH IV", 1, shared["English IV"]),
          cat("05", "ALGEBRA I", 1, shared["Algebra I"]), cat("06", "GEOMETRY", 1, shared["Geometry"]),
          cat("07", "ALGEBRA II", 1, shared["Algebra II"]), cat("08", "MATH - 4TH UNIT", 1, shared["Pre-Calculus"]),
          cat("09", "BIOLOGY I", 1, shared["Biology I"]), cat("10", "CHEMISTRY I", 1, shared["Chemistry I"]),
          cat("11", "SCIENCE ELECTIVES 1ST UNIT", 1, science), cat("12", "SCIENCE ELECTIVES 2ND UNIT", 1, science),
          cat("13", "U.S. HISTORY", 1, shared["US History"]), cat("14", "CIVICS & GOVT", 1, shared["Civics"]),
          cat("15", "SOCIAL STUDIES ELECTIVES 1ST UNIT", 1, social),
          cat("16", "SOCIAL STUDIES ELECTIVES 2ND UNIT", 1, social),
          cat("17", "FOREIGN LANGUAGE", 2, shared["Spanish I"] + shared["Spanish II"]),
          cat("19", "ARTS", 1, shared["Art I"]), cat("20", "HEALTH & PE", 2, shared["PE I"] + health)]
    ca = [tu[0], tu[1], tu[2], tu[3], tu[4],
          cat("06", "MATH ELECTIVES", 3, shared["Geometry"] + shared["Algebra II"] + shared["Pre-Calculus"]),
          tu[8], cat("08", "SCIENCE ELECTIVE", 1, science), tu[12], tu[13],
          cat("12", "HEALTH & PE", 2, tu[18].set_courses),
          cat("13", "JUMP START COURSES", 9, jump)]
    curricula = {
        "TU": Curriculum("TU", "TOPS University", "diploma", D(24), None, tuple(tu)),
        "CA": Curriculum("CA", "Jump Start TOPS Tech", "diploma", D(23), None, tuple(ca)),
        "TC": Curriculum("TC", "TOPS Opportunity/Performance/Honors", "award", D(19), D("2.50"), tuple(tu[:-1])),
        "TJ": Curriculum("TJ", "TOPS Tech", "award", D(21), D("2.50"), tuple(c for c in ca if c.code != "12")),
    }
    return CoreTables(curricula=curricula, courses=courses)


# ---- synthetic students ---------------------------------------------------------------------

def _grade(rng: random.Random) -> str:
    return rng.choices(GRADES, GRADE_WEIGHTS)[0]


def _records(rng: random.Random, code: str, units: Decimal, info: CourseInfo | None, bssy: int,
             grade: str, *, split: bool, lone_half: bool, name: str = "") -> list[Course]:
    label = info.name if info else ""
    course_type = "AP" if label.startswith("AP ") else "HR" if "Honors" in label else "RG"
    if course_type == "RG" and rng.random() < 0.04:
        course_type = "DE"
    scale = 5 if info is not None and info.five_point_eligible and course_type != "RG" else 4

    def record(part: str, credit: Decimal, g: str, semester: str) -> Course:
        earned = D(0) if g == "F" else credit
        return Course(bssy, code, part, semester, g, credit, earned, D(scale), D(POINTS[scale][g]),
                      course_type, name, ref=None)

    if split and units == 1 and course_type != "AP":
        halves = [record("1", D("0.5"), grade, "S1"), record("2", D("0.5"), _grade(rng), "S2")]
        return halves[:1] if lone_half else halves
    return [record("", units, grade, "Y1")]


def synthetic_student(rng: random.Random, tables: CoreTables, path: str) -> tuple[StudentFacts, list[Course]]:
    student = StudentFacts(bssy=2022, sponsor_kind="public", grade="12", grade9_entry=COHORT_GRADE9,
                           graduation_date=None, diploma_path=path, gee_flag="Y",
                           career_option="R01" if path == "CA" else "", career_endorsement="J1" if path == "CA" else "",
                           passed_ibc_count=1 if path == "CA" else 0)
    prepared = prepare_curriculum(tables, path, student.grad_bssy)
    records: list[Course] = []
    taken: set[str] = set()
    for category in prepared.curriculum.categories:
        choices = [s for s in category.set_courses if s.applies_to(student.grad_bssy) and s.course_code not in taken]
        units_needed = category.units_required + (1 if rng.random() < 0.1 else 0)
        while units_needed > 0 and choices:
            set_course = choices.pop(rng.randrange(len(choices)))
            taken.add(set_course.course_code)
            info = tables.courses.get(set_course.course_code)
            bssy = 2019 + rng.randrange(4)
            grade = _grade(rng)
            records += _records(rng, set_course.course_code, set_course.units_allowed, info, bssy, grade,
                                split=rng.random() < 0.35, lone_half=rng.random() < 0.03)
            if grade in "DF" and rng.random() < 0.7:  # retaken the next year: a repeat
                records += _records(rng, set_course.course_code, set_course.units_allowed, info,
                                    min(bssy + 1, 2022), rng.choice("ABC"), split=False, lone_half=False)
            units_needed -= set_course.units_allowed
    electives = [c for c in tables.courses.values()
                 if c.code not in taken and (path == "L1" or not c.experience_only)]
    while len(records) < 32:
        info = rng.choice(electives)
        name = rng.choice(ELECTIVE_NAMES) if info.requires_course_name else ""
        grade = "P" if rng.random() < 0.05 else _grade(rng)
        if grade == "P":
            records.append(Course(2019 + rng.randrange(4), info.code, "", "Y1", "P", D(1), D(1), D(4), D(0),
                                  "RG", name))
        else:
            records += _records(rng, info.code, D(1), info, 2019 + rng.randrange(4), grade,
                                split=rng.random() < 0.3, lone_half=False, name=name)
    records = [r.__class__(**{**r.__dict__, "ref": i}) for i, r in enumerate(records)]
    rng.shuffle(records)
    return student, records


# ---- benchmark ------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--synthetic", action="store_true", help="ignore data/reference")
    parser.add_argument("--seed", type=int, default=20250101)
    args = parser.parse_args()

    reference = ROOT / "data" / "reference"
    use_reference = not args.synthetic and (reference / "set_courses.csv").exists()
    tables = load_core_tables(reference) if use_reference else synthetic_tables()
    paths = [p for p in ("TU", "CA", "L1") if p in tables.curricula]
    weights = {"TU": 70, "CA": 25, "L1": 5}
    rng = random.Random(args.seed)
    students = [synthetic_student(rng, tables, rng.choices(paths, [weights[p] for p in paths])[0])
                for _ in range(args.students)]

    solver_calls = Counter()
    integer_program = placement._integer_program

    def counted(*a, **kw):
        solver_calls["integer program"] += 1
        return integer_program(*a, **kw)

    placement._integer_program = counted
    compute_progress(*students[0], tables)  # warm the per-cohort table cache
    started = time.perf_counter()
    results = [compute_progress(student, records, tables) for student, records in students]
    elapsed = time.perf_counter() - started
    placement._integer_program = integer_program

    n = len(students)
    records = sum(len(r) for _, r in students)
    rate = n / elapsed
    print(f"tables: {'data/reference' if use_reference else 'synthetic TU/CA/TC/TJ'}")
    print(f"students: {n}  records: {records} ({records / n:.1f} per student)  "
          f"paths: {dict(Counter(s.diploma_path for s, _ in students))}")
    print(f"complete pathways: {sum(r.pathway.complete for r in results)}  "
          f"award-eligible: {sum(any(a.eligible for a in r.awards) for r in results)}  "
          f"placements by integer program: {solver_calls['integer program']}")
    print(f"elapsed: {elapsed:.2f} s on one core  ->  {rate:.0f} students/s, {1000 * elapsed / n:.2f} ms per student")
    for workers in args.workers:
        projected = 200_000 / (rate * workers)
        print(f"projection: 200,000 students over {workers} worker process(es): {projected:.0f} s "
              f"({projected / 60:.1f} min)")


if __name__ == "__main__":
    main()
