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
    points = {"A": "4.00", "B": "3.00", "C": "2.00", "D": "1.00", "F": "0.00", "P": "0.00"}[grade]
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
