"""What a transcript says, gathered from the stored records into plain data the PDF template prints.

GPAs, total credits and the graduation check come from the stored progress results
(`StudentProgress`), class rank from `transcripts.progress.rank.class_rank`: nothing is
recomputed here, so fixes to the progress engine flow into the transcripts.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from core_tables.models import CourseCode, Curriculum, IbcCode, SecureId
from transcripts.models import Student
from transcripts.progress.credits import credits_and_repeats, grade_points, overall_points
from transcripts.progress.model import GRADES_WITH_POINTS, CourseInfo
from transcripts.progress.rank import class_rank
from transcripts.progress.result import StudentProgress as ProgressResult
from transcripts.progress_store import course_of

from .readiness import GraduateFacts

ENDORSEMENT_LABELS = {"academic_endorsement": "Academic endorsement", "career_endorsement": "Career/tech endorsement",
                      "community_service": "Community service", "biliteracy_seal": "Seal of biliteracy"}


@dataclass(frozen=True)
class CourseLine:
    """One 030 record as the transcript prints it, with what each GPA counted of it, so a reader
    can recompute every GPA from the page."""
    semester: str
    code: str
    name: str
    part: str
    grade: str
    attempted: Decimal
    earned: Decimal
    quality_points: Decimal
    course_type: str
    site: str
    grade_point_max: Decimal = Decimal(0)
    dropped: bool = False  # discarded by the repeat/delete rule: no GPA counts it
    no_credit: bool = False  # an experience-only (NO CREDIT) course
    gpa_points: Decimal | None = None  # counted in the Overall GPA: points on the 4.00 scale
    core: tuple[Decimal, Decimal] | None = None  # (units, points) counted in the core GPA
    tops: tuple[Decimal, Decimal] | None = None  # (units, points) counted in the TOPS GPA
    five_point: bool = False  # a 5.0-list course: core/TOPS points kept on the 5.0 scale


@dataclass(frozen=True)
class SchoolYear:
    bssy: int
    label: str  # 2023-24
    courses: list[CourseLine]
    attempted: Decimal
    earned: Decimal


@dataclass(frozen=True)
class TranscriptData:
    state_id: str
    bssy: int
    sponsor_code: str
    sponsor_name: str
    sponsor_kind: str
    site_code: str
    site_name: str
    site_address: str  # one line; "" when the site has no street address on file
    site_phone: str
    last_name: str
    first_name: str
    middle_name: str
    suffix: str
    birth_date: dt.date | None
    sex: str
    local_id: str
    grade: str
    grade9_entry: int | None
    graduation_date: dt.date | None
    diploma_path: str
    diploma_path_name: str
    career_option: str
    endorsements: list[tuple[str, str]]
    core_name: str  # the curriculum whose courses make the core GPA (the diploma pathway's)
    tops_name: str  # the TOPS award core whose courses make the TOPS GPA
    overall_gpa: Decimal | None
    core_gpa: Decimal | None
    tops_gpa: Decimal | None
    total_attempted: Decimal
    total_earned: Decimal
    class_rank: int | None
    class_size: int | None
    local_rank: str
    years: list[SchoolYear]
    ibcs: list[tuple[str, str, str, str]]  # code, name, year earned, pass/fail
    eoc: str  # the Met GEE/EOC flag
    parental_consent: bool
    # Filled when issued (not part of what the transcript says: see `data_hash`).
    official: bool = True
    version: int | None = None
    certified_at: dt.datetime | None = None
    certified_by: str = ""
    issued_at: dt.datetime | None = None
    code: str = ""
    verify_url: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        first = " ".join(p for p in (self.first_name, self.middle_name) if p)
        last = " ".join(p for p in (self.last_name, self.suffix) if p)
        return f"{last}, {first}".strip(", ")

    def data_hash(self) -> str:
        """sha256 of what the transcript says about the student (not version, certification or
        code): a re-certification issues a new version only for a graduate whose transcript changed."""
        # The school's address and phone are how to reach it, not what it certified about the
        # student: a site that moves issues no new versions (each PDF keeps the address it printed).
        content = {k: v for k, v in asdict(self).items()
                   if k not in ("official", "version", "certified_at", "certified_by", "issued_at", "code",
                                "verify_url", "extra", "site_address", "site_phone")}
        return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def _bssy_label(bssy: int) -> str:
    return f"{bssy}-{(bssy + 1) % 100:02d}"


def _gpa(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def site_ranks(site_id: int, bssy: int) -> dict[int, tuple[int | None, int | None]]:
    """Grad class rank (rank, size, percentile) of the site's students by student pk, from the
    stored GPAs: the figures STSQ11 prints in its Grad Class Rank columns."""
    rows = list(Student.objects.filter(site_id=site_id, bssy=bssy).values_list(
        "pk", "sponsor__code", "site__code", "grade", "progress__overall_gpa", "graduation_date"))
    ranks = class_rank((pk, sp, si, grade, gpa, grad is not None) for pk, sp, si, grade, gpa, grad in rows)
    return {r.student: (r.grad_rank, r.grad_size, r.grad_percent) for r in ranks}


def _attribute(used_courses, records: dict, info: dict) -> dict:
    """Record pk -> (units, points) a core GPA counted: each course placed in the core's categories,
    parts 1 and 2 combined split back by credit attempted (the engine averages their points the
    same way), points on the course's scale (`grade_points`)."""
    out: dict = {}
    for u in used_courses:
        parts = [records[r] for r in u.refs if r in records]
        attempted = sum((c.credit_attempted for c in parts), Decimal(0))
        for c in parts:
            points = grade_points(c, info.get(c.course_code))
            if points is None:
                continue
            share = u.units * c.credit_attempted / attempted if attempted else u.units / len(parts)
            units, _ = out.get(c.ref, (Decimal(0), points))
            out[c.ref] = (units + share, points)
    return out


