"""STS batch record layouts as data (User Guide Appendices A, B and E).

`LAYOUTS[(record_type, layout)]` is the ordered tuple of `Field`s of one record, fillers
included, so the whole record is described. `parse_line` is the hot path of batch
validation: slices are precomputed per layout and cut with one `itemgetter` call, and the
record object is filled without going through the frozen dataclass' __init__.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import itemgetter

from transcripts.records import (
    IBC, IBC_LENGTH, NONPUBLIC, PUBLIC, STUDENT, TRANSCRIPT,
    IbcRecord, Record, StudentRecord, TranscriptRecord,
)

FILLER = "filler"


@dataclass(frozen=True)
class Field:
    name: str  # a records.py field name, or "filler"
    start: int  # 1-based column
    length: int
    kind: str  # 'A' alphanumeric (left-justified, space-padded) | 'N' numeric (zero-padded)
    label: str

    @property
    def end(self) -> int:
        """1-based last column."""
        return self.start + self.length - 1

    @property
    def slice(self) -> slice:
        return slice(self.start - 1, self.start - 1 + self.length)


RECORD_LENGTHS = {STUDENT: 200, TRANSCRIPT: 200, IBC: IBC_LENGTH}
RECORD_CLASSES = {STUDENT: StudentRecord, TRANSCRIPT: TranscriptRecord, IBC: IbcRecord}


def _layout(*rows: tuple[str, int, str, str]) -> tuple[Field, ...]:
    """Fields from (name, length, kind, label) rows; starts follow from the lengths."""
    out, start = [], 1
    for name, length, kind, label in rows:
        out.append(Field(name, start, length, kind, label))
        start += length
    return tuple(out)


_HEAD = (
    ("system", 3, "A", "System Indicator"),
    ("record_type", 3, "A", "Transaction Code"),
    ("bssy", 4, "N", "Beginning School Session Year"),
    ("sponsor", 3, "A", "Sponsor Code"),
)

_STUDENT_TAIL = (  # columns 100-147, the same in both layouts
    ("sex", 1, "A", "Sex Code"),
    ("grade", 2, "A", "Grade Placement Code"),
    ("grade9_entry", 4, "N", "Grade 9 Entry Year"),
    ("graduation_date", 8, "A", "Graduation Date"),
    ("career_option", 3, "A", "Career Option Code"),
    ("academic_endorsement", 2, "A", "Academic Endorsement Code"),
    ("career_endorsement", 2, "A", "Career/Tech Endorsement Code"),
    ("gee_flag", 1, "A", "Met GEE/EOC Flag"),
    ("local_gpa", 8, "A", "Local GPA"),
    ("rank_position", 4, "N", "Local Rank: Position in Class"),
    ("rank_size", 4, "N", "Local Rank: Size of Class"),
    ("hispanic", 1, "A", "Hispanic/Latino Ethnicity Flag"),
    ("american_indian", 1, "A", "American Indian or Alaskan Native Race Flag"),
    ("asian", 1, "A", "Asian Race Flag"),
    ("black", 1, "A", "Black or African American Race Flag"),
    ("pacific_islander", 1, "A", "Native Hawaiian or Other Pacific Islander Race Flag"),
    ("white", 1, "A", "White Race Flag"),
    ("diploma_path", 2, "A", "Diploma Pathway"),
    ("parental_consent", 1, "A", "LOSFA/BOR Parental/Guardian Consent Flag"),
)

STUDENT_PUBLIC = _layout(
    *_HEAD,
    ("state_id", 10, "N", "Student Unique ID (LASID)"),
    ("local_id", 9, "A", "Local Identification Number"),
    ("site", 6, "A", "Site Code"),
    ("first_name", 1, "A", "Partial Student First Name"),
    (FILLER, 28, "A", "Filler"),
    ("last_name", 3, "A", "Partial Student Last Name"),
    (FILLER, 22, "A", "Filler"),
    ("birth_day", 2, "N", "Day of Birth"),
    (FILLER, 5, "A", "Filler"),
    *_STUDENT_TAIL,
    ("fafsa", 1, "A", "FAFSA Application Flag"),
    ("community_service", 2, "A", "Community Service Endorsement"),
    ("biliteracy_seal", 2, "A", "State Seal of Bi-literacy Endorsement"),
    ("eoc_ela", 1, "A", "EOC Subject Area (ELA)"),
    ("eoc_math", 1, "A", "EOC Subject Area (Math)"),
    ("eoc_science", 1, "A", "EOC Subject Area (Science)"),
    ("eoc_social_studies", 1, "A", "EOC Subject Area (Social Studies)"),
    (FILLER, 44, "A", "Filler"),
)

STUDENT_NONPUBLIC = _layout(
    *_HEAD,
    ("state_id", 9, "N", "State Identification Number"),
    ("local_id", 9, "A", "Local Identification Number"),
    ("site", 6, "A", "Site Code"),
    ("first_name", 15, "A", "Student First Name"),
    ("middle_name", 15, "A", "Student Middle Name"),
    ("last_name", 20, "A", "Student Last Name"),
    ("suffix", 3, "A", "Student Suffix Name"),
    ("birth_date", 8, "N", "Birth Date"),
    (FILLER, 1, "A", "Filler"),
    *_STUDENT_TAIL,
    (FILLER, 53, "A", "Filler"),
)

_TRANSCRIPT_TAIL = (  # columns 47-200, the same in both layouts
    ("waiver", 1, "A", "Core Curriculum Waiver Flag"),
    ("course_sponsor", 3, "A", "Course Sponsor Code"),
    ("course_site", 6, "A", "Course Site Code"),
    ("course_site_name", 46, "A", "Course Site Name"),
    ("course_name", 60, "A", "Transcript Course Name"),
    ("quality_points", 3, "N", "Quality Points Awarded Count"),
    ("course_type", 2, "A", "Course Type Code"),
    ("distance_learning", 2, "A", "Distance Learning Course Type Code"),
    ("local_course_code", 6, "A", "Local Course Code"),
    ("de_credit_hours", 4, "A", "Dual Enrollment Postsecondary Credit Hours Earned"),
    ("de_secondary_site", 6, "A", "Dual Enrollment Secondary Site"),
    (FILLER, 15, "A", "Filler"),
)

_COURSE = (
    ("course_bssy", 4, "N", "Course Beginning School Session Year"),
    ("course_code", 6, "A", "Course Code"),
    ("part", 1, "A", "Course Part Number"),
    ("semester", 2, "A", "Semester Code"),
    ("grade", 1, "A", "Letter Grade Code"),
    ("credit_attempted", 3, "N", "Credit/Experience Attempted Count"),
    ("credit_earned", 3, "N", "Credit/Experience Earned Count"),
    ("grade_point_max", 3, "N", "Grade Point Maximum Count"),
)

TRANSCRIPT_PUBLIC = _layout(
    *_HEAD,
    ("state_id", 10, "N", "Student Unique ID"),
    *_COURSE,
    *_TRANSCRIPT_TAIL,
)

TRANSCRIPT_NONPUBLIC = _layout(
    *_HEAD,
    ("state_id", 9, "N", "State Identification Number"),
    *_COURSE,
    (FILLER, 1, "A", "Filler"),
    *_TRANSCRIPT_TAIL,
)

IBC_LAYOUT = _layout(
    *_HEAD,
    ("site", 6, "A", "Site Code"),
    ("local_id", 9, "A", "Local ID"),
    ("state_id", 10, "N", "Student Unique ID"),
    ("last_name", 3, "A", "Partial Last Name"),
    ("first_name", 1, "A", "Partial First Name"),
    ("ibc_code", 3, "A", "IBC Code"),
    ("semester_earned", 1, "N", "Semester IBC Earned"),
    ("year_earned", 4, "N", "Year IBC Earned (BSSY)"),
    ("vendor", 3, "A", "Test Vendor"),
    ("pass_fail", 1, "A", "Pass/Fail"),
    ("earned_sponsor", 3, "A", "Sponsor Code of the LEA where IBC was Earned"),
    ("earned_site", 6, "A", "Site Code of the School where IBC was Earned"),
)

LAYOUTS: dict[tuple[str, str], tuple[Field, ...]] = {
    (STUDENT, PUBLIC): STUDENT_PUBLIC,
    (STUDENT, NONPUBLIC): STUDENT_NONPUBLIC,
    (TRANSCRIPT, PUBLIC): TRANSCRIPT_PUBLIC,
    (TRANSCRIPT, NONPUBLIC): TRANSCRIPT_NONPUBLIC,
    (IBC, PUBLIC): IBC_LAYOUT,
    (IBC, NONPUBLIC): IBC_LAYOUT,  # one 050 layout; nonpublic sends its 9-digit id in the 10 columns
}


def data_fields(record_type: str, layout: str) -> tuple[Field, ...]:
    """The non-filler fields of a layout."""
    return tuple(f for f in LAYOUTS[record_type, layout] if f.name != FILLER)


POSITIONS = {  # (record type, layout, field) -> (1-based start, length)
    (rt, lay, f.name): (f.start, f.length) for (rt, lay), fs in LAYOUTS.items() for f in fs if f.name != FILLER
}


def position_of(record_type: str, layout: str, field_name: str) -> tuple[int, int]:
    """(1-based start, length) of a field; KeyError for a field the layout does not have."""
    return POSITIONS[record_type, layout, field_name]


def _parser(record_type: str, layout: str):
    cls = RECORD_CLASSES[record_type]
    cut = data_fields(record_type, layout)
    names = tuple(f.name for f in cut)
    slicer = itemgetter(*(f.slice for f in cut))
    # Fields the layout lacks stay '' (e.g. public birth_date); `line` is set per call.
    absent = {f.name: f.default for f in fields(cls) if f.name not in names and f.name not in ("line", "layout")}
    new, is_ibc = object.__new__, record_type == IBC

    def parse(text: str, line_no: int) -> Record:
        record = new(cls)
        # Filling the instance dict directly skips the frozen dataclass' per-field
        # object.__setattr__ in __init__ (about 3x faster; this runs once per line).
        values = record.__dict__
        values.update(zip(names, slicer(text)))
        if absent:
            values.update(absent)
        values["line"] = line_no
        values["layout"] = layout
        if is_ibc:
            values["length"] = len(text)
        return record

    return parse


PARSERS = {key: _parser(*key) for key in LAYOUTS}


def parse_line(text: str, layout: str, line_no: int) -> Record:
    """Parse one record (terminator already removed); the record type is columns 4-6.
    Raises KeyError for an unknown record type or layout (the batch scan rejects those
    lines before parsing)."""
    return PARSERS[text[3:6], layout](text, line_no)


def _formatter(record_type: str, layout: str):
    """The fixed-width writer of one layout, compiled once from LAYOUTS: a %-template whose
    fillers are spaces and whose fields are padded and cut to their width ("%-3.3s")."""
    fields_ = LAYOUTS[record_type, layout]
    template = "".join(" " * f.length if f.name == FILLER else f"%-{f.length}.{f.length}s" for f in fields_)
    data = [f for f in fields_ if f.name != FILLER]
    numeric = tuple((i, f.length) for i, f in enumerate(data) if f.kind == "N")
    names = tuple(f.name for f in data)

    def write(values: list) -> str:
        for i, length in numeric:  # N fields: zero-padded when they hold digits
            if values[i].isdigit():
                values[i] = values[i].rjust(length, "0")
        return template % tuple(values)

    return names, write


FORMATTERS = {key: _formatter(*key) for key in LAYOUTS}


def format_record(record: Record) -> str:
    """The fixed-width text of a record (no terminator): the inverse of `parse_line`.
    Values are padded or cut to their field width; A fields pad right, N fields left with 0
    only when they hold digits (raw non-digits are written as they are)."""
    names, write = FORMATTERS[record.record_type, record.layout]
    return write([getattr(record, name) for name in names])


def format_fields(record_type: str, layout: str, values: dict) -> str:
    """The fixed-width text of a record given as {field: text} (the fast path of extracts: no
    record object); fields the dict lacks are blank."""
    names, write = FORMATTERS[record_type, layout]
    return write([values.get(name, "") for name in names])


def colspecs(record_type: str, layout: str) -> list[tuple[int, int]]:
    """0-based half-open column specs of the data fields (pandas.read_fwf style)."""
    return [(f.start - 1, f.start - 1 + f.length) for f in data_fields(record_type, layout)]


# The guide's name of a field by record type ("Graduation Date"), for error reports.
FIELD_LABELS: dict[tuple[str, str], str] = {}
for (_rt, _lay), _fields in LAYOUTS.items():
    for _f in _fields:
        if _f.name != FILLER:
            FIELD_LABELS.setdefault((_rt, _f.name), _f.label)
