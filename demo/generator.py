"""Realistic STS batch files for the reference data at hand: demos, tests and benchmarks.

Plain Python: the caller hands in a `ReferenceData` (the edits' `ReferenceSnapshot` and the
progress engine's `CoreTables`, both plain objects) and gets fixed-width lines back.

    batch = plan_batch(data, BatchOptions(sponsor="017", students=60, seed=1, today=date(2026, 6, 1)))
    write_batch(batch, "017n60s1.txt")            # or: for line in batch_lines(batch): ...
    write_secure_ids(batch.invented, "secure_ids.csv")

What a file holds (valid unless an error rate is asked for):
- public/charter sponsors: students of the sponsor's Secure ID registry (partial names, day
  of birth, sex, race flags, local ID and site exactly as the registry has them); when more
  students are asked for than the registry has, invented ones whose registry rows are
  returned for `load_reference`. Nonpublic sponsors: invented students with 9-digit
  SSN-like State IDs and full names at the sponsor's sites.
- grades 09-12 from the age on September 1 of the BSSY; grade 9 entry = BSSY - (grade - 9);
  diploma paths mostly TU, about a fifth CA (with a Jumpstart career option), L1 only for
  registry students assessed on LAA1, some ND in grade 9.
- one transcript year per year of high school so far, about 7 credits a year: the core
  categories of the path (courses from the core-table sets in effect for the cohort and
  valid in the course BSSY), then electives; honors, AP and dual enrollment for stronger
  students, some courses in parts 1 and 2, a few F grades retaken the next year.
- about 70% of 12th graders graduate (the date the file's `today` allows) and nearly all of
  them meet their path's requirements; a few do not (a failed final-year core course), which
  removes their graduation date without rejecting them.
- IBC (050) records for CA students and a few others.
- `error_rate`: that share of students carries one realistic error, each the kind of
  `ERROR_KINDS` used least so far that fits the student, so the rejected students show many
  different edit codes.

Deterministic: the same data, options and seed give the same bytes. The file-wide draws
(which students, their ability, who graduates, who gets an error) come from one generator
seeded by the seed; each student's records from a generator seeded by (seed, State ID).
"""
from __future__ import annotations

import csv
import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields as dataclass_fields, replace
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, TextIO

from core_tables.codelists import career_option_kind
from transcripts.layouts import format_record
from transcripts.progress.model import CoreTables, SetCourse
from transcripts.records import (
    EOC_FIELDS, NONPUBLIC, PUBLIC, RACE_FIELDS, IbcRecord, StudentRecord, TranscriptRecord,
)
from transcripts.reference import CourseCodeRef, ReferenceSnapshot, SecureIdRef

TERMINATOR = "\r\n"
SECURE_ID_HEADER = ("unique_id", "sponsor_code", "site_code", "local_id", "first_name", "last_name", "birth_date",
                    "sex", *RACE_FIELDS, "laa1", "act833")
FIRST_BSSY = 2017  # 12th graders of earlier BSSYs entered grade 9 before 2014 (C4-C6/CD paths, no core tables here)
HIGH_SCHOOL_GRADES = (9, 10, 11, 12)
GRADE_WEIGHTS = (28, 26, 24, 22)  # invented students, grades 9-12 (as the sample registry)
CREDITS_PER_YEAR = (6, 7, 7, 7, 8)  # drawn per student and year: "about 7 courses a year"

# Shares of a realistic file.
GRADUATE_SHARE = 0.70  # of 12th graders
SHORT_GRADUATE_SHARE = 0.05  # graduates who fail a final-year core course (graduation date removed)
CA_SHARE = 0.22
L1_SHARE_OF_LAA1 = 0.85
UNDECLARED_GRADE9_SHARE = 0.10
SPLIT_SHARE = 0.08  # whole courses sent as parts 1 and 2 (S1/S2, 0.50 each)
DISTANCE_SHARE = 0.02
TRANSFER_SHARE = 0.03  # students whose first year was out of state (course site name, no site code)
OTHER_IBC_SHARE = 0.08  # non-CA students of grades 10-12 with an IBC
CA_IBC_SHARE = 0.85  # CA students of grades 11-12 (every CA graduate has one)
EOC_PASS_SHARE = 0.5  # public 10th-12th graders without a GEE flag: each EOC subject area passed

# Graduation dates tried in turn: spring commencement, else mid-year graduation.
COMMENCEMENTS = ((5, 20, 1), (12, 19, 0))  # (month, day, years after the BSSY)
GRAD_DATE_GRACE = dt.timedelta(days=14)

# Which year of high school (0 = 9th grade) takes each unit of a core category, per path.
# Categories missing here (other tables) are spread over the four years by their position.
CATEGORY_YEARS: dict[str, dict[str, tuple[int, ...]]] = {
    "TU": {"01": (0,), "02": (1,), "03": (2,), "04": (3,), "05": (0,), "06": (1,), "07": (2,), "08": (3,),
           "09": (0,), "10": (1,), "11": (2,), "12": (3,), "13": (2,), "14": (1,), "15": (0,), "16": (3,),
           "17": (1, 2), "19": (3,), "20": (0, 1)},
    "CA": {"01": (0,), "02": (1,), "03": (2,), "04": (3,), "05": (0,), "06": (1, 2, 3), "07": (0,), "08": (1,),
           "09": (2,), "10": (3,), "12": (0, 1), "13": (0, 1, 1, 2, 2, 2, 3, 3, 3)},
    "L1": {"01": (0, 1, 2, 3), "02": (0, 1, 2, 3), "03": (0, 1), "04": (1, 2), "06": (0, 1, 2, 3),
           "13": (0, 1, 2, 2, 3, 3, 3)},
}

# A student's score in a course is ability + noise; the letter is the first threshold reached.
GRADE_THRESHOLDS = (("A", 0.72), ("B", 0.48), ("C", 0.26), ("D", 0.10))
GRADE_NOISE = 0.2
COLLEGE_LEVELS_FROM = {"de": 2, "ap": 1, "ib": 2}  # first year of high school that takes such courses

# Course levels read from the state course list: (name prefix, level, course type code).
NAME_LEVELS = (("AP ", "ap", "AP"), ("IB ", "ib", "IB"), ("Honors ", "honors", "HR"), ("Gifted ", "honors", "GT"),
               ("Talented ", "special", "TA"), ("Adapted ", "special", "RG"))
# How likely a student picks a course of a level: base + slope x ability^2.
LEVEL_WEIGHTS = {"regular": (10.0, 0.0), "honors": (0.6, 14.0), "ap": (0.05, 7.0), "ib": (0.02, 1.5),
                 "de": (0.05, 3.0), "special": (0.3, 0.0), "experience": (10.0, 0.0), "part": (0.0, 0.0)}
WEIGHTED_TYPES = frozenset({"AP", "IB", "DE", "HR", "GT"})  # on the 5.0 scale where the course is eligible
SEQUEL_SHARE = 0.75  # a multi-unit category continues the set's sequence (Spanish I -> Spanish II)

ELECTIVE_NAMES = ("YEARBOOK", "ROBOTICS", "DIGITAL PHOTOGRAPHY", "MOCK TRIAL", "LOUISIANA HISTORY",
                  "COMPUTER SCIENCE PRINCIPLES", "FILM STUDIES", "PUBLIC SPEAKING", "ETYMOLOGY",
                  "ENVIRONMENTAL LEADERSHIP", "CREATIVE WRITING WORKSHOP", "PEER TUTORING", "STAGE CRAFT",
                  "MARINE BIOLOGY SEMINAR", "AEROSPACE SCIENCE", "SPORTS MEDICINE")