def _used(curriculum) -> list:
    return [u for cat in (curriculum.categories if curriculum else ()) for u in cat.courses]


class Gatherer:
    """Builds `TranscriptData` for students, reading reference names and ranks once per chunk."""

    def __init__(self):
        self._courses = dict(CourseCode.objects.values_list("code", "name"))
        self._info = {row[0]: CourseInfo(*row) for row in CourseCode.objects.values_list(
            "code", "name", "requires_course_name", "five_point_eligible", "experience_only")}
        self._paths = dict(Curriculum.objects.values_list("code", "name"))
        self._ibcs = dict(IbcCode.objects.values_list("code", "name"))
        self._ranks = {}

    def ranks(self, student):
        key = (student.site_id, student.bssy)
        if key not in self._ranks:
            self._ranks[key] = site_ranks(*key)
        return self._ranks[key].get(student.pk, (None, None, None))

    def data(self, student: Student, *, official=True) -> TranscriptData:
        registry = None
        if student.sponsor.kind != "nonpublic":
            registry = SecureId.objects.filter(unique_id=student.state_id).first()
        progress = getattr(student, "progress", None)
        result = ProgressResult.from_dict(progress.result) if progress is not None and progress.result else None
        records = {t.pk: course_of(t) for t in student.transcripts.all()}
        # The repeat/delete rule as the engine applies it (the GPAs were computed so).
        _kept, dropped = credits_and_repeats(list(records.values()), self._info)
        dropped_refs = {r for credit in dropped for r in credit.refs}
        core = _attribute(_used(result.pathway if result else None), records, self._info)
        award = result.awards[0] if result and result.awards else None
        tops = _attribute(_used(award.progress if award else None), records, self._info)
        years = defaultdict(list)
        for t in student.transcripts.all():
            info = self._info.get(t.course_code)
            no_credit = bool(info and info.experience_only)
            counted = t.pk not in dropped_refs
            years[t.course_bssy].append(CourseLine(
                t.semester, t.course_code, t.course_name or self._courses.get(t.course_code, ""), t.part, t.grade,
                t.credit_attempted, t.credit_earned, t.quality_points, t.course_type, t.course_site,
                grade_point_max=t.grade_point_max, dropped=not counted, no_credit=no_credit,
                gpa_points=overall_points(records[t.pk]) if counted and not no_credit else None,
                core=core.get(t.pk) if counted else None, tops=tops.get(t.pk) if counted else None,
                five_point=bool(info and info.five_point_eligible and t.grade in GRADES_WITH_POINTS)))
        school_years = [SchoolYear(y, _bssy_label(y), lines, sum((c.attempted for c in lines), Decimal(0)),
                                   sum((c.earned for c in lines), Decimal(0))) for y, lines in sorted(years.items())]
        rank, size, _percent = self.ranks(student)
        # Public/charter students: the registry's full names and birth date ("PII lives in the registry").
        first = registry.first_name if registry else student.first_name
        last = registry.last_name if registry else student.last_name
        born = registry.birth_date if registry else student.birth_date
        return TranscriptData(
            state_id=student.state_id, bssy=student.bssy, sponsor_code=student.sponsor.code,
            sponsor_name=student.sponsor.name, sponsor_kind=student.sponsor.kind, site_code=student.site.code,
            site_name=student.site.name, site_address=student.site.postal_address,
            site_phone=student.site.phone.strip(), last_name=last, first_name=first,
            middle_name="" if registry else student.middle_name, suffix="" if registry else student.suffix,
            birth_date=born, sex=student.sex, local_id=student.local_id, grade=student.grade,
            grade9_entry=student.grade9_entry, graduation_date=student.graduation_date,
            diploma_path=student.diploma_path, diploma_path_name=self._paths.get(student.diploma_path, ""),
            career_option=student.career_option,
            core_name=f"{result.pathway.code} core" if result and result.pathway else "",
            tops_name=f"{award.code} core" if award else "",
            endorsements=[(label, getattr(student, f)) for f, label in ENDORSEMENT_LABELS.items() if getattr(student, f)],
            overall_gpa=_gpa(progress.overall_gpa) if progress else None,
            core_gpa=_gpa(progress.core_gpa) if progress else None,
            tops_gpa=_gpa(progress.tops_gpa) if progress else None,
            total_attempted=sum((y.attempted for y in school_years), Decimal(0)),
            total_earned=sum((y.earned for y in school_years), Decimal(0)),
            class_rank=rank, class_size=size,
            local_rank=f"{student.rank_position} of {student.rank_size}" if student.rank_position else "",
            years=school_years,
            ibcs=[(i.ibc_code, self._ibcs.get(i.ibc_code, ""), str(i.year_earned), i.pass_fail)
                  for i in student.ibcs.all()],
            eoc=student.gee_flag, parental_consent=student.parental_consent, official=official)


