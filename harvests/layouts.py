"""The fixed-width layouts of the state extracts STSQ01, STSQ02 and STSQ03, as data. One record a
line (CR LF), the record type in column 1. docs/state-extracts.md prints these tables with their
positions (`markdown_table`), and a test keeps the two equal.

Kinds: A text, left-justified, space-padded; N a number, right-justified, zero-padded, with
`places` implied decimals (as the 030 record's credits: 1.00 is 100); D a date MMDDYYYY; Y a
flag Y/N. An empty value is spaces.
"""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Field:
    name: str
    width: int
    kind: str = "A"
    label: str = ""
    places: int = 0


def F(name, width, kind="A", label="", places=0):
    return Field(name, width, kind, label or name.replace("_", " ").title(), places)


_KEY = (F("record_type", 1, label="Record Type"), F("bssy", 4, "N", "BSSY"), F("sponsor", 3),
        F("site", 6), F("state_id", 10, label="State ID"))

STUDENT = (*_KEY, F("local_id", 9, label="Local ID"), F("last_name", 20), F("first_name", 15), F("middle_name", 15),
           F("suffix", 3), F("birth_date", 8, "D"), F("birth_day", 2, label="Day of Birth"), F("sex", 1),
           F("grade", 2, label="Grade Placement"), F("grade9_entry", 4, "N", "Grade 9 Entry Year"),
           F("graduation_date", 8, "D"), F("diploma_path", 2), F("career_option", 3),
           F("academic_endorsement", 2), F("career_endorsement", 2, label="Career/Tech Endorsement"),
           F("gee_flag", 1, label="Met GEE/EOC"), F("eoc_ela", 1, label="EOC ELA"), F("eoc_math", 1, label="EOC Math"),
           F("eoc_science", 1, label="EOC Science"), F("eoc_social_studies", 1, label="EOC Social Studies"),
           F("community_service", 2), F("biliteracy_seal", 2), F("fafsa", 1, label="FAFSA Flag"),
           F("parental_consent", 1, "Y"),
           # Computed: the stored core progress, ranks and the site's certification.
           F("overall_gpa", 5, "N", "Overall GPA", 3), F("core_gpa", 5, "N", "Core GPA", 3),
           F("tops_gpa", 5, "N", "TOPS GPA", 3), F("total_credits", 5, "N", "Total Credits", 2),
           F("pathway", 2, label="Pathway"), F("tops_core", 2, label="TOPS Core"),
           F("core_units_earned", 5, "N", "Core Units Earned", 2),
           F("core_units_required", 5, "N", "Core Units Required", 2),
           F("opportunity", 1, "Y", "TOPS Opportunity"), F("tech", 1, "Y", "TOPS Tech"),
           F("class_rank", 5, "N"), F("class_size", 5, "N"), F("grad_class_rank", 5, "N"),
           F("grad_class_size", 5, "N"), F("site_certified", 8, "D", "Site Certified"))

TRANSCRIPT_HEAD = _KEY
TRANSCRIPT = (*_KEY, F("course_bssy", 4, "N", "Course BSSY"), F("course_code", 6), F("part", 1, label="Part Number"),
              F("semester", 2), F("grade", 1, label="Letter Grade"), F("credit_attempted", 4, "N", places=2),
              F("credit_earned", 4, "N", places=2), F("grade_point_max", 4, "N", places=2),
              F("quality_points", 4, "N", places=2), F("waiver", 1, "Y", "Core Curriculum Waiver"),
              F("course_type", 2), F("distance_learning", 2), F("course_sponsor", 3), F("course_site", 6),
              F("course_site_name", 46), F("course_name", 60, label="Transcript Course Name"),
              F("local_course_code", 6), F("de_credit_hours", 5, "N", "DE Credit Hours", 2),
              F("de_secondary_site", 6, label="DE Secondary Site"))

TOPS_GPA = (*_KEY, F("last_name", 20), F("first_name", 15), F("grade", 2, label="Grade Placement"),
            F("tops_gpa", 5, "N", "TOPS GPA", 3), F("tops_core", 2, label="TOPS Core"),
            F("core_units_earned", 5, "N", "Core Units Earned", 2),
            F("core_units_required", 5, "N", "Core Units Required", 2), F("pathway", 2),
            F("opportunity", 1, "Y", "TOPS Opportunity"), F("tech", 1, "Y", "TOPS Tech"),
            F("graduation_date", 8, "D"), F("cohort", 4, "N", "Graduation Cohort"), F("fafsa", 1, label="FAFSA Flag"))

BOR = (*_KEY, F("last_name", 20), F("first_name", 15), F("grade", 2, label="Grade Placement"),
       F("overall_gpa", 5, "N", "Overall GPA", 3), F("class_rank", 5, "N"), F("class_size", 5, "N"),
       F("class_percent", 5, "N", places=2), F("grad_class_rank", 5, "N"), F("grad_class_size", 5, "N"),
       F("grad_class_percent", 5, "N", places=2), F("graduation_date", 8, "D"),
       F("site_certified", 8, "D", "Site Certified"))

