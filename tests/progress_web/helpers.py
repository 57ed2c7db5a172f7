"""Students with transcripts built straight with the ORM (sponsor 017, site 017001, BSSY 2025)."""
import datetime as dt
from decimal import Decimal

from core_tables.models import Site
from transcripts.models import Student, Transcript

BSSY = 2025
POINTS = {"A": 4, "B": 3, "C": 2, "D": 1, "F": 0}

# A TU graduate-to-be with 14 one-unit courses: categories 08, 11, 12, 15 and 16 are not met.
TU_COURSES = [  # (code, grade)
    ("120101", "A"), ("120102", "A"), ("120103", "B"), ("120104", "A"),  # English I-IV
    ("160321", "B"), ("160331", "C"), ("160341", "A"),  # Algebra I, Geometry, Algebra II
    ("150301", "A"), ("150311", "B"),  # Biology I, Chemistry I
    ("220101", "A"), ("220501", "A"),  # U.S. History, Civics
    ("140101", "A"), ("140102", "B"),  # Foreign language (2 units)
    ("110101", "A"),  # Art I
]


def make_student(state_id="1000000001", site="017001", *, grade="12", path="TU", grade9_entry=2022,
                 graduation_date=None, last_name="Smith", courses=()):
    site = Site.objects.select_related("sponsor").get(code=site)
    student = Student.objects.create(
        bssy=BSSY, sponsor=site.sponsor, site=site, state_id=state_id, local_id=state_id[-6:], first_name="A",
        last_name=last_name, sex="F", grade=grade, grade9_entry=grade9_entry, diploma_path=path, gee_flag="Y",
        graduation_date=graduation_date)
    for code, letter, *rest in courses:
        add_course(student, code, letter, **(rest[0] if rest else {}))
    return student


def add_course(student, code, grade="A", *, course_bssy=2023, credit="1.00", part="", course_type="RG",
               semester="Y1"):
    credit = Decimal(credit)
    return Transcript.objects.create(
        student=student, course_bssy=course_bssy, course_code=code, part=part, semester=semester, grade=grade,
        credit_attempted=credit, credit_earned=Decimal(0) if grade == "F" else credit, grade_point_max=Decimal(4),
        quality_points=Decimal(POINTS[grade]), course_type=course_type)


GRAD_DATE = dt.date(2026, 5, 20)
