"""STSQ08 Course Part Number Edit report.

Guide: "There are 4 conditions that will cause a student to appear on the report: Condition 1:
No Part Number for Possible Split Course  Condition 2: Part # 1 Exists, No Part # 2 for Course
Condition 3: Part # 2 Exists, No Part # 1 for Course  Condition 4: Credit should be .5 when
Part # number is being used."  The findings are not errors: the records are loaded as sent.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .credits import canonical_order, course_key
from .model import GRADES_WITH_POINTS, Course, CoreTables

HALF_UNIT = Decimal("0.5")
PART_NUMBER_MESSAGES = {
    1: "No Part Number for Possible Split Course",
    2: "Part # 1 Exists, No Part # 2 for Course",
    3: "Part # 2 Exists, No Part # 1 for Course",
    4: "Credit should be .5 when Part # number is being used",
}


@dataclass(frozen=True)
class PartNumberFinding:
    condition: int
    message: str
    course_code: str
    course_name: str
    course_bssy: int
    part: str
    credit_attempted: Decimal
    ref: str | int | None


def whole_unit_codes(tables: CoreTables) -> frozenset[str]:
    """Codes whose every set course needs at least a full unit: a half of them never counts."""
    key = ("whole-unit-codes",)
    if key not in tables._cache:
        least: dict[str, Decimal] = {}
        for curriculum in tables.curricula.values():
            for category in curriculum.categories:
                for sc in category.set_courses:
                    least[sc.course_code] = min(least.get(sc.course_code, sc.units_required), sc.units_required)
        tables._cache[key] = frozenset(code for code, units in least.items() if units >= 1)
    return tables._cache[key]


def _finding(condition: int, course: Course) -> PartNumberFinding:
    return PartNumberFinding(condition, PART_NUMBER_MESSAGES[condition], course.course_code,
                             course.course_name, course.course_bssy, course.part,
                             course.credit_attempted, course.ref)


def part_number_findings(courses: Sequence[Course], tables: CoreTables) -> list[PartNumberFinding]:
    """One student's STSQ08 findings, ordered by condition then record.

    1. a half-unit record without a part number, when a second such record of the same course
       exists or the course only counts in the core as a full unit;
    2./3. a part 1 without a part 2 (or the reverse) of the same course at the same level
       (college-level and high-school halves never combine);
    4. a part number on a record whose credit attempted is not 0.5."""
    whole_only = whole_unit_codes(tables)
    by_course: dict[tuple, list[Course]] = defaultdict(list)
    for c in canonical_order(courses):
        if c.grade in GRADES_WITH_POINTS:  # P and E are whole-course grades
            by_course[course_key(c, tables.courses.get(c.course_code))].append(c)

    findings = []
    for records in by_course.values():
        unnumbered_halves = [c for c in records if c.part not in ("1", "2") and c.credit_attempted == HALF_UNIT]
        for c in unnumbered_halves:
            if len(unnumbered_halves) > 1 or c.course_code in whole_only:
                findings.append(_finding(1, c))
        for level in (False, True):
            parts = {c.part for c in records if c.college_level == level}
            for c in records:
                if c.college_level != level:
                    continue
                if c.part == "1" and "2" not in parts:
                    findings.append(_finding(2, c))
                elif c.part == "2" and "1" not in parts:
                    findings.append(_finding(3, c))
        findings.extend(_finding(4, c) for c in records
                        if c.part in ("1", "2") and c.credit_attempted != HALF_UNIT)
    return sorted(findings, key=lambda f: (f.condition, f.course_bssy, f.course_code, f.part, str(f.ref)))