LANGUAGE_NAMES = ("AMERICAN SIGN LANGUAGE", "ITALIAN", "JAPANESE", "ARABIC", "VIETNAMESE", "PORTUGUESE")
OUT_OF_STATE_SCHOOLS = ("LINCOLN HIGH SCHOOL, HOUSTON TX", "CENTRAL HIGH SCHOOL, JACKSON MS",
                        "JEFFERSON HIGH SCHOOL, MOBILE AL", "WASHINGTON HIGH SCHOOL, LITTLE ROCK AR",
                        "RIVERSIDE HIGH SCHOOL, BEAUMONT TX")
DEFAULT_NAMES = (
    {"F": ("EMMA", "OLIVIA", "AVA", "CHLOE", "GRACE", "KAYLA", "JASMINE", "SOFIA", "MIA", "CLAIRE"),
     "M": ("JAMES", "ETHAN", "LOGAN", "JAYDEN", "MASON", "LUKE", "ANDRE", "CARLOS", "MINH", "TYLER")},
    ("BOUDREAUX", "LANDRY", "HEBERT", "JOHNSON", "WILLIAMS", "NGUYEN", "GARCIA", "SMITH", "BROUSSARD", "JACKSON"),
)
SUFFIXES = ("JR", "II", "III")
FAFSA_WEIGHTS = {"1": 80, "2": 12, "3": 6, "4": 2}
JUMPSTART_CREDENTIALS = ("J1", "J2", "J3")


# --- inputs -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class NamePool:
    """Names to invent students from: first names by sex ('F', 'M') and last names."""

    first_names: Mapping[str, tuple[str, ...]]
    last_names: tuple[str, ...]

    @classmethod
    def from_people(cls, people: Iterable[tuple[str, str, str]]) -> "NamePool":
        """From (first name, sex, last name) rows, e.g. the Secure ID registry."""
        first, last = {"F": set(), "M": set()}, set()
        for first_name, sex, last_name in people:
            first.setdefault(sex, set()).add(first_name)
            last.add(last_name)
        if not last or not first["F"] or not first["M"]:
            return cls.default()
        return cls({sex: tuple(sorted(names)) for sex, names in first.items()}, tuple(sorted(last)))

    @classmethod
    def default(cls) -> "NamePool":
        return cls(*DEFAULT_NAMES)


@dataclass(frozen=True)
class ReferenceData:
    """Everything the generator reads. `snapshot` holds sponsors, sites, course codes, IBC
    codes, vendors, code lists and (at least) the sponsor's Secure ID registry; `tables` the
    curricula, categories and set courses; `taken_unique_ids` every unique ID of the registry
    (all sponsors), which invented students must not reuse."""

    snapshot: ReferenceSnapshot
    tables: CoreTables
    names: NamePool = field(default_factory=NamePool.default)
    taken_unique_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BatchOptions:
    sponsor: str
    students: int
    today: dt.date
    seed: int = 0
    bssy: int = 2025
    error_rate: float = 0.0
    invent: bool = False  # public/charter: invent registry students beyond the sponsor's registry


class GeneratorError(ValueError):
    """Options the reference data cannot satisfy (unknown sponsor, an impossible BSSY...)."""


class RegistryTooSmall(GeneratorError):
    """More public/charter students asked for than the registry has, and invention not allowed."""


# --- the plan of a file -----------------------------------------------------------------------

@dataclass(frozen=True)
class Profile:
    """One student of the file as decided for the whole file (the rest is per student)."""

    person: SecureIdRef  # the registry row; invented students (and nonpublic ones) get one too
    grade: int
    ability: float  # 0..1: grades, honors/AP choices and class rank follow from it
    graduate: bool = False
    short: bool = False  # a graduate who will not meet the requirements
    rank: tuple[int, int] | None = None  # (position, class size) for 12th graders
    error_turn: int | None = None  # n-th student of the file with an error (None: no error)
    middle_name: str = ""  # nonpublic only
    suffix: str = ""


@dataclass
class Batch:
    """A planned file: `profiles` in file order; `invented` the registry rows of invented
    public/charter students (write them with `write_secure_ids`)."""

    data: ReferenceData
    options: BatchOptions
    layout: str
    graduation_date: dt.date | None
    profiles: list[Profile]
    invented: list[SecureIdRef]
    # State ID -> edit code of the error given to the student; filled as the records are made.
    errors: dict[str, str] = field(default_factory=dict)

    @cached_property
    def catalog(self) -> "Catalog":
        return Catalog(self.data, self.options.sponsor)


def graduation_date_for(bssy: int, today: dt.date) -> dt.date | None:
    """The first commencement date inside 9/1/BSSY..8/31/BSSY+1 and not after today + 14 days."""
    first, last = dt.date(bssy, 9, 1), min(dt.date(bssy + 1, 8, 31), today + GRAD_DATE_GRACE)
    for month, day, years in COMMENCEMENTS:
        date = dt.date(bssy + years, month, day)
        if first <= date <= last:
            return date
    return None


def grade_for_age(birth: dt.date, bssy: int) -> int | None:
    """On time, a student is grade + 5 years old on September 1 of the BSSY; a year older is
    read as a retained 12th grader. None: not a high-school age."""
    cutoff = dt.date(bssy, 9, 1)
    age = cutoff.year - birth.year - ((cutoff.month, cutoff.day) < (birth.month, birth.day))
    grade = age - 5
    if grade == 13:
        return 12
    return grade if grade in HIGH_SCHOOL_GRADES else None


def birth_date_for(rng: random.Random, grade: int, bssy: int) -> dt.date:
    """A birth date for a student of `grade` in `bssy`: on time, or a year older (1 in 10)."""
    age = grade + 5 + (rng.random() < 0.10)
    latest = dt.date(bssy - age, 9, 1)
    return latest - dt.timedelta(days=rng.randrange(365))


def plan_batch(data: ReferenceData, options: BatchOptions) -> Batch:
    """Choose the file's students and what the file decides about each of them."""
    snapshot, sponsor = data.snapshot, options.sponsor
    kind = snapshot.sponsors.get(sponsor)
    if kind not in ("public", "charter", "nonpublic"):
        raise GeneratorError(f"Sponsor {sponsor!r} is not a school sponsor of the reference data.")
    if options.students < 1:
        raise GeneratorError("The number of students must be at least 1.")
    if options.bssy < FIRST_BSSY:
        raise GeneratorError(f"BSSY {options.bssy}: the generator writes TU/CA/L1 cohorts (BSSY {FIRST_BSSY} on).")
    if not 0 <= options.error_rate <= 1:
        raise GeneratorError("The error rate is a share between 0 and 1.")
    rng = random.Random(options.seed)
    layout = NONPUBLIC if kind == "nonpublic" else PUBLIC
    people: list[tuple[SecureIdRef, int]]
    invented: list[SecureIdRef] = []
    extras: dict[str, tuple[str, str]] = {}
    if layout == NONPUBLIC:
        people, extras = _nonpublic_people(data, options, rng)
    else:
        people, invented = _registry_people(data, options, rng)
    graduation = graduation_date_for(options.bssy, options.today)
    profiles = []
    for person, grade in people:
        ability = rng.betavariate(2.4, 1.6)
        graduate = grade == 12 and graduation is not None and rng.random() < GRADUATE_SHARE
        short = graduate and rng.random() < SHORT_GRADUATE_SHARE
        middle, suffix = extras.get(person.unique_id, ("", ""))
        profiles.append(Profile(person, grade, ability, graduate, short, middle_name=middle, suffix=suffix))
    profiles = _with_ranks(profiles)
    chosen = sorted(rng.sample(range(len(profiles)), round(options.error_rate * len(profiles))))
    for turn, index in enumerate(chosen):  # the kind of error is chosen once the records exist
        profiles[index] = replace(profiles[index], error_turn=turn)
    return Batch(data, options, layout, graduation, profiles, invented)


