from django import forms
from django.conf import settings


class TokenForm(forms.Form):
    name = forms.CharField(max_length=60, help_text="What uses the token, e.g. 'SIS nightly'.")
    days = forms.IntegerField(label="Expires after (days)", min_value=1, max_value=366,
                              initial=settings.STS_API_TOKEN_DAYS)
    callback_url = forms.URLField(label="Callback URL (optional)", required=False, max_length=500,
                                  assume_scheme="https",
                                  help_text="When an upload submitted with this token ends, STS POSTs its status "
                                            "here, signed (X-STS-Signature).")
