"""CSV formats of `load_reference`, as data, and their row validation (no ORM here).

Each file has a fixed header; every cell is checked by a small converter that raises ValueError
with a reason. Errors name the file, line and column.
"""
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Callable


class ReferenceLoadError(Exception):
    def __init__(self, file, line, column, reason):
        self.file, self.line, self.column, self.reason = file, line, column, reason
        where = f"{file}, line {line}" + (f", column '{column}'" if column else "")
        super().__init__(f"{where}: {reason}")


def code(length, charset=r"A-Za-z0-9"):
    pattern = re.compile(rf"[{charset}]{{{length}}}")

    def convert(value):
        if not pattern.fullmatch(value):
            raise ValueError(f"expected {length} characters ({charset.replace('A-Za-z0-9', 'letters/digits')}), got {value!r}")
        return value.upper()
    return convert


def digits(length):
    return code(length, "0-9")


def text(max_length, required=True):
    def convert(value):
        if required and not value:
            raise ValueError("required")
        if len(value) > max_length:
            raise ValueError(f"longer than {max_length} characters")
        return value
    return convert


def us_state(value):
    """A state's two letters; blank is Louisiana's (the state's own sites)."""
    return code(2, "A-Za-z")(value) if value else "LA"


def zip_code(value):
    if value and not re.fullmatch(r"\d{5}(-\d{4})?", value):
        raise ValueError(f"must be a ZIP code 12345 or 12345-6789; got {value!r}")
    return value


def choice(*allowed, blank_ok=False):
    def convert(value):
        if value == "" and blank_ok:
            return ""
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}; got {value!r}")
        return value
    return convert


def flag(value):
    if value not in ("Y", "N"):
        raise ValueError(f"must be Y or N; got {value!r}")
    return value == "Y"


def year(optional=False):
    def convert(value):
        if value == "" and optional:
            return None
        if not re.fullmatch(r"(19|20)\d\d", value):
            raise ValueError(f"must be a year YYYY{' or blank' if optional else ''}; got {value!r}")
        return int(value)
    return convert


def date(value):
    try:
        return dt.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d\d-\d\d", value) else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value):
    raise ValueError(f"must be a date YYYY-MM-DD; got {value!r}")


def units(optional=False):
    def convert(value):
        if value == "" and optional:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"must be a number; got {value!r}") from None
        if number < 0 or number > 99:
            raise ValueError(f"out of range: {value}")
        return number
    return convert


@dataclass(frozen=True)
class Spec:
    file: str
    columns: dict[str, Callable]  # header -> converter, in header order
    # Trailing columns a file may leave out (added to a format later): files written before
    # them still load, and a row's value is absent when its file has no such column.
    optional: dict[str, Callable] = field(default_factory=dict)

    @property
    def header(self):
        return list(self.columns)

    def accepts(self, header) -> list[str] | None:
        """The columns of a file with this header (required ones, then the optional ones it has,
        in order), or None when the header is not this format's."""
        required = self.header
        extra = header[len(required):]
        if header[:len(required)] != required or extra != list(self.optional)[:len(extra)]:
            return None
        return header


KINDS_SPONSOR = ("public", "charter", "nonpublic", "postsecondary")
RACE = ("hispanic", "american_indian", "asian", "black", "pacific_islander", "white")

# Load order: files that others refer to come first.
SPECS = [
    Spec("sponsors.csv", {"code": code(3), "name": text(100), "kind": choice(*KINDS_SPONSOR)}),
    Spec("sites.csv", {"code": code(6), "sponsor_code": code(3), "name": text(100),
                       "kind": choice("school", "postsecondary")},
         optional={"address": text(100, required=False), "city": text(40, required=False), "state": us_state,
                   "zip_code": zip_code, "phone": text(20, required=False)}),
    Spec("course_codes.csv", {"code": digits(6), "name": text(100), "first_bssy": year(),
                              "last_bssy": year(optional=True), "requires_course_name": flag,
                              "ap_type_allowed": choice("optional", "required", blank_ok=True),
                              "five_point_eligible": flag, "experience_only": flag}),
    Spec("ibc_codes.csv", {"code": code(3), "name": text(150)}),
    Spec("test_vendors.csv", {"code": code(3), "name": text(150)}),
    Spec("secure_ids.csv", {"unique_id": digits(10), "sponsor_code": code(3), "site_code": code(6),
                            "local_id": text(9), "first_name": text(50), "last_name": text(50),
                            "birth_date": date, "sex": choice("M", "F"),
                            **{r: flag for r in RACE}, "laa1": flag, "act833": flag},
         optional={"ssn_on_file": flag}),
    Spec("curricula.csv", {"code": code(2), "name": text(100), "kind": choice("diploma", "award"),
                           "units_required": units(), "min_gpa": units(optional=True),
                           "first_grad_bssy": year(), "last_grad_bssy": year(optional=True)}),
    Spec("categories.csv", {"curriculum": code(2), "category": code(2), "description": text(100),
                            "units_required": units()}),
    Spec("set_courses.csv", {"curriculum": code(2), "category": code(2), "set": text(3),
                             "course_code": digits(6), "units_allowed": units(),
                             "units_required": units(), "effective_grad_bssy": year(),
                             "expiration_grad_bssy": year(optional=True)}),
]
SPEC_BY_FILE = {s.file: s for s in SPECS}


def read_rows(spec: Spec, raw: bytes):
    """Yield (line, {column: value}) for each data row, or raise ReferenceLoadError."""
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReferenceLoadError(spec.file, line, None, "not UTF-8 text") from None
    reader = csv.reader(io.StringIO(content, newline=""))
    header = next(reader, None)
    if header is None:
        raise ReferenceLoadError(spec.file, 1, None, "empty file: a header row is required")
    header = [h.strip() for h in header]
    columns = spec.accepts(header)
    if columns is None:
        optional = f" (optionally followed by {','.join(spec.optional)})" if spec.optional else ""
        raise ReferenceLoadError(spec.file, 1, None,
                                 f"header must be {','.join(spec.header)}{optional}; got {','.join(header)}")
    converters = {**spec.columns, **spec.optional}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            raise ReferenceLoadError(spec.file, line, None,
                                     f"expected {len(columns)} columns, got {len(row)}")
        values = {}
        for column, cell in zip(columns, row):
            try:
                values[column] = converters[column](cell.strip())
            except ValueError as exc:
                raise ReferenceLoadError(spec.file, line, column, str(exc)) from None
        yield line, values