def _with_ranks(profiles: list[Profile]) -> list[Profile]:
    """Class rank of the 12th graders of each site, by ability."""
    seniors = defaultdict(list)
    for index, p in enumerate(profiles):
        if p.grade == 12:
            seniors[p.person.site].append(index)
    out = list(profiles)
    for indexes in seniors.values():
        ordered = sorted(indexes, key=lambda i: (-profiles[i].ability, profiles[i].person.unique_id))
        for position, index in enumerate(ordered, start=1):
            out[index] = replace(out[index], rank=(position, len(ordered)))
    return out


def _registry_people(data: ReferenceData, options: BatchOptions, rng: random.Random):
    """Registry students of the sponsor of high-school age (a sample of N, in site and local ID
    order), plus invented ones when N is larger and invention is allowed."""
    sponsor, bssy = options.sponsor, options.bssy
    registry = sorted((s for s in data.snapshot.secure_ids.values() if s.sponsor == sponsor),
                      key=lambda s: s.unique_id)
    eligible = [(s, g) for s in registry if (g := grade_for_age(s.birth_date, bssy)) is not None
                and data.snapshot.sites.get(s.site) is not None]
    if options.students <= len(eligible):
        people = rng.sample(eligible, options.students)
        invented = []
    elif not options.invent:
        raise RegistryTooSmall(f"Sponsor {sponsor} has {len(eligible)} registry students of grades 9-12 in "
                               f"{bssy}; {options.students} asked for.")
    else:
        invented = _invent_registry(data, options, rng, registry, eligible, options.students - len(eligible))
        people = eligible + [(s, grade_for_age(s.birth_date, bssy)) for s in invented]
    people.sort(key=lambda pg: (pg[0].site, pg[0].local_id, pg[0].unique_id))
    return people, invented


def _high_school_sites(data: ReferenceData, sponsor: str, eligible) -> list[str]:
    with_students = sorted({s.site for s, _g in eligible})
    if with_students:
        return with_students
    return sorted(code for code, ref in data.snapshot.sites.items() if ref.sponsor == sponsor and ref.kind == "school")


def _invent_registry(data, options, rng, registry, eligible, count) -> list[SecureIdRef]:
    """New registry rows: unused 10-digit unique IDs, local IDs shaped like the sponsor's, names
    from the name pool and race flags drawn from the registry's own mix."""
    sites = _high_school_sites(data, options.sponsor, eligible)
    if not sites:
        raise GeneratorError(f"Sponsor {options.sponsor} has no school site.")
    taken_ids = set(data.taken_unique_ids) | {s.unique_id for s in data.snapshot.secure_ids.values()}
    taken_local = {s.local_id.upper() for s in registry}
    template = registry[0].local_id if registry else "0000000"
    flag_mix = [tuple(getattr(s, f) for f in RACE_FIELDS) for s in registry] or [(False,) * 5 + (True,)]
    out = []
    for n in range(count):
        unique_id = _unused(taken_ids, lambda: f"{rng.randrange(10 ** 10):010d}")
        local_id = _unused(taken_local, lambda: _shaped_like(rng, template), exclude=unique_id)
        sex = rng.choice("FM")
        grade = rng.choices(HIGH_SCHOOL_GRADES, GRADE_WEIGHTS)[0]
        special = rng.random()
        out.append(SecureIdRef(
            unique_id=unique_id, sponsor=options.sponsor, site=sites[n % len(sites)], local_id=local_id,
            first_name=rng.choice(data.names.first_names[sex]), last_name=rng.choice(data.names.last_names),
            birth_date=birth_date_for(rng, grade, options.bssy), sex=sex,
            **dict(zip(RACE_FIELDS, rng.choice(flag_mix))), laa1=special < 0.02, act833=0.02 <= special < 0.03))
    return out


def _unused(taken: set, make: Callable[[], str], exclude: str = "") -> str:
    """A new value of `make()` not in `taken` (case-insensitively), recorded as taken."""
    while True:
        value = make()
        if value.upper() not in taken and value != exclude:
            taken.add(value.upper())
            return value


def _shaped_like(rng: random.Random, template: str) -> str:
    """A local ID shaped like the sponsor's (its letters kept, each digit drawn anew)."""
    return "".join(str(rng.randrange(10)) if c.isdigit() else c for c in template)


def _nonpublic_people(data: ReferenceData, options: BatchOptions, rng: random.Random):
    """Invented nonpublic students: SSN-like State IDs (<= 899999999), full names, the
    sponsor's school sites in turn."""
    sites = sorted(code for code, ref in data.snapshot.sites.items()
                   if ref.sponsor == options.sponsor and ref.kind == "school")
    if not sites:
        raise GeneratorError(f"Sponsor {options.sponsor} has no school site.")
    ids, locals_ = set(), set()
    people, extras = [], {}
    for n in range(options.students):
        ssn = _unused(ids, lambda: f"{rng.randrange(1_010_001, 899_999_999):09d}")
        local_id = _unused(locals_, lambda: f"NP{rng.randrange(10 ** 6):06d}", exclude=ssn)
        sex = rng.choice("FM")
        grade = rng.choices(HIGH_SCHOOL_GRADES, GRADE_WEIGHTS)[0]
        flags = [rng.random() < p for p in (0.06, 0.01, 0.03, 0.30, 0.005, 0.62)]
        if not any(flags):
            flags[-1] = True
        person = SecureIdRef(
            unique_id=ssn, sponsor=options.sponsor, site=sites[n % len(sites)], local_id=local_id,
            first_name=rng.choice(data.names.first_names[sex]), last_name=rng.choice(data.names.last_names),
            birth_date=birth_date_for(rng, grade, options.bssy), sex=sex, **dict(zip(RACE_FIELDS, flags)))
        middle = rng.choice(data.names.first_names[sex]) if rng.random() < 0.4 else ""
        suffix = rng.choice(SUFFIXES) if sex == "M" and rng.random() < 0.04 else ""
        people.append((person, grade))
        extras[ssn] = (middle, suffix)
    people.sort(key=lambda pg: (pg[0].site, pg[0].last_name.upper(), pg[0].unique_id))
    return people, extras


# --- what the reference data offers, cached once per file -----------------------------------

@dataclass(frozen=True)
class CourseChoice:
    """A course a student may take: the code's version for the course BSSY and where it counts."""

    ref: CourseCodeRef
    level: str
    course_type: str  # the type the level implies (RG, HR, GT, TA, AP, IB, DE)
    stem: str  # the name without its level prefix: 'Honors Geometry' and 'Geometry' are one course
    units: int  # 1, or 2 for the two-unit courses
    follows: str | None  # the stem of the course it follows ('Spanish II' follows 'Spanish I')
    first_year: int  # the first year of high school that takes it (college-level courses later)


