"""From 030 records to credits: grade points, part 1/2 pairing and the repeat/delete rule.

A *credit* is what the GPA and the core placement count: one whole-course record, parts 1 and
2 of one course combined into a unit, or a half whose other part is missing.  See
docs/progress-rules.md for the guide's sentences behind each rule.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .model import GRADES_WITH_POINTS, Course, CourseInfo

ZERO = Decimal(0)
FOUR = Decimal(4)


@dataclass(frozen=True)
class Credit:
    """One course as counted after pairing and repeat/delete."""

    code: str
    name: str  # Transcript Course Name, else the state course name
    bssy: int  # course BSSY (of the later part when parts were combined)
    grades: tuple[str, ...]  # ('B',) or ('B', 'C') for parts 1 and 2
    attempted: Decimal
    earned: Decimal
    points: Decimal | None  # core/TOPS grade points (5.0-list courses on 5.0, others converted); None for P, E
    college_level: bool
    parts: str  # '' whole course, '12' combined parts, '1' or '2' a lone half
    experience_only: bool
    refs: tuple
    overall_points: Decimal | None = None  # on the 4.00 scale, every course converted (Overall GPA)

    @property
    def grade(self) -> str:
        return "/".join(self.grades)

    @property
    def waiver(self) -> bool:
        """Grade E: the course requirement was waived (Core Curriculum Waiver Flag Y)."""
        return self.grades == ("E",)

    @property
    def counts_for_credit(self) -> bool:
        return self.earned > 0 or self.waiver


def grade_points(course: Course, info: CourseInfo | None) -> Decimal | None:
    """Grade points of a record for the core and TOPS GPAs; None for P and E (no GPA).

    "Conversion Scale: The process of converting grade points to the 4.00 scale used for TOPS GPA
    courses that have not been identified as remaining on the 5.0 scale and Overall GPA": a course on
    the 5.0 list keeps its points, any other is converted (quality points x 4 / maximum)."""
    if info is not None and info.five_point_eligible and course.grade in GRADES_WITH_POINTS:
        return ZERO if course.grade == "F" else course.quality_points
    return overall_points(course)


def overall_points(course: Course) -> Decimal | None:
    """Grade points of a record for the Overall GPA: every course on the 4.00 scale."""
    if course.grade not in GRADES_WITH_POINTS:
        return None
    if course.grade == "F":
        return ZERO
    if course.grade_point_max in (ZERO, FOUR):
        return course.quality_points  # no usable maximum (edit 314 refuses it when graded) or already 4.0
    return course.quality_points * FOUR / course.grade_point_max


def normalise_name(name: str) -> str:
    """Transcript Course Names compare by spelling: case and spacing are not spelling."""
    return " ".join(name.split()).casefold()


def canonical_order(courses: Iterable[Course]) -> list[Course]:
    """A fixed order of records so that no result depends on the order they were sent in."""
    return sorted(courses, key=lambda c: (
        c.course_bssy, c.course_code, c.course_name, c.part, c.semester, c.grade, c.course_type,
        c.credit_attempted, c.credit_earned, c.quality_points, c.grade_point_max, str(c.ref)))


def course_key(course: Course, info: CourseInfo | None) -> tuple:
    """What counts as 'the same course' for repeat/delete and for pairing parts.

    For codes that require a Transcript Course Name the name is part of the identity."""
    if info is not None and info.repeatable:
        return (course.course_code, "#", course.course_bssy, course.semester, str(course.ref))
    if info is not None and info.requires_course_name:
        return (course.course_code, normalise_name(course.course_name))
    return (course.course_code, "")


def _display_name(course: Course, info: CourseInfo | None) -> str:
    return course.course_name.strip() or (info.name if info is not None else "")


def _whole(course: Course, info: CourseInfo | None, parts: str = "") -> Credit:
    return Credit(code=course.course_code, name=_display_name(course, info), bssy=course.course_bssy,
                  grades=(course.grade,), attempted=course.credit_attempted,
                  earned=course.credit_earned, points=grade_points(course, info),
                  college_level=course.college_level, parts=parts,
                  experience_only=bool(info and info.experience_only), refs=(course.ref,),
                  overall_points=overall_points(course))


def _pair(first: Course, second: Course, info: CourseInfo | None) -> Credit:
    """Parts 1 and 2 combine into one unit whose grade points are the average of the parts
    (weighted by credit attempted, which is the plain average for two halves)."""
    attempted = first.credit_attempted + second.credit_attempted

    def average(p1, p2):
        if attempted > 0:
            return (p1 * first.credit_attempted + p2 * second.credit_attempted) / attempted
        return (p1 + p2) / 2

    return Credit(code=first.course_code, name=_display_name(first, info) or _display_name(second, info),
                  bssy=max(first.course_bssy, second.course_bssy), grades=(first.grade, second.grade),
                  attempted=attempted, earned=first.credit_earned + second.credit_earned,
                  points=average(grade_points(first, info), grade_points(second, info)),
                  college_level=first.college_level, parts="12",
                  experience_only=bool(info and info.experience_only), refs=(first.ref, second.ref),
                  overall_points=average(overall_points(first), overall_points(second)))


def _merit(credit: Credit) -> tuple:
    """Repeat/delete keeps the highest grade.  Credit earned comes first so that a whole course
    beats a lone half of it and a pass beats a failure; P (no points) ranks below D."""
    points = credit.points if credit.points is not None else Decimal(-1)
    return (credit.earned, points, credit.bssy)


def _option_merit(credits: list[Credit]) -> tuple:
    points = weighted_gpa((c.points, c.attempted) for c in credits)
    return (sum((c.earned for c in credits), ZERO), Decimal(-1) if points is None else points,
            max(c.bssy for c in credits))


def _is_half(course: Course) -> bool:
    # Guide: "Records with Letter Grade of 'P' or 'E' must be submitted as whole records".
    return course.part in ("1", "2") and course.grade in GRADES_WITH_POINTS


def _best(courses: list[Course], info: CourseInfo | None) -> Course | None:
    # max() keeps the first of equals, and the records arrive in canonical order.
    return max(courses, key=lambda c: _merit(_whole(c, info)), default=None)


def _credits_of_one_course(records: list[Course], info: CourseInfo | None) -> tuple[list[Credit], list[Credit]]:
    """Pair the halves of one course and apply repeat/delete; returns (kept, dropped)."""
    wholes = [c for c in records if not _is_half(c)]
    if len(wholes) == len(records):  # the usual case: no part numbers, repeat/delete only
        credits = [_whole(c, info) for c in records]
        best = max(range(len(credits)), key=lambda i: _merit(credits[i]))
        return [credits[best]], credits[:best] + credits[best + 1:]
    halves: dict[tuple[bool, str], list[Course]] = defaultdict(list)
    for c in records:
        if _is_half(c):
            halves[(c.college_level, c.part)].append(c)

    # Each option is one way of counting the course: [(credit, its records), ...].
    options: list[list[tuple[Credit, tuple[Course, ...]]]] = [[(_whole(c, info), (c,))] for c in wholes]
    lone: dict[str, list[Course]] = {"1": [], "2": []}
    for level in (False, True):  # college-level halves never pair with high-school halves
        first, second = _best(halves[(level, "1")], info), _best(halves[(level, "2")], info)
        if first and second:
            options.append([(_pair(first, second, info), (first, second))])
        elif first or second:
            half = first or second
            lone[half.part].append(half)
    for half in lone["1"] + lone["2"]:
        options.append([(_whole(half, info, parts=half.part), (half,))])
    if lone["1"] and lone["2"]:  # e.g. part 1 taken as DE, part 2 as honors: two separate halves
        options.append([(_whole(h, info, parts=h.part), (h,))
                        for h in (_best(lone["1"], info), _best(lone["2"], info))])

    kept = max(options, key=lambda opt: _option_merit([c for c, _ in opt]))
    used = {id(r) for _, sources in kept for r in sources}
    dropped = [_whole(c, info, parts=c.part if _is_half(c) else "") for c in records if id(c) not in used]
    return [credit for credit, _ in kept], dropped


def build_credits(courses: Sequence[Course], course_info: Mapping[str, CourseInfo]) -> list[Credit]:
    """The student's credits after pairing parts and the repeat/delete rule, in canonical order."""
    return credits_and_repeats(courses, course_info)[0]


