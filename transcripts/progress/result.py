"""Results of the progress engine and their JSON forms.

``StudentProgress.to_json()`` is the command-line contract (and what pages read); it is lossy
(GPAs rounded to 3 decimals, no refs, no award categories).  ``to_dict()``/``from_dict()`` keep
everything (Decimals as strings) for callers that store the full result.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

THOUSANDTH = Decimal("0.001")

# TOPS award levels by minimum core GPA, best first (guide, "CURRENT TOPS AWARDS"). STS judges
# a level only when its core and GPA are all the guide asks of it: TC "uses 2.5 GPA calculation
# (Opportunity award), but does not account for ACT score" ("2.5 (TOPS Opportunity Only)"), TJ's
# Tech award is 2.5. Performance and Honors need ACT scores STS does not hold: for them STS can only
# say that the GPA meets the minimum, never that the student is eligible.
@dataclass(frozen=True)
class AwardLevel:
    minimum: Decimal
    name: str
    judged: bool  # STS can say "eligible" (core + GPA are the whole rule)


AWARD_LEVELS: dict[str, tuple[AwardLevel, ...]] = {
    "TC": (AwardLevel(Decimal("3.50"), "Honors", False), AwardLevel(Decimal("3.00"), "Performance", False),
           AwardLevel(Decimal("2.50"), "Opportunity", True)),
    "TJ": (AwardLevel(Decimal("2.50"), "Tech", True),),
}
ACT_NOT_HELD = "ACT not held in STS"


def gpa_only_levels(code: str, gpa: Decimal | None) -> list[AwardLevel]:
    """The levels STS cannot judge whose GPA minimum the core GPA meets (best last)."""
    if gpa is None:
        return []
    return [level for level in reversed(AWARD_LEVELS.get(code, ())) if not level.judged and gpa >= level.minimum]


def gpa_note(code: str, gpa: Decimal | None) -> str:
    """'GPA meets the Performance (3.00) / Honors (3.50) minimum; ACT not held in STS', or ''."""
    met = gpa_only_levels(code, gpa)
    if not met:
        return ""
    return ("GPA meets the " + " / ".join(f"{level.name} ({level.minimum:.2f})" for level in met)
            + f" minimum; {ACT_NOT_HELD}")


def award_standing(code: str, level: str | None, eligible: bool, gpa: Decimal | None, complete: bool | None) -> str:
    """One line for lists and reports: 'TC eligible: Opportunity; GPA meets the Performance (3.00)
    minimum; ACT not held in STS', 'TC core met, GPA below 2.50', 'TJ core not met'."""
    if eligible:
        text = f"{code} eligible: {level}" if level else f"{code} eligible"
        note = gpa_note(code, gpa)
        return f"{text}; {note}" if note else text
    if complete:
        floor = min((lv.minimum for lv in AWARD_LEVELS.get(code, ()) if lv.judged), default=None)
        return f"{code} core met, GPA below {floor:.2f}" if floor is not None else f"{code} core met"
    return f"{code} core not met"


def rounded_gpa(gpa: Decimal | None) -> float | None:
    """GPA as shown to people: 3 decimals, half up."""
    return None if gpa is None else float(gpa.quantize(THOUSANDTH, rounding=ROUND_HALF_UP))


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@dataclass(frozen=True)
class UsedCourse:
    """A course (one record, or parts 1 and 2 combined) counted in a category."""

    code: str
    name: str
    bssy: int
    grade: str  # 'B', or 'B/C' for parts 1 and 2 combined
    units: Decimal  # units counted in this category
    refs: tuple = ()  # the ``Course.ref`` of every record behind it
    points: Decimal | None = None  # grade points on the course's scale; None for P and E

    def to_json(self) -> dict:
        return {"code": self.code, "name": self.name, "bssy": self.bssy, "grade": self.grade,
                "units": float(self.units)}

    def to_dict(self) -> dict:
        return {**self.to_json(), "units": str(self.units), "refs": list(self.refs),
                "points": None if self.points is None else str(self.points)}

    @classmethod
    def from_dict(cls, d: dict) -> UsedCourse:
        return cls(code=d["code"], name=d["name"], bssy=d["bssy"], grade=d["grade"],
                   units=_dec(d["units"]), refs=tuple(d.get("refs", ())), points=_dec(d.get("points")))


@dataclass(frozen=True)
class CategoryProgress:
    code: str
    description: str
    required: Decimal
    earned: Decimal
    complete: bool
    courses: list[UsedCourse] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"code": self.code, "description": self.description, "required": float(self.required),
                "earned": float(self.earned), "complete": self.complete,
                "courses": [c.to_json() for c in self.courses]}

    def to_dict(self) -> dict:
        return {**self.to_json(), "required": str(self.required), "earned": str(self.earned),
                "courses": [c.to_dict() for c in self.courses]}

    @classmethod
    def from_dict(cls, d: dict) -> CategoryProgress:
        return cls(code=d["code"], description=d["description"], required=_dec(d["required"]),
                   earned=_dec(d["earned"]), complete=d["complete"],
                   courses=[UsedCourse.from_dict(c) for c in d["courses"]])


@dataclass(frozen=True)
class CurriculumProgress:
    """Best-fit progress toward one curriculum (a diploma path or an award core).

    ``units_required`` is the curriculum's total from the tables (TU 24 includes electives
    outside the categories); ``units_earned`` is the units placed in its categories.
    """

    code: str
    name: str
    categories: list[CategoryProgress]
    complete: bool
    core_gpa: Decimal | None
    units_required: Decimal
    units_earned: Decimal

    def to_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "complete": self.complete,
                "core_gpa": None if self.core_gpa is None else str(self.core_gpa),
                "units_required": str(self.units_required), "units_earned": str(self.units_earned),
                "categories": [c.to_dict() for c in self.categories]}

    @classmethod
    def from_dict(cls, d: dict) -> CurriculumProgress:
        return cls(code=d["code"], name=d["name"], complete=d["complete"], core_gpa=_dec(d["core_gpa"]),
                   units_required=_dec(d["units_required"]), units_earned=_dec(d["units_earned"]),
                   categories=[CategoryProgress.from_dict(c) for c in d["categories"]])