@dataclass(frozen=True)
class CategoryPlan:
    code: str
    units: int  # whole units required
    rows: tuple[SetCourse, ...]  # set courses in effect for the cohort, by set and code
    years: tuple[int, ...]  # year of high school of each unit


def level_weight(level: str, ability: float) -> float:
    base, slope = LEVEL_WEIGHTS[level]
    return base + slope * ability ** 2


def course_level(ref: CourseCodeRef) -> tuple[str, str]:
    """(level, course type) read from the state course list."""
    if ref.experience_only:
        return "experience", "RG"
    if ref.ap_type_allowed == "required":
        return "ap", "AP"
    if "(DE)" in ref.name:
        return "de", "DE"
    if " - Pt " in ref.name:
        return "part", "RG"  # a course split over two codes: not generated
    for prefix, level, course_type in NAME_LEVELS:
        if ref.name.startswith(prefix):
            return level, course_type
    return "regular", "RG"


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


def _stem(name: str) -> str:
    """The course without its level prefix and trailing remark: 'Honors English II' and
    'English II' are one course, 'Applied ELA I (NO CREDIT)' is 'Applied ELA I'."""
    for prefix, _level, _type in NAME_LEVELS:
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    if name.endswith(")") and " (" in name:
        name = name[:name.rindex(" (")]
    return name


def prerequisite(stem: str) -> str | None:
    """The course a numbered course follows: 'Spanish II' needs 'Spanish I'."""
    head, _, numeral = stem.rpartition(" ")
    if head and numeral in ROMAN[1:]:
        return f"{head} {ROMAN[ROMAN.index(numeral) - 1]}"
    return None


class Catalog:
    """Lookups over the reference data that every student of a file shares."""

    def __init__(self, data: ReferenceData, sponsor: str):
        self.snapshot, self.tables, self.sponsor = data.snapshot, data.tables, sponsor
        self._choices: dict[tuple[str, int], CourseChoice | None] = {}
        self._plans: dict[tuple[str, int], tuple[CategoryPlan, ...]] = {}
        self._electives: dict[tuple[str, int], tuple[CourseChoice, ...]] = {}
        self._pools: dict[tuple[str, int, int], tuple[tuple[CourseChoice, ...], list[float]]] = {}
        self._core: dict[tuple, tuple[tuple[SetCourse, CourseChoice, float], ...]] = {}
        self.units = self._course_units()
        codes = self.snapshot.code_lists
        self.jumpstart_options = sorted(c for c in codes["career_option"] if career_option_kind(c) == "jumpstart")
        self.ibc_codes = sorted(self.snapshot.ibc_codes)
        self.vendors = sorted(self.snapshot.test_vendors)
        sites = self.snapshot.sites
        self.postsecondary_sites = sorted(c for c, s in sites.items() if s.kind == "postsecondary"
                                          and self.snapshot.sponsors.get(s.sponsor) == "postsecondary")
        self.other_sponsor_sites = sorted(c for c, s in sites.items() if s.kind == "school" and s.sponsor != sponsor)

    def _course_units(self) -> dict[str, int]:
        """Whole units of a course: 2 for codes whose set rows require 2.0, else 1."""
        units: dict[str, int] = {}
        for curriculum in self.tables.curricula.values():
            for category in curriculum.categories:
                for row in category.set_courses:
                    units[row.course_code] = max(units.get(row.course_code, 1), int(row.units_required))
        return units

    def choice(self, code: str, course_bssy: int) -> CourseChoice | None:
        key = (code, course_bssy)
        if key not in self._choices:
            ref = self.snapshot.course(code, course_bssy)
            if ref is None or (course_level(ref)[0] == "de" and not self.postsecondary_sites):
                self._choices[key] = None
            else:
                level, course_type = course_level(ref)
                stem = _stem(ref.name)
                self._choices[key] = CourseChoice(ref, level, course_type, stem, self.units.get(code, 1),
                                                  prerequisite(stem), COLLEGE_LEVELS_FROM.get(level, 0))
        return self._choices[key]

    def plan(self, path: str, cohort: int) -> tuple[CategoryPlan, ...]:
        """The path's categories for a graduation cohort, with the year of each unit."""
        key = (path, cohort)
        if key not in self._plans:
            curriculum = self.tables.curricula.get(path)
            years_of = CATEGORY_YEARS.get(path, {})
            plans = []
            for index, category in enumerate(curriculum.categories if curriculum else ()):
                units = int(category.units_required.to_integral_value())
                rows = tuple(sorted((r for r in category.set_courses if r.applies_to(cohort)),
                                    key=lambda r: (r.set_code, r.course_code)))
                years = years_of.get(category.code) or tuple((index + u) % 4 for u in range(units))
                plans.append(CategoryPlan(category.code, units, rows, years))
            self._plans[key] = tuple(plans)
        return self._plans[key]

    def core_options(self, path: str, cohort: int, plan: CategoryPlan, course_bssy: int, bucket: int):
        """(set course, choice, weight) of the courses of a category a student of an ability
        bucket (0-10) may take in a course BSSY."""
        key = (path, cohort, plan.code, course_bssy, bucket)
        if key not in self._core:
            pairs = ((row, self.choice(row.course_code, course_bssy)) for row in plan.rows)
            weighted = ((row, c, level_weight(c.level, bucket / 10)) for row, c in pairs if c is not None)
            self._core[key] = tuple(option for option in weighted if option[2] > 0)
        return self._core[key]

    def elective_pool(self, path: str, course_bssy: int, bucket: int) -> tuple[tuple[CourseChoice, ...], list[float]]:
        """The electives with cumulative weights for students of an ability bucket (0-10)."""
        key = (path, course_bssy, bucket)
        if key not in self._pools:
            pool = tuple(c for c in self.electives(path, course_bssy) if level_weight(c.level, bucket / 10) > 0)
            cumulative, total = [], 0.0
            for choice in pool:
                total += level_weight(choice.level, bucket / 10)
                cumulative.append(total)
            self._pools[key] = (pool, cumulative)
        return self._pools[key]

    def required_credits(self, path: str) -> Decimal:
        curriculum = self.tables.curricula.get(path)
        return curriculum.units_required if curriculum else Decimal(24)

    def electives(self, path: str, course_bssy: int) -> tuple[CourseChoice, ...]:
        """Courses outside the path's core categories, valid in the course BSSY (experience-only
        courses only for L1)."""
        key = (path, course_bssy)
        if key not in self._electives:
            curriculum = self.tables.curricula.get(path)
            core = {r.course_code for c in (curriculum.categories if curriculum else ()) for r in c.set_courses}
            out = []
            for code in sorted(self.snapshot.course_codes):
                choice = self.choice(code, course_bssy)
                if choice is None or code in core or (choice.level == "experience" and path != "L1"):
                    continue
                out.append(choice)
            self._electives[key] = tuple(out)
        return self._electives[key]

    @cached_property
    def expired_codes(self) -> list[CourseCodeRef]:
        """Course code versions that ended: sent for a later year they are edit 302."""
        return sorted((ref for refs in self.snapshot.course_codes.values() for ref in refs
                       if ref.last_bssy is not None), key=lambda r: r.code)


# --- one student --------------------------------------------------------------------------------

@dataclass
class StudentSet:
    """One student's records as written to the file: the 020, its 030s and its 050s."""

    student: StudentRecord
    transcripts: list[TranscriptRecord]
    ibcs: list[IbcRecord]
    path: str = ""  # the diploma path declared

    def records(self):
        yield self.student
        yield from self.transcripts
        yield from self.ibcs


