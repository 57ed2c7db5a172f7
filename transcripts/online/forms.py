"""Online entry forms (django-crispy-forms, Bootstrap 5) built from `fields`.

Drop-downs offer the code tables' values, but a posted value is never refused by the form: it is
converted to the raw batch value and judged by the edit catalog, so an online save fails with the
same STS code a batch file gets. Errors carry that code, next to the field and in the summary.
"""
from __future__ import annotations

import json

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.utils.html import escape

from core_tables.codes import code_choices
from core_tables.models import CourseCode, IbcCode, Site, Sponsor, TestVendor
from transcripts.edits import CATALOG
from transcripts.records import IBC, PUBLIC, STUDENT, TRANSCRIPT

from .fields import (
    CODE, COUNT, CREDITS, DATE, FIELDS, FLAG, NUMBER, PERSONAL, YEAR, YES_NO, EntryField, entry_fields, field_named,
    number_problem, raw_values,
)

DATALIST_SOURCES = frozenset({"courses", "sponsors", "sites", "school_sites"})  # long lists: type to search


def source_choices(source: str) -> list[tuple[str, str]]:
    """(value, label) pairs of a drop-down: a code list or a reference table."""
    if source == "courses":
        return [(c, f"{c} {n}") for c, n in CourseCode.objects.order_by("code").values_list("code", "name")]
    if source == "ibc_codes":
        return [(c, f"{c} {n}") for c, n in IbcCode.objects.values_list("code", "name")]
    if source == "test_vendors":
        return [(c, f"{c} {n}") for c, n in TestVendor.objects.values_list("code", "name")]
    if source == "sponsors":
        return [(c, f"{c} {n}") for c, n in Sponsor.objects.values_list("code", "name")]
    if source == "sites":
        return [(c, f"{c} {n}") for c, n in Site.objects.values_list("code", "name")]
    if source == "school_sites":
        return [(c, f"{c} {n}") for c, n in Site.objects.filter(kind="school").values_list("code", "name")]
    if source == "part":
        return [("1", "1 First part"), ("2", "2 Second part")]
    return code_choices(source)


def finding_text(f) -> str:
    return f"{f.code} {f.message}"


def field_label(record_type: str, name: str | None) -> str:
    """The online label of a record field ('' for record-set findings without a field)."""
    if not name:
        return ""
    entry = field_named(record_type, name)
    return entry.label if entry else name.replace("_", " ").capitalize()


