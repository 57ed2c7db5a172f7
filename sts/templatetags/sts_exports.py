"""`{% export_buttons "stsq11" site=site.code bssy=bssy %}`: a screen's export buttons. A click
queues the export (htmx), its progress shows in place under the buttons and the download starts
when the file is ready; without JavaScript the form opens the export's status page."""
from django import template

from sts.exports import EXPORTERS, FORMAT_LABELS

register = template.Library()


@register.inclusion_tag("exports/_buttons.html")
def export_buttons(exporter_name, formats="", label="", **params):
    exporter = EXPORTERS[exporter_name]
    wanted = formats.split(",") if formats else list(exporter.formats)
    return {"exporter_name": exporter_name, "label": label,
            "formats": [(f, FORMAT_LABELS.get(f, f.upper())) for f in wanted if f in exporter.formats],
            "params": {k: v for k, v in params.items() if v not in (None, "")}}


@register.inclusion_tag("exports/_jobs_area.html")
def export_jobs_area():
    """Where the status blocks of exports started on this page appear."""
    return {}


@register.filter
def make_list_of_grades(value):
    """"T9 09 10" -> ["T9", "09", "10"] (the grade choices of a form in a template)."""
    return value.split()