@dataclass
class _Take:
    """A course on the transcript being built (converted to 030 records at the end)."""

    year: int  # course BSSY
    choice: CourseChoice
    grade: str
    course_type: str
    core: bool
    name: str = ""  # Transcript Course Name
    split: tuple[str, str] | None = None  # grades of parts 1 and 2
    semester: str = "Y1"
    distance: str = ""


class StudentBuilder:
    """Builds one student's record set from a profile (its own random generator)."""

    def __init__(self, batch: Batch, profile: Profile):
        self.batch, self.p, self.cat = batch, profile, batch.catalog
        self.options = batch.options
        self.rng = random.Random(f"{self.options.seed}:{profile.person.unique_id}")
        self.bssy = self.options.bssy
        self.entry = self.bssy - (profile.grade - 9)
        self.cohort = self.entry + 3
        self.takes: list[_Take] = []
        self.taken_stems: set[str] = set()
        self.names_used: set[tuple[str, str]] = set()
        self.language = self.rng.choice(LANGUAGE_NAMES)
        self.bucket = round(profile.ability * 10)
        self.hs_year = 0

    # decisions about the student

    def diploma_path(self) -> str:
        p, rng = self.p, self.rng
        if self.batch.layout == PUBLIC and p.person.laa1 and rng.random() < L1_SHARE_OF_LAA1:
            return "L1"
        return "CA" if rng.random() < CA_SHARE or p.person.act833 else "TU"

    def build(self) -> StudentSet:
        rng, p = self.rng, self.p
        path = self.diploma_path()
        declared = "ND" if p.grade == 9 and path == "TU" and rng.random() < UNDECLARED_GRADE9_SHARE else path
        # A student who came from out of state: the first year's courses carry the school's name.
        transfer = p.grade >= 10 and rng.random() < TRANSFER_SHARE
        self.transfer_school = rng.choice(OUT_OF_STATE_SCHOOLS) if transfer else ""
        self.courses(path)
        transcripts = self.transcript_records()
        ibcs = self.ibc_records(path)
        student = self.student_record(declared, transcripts)
        return StudentSet(student, transcripts, ibcs, declared)

    # courses

    def courses(self, path: str) -> None:
        years = range(self.entry, self.bssy + 1)
        plans = self.cat.plan(path, self.cohort)
        done = defaultdict(int)  # units placed per category
        last_pick: dict[str, SetCourse] = {}
        for hs_year, course_bssy in enumerate(years):
            self.hs_year, credits = hs_year, 0
            for plan in plans:
                for year in plan.years:
                    if year != hs_year or done[plan.code] >= plan.units:
                        continue
                    options = self.cat.core_options(path, self.cohort, plan, course_bssy, self.bucket)
                    row = self.pick_core(options, last_pick.get(plan.code), plan.units - done[plan.code])
                    if row is None:
                        continue
                    choice = self.cat.choice(row.course_code, course_bssy)
                    last_pick[plan.code] = row
                    done[plan.code] += choice.units
                    credits += choice.units
                    self.take(course_bssy, choice, core=True)
            target = self.rng.choice(CREDITS_PER_YEAR)
            while credits < target:
                choice = self.pick_elective(path, course_bssy)
                if choice is None:
                    break
                credits += choice.units
                self.take(course_bssy, choice, core=False)
        self.retake_failures()
        if self.p.graduate:
            self.finish_graduate(path)

    def available(self, choice: CourseChoice) -> bool:
        """Not taken yet (at any level), its predecessor taken, and college-level courses only
        from the year of high school that takes them."""
        taken = self.taken_stems
        return (choice.stem not in taken and (choice.follows is None or choice.follows in taken)
                and self.hs_year >= choice.first_year)

    def pick_core(self, options, previous: SetCourse | None, units_left: int) -> SetCourse | None:
        """A set course for one unit of a category: first choose a set (as likely as its most
        likely course), then a course of it; a multi-unit category mostly continues the
        sequence of its previous course (Spanish I, then Spanish II). Only L1 sets hold
        experience-only courses."""
        cap, taken, year = max(units_left, 1), self.taken_stems, self.hs_year
        candidates = [(row, w) for row, c, w in options  # self.available(c), inlined: the hot loop
                      if c.units <= cap and c.stem not in taken and (c.follows is None or c.follows in taken)
                      and year >= c.first_year]
        if not candidates:
            return None
        rng = self.rng
        if previous is not None and rng.random() < SEQUEL_SHARE:
            for row, _w in candidates:
                if (row.set_code == previous.set_code and row.course_code > previous.course_code
                        and row.units_required == row.units_allowed):
                    return row
        set_weights: dict[str, float] = {}
        for row, w in candidates:
            if w > set_weights.get(row.set_code, 0.0):
                set_weights[row.set_code] = w
        if len(set_weights) > 1:
            chosen = rng.choices(list(set_weights), list(set_weights.values()))[0]
            candidates = [(row, w) for row, w in candidates if row.set_code == chosen]
        return rng.choices([r for r, _w in candidates], [w for _r, w in candidates])[0]

    def pick_elective(self, path: str, course_bssy: int) -> CourseChoice | None:
        """An elective by the weights of the student's ability; drawn from the whole pool and
        drawn again when already taken (cheaper than filtering the pool each time)."""
        pool, cumulative = self.cat.elective_pool(path, course_bssy, self.bucket)
        if not pool:
            return None
        for _ in range(20):
            choice = self.rng.choices(pool, cum_weights=cumulative)[0]
            if self.available(choice):
                return choice
        left = [(c, level_weight(c.level, self.p.ability)) for c in pool if self.available(c)]
        return self.rng.choices([c for c, _w in left], [w for _c, w in left])[0] if left else None

    def letter(self, floor: str = "F") -> str:
        """A letter grade around the student's ability; `floor` D: at least a D."""
        score = self.p.ability + self.rng.gauss(0, GRADE_NOISE)
        for grade, threshold in GRADE_THRESHOLDS:
            if score >= threshold:
                return grade
        return "D" if floor == "D" else "F"

    def take(self, course_bssy: int, choice: CourseChoice, *, core: bool, grade: str | None = None,
             semester: str = "Y1") -> _Take:
        rng = self.rng
        course_type = choice.course_type
        if choice.ref.ap_type_allowed == "optional" and self.p.ability > 0.75 and rng.random() < 0.3:
            course_type = "AP"
        final = course_bssy == self.bssy
        if grade is None:
            if choice.level == "experience":
                grade = "P"
            elif choice.level in ("ap", "ib", "de") or (final and self.p.graduate):
                grade = self.letter(floor="D")  # no failures where a retake could not follow
            else:
                grade = self.letter()
        take = _Take(course_bssy, choice, grade, course_type, core, semester=semester)
        if choice.ref.requires_course_name:
            take.name = self.course_name(choice)
        if (grade in "ABCD" and choice.units == 1 and choice.level in ("regular", "honors")
                and rng.random() < SPLIT_SHARE):
            take.split = (grade, self.letter(floor="D"))
        elif grade != "P" and choice.level == "regular" and rng.random() < DISTANCE_SHARE:
            take.distance = "01"
        self.takes.append(take)
        self.taken_stems.add(choice.stem)
        return take

    def course_name(self, choice: CourseChoice) -> str:
        """A Transcript Course Name for codes that require one (not used twice for a code)."""
        name = choice.ref.name
        if "Language" in name:
            numeral = name.rsplit(" ", 1)[-1]
            candidates = [f"{self.language} {numeral}"] + [f"{lang} {numeral}" for lang in LANGUAGE_NAMES]
        else:
            candidates = list(ELECTIVE_NAMES)
            self.rng.shuffle(candidates)
        for candidate in candidates:
            if (choice.ref.code, candidate) not in self.names_used:
                self.names_used.add((choice.ref.code, candidate))
                return candidate
        return f"{name.upper()} {len(self.names_used)}"[:60]

    def retake_failures(self) -> None:
        """A failed core course is taken again the next year (summer school or the full year)."""
        for take in list(self.takes):
            if take.grade != "F" or not take.core or take.year >= self.bssy:
                continue
            again = self.cat.choice(take.choice.ref.code, take.year + 1)
            if again is None:
                continue
            retake = self.take(take.year + 1, again, core=True, grade=self.letter(floor="D"),
                               semester=self.rng.choice(("Y1", "Z1")))
            retake.name, retake.split, retake.course_type = take.name, None, take.course_type

    def finish_graduate(self, path: str) -> None:
        """Enough credits for the path (one to spare); a short graduate fails a final-year core
        course, which the progress engine will find."""
        required = self.cat.required_credits(path) + 1
        while self.earned() < required:
            choice = self.pick_elective(path, self.bssy)
            if choice is None:
                break
            self.take(self.bssy, choice, core=False, grade=self.letter(floor="D"))
        if self.p.short:
            final_core = [t for t in self.takes if t.core and t.year == self.bssy and t.choice.units == 1]
            if final_core:
                failed = self.rng.choice(final_core)
                failed.grade, failed.split, failed.distance = "F", None, ""

    def earned(self) -> Decimal:
        return sum((Decimal(t.choice.units) for t in self.takes if t.grade != "F"), Decimal(0))

    # records

    def transcript_records(self) -> list[TranscriptRecord]:
        """The 030s in the order SIS extracts list them: by year, then course code."""
        takes = sorted(self.takes, key=lambda t: (t.year, t.choice.ref.code, t.name, t.semester))
        return [record for take in takes for record in self.course_records(take)]

    def course_records(self, take: _Take) -> Iterator[TranscriptRecord]:
        p, cat = self.p, self.cat
        ref = take.choice.ref
        scale = 500 if ref.five_point_eligible and take.course_type in WEIGHTED_TYPES else 400
        sponsor, site, site_name = self.options.sponsor, p.person.site, ""
        if self.transfer_school and take.year == self.entry:
            sponsor, site, site_name = "", "", self.transfer_school
        de = take.course_type == "DE"
        if de:
            site = cat.postsecondary_sites[0]
            sponsor = cat.snapshot.sites[site].sponsor
        common = dict(
            bssy=str(self.bssy), sponsor=self.options.sponsor, state_id=p.person.unique_id,
            course_bssy=str(take.year), course_code=ref.code, grade_point_max=str(scale), waiver="N",
            course_sponsor=sponsor, course_site=site, course_site_name=site_name, course_name=take.name,
            course_type=take.course_type, distance_learning=take.distance, layout=self.batch.layout)
        if de:
            common.update(de_secondary_site=p.person.site)
        if take.split is None:
            units = 100 * take.choice.units
            yield transcript_record(common, credit_fields(take.grade, units, scale, de), semester=take.semester)
            return
        for part, grade in zip("12", take.split):
            yield transcript_record(common, credit_fields(grade, 50, scale, de), part=part, semester=f"S{part}")

    def ibc_records(self, path: str) -> list[IbcRecord]:
        """CA students of grades 11-12 mostly hold an IBC (every CA graduate); a few others too;
        some passed it on a second try."""
        p, rng, cat = self.p, self.rng, self.cat
        if not cat.ibc_codes:
            return []
        if path == "CA":
            holds = (p.graduate and not p.short) or (p.grade >= 11 and rng.random() < CA_IBC_SHARE)
        else:
            holds = p.grade >= 10 and rng.random() < OTHER_IBC_SHARE
        if not holds:
            return []
        code = rng.choice(cat.ibc_codes)
        year = rng.randint(max(self.entry + 1, self.bssy - 1), self.bssy)
        semester = rng.choice("123") if year < self.bssy else rng.choice("12")
        attempts = [("P", year, semester)]
        if rng.random() < 0.2 and semester != "1":
            attempts.insert(0, ("F", year, str(int(semester) - 1)))
        elif path != "CA" and rng.random() < 0.2:
            attempts = [("F", year, semester)]  # tried and not (yet) passed
        vendor = rng.choice(cat.vendors) if cat.vendors and rng.random() < 0.5 else ""
        person = p.person
        return [IbcRecord(bssy=str(self.bssy), sponsor=self.options.sponsor, site=person.site,
                          local_id=person.local_id, state_id=person.unique_id,
                          last_name=partial(person.last_name, 3), first_name=partial(person.first_name, 1),
                          ibc_code=code, semester_earned=sem, year_earned=str(y), vendor=vendor, pass_fail=result,
                          earned_sponsor=self.options.sponsor, earned_site=person.site, layout=self.batch.layout)
                for result, y, sem in attempts]

    def student_record(self, path: str, transcripts: list[TranscriptRecord]) -> StudentRecord:
        p, rng, batch = self.p, self.rng, self.batch
        person = p.person
        graduated = p.graduate
        public = batch.layout == PUBLIC
        gee = ("G" if path == "L1" else "A" if person.act833 else "Y") if graduated else (
            "Y" if p.grade >= 11 and rng.random() < 0.5 and path != "L1" else "")
        fields = dict(
            bssy=str(self.bssy), sponsor=self.options.sponsor, state_id=person.unique_id,
            local_id=person.local_id, site=person.site, sex=person.sex, grade=f"{p.grade:02d}",
            grade9_entry=str(self.entry), diploma_path=path, gee_flag=gee,
            career_option=rng.choice(self.cat.jumpstart_options) if path == "CA" else "",
            local_gpa=local_gpa(transcripts), parental_consent="Y" if rng.random() < 0.93 or not public else "N",
            **{name: "Y" if getattr(person, name) else "N" for name in RACE_FIELDS}, layout=batch.layout)
        if p.rank:
            fields.update(rank_position=str(p.rank[0]), rank_size=str(p.rank[1]))
        if graduated:
            fields.update(self.graduate_fields(path, public, transcripts))
        elif public and not gee and p.grade >= 10:  # end-of-course tests passed so far
            fields.update({name: "P" for name in EOC_FIELDS if rng.random() < EOC_PASS_SHARE})
        if public:
            fields.update(first_name=partial(person.first_name, 1), last_name=partial(person.last_name, 3),
                          birth_day=f"{person.birth_date.day:02d}")
        else:
            fields.update(first_name=person.first_name.upper(), last_name=person.last_name.upper(),
                          middle_name=p.middle_name.upper(), suffix=p.suffix,
                          birth_date=person.birth_date.strftime("%m%d%Y"))
        return StudentRecord(**fields)

    def graduate_fields(self, path: str, public: bool, transcripts) -> dict:
        rng = self.rng
        fields = dict(graduation_date=self.batch.graduation_date.strftime("%m%d%Y"), parental_consent="Y")
        if public:
            fields["fafsa"] = rng.choices(list(FAFSA_WEIGHTS), list(FAFSA_WEIGHTS.values()))[0]
        if path == "CA":
            fields["career_endorsement"] = "J4" if self.p.person.act833 else rng.choice(JUMPSTART_CREDENTIALS)
        elif path == "TU" and self.p.ability > 0.7 and rng.random() < 0.3:
            # A2 is the endorsement "with 1 unit AP course"; A1 with a senior project
            fields["academic_endorsement"] = "A2" if any(t.course_type == "AP" for t in transcripts) else "A1"
        if rng.random() < 0.12:
            fields["community_service"] = "C1"
        languages = sum(1 for t in transcripts if t.course_code.startswith("14"))
        if languages >= 2 and rng.random() < 0.15:
            fields["biliteracy_seal"] = "D4"
        return fields


