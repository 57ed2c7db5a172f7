"""The three STS record types as frozen dataclasses of RAW field strings.

Values are exactly as in the batch file (padding kept, only the line terminator removed) so
that edits see what the district sent and error reports can show it. Fields that one layout
lacks are '' in the other (public records carry partial names and a day of birth; nonpublic
records full names and a birth date). Online entry builds the same records with `line=0`.

The small typed accessors below turn raw strings into values for code that works on records
that passed the edits (loader, progress engine); on malformed input they return None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

PUBLIC = "public"
NONPUBLIC = "nonpublic"
LAYOUTS = (PUBLIC, NONPUBLIC)

STUDENT, TRANSCRIPT, IBC = "020", "030", "050"
RECORD_TYPES = (STUDENT, TRANSCRIPT, IBC)

RACE_FIELDS = ("hispanic", "american_indian", "asian", "black", "pacific_islander", "white")
EOC_FIELDS = ("eoc_ela", "eoc_math", "eoc_science", "eoc_social_studies")
IBC_LENGTH = 63


@dataclass(frozen=True)
class StudentRecord:
    """020 Student record."""

    system: str = "STS"
    record_type: str = STUDENT
    bssy: str = ""
    sponsor: str = ""
    state_id: str = ""
    local_id: str = ""
    site: str = ""
    first_name: str = ""
    middle_name: str = ""
    last_name: str = ""
    suffix: str = ""
    birth_day: str = ""  # public: DD
    birth_date: str = ""  # nonpublic: MMDDYYYY
    sex: str = ""
    grade: str = ""
    grade9_entry: str = ""
    graduation_date: str = ""
    career_option: str = ""
    academic_endorsement: str = ""
    career_endorsement: str = ""
    gee_flag: str = ""
    local_gpa: str = ""
    rank_position: str = ""
    rank_size: str = ""
    hispanic: str = ""
    american_indian: str = ""
    asian: str = ""
    black: str = ""
    pacific_islander: str = ""
    white: str = ""
    diploma_path: str = ""
    parental_consent: str = ""
    fafsa: str = ""
    community_service: str = ""
    biliteracy_seal: str = ""
    eoc_ela: str = ""
    eoc_math: str = ""
    eoc_science: str = ""
    eoc_social_studies: str = ""
    line: int = 0
    layout: str = PUBLIC


@dataclass(frozen=True)
class TranscriptRecord:
    """030 Transcript record (one course)."""

    system: str = "STS"
    record_type: str = TRANSCRIPT
    bssy: str = ""
    sponsor: str = ""
    state_id: str = ""
    course_bssy: str = ""
    course_code: str = ""
    part: str = ""
    semester: str = ""
    grade: str = ""
    credit_attempted: str = ""
    credit_earned: str = ""
    grade_point_max: str = ""
    waiver: str = ""
    course_sponsor: str = ""
    course_site: str = ""
    course_site_name: str = ""
    course_name: str = ""
    quality_points: str = ""
    course_type: str = ""
    distance_learning: str = ""
    local_course_code: str = ""
    de_credit_hours: str = ""
    de_secondary_site: str = ""
    line: int = 0
    layout: str = PUBLIC


@dataclass(frozen=True)
class IbcRecord:
    """050 Industry Based Credential record.

    `length` is the record's length in characters as read (edit 500 wants 63); the fields of
    a short line are cut short, those of a long line ignore the excess.
    """

    system: str = "STS"
    record_type: str = IBC
    bssy: str = ""
    sponsor: str = ""
    site: str = ""
    local_id: str = ""
    state_id: str = ""
    last_name: str = ""
    first_name: str = ""
    ibc_code: str = ""
    semester_earned: str = ""
    year_earned: str = ""
    vendor: str = ""
    pass_fail: str = ""
    earned_sponsor: str = ""
    earned_site: str = ""
    line: int = 0
    layout: str = PUBLIC
    length: int = IBC_LENGTH


Record = StudentRecord | TranscriptRecord | IbcRecord


# --- typed accessors -----------------------------------------------------------------------

def is_digits(raw: str) -> bool:
    """ASCII digits only (str.isdigit alone accepts '²' and other digits int() rejects)."""
    return raw.isdigit() and raw.isascii()


def is_blank(raw: str) -> bool:
    return not raw or raw.isspace()


@lru_cache(maxsize=8192)  # few distinct values ('100', '050', '400'...): a hot path of loading
def implied_decimal(raw: str, places: int = 2) -> Decimal | None:
    """'050' -> Decimal('0.50'), '0400' -> Decimal('4.00'); None when blank or not digits."""
    value = raw.strip()
    if not is_digits(value):
        return None
    return Decimal(int(value)).scaleb(-places)


def year(raw: str) -> int | None:
    """A 4-digit year (1900 or later), else None."""
    if len(raw) == 4 and is_digits(raw) and raw >= "1900":
        return int(raw)
    return None


def mmddyyyy(raw: str) -> dt.date | None:
    """A date written MMDDYYYY, else None."""
    if len(raw) != 8 or not is_digits(raw):
        return None
    try:
        return dt.date(int(raw[4:]), int(raw[:2]), int(raw[2:4]))
    except ValueError:
        return None


def is_graduate(student: StudentRecord) -> bool:
    """A student with a graduation date on the record (valid or not)."""
    return not is_blank(student.graduation_date)


def graduation_date(student: StudentRecord) -> dt.date | None:
    return mmddyyyy(student.graduation_date)


def race_flags(student: StudentRecord) -> tuple[bool, ...]:
    """The six ethnicity/race flags as booleans, in RACE_FIELDS order."""
    return tuple(getattr(student, name) == "Y" for name in RACE_FIELDS)


def consent_given(student: StudentRecord) -> bool:
    """LOSFA/BOR parental consent: only 'Y' is consent; blank is stored as 'N' (guide, Appendix J)."""
    return student.parental_consent == "Y"


# What bytes.strip() strips: the batch scan keys students on bytes, grouping on text; both must
# agree (str.strip() would also strip \x1c-\x1f and split a student in two).
ASCII_WHITESPACE = " \t\n\r\x0b\x0c"


def link_key(record: Record) -> str:
    """The State ID that links a student's 020, 030 and 050 records (BSSY and sponsor are
    the same for the whole file). A nonpublic 050 may carry the 9-digit id in its 10-column
    field either padded with a space or with a leading zero; both link to the 020's id."""
    key = record.state_id.strip(ASCII_WHITESPACE)
    if record.layout == NONPUBLIC and len(key) == 10 and key[0] == "0":
        return key[1:]
    return key
