from django import forms

from .models import Deadline


class DeadlineForm(forms.ModelForm):
    due_at = forms.DateTimeField(label="Due (Louisiana time)", widget=forms.DateTimeInput(
        attrs={"type": "datetime-local", "class": "form-control form-control-sm"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])

    class Meta:
        model = Deadline
        fields = ["name", "bssy", "due_at"]
        labels = {"bssy": "BSSY"}
        widgets = {"name": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                   "bssy": forms.NumberInput(attrs={"class": "form-control form-control-sm"})}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Name the deadline.")
        return name


class SnapshotForm(forms.Form):
    name = forms.CharField(max_length=60, label="Snapshot name")
    bssy = forms.IntegerField(label="BSSY", min_value=2000, max_value=2100)
