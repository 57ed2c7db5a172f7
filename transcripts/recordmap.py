"""Between the three record types (raw strings, as in a batch file) and the stored models.

Batch loading writes records as rows; online entry turns a stored student back into records so
the same edit catalog checks it; exports write stored rows as fixed-width records again.
"""
from decimal import Decimal

from . import records as R


def _s(value):
    return value.strip()


def _int(raw):
    raw = raw.strip()
    return int(raw) if R.is_digits(raw) else None


def student_fields(rec: R.StudentRecord, site_id, grad_reasons, by):
    """Model fields of a 020 record that passed the edits. A failed graduation check removes the
    graduation date and keeps it aside for the Override Report."""
    grad = R.graduation_date(rec)
    return {
        "site_id": site_id, "local_id": _s(rec.local_id), "first_name": _s(rec.first_name),
        "middle_name": _s(rec.middle_name), "last_name": _s(rec.last_name), "suffix": _s(rec.suffix),
        "birth_day": _s(rec.birth_day), "birth_date": R.mmddyyyy(rec.birth_date), "sex": rec.sex,
        "grade": rec.grade, "grade9_entry": R.year(rec.grade9_entry),
        "graduation_date": None if grad_reasons else grad,
        "removed_graduation_date": grad if grad_reasons else None,
        "grad_removal_reasons": list(grad_reasons),
        "career_option": _s(rec.career_option), "academic_endorsement": _s(rec.academic_endorsement),
        "career_endorsement": _s(rec.career_endorsement), "gee_flag": _s(rec.gee_flag),
        "local_gpa": _s(rec.local_gpa), "rank_position": _int(rec.rank_position), "rank_size": _int(rec.rank_size),
        **dict(zip(R.RACE_FIELDS, R.race_flags(rec))),
        "diploma_path": _s(rec.diploma_path), "parental_consent": R.consent_given(rec), "fafsa": _s(rec.fafsa),
        "community_service": _s(rec.community_service), "biliteracy_seal": _s(rec.biliteracy_seal),
        "eoc_ela": _s(rec.eoc_ela), "eoc_math": _s(rec.eoc_math), "eoc_science": _s(rec.eoc_science),
        "eoc_social_studies": _s(rec.eoc_social_studies), "updated_by": by,
    }


def transcript_values(rec: R.TranscriptRecord):
    """{column: value} of a 030 record that passed the edits (the caller adds student_id)."""
    return {
        "course_bssy": int(rec.course_bssy), "course_code": _s(rec.course_code), "part": _s(rec.part),
        "semester": rec.semester, "grade": rec.grade,
        "credit_attempted": R.implied_decimal(rec.credit_attempted),
        "credit_earned": R.implied_decimal(rec.credit_earned),
        "grade_point_max": R.implied_decimal(rec.grade_point_max), "waiver": rec.waiver == "Y",
        "course_sponsor": _s(rec.course_sponsor), "course_site": _s(rec.course_site),
        "course_site_name": _s(rec.course_site_name), "course_name": _s(rec.course_name),
        "quality_points": R.implied_decimal(rec.quality_points), "course_type": _s(rec.course_type),
        "distance_learning": _s(rec.distance_learning), "local_course_code": _s(rec.local_course_code),
        "de_credit_hours": R.implied_decimal(rec.de_credit_hours), "de_secondary_site": _s(rec.de_secondary_site),
    }


def ibc_values(rec: R.IbcRecord):
    return {
        "site": _s(rec.site), "local_id": _s(rec.local_id), "ibc_code": _s(rec.ibc_code),
        "semester_earned": rec.semester_earned, "year_earned": int(rec.year_earned), "vendor": _s(rec.vendor),
        "pass_fail": rec.pass_fail, "earned_sponsor": _s(rec.earned_sponsor), "earned_site": _s(rec.earned_site),
    }


# --- stored rows back to records --------------------------------------------------------------

