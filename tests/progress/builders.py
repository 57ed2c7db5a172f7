"""Small literal builders for progress-engine tests."""
from __future__ import annotations

import itertools
from decimal import Decimal

from transcripts.progress import (Category, CoreTables, Course, CourseInfo, Curriculum, SetCourse,
                                  StudentFacts)

D = Decimal
_refs = itertools.count(1)
POINTS_4 = {"A": "4", "B": "3", "C": "2", "D": "1", "F": "0", "P": "0", "E": "0"}
POINTS_5 = {"A": "5", "B": "4", "C": "3", "D": "1", "F": "0", "P": "0", "E": "0"}  # the guide's 5.0 example


def course(code: str, grade: str = "A", units: str = "1.0", *, part: str = "", bssy: int = 2021,
           course_type: str = "RG", name: str = "", scale: int = 4, qp: str | None = None,
           semester: str | None = None, ref=None) -> Course:
    """A valid 030 record: earned = attempted for passing grades, 0 for F, both 0 for E."""
    attempted = D("0") if grade == "E" else D(units)
    earned = D("0") if grade in "FE" else attempted
    points = qp if qp is not None else (POINTS_5 if scale == 5 else POINTS_4)[grade]
    return Course(course_bssy=bssy, course_code=code, part=part,
                  semester=semester or {"1": "S1", "2": "S2"}.get(part, "Y1"), grade=grade,
                  credit_attempted=attempted, credit_earned=earned, grade_point_max=D(scale),
                  quality_points=D(points), course_type=course_type, course_name=name,
                  ref=next(_refs) if ref is None else ref)


def sc(code: str, allowed: str = "1.0", required: str = "1.0", set_code: str = "01",
       effective: int = 2000, expires: int | None = None) -> SetCourse:
    return SetCourse(set_code=set_code, course_code=code, units_allowed=D(allowed), units_required=D(required),
                     effective_grad_bssy=effective, expiration_grad_bssy=expires)


def category(code: str, units: str, *set_courses: SetCourse, description: str | None = None) -> Category:
    return Category(code=code, description=description or f"CATEGORY {code}", units_required=D(units),
                    set_courses=tuple(set_courses))


def curriculum(code: str, *categories: Category, kind: str = "diploma", units: str | None = None,
               min_gpa: str | None = None) -> Curriculum:
    total = D(units) if units is not None else sum((c.units_required for c in categories), D(0))
    return Curriculum(code=code, name=f"Curriculum {code}", kind=kind, units_required=total,
                      min_gpa=None if min_gpa is None else D(min_gpa), categories=tuple(categories))


def tables(*curricula: Curriculum, courses: dict[str, CourseInfo] | None = None) -> CoreTables:
    return CoreTables(curricula={c.code: c for c in curricula}, courses=courses or {})


def info(code: str, name: str = "", **flags) -> CourseInfo:
    return CourseInfo(code=code, name=name or f"Course {code}", **flags)


def student(path: str = "TU", *, grade: str = "12", grade9_entry: int | None = 2019, bssy: int = 2022,
            sponsor_kind: str = "public", graduation_date=None, career_option: str = "",
            career_endorsement: str = "", gee_flag: str = "Y", passed_ibc_count: int = 0,
            credential_uploaded: bool = False) -> StudentFacts:
    return StudentFacts(bssy=bssy, sponsor_kind=sponsor_kind, grade=grade, grade9_entry=grade9_entry,
                        graduation_date=graduation_date, diploma_path=path, career_option=career_option,
                        career_endorsement=career_endorsement, gee_flag=gee_flag,
                        passed_ibc_count=passed_ibc_count, credential_uploaded=credential_uploaded)


def one_curriculum_progress(tabs: CoreTables, courses, path: str = "TU", **student_kw):
    """compute_progress for a student on ``path``; returns (StudentProgress, categories by code)."""
    from transcripts.progress import compute_progress

    result = compute_progress(student(path, **student_kw), courses, tabs)
    return result, {c.code: c for c in result.pathway.categories}
