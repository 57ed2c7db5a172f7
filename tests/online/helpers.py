"""Typed online values (as a user enters them) for students of the shipped reference data."""
from core_tables.models import SecureId

BSSY = 2025


def registry_student(site="017001", index=0, **filters):
    return SecureId.objects.filter(site__code=site, laa1=False, **filters).order_by("unique_id")[index]


def student_typed(**changes):
    """The 020 form of a public grade-10 TU student (the registry supplies the demographics)."""
    typed = {"grade": "10", "grade9_entry": str(BSSY - 1), "diploma_path": "TU", "career_option": "",
             "graduation_date": "", "academic_endorsement": "", "career_endorsement": "", "community_service": "",
             "biliteracy_seal": "", "fafsa": "", "gee_flag": "", "eoc_ela": "", "eoc_math": "", "eoc_science": "",
             "eoc_social_studies": "", "local_gpa": "", "rank_position": "", "rank_size": "",
             "parental_consent": "Y"}
    typed.update(changes)
    return typed


def transcript_typed(code="120101", grade="A", course_bssy=BSSY - 1, **changes):
    points = {"A": "4.00", "B": "3.00", "C": "2.00", "D": "1.00"}.get(grade, "0.00")
    typed = {"course_bssy": str(course_bssy), "course_code": code, "part": "", "semester": "Y1", "grade": grade,
             "credit_attempted": "1.00", "credit_earned": "0.00" if grade == "F" else "1.00",
             "grade_point_max": "4.00", "quality_points": points, "waiver": "N", "course_type": "RG",
             "distance_learning": "", "course_sponsor": "017", "course_site": "017001", "course_site_name": "",
             "course_name": "", "local_course_code": "", "de_credit_hours": "", "de_secondary_site": ""}
    typed.update(changes)
    return typed


def ibc_typed(code, **changes):
    typed = {"ibc_code": code, "semester_earned": "1", "year_earned": str(BSSY), "vendor": "", "pass_fail": "P",
             "earned_sponsor": "017", "earned_site": "017001"}
    typed.update(changes)
    return typed


# A TU graduate's 24 one-unit courses meeting every category of the shipped TU curriculum.
PASSING_TU = ["120101", "120102", "120103", "120104", "160321", "160331", "160341", "160351", "150301", "150311",
              "150303", "150321", "220101", "220501", "220201", "220204", "140101", "140102", "110101", "190102",
              "190101", "110102", "110103", "110201"]
GRADUATE = {"grade": "12", "grade9_entry": "2022", "graduation_date": "05/20/2026", "fafsa": "1", "gee_flag": "Y"}


def add_student(site, sid, today, by="E017UPD", **typed):
    """A public student added through the online service (registry demographics)."""
    from transcripts.online import services
    from transcripts.online.fields import raw_values

    raw, problems = raw_values("020", site.sponsor.layout, student_typed(state_id=sid.unique_id, **typed))
    assert not problems
    outcome = services.save_student(site=site, bssy=BSSY, raw=raw, by=by, today=today)
    assert outcome.saved, (outcome.findings, outcome.needs_override)
    return outcome.student


def add_courses(student, codes, grade="A", course_bssy=2023):
    """Transcripts straight into the database (set-up, not the behaviour under test)."""
    from decimal import Decimal

    from transcripts.models import Transcript

    points = {"A": 4, "B": 3, "C": 2, "D": 1}[grade]
    Transcript.objects.bulk_create([Transcript(
        student=student, course_bssy=course_bssy, course_code=code, semester="Y1", grade=grade,
        credit_attempted=Decimal(1), credit_earned=Decimal(1), grade_point_max=Decimal(4),
        quality_points=Decimal(points), course_type="RG", course_sponsor="017", course_site="017001")
        for code in codes])
