"""A nonpublic batch file (sponsor N52, site N52001, BSSY 2025) of graduates, for the OTS tests."""
from dataclasses import replace

from tests.certification.conftest import PASSING_TU
from transcripts.records import NONPUBLIC, StudentRecord, TranscriptRecord
from transcripts.layouts import format_record

GRAD = "05202026"
POINTS = {"A": "400", "B": "300", "C": "200"}


def graduate(state_id="200000001", last="DOE", *, courses=PASSING_TU, grade="A", **changes):
    base = StudentRecord(
        bssy="2025", sponsor="N52", state_id=state_id, local_id="NP" + state_id[-4:], site="N52001",
        first_name="JANE", last_name=last, birth_date="03152008", sex="F", grade="12", grade9_entry="2022",
        graduation_date=GRAD, hispanic="N", american_indian="N", asian="N", black="N", pacific_islander="N",
        white="Y", diploma_path="TU", parental_consent="Y", layout=NONPUBLIC)
    student = replace(base, **changes)
    return [student] + [TranscriptRecord(
        bssy="2025", sponsor="N52", state_id=state_id, course_bssy=str(2022 + i // 6), course_code=code, semester="Y1",
        grade=grade, credit_attempted="100", credit_earned="100", grade_point_max="400", waiver="N",
        course_sponsor="N52", course_site="N52001", quality_points=POINTS[grade], course_type="RG", layout=NONPUBLIC)
        for i, code in enumerate(courses)]


def write(path, *record_sets):
    lines = [format_record(r) for records in record_sets for r in records]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path