_TRANSCRIPT_DEFAULTS = {f.name: f.default for f in dataclass_fields(TranscriptRecord)}


def transcript_record(*parts: dict, **values) -> TranscriptRecord:
    """A TranscriptRecord without the frozen dataclass' per-field __init__ (a file has ~20 per
    student; as transcripts.layouts does when parsing). Equal to TranscriptRecord(**values)."""
    record = object.__new__(TranscriptRecord)
    record.__dict__.update(_TRANSCRIPT_DEFAULTS)
    for part in parts:
        record.__dict__.update(part)
    record.__dict__.update(values)
    return record


def partial(name: str, letters: int) -> str:
    """The partial name of the 020/050 public layouts, uppercased as SIS files send it."""
    return name.strip()[:letters].upper()


# Letter grade -> quality points below the grade point maximum (A earns the maximum).
POINTS_BELOW_MAX = {"A": 0, "B": 100, "C": 200, "D": 300}


def credit_fields(grade: str, units: int, scale: int, dual_enrollment: bool = False) -> dict:
    """Credits and quality points consistent with the 030 edits (306-333, 339)."""
    earned = 0 if grade == "F" else units
    points = scale - POINTS_BELOW_MAX[grade] if grade in POINTS_BELOW_MAX else 0
    fields = dict(grade=grade, credit_attempted=f"{units:03d}", credit_earned=f"{earned:03d}",
                  quality_points=f"{points:03d}")
    if dual_enrollment:
        fields["de_credit_hours"] = f"{3 * earned:04d}"  # 3 college hours a unit
    return fields


