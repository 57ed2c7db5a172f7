"""`{{ value|cell }}`: a report cell on a page as it prints in the PDF (dates MM/DD/YYYY, None empty);
`{{ value|is_number }}`: whether it is a number (right-aligned)."""
from django import template

from sts.exports import as_text
from sts.lists import is_number as _is_number

register = template.Library()


@register.filter
def cell(value):
    return as_text(value)


@register.filter
def is_number(value):
    return _is_number(value)


@register.filter
def bssy(value):
    """A BSSY as written on every page and document: 2025 -> "2025-26"."""
    from core_tables.periods import fmt_bssy

    try:
        return fmt_bssy(int(value))
    except (TypeError, ValueError):
        return value


@register.filter
def class_of(value):
    """A graduation cohort named by the year it graduates: BSSY 2025 (2025-26) -> 2026."""
    try:
        return int(value) + 1
    except (TypeError, ValueError):
        return value
