"""Small hand-built batch files for the shipped reference data (sponsor 017)."""
import datetime as dt
from dataclasses import replace

from core_tables.models import SecureId
from transcripts.records import IbcRecord, StudentRecord, TranscriptRecord
from transcripts.layouts import format_record

BSSY = 2025
TODAY = dt.date(2026, 3, 1)


def registry_student(site="017001", index=0):
    return SecureId.objects.filter(site__code=site, laa1=False).order_by("unique_id")[index]


def student_record(sid, **changes):
    rec = StudentRecord(
        bssy=str(BSSY), sponsor=sid.sponsor.code, state_id=sid.unique_id, local_id=sid.local_id, site=sid.site.code,
        first_name=sid.first_name[0].upper(), last_name=sid.last_name[:3].upper(), birth_day=f"{sid.birth_date.day:02d}",
        sex=sid.sex, grade="10", grade9_entry=str(BSSY - 1),
        **{f: "Y" if getattr(sid, f) else "N" for f in ("hispanic", "american_indian", "asian", "black",
                                                        "pacific_islander", "white")},
        diploma_path="TU", parental_consent="Y")
    return replace(rec, **changes)


def course(sid, code="120101", course_bssy=BSSY - 1, grade="A", **changes):
    points = {"A": "400", "B": "300", "C": "200", "D": "100", "F": "000"}[grade]
    rec = TranscriptRecord(
        bssy=str(BSSY), sponsor=sid.sponsor.code, state_id=sid.unique_id, course_bssy=str(course_bssy),
        course_code=code, semester="Y1", grade=grade, credit_attempted="100",
        credit_earned="000" if grade == "F" else "100", grade_point_max="400", waiver="N",
        course_sponsor=sid.sponsor.code, course_site=sid.site.code, quality_points=points, course_type="RG")
    return replace(rec, **changes)


def ibc(sid, code, **changes):
    rec = IbcRecord(bssy=str(BSSY), sponsor=sid.sponsor.code, site=sid.site.code, local_id=sid.local_id,
                    state_id=sid.unique_id, last_name=sid.last_name[:3].upper(), first_name=sid.first_name[0].upper(),
                    ibc_code=code, semester_earned="1", year_earned=str(BSSY), pass_fail="P",
                    earned_sponsor=sid.sponsor.code, earned_site=sid.site.code)
    return replace(rec, **changes)


def write(path, *records, terminator="\r\n", encoding="utf-8"):
    path.write_bytes("".join(format_record(r) + terminator for r in records).encode(encoding))
    return path