def local_gpa(transcripts: list[TranscriptRecord]) -> str:
    """The district's GPA as it prints it: quality points over attempted credits of graded courses."""
    points = attempted = 0
    for t in transcripts:
        if t.grade in "ABCDF":
            points += int(t.quality_points) * int(t.credit_attempted)
            attempted += int(t.credit_attempted)
    return f"{points / attempted / 100:.2f}" if attempted else ""


# --- realistic errors ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ErrorKind:
    """One realistic mistake: the edit code it triggers, which students it fits, and the change.
    `fits(student_set, batch)`; `apply(student_set, rng, batch)` changes the set in place."""

    code: str
    description: str
    fits: Callable[[StudentSet, Batch], bool]
    apply: Callable[[StudentSet, random.Random, Batch], None]


TranscriptTest = Callable[[TranscriptRecord, Batch], bool]


def _any(s: StudentSet, b: Batch) -> bool:
    return True


def _public(s: StudentSet, b: Batch) -> bool:
    return b.layout == PUBLIC


def _graduate(s: StudentSet, b: Batch) -> bool:
    return s.student.graduation_date.strip() != ""


def _graded(t: TranscriptRecord, b: Batch) -> bool:
    """A whole high-school course with a grade A-D."""
    return t.grade in "ABCD" and t.part == "" and t.course_type != "DE"


def _graded_a(t: TranscriptRecord, b: Batch) -> bool:
    return _graded(t, b) and t.grade == "A"


def _no_ap_allowed(t: TranscriptRecord, b: Batch) -> bool:
    course = b.data.snapshot.course(t.course_code, int(t.course_bssy))
    return _graded(t, b) and t.course_type == "RG" and course is not None and course.ap_type_allowed == ""


def _local_course(t: TranscriptRecord, b: Batch) -> bool:
    return bool(b.catalog.other_sponsor_sites) and t.course_sponsor == t.sponsor and t.course_site.strip() != ""


def _named(t: TranscriptRecord, b: Batch) -> bool:
    return t.course_name.strip() != ""


def _this_year(t: TranscriptRecord, b: Batch) -> bool:
    return t.course_bssy == t.bssy


def _failed(t: TranscriptRecord, b: Batch) -> bool:
    return t.grade == "F"


def _each(t: TranscriptRecord, b: Batch) -> bool:
    return True


def _has(test: TranscriptTest) -> Callable[[StudentSet, Batch], bool]:
    return lambda s, b: any(test(t, b) for t in s.transcripts)


def _on_transcript(test: TranscriptTest, change: Callable[[TranscriptRecord, Batch], dict]):
    """Change one random transcript record that passes `test`."""
    def apply(s: StudentSet, rng: random.Random, b: Batch) -> None:
        i = rng.choice([i for i, t in enumerate(s.transcripts) if test(t, b)])
        s.transcripts[i] = replace(s.transcripts[i], **change(s.transcripts[i], b))
    return apply


def _on_student(change: Callable[[StudentRecord, Batch], dict]):
    def apply(s: StudentSet, rng: random.Random, b: Batch) -> None:
        s.student = replace(s.student, **change(s.student, b))
    return apply


def _expired_code(t: TranscriptRecord, b: Batch) -> dict:
    """A code that ended before the course BSSY (a course list the SIS did not update)."""
    year = int(t.course_bssy)
    expired = [r.code for r in b.catalog.expired_codes if r.last_bssy < year and b.data.snapshot.course(r.code, year)
               is None]
    return {"course_code": expired[0] if expired else "999999", "course_name": ""}


def _other_day(day: str) -> str:
    return f"{int(day) % 28 + 1:02d}"


def _misspelt(name: str) -> str:
    name = name.strip()
    return name[:-1] + ("A" if name[-1] != "A" else "E")


def _duplicate_course(s: StudentSet, rng: random.Random, b: Batch) -> None:
    i = rng.randrange(len(s.transcripts))
    s.transcripts.insert(i + 1, s.transcripts[i])


def _second_pass(s: StudentSet, rng: random.Random, b: Batch) -> None:
    passed = next(r for r in s.ibcs if r.pass_fail == "P")
    s.ibcs.append(replace(passed, semester_earned="3" if passed.semester_earned != "3" else "1"))


def _drop_transcripts(s: StudentSet, rng: random.Random, b: Batch) -> None:
    s.transcripts.clear()


def _undeclared_fits(s: StudentSet, b: Batch) -> bool:
    return s.path == "TU" and not _graduate(s, b) and s.student.grade in ("11", "12")


