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
