"""The online entry fields of the 020, 030 and 050 records, as data, and how a typed value
becomes the raw string a batch file would carry (and back).

Every form field is a records.py field of the same name, so a finding of the edit catalog
(`Finding.field`) lands next to the field it is about. The conversions are the guide's "Format
for Online entry" against "Format for batch files": a credit of 1.00 is the raw "100", a date
typed 05/20/2026 is "05202026", a rank of 3 is "0003". A value that cannot be converted is
passed on as typed, so the catalog reports it with the same code a batch file would get; only a
number too large for the batch field (which a batch file cannot even hold) is refused here, with
the code of the edit that guards that field.

Plain Python: no Django.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from transcripts.layouts import position_of
from transcripts.records import IBC, NONPUBLIC, PUBLIC, RACE_FIELDS, STUDENT, TRANSCRIPT, is_digits

# Kinds of field: how the typed value maps to the raw batch value.
TEXT = "text"  # as typed (trimmed)
CODE = "code"  # a drop-down of a code list; the catalog judges the value
DATE = "date"  # MM/DD/YYYY online, MMDDYYYY in batch
YEAR = "year"  # YYYY
CREDITS = "credits"  # 1.00 online, "100" (2 implied decimals, zero-padded) in batch
COUNT = "count"  # 3 online, "0003" (zero-padded) in batch
YES_NO = "yes_no"  # a Y/N drop-down
FLAG = "flag"  # a check box, Y when ticked, N when not
NUMBER = "number"  # a number, passed as typed (the local GPA: free text in a batch file)

BOTH = (PUBLIC, NONPUBLIC)


@dataclass(frozen=True)
class EntryField:
    name: str  # records.py field name; also the form field's name
    label: str
    kind: str
    help: str = ""
    choices: str | None = None  # code list (core_tables.codelists) or one of SOURCES
    layouts: tuple[str, ...] = BOTH
    registry: bool = False  # public/charter: filled from the Secure ID registry, read-only
    format_code: str | None = None  # the edit that guards the field's format (not a number, too large a number)
    group: str = ""  # fieldset on the form

    def width(self, record_type: str, layout: str) -> int:
        return position_of(record_type, layout, self.name)[1]


# Drop-down sources that are reference tables rather than code lists.
SOURCES = ("courses", "ibc_codes", "test_vendors", "sponsors", "sites", "part", "school_sites")

PERSONAL, PROGRAM, GRADUATION, ASSESSMENT, LOCAL = (
    "Personal Information", "Program", "Graduation", "Assessment", "Local GPA, rank and consent")

STUDENT_FIELDS: tuple[EntryField, ...] = (
    EntryField("state_id", "State ID", TEXT, group=PERSONAL,
               help="Public/charter: the student's 10-digit Unique ID (LASID). Nonpublic: the Social Security "
                    "Number, or a temporary number 99 + site + sequence."),
    EntryField("local_id", "Local ID", TEXT, registry=True, group=PERSONAL,
               help="The LEA-assigned student ID; must not equal the State ID."),
    EntryField("first_name", "First name", TEXT, registry=True, group=PERSONAL,
               help="Public/charter: the first letter (from eScholar). Nonpublic: the full first name."),
    EntryField("middle_name", "Middle name", TEXT, layouts=(NONPUBLIC,), group=PERSONAL),
    EntryField("last_name", "Last name", TEXT, registry=True, group=PERSONAL,
               help="Public/charter: the first three letters (from eScholar). Nonpublic: the full last name."),
    EntryField("suffix", "Suffix", TEXT, layouts=(NONPUBLIC,), group=PERSONAL),
    EntryField("birth_day", "Day of birth", TEXT, layouts=(PUBLIC,), registry=True, group=PERSONAL),
    EntryField("birth_date", "Birth date", DATE, layouts=(NONPUBLIC,), group=PERSONAL, help="MM/DD/YYYY"),
    EntryField("sex", "Sex", CODE, choices="sex", registry=True, group=PERSONAL),
    *(EntryField(name, label, FLAG, registry=True, group=PERSONAL) for name, label in zip(RACE_FIELDS, (
        "Hispanic/Latino", "American Indian or Alaska Native", "Asian", "Black or African American",
        "Native Hawaiian or Other Pacific Islander", "White"))),
    EntryField("grade", "Grade placement", CODE, choices="grade_placement", group=PROGRAM,
               help="The student's grade level for the school year (06-08 public/charter only)."),
    EntryField("grade9_entry", "Grade 9 entry year", YEAR, format_code="209", group=PROGRAM,
               help="BSSY in which the student entered grade 9 (2016 for 2016-17). Blank for grades 06-08; "
                    "BSSY + 1 for T9."),
    EntryField("diploma_path", "Diploma path", CODE, choices="diploma_path", group=PROGRAM,
               help="The diploma the student is working towards; required; ND if not declared (not after April 1 "
                    "of grade 10)."),
    EntryField("career_option", "Career option", CODE, choices="career_option", group=PROGRAM,
               help="C5/C6: area of concentration A01-P06; CA: Jumpstart pathway R01-T17; CD: CDV (online only). "
                    "Blank otherwise."),
    EntryField("graduation_date", "Graduation date", DATE, group=GRADUATION,
               help="MM/DD/YYYY, between 9/1 of the BSSY and 8/31 of the next year, at most two weeks ahead. "
                    "Enter only after all graduation requirements are met; blank if the student did not graduate."),
    EntryField("academic_endorsement", "Academic endorsement", CODE, choices="academic_endorsement",
               group=GRADUATION, help="Graduates only."),
    EntryField("career_endorsement", "Career/tech endorsement", CODE, choices="career_endorsement",
               group=GRADUATION, help="Graduates only. CA graduates need a Jumpstart credential J1-J4."),
    EntryField("community_service", "Community service endorsement", CODE, choices="community_service",
               layouts=(PUBLIC,), group=GRADUATION),
    EntryField("biliteracy_seal", "State Seal of Biliteracy", CODE, choices="biliteracy_seal", layouts=(PUBLIC,),
               group=GRADUATION, help="Graduates only."),
    EntryField("fafsa", "FAFSA application flag", CODE, choices="fafsa", layouts=(PUBLIC,), group=GRADUATION,
               help="Required for graduates."),
    EntryField("gee_flag", "Met GEE/EOC", CODE, choices="gee_flag", group=ASSESSMENT,
               help="Y met, E exempt, A Act 833, G LAA1. Required for public/charter graduates."),
    *(EntryField(name, label, CODE, choices="eoc_result", layouts=(PUBLIC,), group=ASSESSMENT,
                 help="P, A or G (G: ELA and math only); blank if not applicable.")
      for name, label in (("eoc_ela", "EOC ELA"), ("eoc_math", "EOC math"), ("eoc_science", "EOC science"),
                          ("eoc_social_studies", "EOC social studies"))),
    EntryField("local_gpa", "Local GPA", NUMBER, group=LOCAL, help="Optional; a number like 3.50, printed as entered."),
    EntryField("rank_position", "Rank: position in class", COUNT, format_code="220", group=LOCAL,
               help="Optional; at least 1 and not more than the class size."),
    EntryField("rank_size", "Rank: size of class", COUNT, format_code="220", group=LOCAL),
    EntryField("parental_consent", "LOSFA/BOR parental consent", YES_NO, group=LOCAL,
               help="Parent/guardian consent on file for the current school year."),
)

TRANSCRIPT_FIELDS: tuple[EntryField, ...] = (
    EntryField("course_bssy", "Course BSSY", YEAR, format_code="301", help="The school year the course was taken (2024 for 2024-25)."),
    EntryField("course_code", "Course code", CODE, choices="courses",
               help="A state course code valid in the course BSSY; type to search."),
    EntryField("part", "Part", CODE, choices="part",
               help="1 or 2 for a course reported as two halves; blank otherwise (always blank for P and E)."),
    EntryField("semester", "Semester", CODE, choices="semester"),
    EntryField("grade", "Letter grade", CODE, choices="letter_grade"),
    EntryField("credit_attempted", "Credit attempted", CREDITS, format_code="306",
               help="Like 1.00 or 0.50; 0 for grade E."),
    EntryField("credit_earned", "Credit earned", CREDITS, format_code="310",
               help="Equals the credit attempted for A-D and P; 0 for F and E."),
    EntryField("grade_point_max", "Grade point maximum", CREDITS, format_code="314", help="Like 4.00 or 5.00."),
    EntryField("quality_points", "Quality points", CREDITS, format_code="329",
               help="Like 4.00; equals the maximum for an A, below it for B-D, 0 for P, E and F."),
    EntryField("waiver", "Core curriculum waiver", YES_NO, help="Y only with grade E."),
    EntryField("course_type", "Course type", CODE, choices="course_type"),
    EntryField("distance_learning", "Distance learning", CODE, choices="distance_learning"),
    EntryField("course_sponsor", "Course sponsor", CODE, choices="sponsors",
               help="Where the course was taken (Louisiana); the postsecondary sponsor for DE."),
    EntryField("course_site", "Course site", CODE, choices="sites",
               help="Where the course was taken (Louisiana); the postsecondary site for DE."),
    EntryField("course_site_name", "Course site name", TEXT,
               help="Transfer credit from outside Louisiana: required when the course site is blank."),
    EntryField("course_name", "Transcript course name", TEXT,
               help="Replaces the state course name on printed transcripts; required for some course codes."),
    EntryField("local_course_code", "Local course code", TEXT),
    EntryField("de_credit_hours", "DE postsecondary credit hours", CREDITS, format_code="341",
               help="DE, DA, DI: hours earned, like 3.00; blank otherwise."),
    EntryField("de_secondary_site", "DE secondary site", CODE, choices="school_sites",
               help="DE, DA, DI: the high school the student attended when taking the course."),
)

IBC_FIELDS: tuple[EntryField, ...] = (
    EntryField("ibc_code", "IBC", CODE, choices="ibc_codes", help="From the IBC matrix."),
    EntryField("semester_earned", "Semester earned", CODE, choices="ibc_semester"),
    EntryField("year_earned", "Year earned (BSSY)", YEAR, format_code="512", help="Not later than the current BSSY."),
    EntryField("vendor", "Test vendor", CODE, choices="test_vendors", help="Optional; from the list of vendors."),
    EntryField("pass_fail", "Pass/fail", CODE, choices="pass_fail",
               help="At most one pass and one fail per IBC."),
    EntryField("earned_sponsor", "Sponsor where earned", CODE, choices="sponsors"),
    EntryField("earned_site", "Site where earned", CODE, choices="school_sites"),
)

FIELDS = {STUDENT: STUDENT_FIELDS, TRANSCRIPT: TRANSCRIPT_FIELDS, IBC: IBC_FIELDS}


def entry_fields(record_type: str, layout: str, *, registry: bool | None = None) -> tuple[EntryField, ...]:
    """The fields of a record type for a layout; `registry` False drops the fields a public
    student's registry fills in (they are shown, not entered)."""
    out = tuple(f for f in FIELDS[record_type] if layout in f.layouts)
    if registry is not None and layout == PUBLIC:
        out = tuple(f for f in out if f.registry == registry)
    return out


