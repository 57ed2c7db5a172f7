"""`{{ value|cell }}`: a report cell on a page as it prints in the PDF (dates MM/DD/YYYY, None empty)."""
from django import template

from sts.exports import as_text

register = template.Library()


@register.filter
def cell(value):
    return as_text(value)
