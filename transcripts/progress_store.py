"""Between the database (or parsed batch records) and the core progress engine.

The engine is plain Python; this module builds its inputs from rows, stores its results per
student and BSSY, and is what uploads (graduation-date removal), online entry, reports and
certification call. Pages read the stored results and never compute on the fly.
"""
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from sts import clock

from core_tables.models import CourseCode, Curriculum, SetCourse, Sponsor
from transcripts import records as R
from transcripts.progress.engine import compute_progress, graduation_check
from transcripts.progress.model import Category, CoreTables, Course, CourseInfo, Curriculum as CurriculumDef
from transcripts.progress.model import SetCourse as SetCourseDef
from transcripts.progress.model import StudentFacts
from transcripts.progress.result import rounded_gpa

from . import extensions
from .models import Credential, Ibc, Student, StudentProgress, Transcript


def load_core_tables() -> CoreTables:
    """Every curriculum with its categories and set courses, and every course code: one query each."""
    sets = defaultdict(list)
    for row in SetCourse.objects.values_list("category_id", "set_code", "course__code", "units_allowed",
                                             "units_required", "effective_grad_bssy", "expiration_grad_bssy"):
        sets[row[0]].append(SetCourseDef(*row[1:]))
    categories = defaultdict(list)
    from core_tables.models import Category as CategoryRow
    for cat in CategoryRow.objects.order_by("code").values_list("id", "curriculum_id", "code", "description",
                                                               "units_required"):
        categories[cat[1]].append(Category(cat[2], cat[3], cat[4], tuple(sets[cat[0]])))
    curricula = {c.code: CurriculumDef(c.code, c.name, c.kind, c.units_required, c.min_gpa, tuple(categories[c.pk]))
                 for c in Curriculum.objects.all()}
    courses = {row[0]: CourseInfo(*row) for row in CourseCode.objects.values_list(
        "code", "name", "requires_course_name", "five_point_eligible", "experience_only")}
    return CoreTables(curricula=curricula, courses=courses)


# --- inputs from stored rows ------------------------------------------------------------------

def course_of(t: Transcript) -> Course:
    return Course(t.course_bssy, t.course_code, t.part, t.semester, t.grade, t.credit_attempted, t.credit_earned,
                  t.grade_point_max, t.quality_points, t.course_type, t.course_name, ref=t.pk)


def facts_of(s: Student, sponsor_kind: str, passed_ibcs: int, credential_uploaded: bool = False) -> StudentFacts:
    graduation = s.graduation_date or s.removed_graduation_date
    return StudentFacts(s.bssy, sponsor_kind, s.grade, s.grade9_entry, graduation, s.diploma_path,
                        s.career_option, s.career_endorsement, s.gee_flag, passed_ibcs, credential_uploaded)


def credentialed(sponsor, bssy: int) -> frozenset[str]:
    """State IDs of the sponsor's BSSY that have a Jumpstart credential on file (reason 6)."""
    return frozenset(Credential.objects.filter(student__sponsor=sponsor, student__bssy=bssy)
                     .values_list("student__state_id", flat=True))


# --- inputs from batch records (the upload's graduation check) -----------------------------------

def course_of_record(t: R.TranscriptRecord) -> Course:
    zero = R.implied_decimal("0")
    return Course(int(t.course_bssy), t.course_code.strip(), t.part.strip(), t.semester, t.grade,
                  R.implied_decimal(t.credit_attempted) or zero, R.implied_decimal(t.credit_earned) or zero,
                  R.implied_decimal(t.grade_point_max) or zero, R.implied_decimal(t.quality_points) or zero,
                  t.course_type.strip(), t.course_name.strip(), ref=t.line)


def graduation_checker(sponsor_kind: str, bssy: int, tables: CoreTables | None = None,
                       credentials: frozenset[str] = frozenset()):
    """The `graduation_check` the batch edits call for a graduate: reasons '2'..'6'.
    `credentials`: State IDs with a Jumpstart credential on file (uploaded online, never in a file)."""
    tables = tables or load_core_tables()

    def check(student: R.StudentRecord, transcripts, ibcs) -> list[str]:
        facts = StudentFacts(bssy, sponsor_kind, student.grade, R.year(student.grade9_entry),
                             R.graduation_date(student), student.diploma_path.strip(), student.career_option.strip(),
                             student.career_endorsement.strip(), student.gee_flag.strip(),
                             sum(1 for i in ibcs if i.pass_fail == "P"), R.link_key(student) in credentials)
        return graduation_check(facts, [course_of_record(t) for t in transcripts], tables).removal_reasons
    return check


# --- computing and storing --------------------------------------------------------------------

def compute_for(student: Student, tables: CoreTables | None = None, *, path: str | None = None):
    """The engine's result for a stored student (not saved): the what-if switch passes `path`."""
    tables = tables or load_core_tables()
    courses = [course_of(t) for t in student.transcripts.all()]
    passed = sum(1 for i in student.ibcs.all() if i.pass_fail == "P")
    facts = facts_of(student, student.sponsor.kind, passed, student.credentials.exists())
    return compute_progress(facts, courses, tables, path=path)


def recompute(student_ids, tables: CoreTables | None = None) -> int:
    """Compute and store the results of these students (batch: three queries per 500 students)."""
    tables = tables or load_core_tables()
    kinds = dict(Sponsor.objects.values_list("id", "kind"))
    done = 0
    ids = list(student_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        courses, passed = defaultdict(list), defaultdict(int)
        for t in Transcript.objects.filter(student_id__in=chunk):
            courses[t.student_id].append(course_of(t))
        for sid in Ibc.objects.filter(student_id__in=chunk, pass_fail="P").values_list("student_id", flat=True):
            passed[sid] += 1
        with_credential = set(Credential.objects.filter(student_id__in=chunk).values_list("student_id", flat=True))
        rows = []
        for s in Student.objects.filter(id__in=chunk):
            facts = facts_of(s, kinds[s.sponsor_id], passed[s.id], s.id in with_credential)
            result = compute_progress(facts, courses[s.id], tables)
            rows.append(progress_row(s.id, result))
        with transaction.atomic():
            StudentProgress.objects.bulk_create(rows, update_conflicts=True, unique_fields=["student"],
                                                update_fields=[f for f in PROGRESS_FIELDS])
        done += len(rows)
    # Stored results are what readiness reads: the certification app queues nonpublic graduates now.
    extensions.call(extensions.GRADUATES_RECOMPUTED, ids)
    return done


PROGRESS_FIELDS = ("overall_gpa", "core_gpa", "tops_gpa", "total_credits", "path_complete", "award_eligible",
                   "meets_graduation", "result", "computed_at")


def _gpa(value):
    """The GPA as the screen and the command print it (3 decimals, half up): databases round
    differently (SQLite half-even, PostgreSQL half away from zero)."""
    shown = rounded_gpa(value)
    return None if shown is None else Decimal(str(shown))


def progress_row(student_id, result) -> StudentProgress:
    return StudentProgress(
        student_id=student_id, overall_gpa=_gpa(result.overall_gpa), core_gpa=_gpa(result.core_gpa),
        tops_gpa=_gpa(result.tops_gpa),
        total_credits=result.total_credits, path_complete=bool(result.pathway and result.pathway.complete),
        award_eligible=any(a.eligible for a in result.awards), meets_graduation=result.graduation.meets,
        result=result.to_dict(), computed_at=clock.now())
