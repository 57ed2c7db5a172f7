"""STSQ11 Overall GPA report: class rank and grad class rank.

Guide: "Class Rank Number is a positive integer assigned to each student based on a comparison
of the student's Overall GPA with those of all students in the class.  Students with equal GPAs
are assigned the same Class Rank Number, resulting in gaps in the numbering sequence."
Classes are sponsor + site + grade; grad class rank covers grade-12 students with a graduation
date. "Class Rank Size is the number of students in a grade for a given school year and is based
on the transcript data submitted for each grade placement": every student of the grade counts,
and students without an Overall GPA (no graded course) share the last rank. "Class Rank Percent
shows how a student ranks using percentiles": the percentile rank, the share of the class ranked
below the student plus half of those tied with them, so the top student of 200 is at 99.75 and
the last at 0.25 (docs/progress-rules.md, section 7).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

# "Class Rank data pertains to all students in grades T9 through 12".
RANKED_GRADES = frozenset({"T9", "09", "10", "11", "12"})
GRAD_GRADE = "12"
_GPA_PRECISION = Decimal("0.001")
_PERCENT_PRECISION = Decimal("0.01")


class RankRow(NamedTuple):
    """One student of the report; a plain 6-tuple in this order works as well."""

    student: Hashable
    sponsor: str
    site: str
    grade: str
    overall_gpa: Decimal | float | str | None
    graduated: bool  # has a graduation date


@dataclass(frozen=True)
class ClassRank:
    student: Hashable
    class_rank: int | None
    class_size: int | None
    class_percent: Decimal | None  # percentile rank: the top student of 200 is at 99.75
    grad_rank: int | None
    grad_size: int | None
    grad_percent: Decimal | None


def _shown_gpa(gpa) -> Decimal | None:
    # Ranks compare the GPA as printed (3 decimals), so students who show the same GPA tie.
    return None if gpa is None else Decimal(str(gpa)).quantize(_GPA_PRECISION, rounding=ROUND_HALF_UP)


def competition_ranks(gpas: list[Decimal | None]) -> list[int]:
    """Rank of each GPA (highest first); equal GPAs share a rank, leaving gaps: 1, 2, 2, 4. No GPA
    (None) ranks after every GPA, all such students sharing the last rank."""
    ordered = sorted(gpas, key=_order)
    first_position: dict[Decimal | None, int] = {}
    for position, gpa in enumerate(ordered, start=1):
        first_position.setdefault(gpa, position)
    return [first_position[g] for g in gpas]


def _order(gpa):
    return (gpa is None, -(gpa or 0))


def percentile(rank: int, tied: int, size: int) -> Decimal:
    """Percentile rank: (students below + half of those tied, the student included) / size x 100."""
    below = size - (rank + tied - 1)
    return ((Decimal(below) + Decimal(tied) / 2) * 100 / size).quantize(_PERCENT_PRECISION, rounding=ROUND_HALF_UP)


def _rank_groups(groups: dict[tuple, list[int]], gpas: list[Decimal | None]) -> dict[int, tuple[int, int, Decimal]]:
    ranked = {}
    for members in groups.values():
        member_gpas = [gpas[i] for i in members]
        ranks = competition_ranks(member_gpas)
        tied = Counter(member_gpas)
        for i, gpa, rank in zip(members, member_gpas, ranks):
            ranked[i] = (rank, len(members), percentile(rank, tied[gpa], len(members)))
    return ranked


def class_rank(rows: Iterable[RankRow | tuple]) -> list[ClassRank]:
    """Class rank within sponsor, site and grade, and grad class rank within sponsor and site
    (grade 12 with a graduation date). Every student of the class counts in its size; students
    without an Overall GPA (no graded course) share the last rank. Results come back in the order
    of ``rows``; students outside the ranked grades (T9-12) get no rank."""
    rows = [RankRow(*row) for row in rows]
    gpas = [_shown_gpa(row.overall_gpa) for row in rows]
    classes: dict[tuple, list[int]] = defaultdict(list)
    grads: dict[tuple, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        if row.grade not in RANKED_GRADES:
            continue
        classes[(row.sponsor, row.site, row.grade)].append(i)
        if row.grade == GRAD_GRADE and row.graduated:
            grads[(row.sponsor, row.site)].append(i)
    in_class, in_grads = _rank_groups(classes, gpas), _rank_groups(grads, gpas)
    none = (None, None, None)
    return [ClassRank(row.student, *in_class.get(i, none), *in_grads.get(i, none)) for i, row in enumerate(rows)]