def certifier_name(username: str) -> str:
    """The certifying official as the transcript names them: the user's full name (and user ID),
    or the user ID alone when the account has no name."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).only("first_name", "last_name").first()
    full = user.get_full_name().strip() if user else ""
    return f"{full} ({username})" if full else username


def students_for_transcripts(queryset):
    """A Student queryset with what `Gatherer.data` and `facts_of` read, in few queries."""
    return queryset.select_related("site", "sponsor", "progress").prefetch_related("transcripts", "ibcs", "overrides")


def facts_of(student: Student) -> GraduateFacts:
    """Readiness facts of a stored student (its stored progress result and overrides)."""
    try:
        progress = student.progress
    except Student.progress.RelatedObjectDoesNotExist:
        progress = None
    result = (progress.result or {}) if progress else {}
    overridden = student.graduation_date is not None and any(
        o.graduation_date == student.graduation_date for o in student.overrides.all())
    return GraduateFacts(
        state_id=student.state_id, sponsor_kind=student.sponsor.kind, graduation_date=student.graduation_date,
        removed_graduation_date=student.removed_graduation_date,
        removal_reasons=tuple(student.grad_removal_reasons or ()), gee_flag=student.gee_flag.strip(),
        diploma_path=student.diploma_path.strip(), has_progress=progress is not None,
        overall_gpa=progress.overall_gpa if progress else None,
        meets_graduation=bool(progress and progress.meets_graduation),
        check_reasons=tuple((result.get("graduation") or {}).get("removal_reasons", ())),
        overridden=overridden)


def progress_stale(student: Student) -> bool:
    """True when the stored progress result is missing or older than the student's last change
    (recomputation after an upload may still be queued)."""
    try:
        progress = student.progress
    except Student.progress.RelatedObjectDoesNotExist:
        return True
    return progress.computed_at is None or progress.computed_at < student.updated_at

