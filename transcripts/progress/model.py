"""Inputs of the progress engine: transcript records, core reference tables, student facts.

Plain frozen dataclasses with Decimal units and grade points, so callers (uploads, online
entry, reports, certification) can build them from ORM rows, CSV files or test literals.
"""
from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

GRADES_WITH_POINTS = frozenset("ABCDF")  # P and E carry credit (or a waiver) but no GPA
PASSING_GRADES = frozenset("ABCDP")
# Guide: "College level courses (DE, AP, IB) will never pair with high school level courses
# (Reg, Hon, GT) even with part numbers."  DA/DI are dual-enrolment AP/IB, so college level too.
COLLEGE_COURSE_TYPES = frozenset({"DE", "DA", "DI", "AP", "IB"})


@dataclass(frozen=True)
class Course:
    """One 030 transcript record."""

    course_bssy: int
    course_code: str
    part: str  # '1', '2' or '' (whole course)
    semester: str
    grade: str  # A B C D F P E
    credit_attempted: Decimal
    credit_earned: Decimal
    grade_point_max: Decimal
    quality_points: Decimal
    course_type: str  # RG HR GT TA SE DE DA DI AP IB
    course_name: str = ""  # the Transcript Course Name, '' when none
    ref: str | int | None = None  # opaque link back to the caller's record

    @property
    def college_level(self) -> bool:
        return self.course_type in COLLEGE_COURSE_TYPES


@dataclass(frozen=True)
class CourseInfo:
    """A state course code (course_codes.csv)."""

    code: str
    name: str
    requires_course_name: bool = False
    five_point_eligible: bool = False
    experience_only: bool = False
    # BESE Bulletin 741 repeatable courses are exempt from repeat/delete (Data Glossary,
    # "Repeatable Courses").  Not in course_codes.csv today, so it defaults to False.
    repeatable: bool = False


@dataclass(frozen=True)
class SetCourse:
    """A course code accepted by one set of one category (set_courses.csv)."""

    set_code: str
    course_code: str
    units_allowed: Decimal
    units_required: Decimal
    effective_grad_bssy: int
    expiration_grad_bssy: int | None = None

    def applies_to(self, grad_bssy: int) -> bool:
        return self.effective_grad_bssy <= grad_bssy and (
            self.expiration_grad_bssy is None or grad_bssy <= self.expiration_grad_bssy
        )


@dataclass(frozen=True)
class Category:
    code: str
    description: str
    units_required: Decimal
    set_courses: tuple[SetCourse, ...] = ()


@dataclass(frozen=True)
class Curriculum:
    code: str
    name: str
    kind: str  # 'diploma' | 'award'
    units_required: Decimal
    min_gpa: Decimal | None
    categories: tuple[Category, ...] = ()


@dataclass(frozen=True, eq=False)
class CoreTables:
    """The core reference tables of one BSSY: curricula by code and state course codes.

    Compared by identity (eq=False) so the engine can cache the per-cohort lookups it derives
    from the tables (``_cache``); treat an instance as immutable.
    """

    curricula: Mapping[str, Curriculum]
    courses: Mapping[str, CourseInfo]
    _cache: dict = field(default_factory=dict, init=False, repr=False)


@dataclass(frozen=True)
class StudentFacts:
    """The parts of a 020 student record (and its 050 IBCs) the engine needs."""

    bssy: int
    sponsor_kind: str  # 'public' | 'charter' | 'nonpublic'
    grade: str  # '08' 'T9' '09' '10' '11' '12'
    grade9_entry: int | None
    graduation_date: datetime.date | None
    diploma_path: str
    career_option: str = ""
    career_endorsement: str = ""
    gee_flag: str = ""
    passed_ibc_count: int = 0
    credential_uploaded: bool = False  # a Jumpstart credential PDF is on file (online entry)

    @property
    def grad_bssy(self) -> int:
        """The cohort: the BSSY of the student's (expected) graduation session.

        Grade 9 entry + 3; without an entry year (grade 08, or missing data) it is inferred
        from the grade placement so that core tables can still be selected."""
        if self.grade9_entry is not None:
            return self.grade9_entry + 3
        years_left = {"06": 6, "07": 5, "08": 4, "T9": 4, "09": 3, "10": 2, "11": 1, "12": 0}
        return self.bssy + years_left.get(self.grade, 0)
