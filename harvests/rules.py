"""The state extracts' computed fields, as plain functions of stored values (no ORM)."""
import datetime as dt
from decimal import Decimal

from transcripts.progress.result import award_level


def graduation_cohort(graduation_date: dt.date | None) -> int | None:
    """Guide, Appendix J: "Students whose graduation date is prior to August 30 will be considered
    part of the cohort graduating in 2014; those whose graduation date is later ... in 2015"."""
    if graduation_date is None:
        return None
    year = graduation_date.year
    return year if graduation_date < dt.date(year, 8, 30) else year + 1


def _decimal(text) -> Decimal | None:
    # A JSON null read as text is SQL NULL on PostgreSQL but "null" on SQLite.
    return None if text in (None, "", "null") else Decimal(str(text))


def award_standing(code, eligible, gpa) -> dict:
    """The TOPS levels STS judges (Opportunity for TC, Tech for TJ) from a stored award: the level
    the stored eligibility and core GPA give by today's rule (`award_level`)."""
    level = award_level(code, _decimal(gpa), flag(eligible)) if code else None
    return {"opportunity": level == "Opportunity", "tech": level == "Tech"}


def units(text) -> Decimal | None:
    return _decimal(text)


def flag(value) -> bool:
    """A stored JSON flag as read: a boolean (frozen), 'true'/'false' (PostgreSQL) or 1/0 (SQLite)."""
    return value in (True, 1, "true", "1")