class RecordForm(forms.Form):
    """One record type's fields for one layout. After `is_valid()`, `raw` holds the raw record
    values; `add_findings` puts the catalog's findings next to the fields they are about."""

    record_type = ""

    def __init__(self, *args, layout: str, fields: tuple[EntryField, ...], check_url: str = "",
                 id_prefix: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.layout, self.entry_fields, self.check_url = layout, fields, check_url
        self.datalists: dict[str, list] = {}
        for f in fields:
            self.fields[f.name] = self._form_field(f)
        self.raw: dict[str, str] = {}
        self.top_errors: list[str] = []  # record-level problems, shown in the summary at the top
        self.codes: list[str] = []  # the STS codes of the errors (the summary carries them as data)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = self._layout()

    def _form_field(self, f: EntryField):
        width = f.width(self.record_type, self.layout)
        described = f"id_{f.name}_helptext live-{f.name}" if f.help else f"live-{f.name}"
        attrs = {"autocomplete": "off", "aria-describedby": described}
        if self.check_url:
            attrs.update({"hx-post": self.check_url, "hx-trigger": "change", "hx-target": f"#live-{f.name}",
                          "hx-swap": "innerHTML", "hx-include": "closest form",
                          "hx-vals": json.dumps({"_field": f.name})})
        common = {"label": f.label, "help_text": f.help, "required": False}
        if f.kind == FLAG:
            return forms.BooleanField(widget=forms.CheckboxInput(attrs=attrs), **common)
        if f.kind == YES_NO:
            return forms.CharField(widget=forms.Select(attrs=attrs, choices=[("N", "N No"), ("Y", "Y Yes")]),
                                   **common)
        if f.kind == CODE and f.choices not in DATALIST_SOURCES:
            choices = [("", "—")] + source_choices(f.choices)
            current = self.data.get(self.add_prefix(f.name)) if self.is_bound else self.initial.get(f.name)
            if current and current not in {c for c, _ in choices}:
                choices.append((current, f"{current} (not on the list)"))
            return forms.CharField(widget=forms.Select(attrs=attrs, choices=choices), **common)
        if f.kind == CODE:
            self.datalists[f.name] = source_choices(f.choices)
            attrs["list"] = f"list-{f.name}"
        if f.kind == DATE:
            attrs.update({"placeholder": "MM/DD/YYYY", "inputmode": "numeric"})
        elif f.kind in (YEAR, COUNT, CREDITS, NUMBER):
            attrs["inputmode"] = "decimal" if f.kind in (CREDITS, NUMBER) else "numeric"
        # Room for the online format (1.00, 05/20/2026) of a batch field of `width` columns.
        limit = {DATE: 10, CREDITS: width + 3}.get(f.kind, width)
        attrs["maxlength"] = limit
        return forms.CharField(max_length=limit, strip=True, widget=forms.TextInput(attrs=attrs), **common)

    def group_extras(self) -> dict:
        """{fieldset: layout object} shown after a fieldset's fields (even when it has none)."""
        return {}

    def field_extras(self) -> dict:
        """{field name: layout object} shown under a field, inside its cell."""
        return {}

    def _layout(self) -> Layout:
        extras, under = self.group_extras(), self.field_extras()
        groups: dict[str, list] = {g: [] for g in extras}
        for f in self.entry_fields:
            # The field with the box its live check (htmx) fills.
            cell = Div(Field(f.name, template="online/_crispy_field.html"), *([under[f.name]] if f.name in under else []),
                       css_class="col-sm-6 col-lg-4")
            groups.setdefault(f.group, []).append(cell)
        order = [f.group for f in FIELDS[self.record_type]]
        parts = []
        for name in sorted(groups, key=order.index):
            cells = groups[name] + ([extras[name]] if name in extras else [])
            row = Div(*cells, css_class="row g-2")
            parts.append(Fieldset(name, row, css_class="mb-2") if name else row)
        return Layout(*parts)

    def clean(self):
        data = super().clean()
        for f in self.entry_fields:
            # A number field holding something else: said plainly, with the code a batch file gets.
            wanted = number_problem(f.kind, data.get(f.name))
            if wanted:
                lead = f"{f.format_code} {CATALOG[f.format_code].message}: " if f.format_code else ""
                if f.format_code:
                    self.codes.append(f.format_code)
                self.add_error(f.name, forms.ValidationError(f"{lead}{data.get(f.name)!r} is not a number; type {wanted}.",
                                                             code=f.format_code or "number"))
        self.raw, problems = raw_values(self.record_type, self.layout, data, self.entry_fields)
        for name, code in problems.items():
            self.codes.append(code)
            self.add_error(name, forms.ValidationError(f"{code} {CATALOG[code].message}", code=code))
        return data

    def add_findings(self, findings, line: int, describe=None) -> None:
        """Findings on this form's record go next to their field (or at the top when the field is
        not on the form); findings on the student's other records go at the top, named."""
        names = {f.name for f in self.entry_fields}
        for f in findings:
            text = finding_text(f)
            self.codes.append(f.code)
            if f.line != line:
                self.top_errors.append(f"{describe(f) if describe else 'Another record'}: {text}")
            elif f.field in names:
                self.add_error(f.field, forms.ValidationError(text, code=f.code))
            else:
                label = field_label(self.record_type, f.field)
                self.top_errors.append(f"{label}: {text}" if label else text)

    @property
    def error_count(self) -> int:
        return len(self.top_errors) + sum(len(e) for e in self.errors.values())

    def datalist_html(self) -> str:
        out = []
        for name, choices in self.datalists.items():
            options = "".join(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in choices)
            out.append(f'<datalist id="list-{name}">{options}</datalist>')
        return "".join(out)


class StudentForm(RecordForm):
    record_type = STUDENT

    def group_extras(self) -> dict:
        # Public/charter: the registry's demographics, read-only, under the State ID.
        return {PERSONAL: HTML('{% include "online/_registry_panel.html" %}')} if self.layout == PUBLIC else {}

    def field_extras(self) -> dict:
        # While the State ID is typed: is it already on file for the sponsor (edit 211)?
        if not self.on_file_url:
            return {}
        return {"state_id": HTML(
            f'<div id="on-file" aria-live="polite" hx-get="{escape(self.on_file_url)}" hx-include="#id_state_id" '
            'hx-trigger="keyup changed delay:300ms from:#id_state_id, change from:#id_state_id" hx-target="this" '
            'hx-swap="innerHTML"></div>')}

    def __init__(self, *args, layout: str, adding: bool, registry_url: str = "", on_file_url: str = "", **kwargs):
        fields = entry_fields(STUDENT, layout, registry=False if layout == PUBLIC else None)
        if not adding:
            fields = tuple(f for f in fields if f.name != "state_id")
        self.on_file_url = on_file_url if adding else ""
        super().__init__(*args, layout=layout, fields=fields, **kwargs)
        if adding:
            state_id = self.fields["state_id"]
            state_id.required = True
            state_id.widget.attrs["autofocus"] = True
            if layout == PUBLIC and registry_url:
                # Leaving the State ID fills the read-only demographics from the registry.
                state_id.widget.attrs.update({"hx-get": registry_url, "hx-target": "#registry-panel",
                                              "hx-trigger": "change", "hx-swap": "innerHTML"})
                state_id.widget.attrs.pop("hx-post", None)
                state_id.widget.attrs.pop("hx-vals", None)


class TranscriptForm(RecordForm):
    record_type = TRANSCRIPT

    def __init__(self, *args, layout: str, **kwargs):
        super().__init__(*args, layout=layout, fields=entry_fields(TRANSCRIPT, layout), **kwargs)


class IbcForm(RecordForm):
    record_type = IBC

    def __init__(self, *args, layout: str, **kwargs):
        super().__init__(*args, layout=layout, fields=entry_fields(IBC, layout), **kwargs)


class OverrideForm(forms.Form):
    override_reason = forms.CharField(
        label="Reason for keeping the graduation date", required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: waiver received for the entire AOC, student is Act 833 eligible, LAA1 awarded "
                  "diploma. Saved with your user ID and the time.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class CredentialForm(forms.Form):
    file = forms.FileField(label="Jumpstart credential (PDF)",
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
                           help_text="An Adobe PDF. Several certificates: save them all in one PDF document.")


def _bssy_choices(current: int):
    return [(y, f"{y}-{(y + 1) % 100:02d}") for y in range(current, current - 6, -1)]


class ReassignForm(forms.Form):
    """Student Reassignment: where the student was last (BSSY, sponsor, site) and the State ID."""
    from_bssy = forms.TypedChoiceField(label="BSSY of the last Louisiana school", coerce=int,
                                       help_text="If the student is not found in the current year, try the prior year.")
    from_sponsor = forms.CharField(label="Sponsor", max_length=3,
                                   help_text="The sponsor code of the last school (see the sponsor list).",
                                   widget=forms.TextInput(attrs={"list": "list-sponsors", "autocomplete": "off"}))
    from_site = forms.CharField(label="Site", max_length=6, help_text="The site code of the last school.",
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    state_id = forms.CharField(label="State ID", max_length=10)
    to_site = forms.ModelChoiceField(label="Reassign to site", queryset=Site.objects.none(), to_field_name="code")

    def __init__(self, *args, current_bssy: int, target_sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_bssy"].choices = _bssy_choices(current_bssy)
        self.fields["to_site"].queryset = target_sites
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


__all__ = ["StudentForm", "TranscriptForm", "IbcForm", "OverrideForm", "CredentialForm", "ReassignForm",
           "RecordForm", "source_choices", "finding_text", "field_label"]
