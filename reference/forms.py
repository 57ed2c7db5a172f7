from django import forms
from django.db import models

from core_tables.models import CollectionPeriod, Site


class RowForm(forms.ModelForm):
    """A row of a state staff table. Keys other rows name are shown but fixed once set."""

    def __init__(self, *args, fixed=(), **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in fixed:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = "Set when the row was added; other records name it."
        for name, formfield in self.fields.items():
            model_field = self._meta.model._meta.get_field(name)
            if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
                formfield.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if "sponsor" in self.fields and "site" in self.fields:
            self.fields["site"].queryset = Site.objects.select_related("sponsor")


class PeriodForm(RowForm):
    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and closes < opens:
            self.add_error("closes", "Closes must be on or after Opens.")
        bssy = data.get("bssy")
        if bssy and not 1990 <= bssy <= 2100:
            self.add_error("bssy", "Enter a school year between 1990 and 2100.")
        if data.get("closed_for_maintenance") and not (data.get("maintenance_message") or "").strip():
            self.add_error("maintenance_message", "Say why the period is closed; users read it when refused.")
        return data


class RegistryForm(RowForm):
    def clean(self):
        data = super().clean()
        site, sponsor = data.get("site"), data.get("sponsor")
        if site and sponsor and site.sponsor_id != sponsor.pk:
            self.add_error("site", f"Site {site.code} is not a site of sponsor {sponsor.code}.")
        return data




def form_class(table):
    from core_tables.models import SecureId

    from .tables import label

    base = {CollectionPeriod: PeriodForm, SecureId: RegistryForm}.get(table.model, RowForm)
    return forms.modelform_factory(table.model, form=base, fields=list(table.fields),
                                   labels={n: label(table.model, n) for n in table.fields})
