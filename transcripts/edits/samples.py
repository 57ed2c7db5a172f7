"""Valid example record sets that pass every edit against `ReferenceSnapshot.for_tests()`.

For unit tests (mutate one field, expect one code), the benchmark and demos. Records are
normalised through the fixed-width layout, so their raw values are exactly what a parsed
file holds (padded to width).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from transcripts.layouts import format_record, parse_line
from transcripts.records import NONPUBLIC, PUBLIC, IbcRecord, Record, StudentRecord, TranscriptRecord
from transcripts.reference import ReferenceSnapshot

from .model import EditContext

BSSY = 2019
TODAY = dt.date(2020, 5, 1)
TERMINATOR = "\r\n"


def snapshot(**overrides) -> ReferenceSnapshot:
    return ReferenceSnapshot.for_tests(**overrides)


def context(snapshot_: ReferenceSnapshot | None = None, **options) -> EditContext:
    options.setdefault("bssy", BSSY)
    options.setdefault("today", TODAY)
    return EditContext(snapshot_ or snapshot(), **options)


def normalised(record: Record, line: int | None = None) -> Record:
    """The record as parsing its fixed-width text gives it (fields padded to width)."""
    return parse_line(format_record(record), record.layout, record.line if line is None else line)


def _course(layout, state_id, sponsor, site, course_bssy, code, grade, attempted, earned, maximum, points, **extra):
    values = dict(bssy=str(BSSY), sponsor=sponsor, state_id=state_id, course_bssy=str(course_bssy),
                  course_code=code, semester="Y1", grade=grade, credit_attempted=attempted,
                  credit_earned=earned, grade_point_max=maximum, waiver="N", course_sponsor=sponsor,
                  course_site=site, quality_points=points, course_type="RG", layout=layout)
    values.update(extra)
    return TranscriptRecord(**values)


def _courses(layout: str, state_id: str, sponsor: str, site: str) -> list[TranscriptRecord]:
    c = lambda *a, **k: _course(layout, state_id, sponsor, site, *a, **k)  # noqa: E731
    return [
        c(2016, "120101", "A", "100", "100", "400", "400", local_course_code="ENG1"),
        c(2017, "160321", "B", "050", "050", "400", "300", part="1", semester="S1", course_type="HR"),
        c(2017, "160321", "C", "050", "050", "400", "200", part="2", semester="S2", course_type="HR"),
        c(2018, "150490", "A", "100", "100", "500", "500", course_type="AP"),
        c(2018, "240001", "F", "100", "000", "400", "000", course_name="WOOD CARVING"),
        c(2018, "240001", "B", "100", "100", "400", "300", course_name="FURNITURE MAKING"),
        c(2019, "120102", "A", "100", "100", "400", "400", course_type="DE", course_sponsor="401",
          course_site="401001", de_credit_hours="0300", de_secondary_site=site, distance_learning="03"),
        c(2019, "220501", "E", "000", "000", "400", "000", waiver="Y"),
        c(2019, "160323", "P", "100", "100", "400", "000"),
        c(2016, "220501", "C", "100", "100", "400", "200", course_sponsor="", course_site="",
          course_site_name="LINCOLN HIGH SCHOOL, TEXAS"),
    ]


def public_set() -> tuple[StudentRecord, list[TranscriptRecord], list[IbcRecord]]:
    """A public 12th-grade TU graduate (registry student 1000000001, Ann Smithers)."""
    student = StudentRecord(
        bssy=str(BSSY), sponsor="001", state_id="1000000001", local_id="L0001", site="001001",
        first_name="A", last_name="SMI", birth_day="14", sex="F", grade="12", grade9_entry="2016",
        graduation_date="05152020", academic_endorsement="A1", gee_flag="Y", local_gpa="3.50",
        rank_position="0005", rank_size="0100", hispanic="N", american_indian="N", asian="N", black="N",
        pacific_islander="N", white="Y", diploma_path="TU", parental_consent="Y", fafsa="1",
        community_service="C1", biliteracy_seal="D1", layout=PUBLIC,
    )
    ibc = IbcRecord(bssy=str(BSSY), sponsor="001", site="001001", local_id="L0001", state_id="1000000001",
                    last_name="SMI", first_name="A", ibc_code="001", semester_earned="2", year_earned="2019",
                    vendor="V01", pass_fail="P", earned_sponsor="001", earned_site="001001", layout=PUBLIC)
    return _numbered(student, _courses(PUBLIC, "1000000001", "001", "001001"), [ibc])


def nonpublic_set() -> tuple[StudentRecord, list[TranscriptRecord], list[IbcRecord]]:
    """A nonpublic 11th grader on TU, not yet graduated."""
    student = StudentRecord(
        bssy=str(BSSY), sponsor="900", state_id="123456789", local_id="NP0001", site="900001",
        first_name="JOHN", middle_name="QUINCY", last_name="DOE", suffix="JR", birth_date="03152003", sex="M",
        grade="11", grade9_entry="2017", local_gpa="3.1", hispanic="N", american_indian="N", asian="N",
        black="Y", pacific_islander="N", white="N", diploma_path="TU", parental_consent="Y", layout=NONPUBLIC,
    )
    ibc = IbcRecord(bssy=str(BSSY), sponsor="900", site="900001", local_id="NP0001", state_id="123456789",
                    last_name="DOE", first_name="J", ibc_code="002", semester_earned="1", year_earned="2018",
                    pass_fail="F", earned_sponsor="900", earned_site="900001", layout=NONPUBLIC)
    return _numbered(student, _courses(NONPUBLIC, "123456789", "900", "900001"), [ibc])


def sample_set(layout: str):
    return public_set() if layout == PUBLIC else nonpublic_set()


def _numbered(student, transcripts, ibcs):
    """Normalised records numbered as lines 1.. in file order (020, 030s, 050s)."""
    records = [student, *transcripts, *ibcs]
    out = [normalised(r, line) for line, r in enumerate(records, start=1)]
    return out[0], out[1:1 + len(transcripts)], out[1 + len(transcripts):]


def lines_of(*records: Record) -> list[str]:
    return [format_record(r) for r in records]


def file_bytes(records, terminator: str = TERMINATOR, encoding: str = "utf-8") -> bytes:
    return "".join(format_record(r) + terminator for r in records).encode(encoding)


def changed(record: Record, **changes) -> Record:
    """The record with some fields changed, as a parsed file line would hold it."""
    return normalised(replace(record, **changes))