def award_level(code: str, gpa: Decimal | None, complete: bool) -> str | None:
    """The best level STS can judge (Opportunity, Tech) whose minimum the core GPA reaches, once the
    core is complete; never Performance or Honors (see AWARD_LEVELS)."""
    if not complete or gpa is None:
        return None
    return next((lv.name for lv in AWARD_LEVELS.get(code, ()) if lv.judged and gpa >= lv.minimum), None)


@dataclass(frozen=True)
class AwardResult:
    code: str
    level: str | None  # the level STS judges: 'Opportunity' | 'Tech' | None
    eligible: bool
    gpa: Decimal | None
    progress: CurriculumProgress | None  # None only when read back from the lossy JSON

    def to_json(self) -> dict:
        return {"code": self.code, "eligible": self.eligible, "gpa": rounded_gpa(self.gpa)}

    def to_dict(self) -> dict:
        return {"code": self.code, "level": self.level, "eligible": self.eligible,
                "gpa": None if self.gpa is None else str(self.gpa),
                "progress": None if self.progress is None else self.progress.to_dict()}

    @classmethod
    def from_dict(cls, d: dict) -> AwardResult:
        progress = d.get("progress")
        # The level follows from the GPA and eligibility by today's rule (a stored level may be older).
        return cls(code=d["code"], level=award_level(d["code"], _dec(d["gpa"]), d["eligible"]),
                   eligible=d["eligible"], gpa=_dec(d["gpa"]),
                   progress=None if progress is None else CurriculumProgress.from_dict(progress))


@dataclass(frozen=True)
class GraduationCheck:
    meets: bool
    removal_reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"meets": self.meets, "removal_reasons": list(self.removal_reasons)}


@dataclass(frozen=True)
class StudentProgress:
    overall_gpa: Decimal | None
    core_gpa: Decimal | None  # the diploma pathway's core GPA
    tops_gpa: Decimal | None  # the GPA of the pathway's TOPS award core (TC for TU, TJ for CA)
    total_credits: Decimal
    pathway: CurriculumProgress | None
    awards: list[AwardResult]
    graduation: GraduationCheck

    def to_json(self) -> dict:
        """Exactly the command-line contract (issue item 9)."""
        return {
            "overall_gpa": rounded_gpa(self.overall_gpa),
            "core_gpa": rounded_gpa(self.core_gpa),
            "tops_gpa": rounded_gpa(self.tops_gpa),
            "total_credits": float(self.total_credits),
            "pathway": None if self.pathway is None else self.pathway.code,
            "categories": [] if self.pathway is None else [c.to_json() for c in self.pathway.categories],
            "awards": [a.to_json() for a in self.awards],
            "graduation": self.graduation.to_json(),
        }

    @classmethod
    def from_json(cls, d: dict) -> StudentProgress:
        """Read back the contract JSON.  What it does not carry (refs, award categories,
        curriculum name, the curriculum's total units) comes back empty; award levels are
        derived again from code, GPA and eligibility."""
        categories = [CategoryProgress.from_dict(c) for c in d["categories"]]
        core_gpa = _dec(d["core_gpa"])
        pathway = None
        if d["pathway"] is not None:
            pathway = CurriculumProgress(
                code=d["pathway"], name="", categories=categories,
                complete=all(c.complete for c in categories), core_gpa=core_gpa,
                units_required=sum((c.required for c in categories), Decimal(0)),
                units_earned=sum((c.earned for c in categories), Decimal(0)))
        awards = [AwardResult(code=a["code"], level=award_level(a["code"], _dec(a["gpa"]), a["eligible"]),
                              eligible=a["eligible"], gpa=_dec(a["gpa"]), progress=None)
                  for a in d["awards"]]
        graduation = GraduationCheck(meets=d["graduation"]["meets"],
                                     removal_reasons=list(d["graduation"]["removal_reasons"]))
        return cls(overall_gpa=_dec(d["overall_gpa"]), core_gpa=core_gpa, tops_gpa=_dec(d["tops_gpa"]),
                   total_credits=_dec(d["total_credits"]), pathway=pathway, awards=awards,
                   graduation=graduation)

    def to_dict(self) -> dict:
        """Lossless form (Decimals as strings); ``from_dict(to_dict())`` equals the original."""
        return {
            "overall_gpa": None if self.overall_gpa is None else str(self.overall_gpa),
            "core_gpa": None if self.core_gpa is None else str(self.core_gpa),
            "tops_gpa": None if self.tops_gpa is None else str(self.tops_gpa),
            "total_credits": str(self.total_credits),
            "pathway": None if self.pathway is None else self.pathway.to_dict(),
            "awards": [a.to_dict() for a in self.awards],
            "graduation": self.graduation.to_json(),
        }

    @classmethod
    def from_dict(cls, d: dict) -> StudentProgress:
        return cls(overall_gpa=_dec(d["overall_gpa"]), core_gpa=_dec(d["core_gpa"]),
                   tops_gpa=_dec(d["tops_gpa"]), total_credits=_dec(d["total_credits"]),
                   pathway=None if d["pathway"] is None else CurriculumProgress.from_dict(d["pathway"]),
                   awards=[AwardResult.from_dict(a) for a in d["awards"]],
                   graduation=GraduationCheck(meets=d["graduation"]["meets"],
                                              removal_reasons=list(d["graduation"]["removal_reasons"])))