def implied(value: Decimal | None, width: int) -> str:
    """Decimal('1.00') -> '100' (2 implied decimals, zero-padded to the field width)."""
    if value is None:
        return ""
    return str(int((value * 100).to_integral_value())).rjust(width, "0")


def _yn(flag):
    return "Y" if flag else "N"


def student_record(s, layout: str, *, graduation_date=None) -> R.StudentRecord:
    """The 020 record of a stored student. `graduation_date` overrides the stored one (the online
    form checks the date being entered)."""
    grad = graduation_date if graduation_date is not None else s.graduation_date
    return R.StudentRecord(
        bssy=f"{s.bssy:04d}", sponsor=s.sponsor.code, state_id=s.state_id, local_id=s.local_id, site=s.site.code,
        first_name=s.first_name, middle_name=s.middle_name, last_name=s.last_name, suffix=s.suffix,
        birth_day=s.birth_day, birth_date=s.birth_date.strftime("%m%d%Y") if s.birth_date else "", sex=s.sex,
        grade=s.grade, grade9_entry=str(s.grade9_entry or ""), graduation_date=grad.strftime("%m%d%Y") if grad else "",
        career_option=s.career_option, academic_endorsement=s.academic_endorsement,
        career_endorsement=s.career_endorsement, gee_flag=s.gee_flag, local_gpa=s.local_gpa,
        rank_position=f"{s.rank_position:04d}" if s.rank_position else "",
        rank_size=f"{s.rank_size:04d}" if s.rank_size else "",
        **{f: _yn(getattr(s, f)) for f in R.RACE_FIELDS}, diploma_path=s.diploma_path,
        parental_consent=_yn(s.parental_consent), fafsa=s.fafsa, community_service=s.community_service,
        biliteracy_seal=s.biliteracy_seal, eoc_ela=s.eoc_ela, eoc_math=s.eoc_math, eoc_science=s.eoc_science,
        eoc_social_studies=s.eoc_social_studies, line=0, layout=layout)


def transcript_record_fields(t, bssy: str, sponsor: str, state_id: str) -> dict:
    """{record field: text} of a stored 030 (any object with the Transcript's attributes, e.g. a
    values_list row): what `transcript_record` holds, without building the record (extracts)."""
    return {
        "system": "STS", "record_type": R.TRANSCRIPT, "bssy": bssy, "sponsor": sponsor, "state_id": state_id,
        "course_bssy": f"{t.course_bssy:04d}", "course_code": t.course_code, "part": t.part, "semester": t.semester,
        "grade": t.grade, "credit_attempted": implied(t.credit_attempted, 3),
        "credit_earned": implied(t.credit_earned, 3), "grade_point_max": implied(t.grade_point_max, 3),
        "waiver": _yn(t.waiver), "course_sponsor": t.course_sponsor, "course_site": t.course_site,
        "course_site_name": t.course_site_name, "course_name": t.course_name,
        "quality_points": implied(t.quality_points, 3), "course_type": t.course_type,
        "distance_learning": t.distance_learning, "local_course_code": t.local_course_code,
        "de_credit_hours": implied(t.de_credit_hours, 4), "de_secondary_site": t.de_secondary_site}


def transcript_record(t, student, layout: str) -> R.TranscriptRecord:
    return R.TranscriptRecord(**transcript_record_fields(t, f"{student.bssy:04d}", student.sponsor.code,
                                                         student.state_id), line=0, layout=layout)


def ibc_record(i, student, layout: str) -> R.IbcRecord:
    return R.IbcRecord(
        bssy=f"{student.bssy:04d}", sponsor=student.sponsor.code, site=i.site, local_id=i.local_id,
        state_id=student.state_id, last_name=student.last_name[:3].upper(), first_name=student.first_name[:1].upper(),
        ibc_code=i.ibc_code, semester_earned=i.semester_earned, year_earned=f"{i.year_earned:04d}", vendor=i.vendor,
        pass_fail=i.pass_fail, earned_sponsor=i.earned_sponsor, earned_site=i.earned_site, line=0, layout=layout)
