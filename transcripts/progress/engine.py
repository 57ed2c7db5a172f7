"""Core progress of one student: GPAs, best-fit category progress, TOPS awards, graduation.

``compute_progress`` takes plain records and the core tables and returns a
``StudentProgress``; nothing here touches a database or a request.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import NamedTuple

from .credits import ZERO, Credit, build_credits, overall_gpa, weighted_gpa
from .model import Course, CoreTables, Curriculum, StudentFacts
from .partnumbers import PartNumberFinding, part_number_findings  # noqa: F401  (public API)
from .placement import Option, best_fit
from .rank import ClassRank, RankRow, class_rank  # noqa: F401  (public API)
from .result import (AWARD_LEVELS, AwardResult, CategoryProgress, CurriculumProgress, GraduationCheck,
                     StudentProgress, UsedCourse, award_level)

# The TOPS award cores STS evaluates for a diploma path (guide, "CURRENT TOPS AWARDS":
# "TC - used in the TU diploma pathway ... TJ - used in the CA diploma pathway").
AWARDS_FOR_PATHWAY: dict[str, tuple[str, ...]] = {"TU": ("TC",), "CA": ("TJ",)}
# Guide, L1 Pathway: "It also is the only pathway that allows for the experience only courses."
EXPERIENCE_PATHWAYS = frozenset({"L1"})
# Credits a graduate needs when the tables do not say (removal reason 2: "23 credits"; TU 24).
DEFAULT_REQUIRED_CREDITS = {"TU": Decimal(24)}
DEFAULT_CREDITS = Decimal(23)
NOT_A_GRADUATION_PATH = frozenset({"", "ND", "NG"})
PASSED_GEE_FLAGS = frozenset("YEAG")
JUMP_START_ENDORSEMENTS = frozenset({"J1", "J2", "J3", "J4"})
CAREER_DIPLOMA_OPTION = "CDV"


class SetPlace(NamedTuple):
    """Where a course code counts: a set of a category, in half-unit pieces."""

    category: int  # index into the curriculum's categories
    set_code: str
    allowed: int  # units allowed x 2
    required: int  # units required x 2, rounded up


@dataclass(frozen=True)
class PreparedCurriculum:
    """A curriculum narrowed to one graduation cohort, indexed by course code."""

    curriculum: Curriculum
    category_pieces: tuple[int, ...]  # each category's requirement in half units
    by_code: dict[str, tuple[SetPlace, ...]]
    allows_experience: bool


def _pieces(units: Decimal, rounding=ROUND_FLOOR) -> int:
    return int((units * 2).to_integral_value(rounding=rounding))


def prepare_curriculum(tables: CoreTables, code: str, grad_bssy: int) -> PreparedCurriculum | None:
    """Set courses in effect for the cohort (effective <= cohort <= expiration), cached on the
    tables because every student of a cohort shares them."""
    key = ("curriculum", code, grad_bssy)
    if key not in tables._cache:
        curriculum = tables.curricula.get(code)
        prepared = None
        if curriculum is not None:
            by_code: dict[str, list[SetPlace]] = defaultdict(list)
            for index, category in enumerate(curriculum.categories):
                for sc in category.set_courses:
                    if sc.applies_to(grad_bssy):
                        by_code[sc.course_code].append(SetPlace(index, sc.set_code, _pieces(sc.units_allowed),
                                                                _pieces(sc.units_required, ROUND_CEILING)))
            prepared = PreparedCurriculum(
                curriculum=curriculum,
                category_pieces=tuple(_pieces(c.units_required) for c in curriculum.categories),
                by_code={k: tuple(v) for k, v in by_code.items()},
                allows_experience=code in EXPERIENCE_PATHWAYS)
        tables._cache[key] = prepared
    return tables._cache[key]


def _options(credits: Sequence[Credit], prepared: PreparedCurriculum) -> list[Option]:
    """Where each credit may count.  A set course counts once its units required are earned
    ('1.0 of 1.0' courses only as a full unit, '(2 units)' courses only at 2.0) and for at most
    its units allowed; a waived course (grade E) counts as its units allowed."""
    options = []
    for item, credit in enumerate(credits):
        places = prepared.by_code.get(credit.code)
        if not places or not credit.counts_for_credit or (credit.experience_only and not prepared.allows_experience):
            continue
        earned = _pieces(credit.earned)
        best: dict[tuple, int] = {}
        for place in places:
            if credit.waiver:
                pieces = place.allowed
            elif earned >= place.required:
                pieces = min(earned, place.allowed)
            else:
                continue
            key = (place.category, (place.set_code, credit.college_level))
            best[key] = max(best.get(key, 0), pieces)
        options.extend(Option(item, category, group, pieces) for (category, group), pieces in best.items())
    return options


def curriculum_progress(credits: Sequence[Credit], prepared: PreparedCurriculum) -> CurriculumProgress:
    """Best-fit progress of the credits toward one curriculum."""
    points = [None if c.points is None else float(c.points) for c in credits]
    placed = best_fit(prepared.category_pieces, _options(credits, prepared), points)
    used_by_category: dict[int, list[UsedCourse]] = defaultdict(list)
    for item in sorted(placed):  # credits are in canonical order
        credit, placement = credits[item], placed[item]
        used_by_category[placement.category].append(UsedCourse(
            code=credit.code, name=credit.name, bssy=credit.bssy, grade=credit.grade,
            units=Decimal(placement.pieces) / 2, refs=credit.refs, points=credit.points))

    categories = []
    for index, category in enumerate(prepared.curriculum.categories):
        used = used_by_category[index]
        earned = sum((u.units for u in used), ZERO)
        categories.append(CategoryProgress(code=category.code, description=category.description,
                                           required=category.units_required, earned=earned,
                                           complete=earned >= category.units_required, courses=used))
    all_used = [u for c in categories for u in c.courses]
    return CurriculumProgress(
        code=prepared.curriculum.code, name=prepared.curriculum.name, categories=categories,
        complete=all(c.complete for c in categories),
        core_gpa=weighted_gpa((u.points, u.units) for u in all_used),
        units_required=prepared.curriculum.units_required,
        units_earned=sum((c.earned for c in categories), ZERO))


def _award(code: str, curriculum: Curriculum, progress: CurriculumProgress) -> AwardResult:
    """Eligible as far as STS can judge: the award core complete and its GPA at the minimum
    (ACT scores and residency are outside STS)."""
    levels = AWARD_LEVELS.get(code, ())
    minimum = curriculum.min_gpa if curriculum.min_gpa is not None else (levels[-1].minimum if levels else ZERO)
    gpa = progress.core_gpa
    eligible = progress.complete and gpa is not None and gpa >= minimum
    return AwardResult(code=code, level=award_level(code, gpa, eligible), eligible=eligible, gpa=gpa,
                       progress=progress)


def counted_credits(credits: Sequence[Credit], path: str) -> Decimal:
    """Total credits toward graduation: earned units of the kept credits (experience-only
    courses only on the L1 path)."""
    allows_experience = path in EXPERIENCE_PATHWAYS
    return sum((c.earned for c in credits if allows_experience or not c.experience_only), ZERO)


def graduation_removal_reasons(student: StudentFacts, total_credits: Decimal, core_complete: bool | None,
                               required_credits: Decimal | None = None, *, path: str | None = None) -> list[str]:
    """Graduation-date removal reasons '2'..'6' (certification section of the guide).

    ``core_complete`` is the diploma path's core progress (None when the path has no core table
    to judge by); ``required_credits`` defaults to the path's units (TU 24, others 23)."""
    path = (student.diploma_path if path is None else path).strip().upper()
    required = required_credits if required_credits is not None else DEFAULT_REQUIRED_CREDITS.get(path, DEFAULT_CREDITS)
    reasons = []
    if total_credits < required:
        reasons.append("2")
    if path in NOT_A_GRADUATION_PATH or core_complete is False:
        reasons.append("3")
    if student.sponsor_kind != "nonpublic" and student.gee_flag.strip().upper() not in PASSED_GEE_FLAGS:
        reasons.append("4")
    if path == "CD" and student.career_option.strip().upper() != CAREER_DIPLOMA_OPTION:
        reasons.append("5")
    # Reason 6 is "not applicable to Nonpublic schools" (Career/Tech Endorsement; edit 225 reads it so).
    if path == "CA" and student.sponsor_kind != "nonpublic" and (
            student.passed_ibc_count < 1 or not student.credential_uploaded
            or student.career_endorsement.strip().upper() not in JUMP_START_ENDORSEMENTS):
        reasons.append("6")
    return reasons