def field_named(record_type: str, name: str) -> EntryField | None:
    return next((f for f in FIELDS[record_type] if f.name == name), None)


# --- typed value <-> raw batch value ------------------------------------------------------------

class NotRepresentable(ValueError):
    """A number that a batch field of this width cannot hold (e.g. 10.00 credits)."""


_DECIMAL = re.compile(r"(\d*)(?:\.(\d{0,2}))?")
_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


# What a number field wants, for the message when something else is typed.
NUMBER_FORMATS = {YEAR: "a 4-digit year, like 2024", COUNT: "a whole number, like 3",
                  CREDITS: "a number with at most two decimals, like 1.00", NUMBER: "a number, like 3.50"}
_NUMBER_PATTERNS = {kind: re.compile(pattern) for kind, pattern in {
    YEAR: r"[0-9]{4}", COUNT: r"[0-9]+", CREDITS: r"(?=\.?[0-9])[0-9]*(?:\.[0-9]{0,2})?",
    NUMBER: r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+"}.items()}


def number_problem(kind: str, typed) -> str:
    """'' when `typed` is blank, not a number field, or a number of the field's kind; else what
    to type instead ("a whole number, like 3")."""
    text = ("" if typed is None else str(typed)).strip()
    if not text or kind not in NUMBER_FORMATS or _NUMBER_PATTERNS[kind].fullmatch(text):
        return ""
    return NUMBER_FORMATS[kind]


def to_raw(kind: str, typed: str | bool | None, width: int) -> str:
    """The raw batch value of a typed value. Unconvertible text passes as typed."""
    if kind == FLAG:
        return "Y" if typed in (True, "Y", "on", "true", "1") else "N"
    text = ("" if typed is None else str(typed)).strip()
    if kind == CREDITS:
        return _implied(text, width)
    if kind == COUNT:
        if not is_digits(text):
            return text
        number = str(int(text))
        if len(number) > width:
            raise NotRepresentable(text)
        return number.zfill(width)
    if kind == DATE:
        if m := _SLASH_DATE.fullmatch(text):
            return f"{int(m[1]):02d}{int(m[2]):02d}{m[3]}"
        if m := _ISO_DATE.fullmatch(text):
            return f"{m[2]}{m[3]}{m[1]}"
        return text
    return text


def _implied(text: str, width: int) -> str:
    """'1.00' / '1' / '.5' -> '100' / '100' / '050' at width 3; text that is no plain decimal
    number passes as typed (never all digits, so the catalog's numeric check fires)."""
    m = _DECIMAL.fullmatch(text)
    if not text or m is None or not (m[1] or m[2]):
        return text
    hundredths = int(m[1] or "0") * 100 + int((m[2] or "").ljust(2, "0"))
    raw = str(hundredths).zfill(width)
    if len(raw) > width:
        raise NotRepresentable(text)
    return raw


def to_display(kind: str, raw: str) -> str | bool:
    """The online value of a raw batch value (the form's initial data)."""
    raw = raw.strip()
    if kind == FLAG:
        return raw == "Y"
    if kind == CREDITS and is_digits(raw):
        return f"{Decimal(int(raw)).scaleb(-2):.2f}"
    if kind == COUNT and is_digits(raw):
        return str(int(raw))
    if kind == DATE and len(raw) == 8 and is_digits(raw):
        return f"{raw[:2]}/{raw[2:4]}/{raw[4:]}"
    return raw


def raw_values(record_type: str, layout: str, typed: dict, fields=None) -> tuple[dict[str, str], dict[str, str]]:
    """({field: raw value}, {field: format code}) of typed values: the second holds the fields
    whose number does not fit its batch field."""
    raw, problems = {}, {}
    for f in fields or entry_fields(record_type, layout):
        if f.name not in typed and f.kind != FLAG:
            continue
        try:
            raw[f.name] = to_raw(f.kind, typed.get(f.name), f.width(record_type, layout))
        except NotRepresentable:
            problems[f.name] = f.format_code
    return raw, problems


def display_values(record, fields) -> dict:
    """The form's initial data from a record."""
    return {f.name: to_display(f.kind, getattr(record, f.name)) for f in fields}