TRAILER = (F("record_type", 1, label="Record Type"), F("bssy", 4, "N", "BSSY"), F("extract", 6),
           F("scope", 10, label="Scope (STATE, sponsor or site)"), F("source", 60, label="Source (LIVE or snapshot)"),
           F("students", 9, "N", "Students Written"), F("records", 9, "N", "Records Written"),
           F("held_back", 9, "N", "Held Back for Consent"))

# Record type codes (column 1).
STUDENT_TYPE, TRANSCRIPT_TYPE, TRAILER_TYPE = "S", "T", "Z"


def _value(field: Field, value) -> str:
    if value is None or value == "":
        return ""
    if field.kind == "D":
        return value.strftime("%m%d%Y") if isinstance(value, dt.date) else str(value)
    if field.kind == "Y":
        return "Y" if value is True or value == "Y" else "N"
    if field.kind == "N":
        number = Decimal(str(value)) * (10 ** field.places)
        return str(int(number.to_integral_value())).rjust(field.width, "0")
    return str(value)


def _converter(field: Field):
    """The value of a non-text field as its text (None stays None: spaces)."""
    if field.kind == "D":
        return lambda v: v.strftime("%m%d%Y") if isinstance(v, dt.date) else v
    if field.kind == "Y":
        return lambda v: None if v is None or v == "" else ("Y" if v is True or v == "Y" else "N")
    if field.places:
        scale, width = 10 ** field.places, field.width
        # A stored value has at most `places` decimals: the scaled value is whole.
        return lambda v: None if v is None or v == "" else str(
            int((v if isinstance(v, Decimal) else Decimal(str(v))) * scale)).rjust(width, "0")
    width = field.width
    return lambda v: None if v is None or v == "" else str(int(v)).rjust(width, "0")


class Formatter:
    """A layout compiled once: one printf-style format for the whole record (padding done in C),
    converters for the numbers, dates and flags only. A value longer than its field makes the record
    longer than the layout: that is a layout bug and raises, never cut silently."""

    def __init__(self, layout):
        self.layout, self.names = layout, [f.name for f in layout]
        self.fmt = "".join(f"%-{f.width}s" for f in layout)
        self.length = record_length(layout)
        self.converters = [(i, _converter(f)) for i, f in enumerate(layout) if f.kind != "A"]

    def __call__(self, values: dict) -> str:
        row = [values.get(n) for n in self.names]
        for i, convert in self.converters:
            row[i] = convert(row[i])
        line = self.fmt % tuple("" if v is None else v for v in row)
        if len(line) != self.length:
            self.explain(row)
        return line

    def explain(self, row):
        for f, v in zip(self.layout, row):
            if v is not None and len(str(v)) > f.width:
                raise ValueError(f"{f.name} {v!r} is longer than {f.width}")
        raise ValueError("record length differs from the layout")


_FORMATTERS = {}


def format_record(layout, values: dict) -> str:
    formatter = _FORMATTERS.get(id(layout))
    if formatter is None:
        formatter = _FORMATTERS[id(layout)] = Formatter(layout)
    return formatter(values)


def csv_values(layout, values: dict) -> list:
    """The same record as CSV cells: dates MM/DD/YYYY, numbers with their decimal point."""
    out = []
    for f in layout:
        v = values.get(f.name)
        if v is None:
            out.append("")
        elif f.kind == "D" and isinstance(v, dt.date):
            out.append(v.strftime("%m/%d/%Y"))
        elif f.kind == "Y":
            out.append(_value(f, v))
        else:
            out.append(v)
    return out


def positions(layout):
    """(field, 1-based start, end) of each field."""
    start = 1
    for f in layout:
        yield f, start, start + f.width - 1
        start += f.width


def record_length(layout) -> int:
    return sum(f.width for f in layout)


def markdown_table(layout) -> str:
    lines = ["| Field | Start | End | Length | Kind | Notes |", "|---|---|---|---|---|---|"]
    for f, start, end in positions(layout):
        note = f"{f.places} implied decimals" if f.places else ""
        lines.append(f"| {f.label} | {start} | {end} | {f.width} | {f.kind} | {note} |")
    return "\n".join(lines)


def sql_expression(layout, table: str) -> str:
    """PostgreSQL text of these fields of a row of `table` (its columns named as the fields), padded
    as `Formatter` pads them: a statewide extract's 6,000,000 transcript records are formatted by
    the database, in C, not one by one in Python. Only for fields whose column holds at most the
    field's width (the model's max_length), so nothing is cut."""
    parts = []
    for f in layout:
        col = f'"{table}"."{f.name}"'
        if f.kind == "A":
            parts.append(f"rpad(coalesce({col}::text, ''), {f.width})")
        elif f.kind == "Y":
            parts.append(f"(CASE WHEN {col} IS NULL THEN ' ' WHEN {col} THEN 'Y' ELSE 'N' END)")
        elif f.kind == "N":
            scaled = f"({col} * {10 ** f.places})::bigint" if f.places else f"({col})::bigint"
            parts.append(f"(CASE WHEN {col} IS NULL THEN repeat(' ', {f.width}) "
                         f"ELSE lpad({scaled}::text, {f.width}, '0') END)")
        else:
            parts.append(f"(CASE WHEN {col} IS NULL THEN repeat(' ', {f.width}) ELSE to_char({col}, 'MMDDYYYY') END)")
    return " || ".join(parts)