def _pathway_and_reasons(student: StudentFacts, credits: Sequence[Credit], tables: CoreTables, path_code: str):
    """The diploma path's progress, the credits that count and the removal reasons."""
    pathway = None
    curriculum = tables.curricula.get(path_code)
    if curriculum is not None and curriculum.kind == "diploma":
        pathway = curriculum_progress(credits, prepare_curriculum(tables, path_code, student.grad_bssy))
    total_credits = counted_credits(credits, path_code)
    # A path without a core table (no categories, no total: historical paths) keeps the guide's
    # default credits ("23 credits"; TU 24) rather than requiring none.
    reasons = graduation_removal_reasons(
        student, total_credits, None if pathway is None else pathway.complete,
        pathway.units_required if pathway is not None and pathway.units_required > 0 else None, path=path_code)
    return pathway, total_credits, reasons


def graduation_check(student: StudentFacts, courses: Sequence[Course], tables: CoreTables) -> GraduationCheck:
    """Only the graduation requirements (no awards, no GPAs): what a batch upload asks of each
    graduate, at about half the cost of ``compute_progress``."""
    path_code = student.diploma_path.strip().upper()
    _pathway, _total, reasons = _pathway_and_reasons(student, build_credits(courses, tables.courses), tables, path_code)
    return GraduationCheck(meets=not reasons, removal_reasons=reasons)


def compute_progress(student: StudentFacts, courses: Sequence[Course], tables: CoreTables, *,
                     path: str | None = None) -> StudentProgress:
    """Everything STS computes for one student.  ``path`` replaces the declared diploma path
    (the what-if switch: "To view other core progress reports, change the diploma pathway")."""
    path_code = (student.diploma_path if path is None else path).strip().upper()
    credits = build_credits(courses, tables.courses)
    pathway, total_credits, reasons = _pathway_and_reasons(student, credits, tables, path_code)

    awards = []
    for award_code in AWARDS_FOR_PATHWAY.get(path_code, ()):
        prepared = prepare_curriculum(tables, award_code, student.grad_bssy)
        if prepared is not None:
            awards.append(_award(award_code, prepared.curriculum, curriculum_progress(credits, prepared)))

    return StudentProgress(
        overall_gpa=overall_gpa(credits),
        core_gpa=None if pathway is None else pathway.core_gpa,
        tops_gpa=awards[0].gpa if awards else None,
        total_credits=total_credits, pathway=pathway, awards=awards,
        graduation=GraduationCheck(meets=not reasons, removal_reasons=reasons))