ERROR_KINDS: tuple[ErrorKind, ...] = (
    ErrorKind("304", "a semester code the guide does not list", _has(_each),
              _on_transcript(_each, lambda t, b: {"semester": "S3"})),
    ErrorKind("U06", "day of birth not as in the Secure ID registry", _public,
              _on_student(lambda r, b: {"birth_day": _other_day(r.birth_day)})),
    ErrorKind("302", "a course code not valid in its course BSSY", _has(_each), _on_transcript(_each, _expired_code)),
    ErrorKind("330", "quality points awarded for an F", _has(_graded),
              _on_transcript(_graded, lambda t, b: {"grade": "F", "credit_earned": "000"})),
    ErrorKind("227", "local ID missing", _any, _on_student(lambda r, b: {"local_id": ""})),
    ErrorKind("U04", "partial last name misspelt", _public,
              _on_student(lambda r, b: {"last_name": _misspelt(r.last_name)})),
    ErrorKind("312", "credit earned not equal to credit attempted on a passing grade", _has(_graded),
              _on_transcript(_graded, lambda t, b: {"credit_earned": "050"})),
    ErrorKind("207", "sex code not M or F", _any, _on_student(lambda r, b: {"sex": "U"})),
    ErrorKind("215", "graduation date of the previous school year", _graduate,
              _on_student(lambda r, b: {"graduation_date": f"0520{b.options.bssy}"})),
    ErrorKind("332", "an A below the grade point maximum", _has(_graded_a),
              _on_transcript(_graded_a, lambda t, b: {"quality_points": f"{int(t.grade_point_max) - 100:03d}"})),
    ErrorKind("206", "no race/ethnicity flag set", _any, _on_student(lambda r, b: dict.fromkeys(RACE_FIELDS, "N"))),
    ErrorKind("242", "graduate without a FAFSA flag", lambda s, b: _public(s, b) and _graduate(s, b),
              _on_student(lambda r, b: {"fafsa": ""})),
    ErrorKind("328", "elective sent without its Transcript Course Name", _has(_named),
              _on_transcript(_named, lambda t, b: {"course_name": ""})),
    ErrorKind("326", "the same course sent twice", _has(_each), _duplicate_course),
    ErrorKind("301", "course BSSY in the future", _has(_this_year),
              _on_transcript(_this_year, lambda t, b: {"course_bssy": str(b.options.bssy + 1)})),
    ErrorKind("U05", "local ID not as in the Secure ID registry", _public,
              _on_student(lambda r, b: {"local_id": r.local_id.strip()[:-1] + "X"})),
    ErrorKind("209", "grade 9 entry year after the BSSY", _any,
              _on_student(lambda r, b: {"grade9_entry": str(b.options.bssy + 1)})),
    ErrorKind("318", "core curriculum waiver flag Y on a graded course", _has(_graded),
              _on_transcript(_graded, lambda t, b: {"waiver": "Y"})),
    ErrorKind("229", "Jumpstart career option on a TU student", lambda s, b: s.path == "TU",
              _on_student(lambda r, b: {"career_option": b.catalog.jumpstart_options[0]})),
    ErrorKind("305", "letter grade I (incomplete)", _has(_graded),
              _on_transcript(_graded, lambda t, b: {"grade": "I"})),
    ErrorKind("322", "course site of another sponsor", _has(_local_course),
              _on_transcript(_local_course, lambda t, b: {"course_site": b.catalog.other_sponsor_sites[0]})),
    ErrorKind("218", "GEE flag N", _any, _on_student(lambda r, b: {"gee_flag": "N"})),
    ErrorKind("334", "AP course type on a course the AP list does not allow", _has(_no_ap_allowed),
              _on_transcript(_no_ap_allowed, lambda t, b: {"course_type": "AP"})),
    ErrorKind("U08", "sex not as in the Secure ID registry", _public,
              _on_student(lambda r, b: {"sex": "F" if r.sex == "M" else "M"})),
    ErrorKind("510", "IBC code not on the IBC matrix", lambda s, b: bool(s.ibcs) and "999" not in b.catalog.ibc_codes,
              lambda s, rng, b: s.ibcs.__setitem__(0, replace(s.ibcs[0], ibc_code="999"))),
    ErrorKind("311", "credit earned on an F", _has(_failed),
              _on_transcript(_failed, lambda t, b: {"credit_earned": t.credit_attempted})),
    ErrorKind("221", "academic endorsement on a non-graduate",
              lambda s, b: not _graduate(s, b) and s.student.grade in ("11", "12"),
              _on_student(lambda r, b: {"academic_endorsement": "A1"})),
    ErrorKind("233", "diploma path not declared in grade 11 or 12", _undeclared_fits,
              _on_student(lambda r, b: {"diploma_path": "ND"})),
    ErrorKind("513", "a second pass for the same IBC", lambda s, b: any(r.pass_fail == "P" for r in s.ibcs),
              _second_pass),
    ErrorKind("340", "postsecondary credit hours on a course that is not dual enrollment",
              _has(lambda t, b: _graded(t, b) and t.course_type == "RG"),
              _on_transcript(lambda t, b: _graded(t, b) and t.course_type == "RG",
                             lambda t, b: {"de_credit_hours": "0300"})),
    ErrorKind("300", "student record sent without its transcript records", _any, _drop_transcripts),
)


def inject_error(student_set: StudentSet, turn: int, rng: random.Random, batch: Batch, uses: Counter) -> str:
    """Give the student the kind of error used least so far in the file (`uses`) among those
    that fit (ties: the first from `turn` on, cycling); returns its edit code."""
    kinds = [ERROR_KINDS[(turn + step) % len(ERROR_KINDS)] for step in range(len(ERROR_KINDS))]
    fitting = [k for k in kinds if k.fits(student_set, batch)]
    kind = min(fitting, key=lambda k: uses[k.code])  # min keeps the first of equals
    kind.apply(student_set, rng, batch)
    uses[kind.code] += 1
    return kind.code


# --- the file -----------------------------------------------------------------------------------

def student_sets(batch: Batch) -> Iterator[StudentSet]:
    """Each student's records in file order, errors injected where the plan says (and noted in
    `batch.errors`). Every pass over a batch gives the same records."""
    uses: Counter = Counter()
    batch.errors.clear()
    for profile in batch.profiles:
        builder = StudentBuilder(batch, profile)
        student_set = builder.build()
        if profile.error_turn is not None:
            code = inject_error(student_set, profile.error_turn, builder.rng, batch, uses)
            batch.errors[profile.person.unique_id] = code
        yield student_set


def batch_lines(batch: Batch) -> Iterator[str]:
    """The file's fixed-width records (no terminator)."""
    for student_set in student_sets(batch):
        for record in student_set.records():
            yield format_record(record)


def write_batch(batch: Batch, out: str | Path | TextIO) -> int:
    """Write the file (CR LF line ends); returns the number of records."""
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="ascii", errors="replace", newline="") as f:
            return write_batch(batch, f)
    count = 0
    chunk = []
    for line in batch_lines(batch):
        chunk.append(line)
        if len(chunk) >= 4096:
            out.write(TERMINATOR.join(chunk) + TERMINATOR)
            count += len(chunk)
            chunk = []
    if chunk:
        out.write(TERMINATOR.join(chunk) + TERMINATOR)
        count += len(chunk)
    return count


def secure_id_row(ref: SecureIdRef) -> list[str]:
    flag = {True: "Y", False: "N"}
    return [ref.unique_id, ref.sponsor, ref.site, ref.local_id, ref.first_name, ref.last_name,
            ref.birth_date.isoformat(), ref.sex, *(flag[bool(getattr(ref, f))] for f in RACE_FIELDS),
            flag[ref.laa1], flag[ref.act833]]


def write_secure_ids(refs: Iterable[SecureIdRef], out: str | Path | TextIO) -> int:
    """Registry rows as a `secure_ids.csv` that `load_reference` accepts; returns the row count."""
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as f:
            return write_secure_ids(refs, f)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SECURE_ID_HEADER)
    count = 0
    for ref in refs:
        writer.writerow(secure_id_row(ref))
        count += 1
    return count