def credits_and_repeats(courses: Sequence[Course], course_info: Mapping[str, CourseInfo]
                        ) -> tuple[list[Credit], list[Credit]]:
    """(kept credits, records discarded by repeat/delete or superseded halves)."""
    by_course: dict[tuple, list[Course]] = defaultdict(list)
    for c in canonical_order(courses):
        by_course[course_key(c, course_info.get(c.course_code))].append(c)
    kept: list[Credit] = []
    dropped: list[Credit] = []
    for key in sorted(by_course, key=str):
        records = by_course[key]
        k, d = _credits_of_one_course(records, course_info.get(records[0].course_code))
        kept.extend(k)
        dropped.extend(d)
    return kept, dropped


def weighted_gpa(pairs: Iterable[tuple[Decimal | None, Decimal]]) -> Decimal | None:
    """Sum of points x units over sum of units, skipping ungraded (P, E) entries."""
    total_points = total_units = ZERO
    for points, units in pairs:
        if points is not None and units > 0:
            total_points += points * units
            total_units += units
    return total_points / total_units if total_units else None


def overall_gpa(credits: Iterable[Credit]) -> Decimal | None:
    """Overall GPA on the 4.00 scale: every kept credit with grade points converted, weighted by
    credit attempted (so a half-unit course weighs half as much as a one-unit course; F counts with
    0 points), never above 4.00. Experience-only (NO CREDIT) courses carry no credit and are left out."""
    return weighted_gpa((c.overall_points, c.attempted) for c in credits if not c.experience_only)
