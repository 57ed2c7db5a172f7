from django import forms

from .models import PriorPeriodRequest


class PriorPeriodRequestForm(forms.ModelForm):
    class Meta:
        model = PriorPeriodRequest
        fields = ["bssy", "coordinator_name", "school_names", "student_ids", "reason"]
        widgets = {"student_ids": forms.Textarea(attrs={"rows": 3}), "reason": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "student_ids": "The Unique ID of each student, the school last attended and the graduation date.",
            "reason": "The specific changes you will make and why they were not made in the prior year. "
                      "Correct demographics in the Secure ID system first.",
        }

    def __init__(self, *args, current_bssy, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_bssy = current_bssy

    def clean_bssy(self):
        bssy = self.cleaned_data["bssy"]
        if not (self.current_bssy - 10 <= bssy < self.current_bssy):
            raise forms.ValidationError(f"Request a prior school year (before {self.current_bssy}).")
        return bssy


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approved", "Approve"), ("denied", "Deny")])
    access_until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text="Last day the prior year stays open for this sponsor.")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approved" and not data.get("access_until"):
            self.add_error("access_until", "An approval needs the last day of access.")
        return data
