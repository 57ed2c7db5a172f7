from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from .models import User


class SignInForm(AuthenticationForm):
    username = forms.CharField(label="User ID", max_length=7,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "User ID or password is not correct. After %(max)s failed sign-ins the user ID is locked.",
        "locked": "User ID %(user)s is locked after %(max)s failed sign-ins. Ask your security coordinator to unlock it.",
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().upper()
        self.cleaned_data["username"] = username
        locked = User.objects.filter(username=username, locked=True).exists()
        if locked:
            raise forms.ValidationError(self.error_messages["locked"], code="locked",
                                        params={"user": username, "max": settings.STS_MAX_FAILED_SIGNINS})
        try:
            return super().clean()
        except forms.ValidationError:
            if User.objects.filter(username=username, locked=True).exists():
                raise forms.ValidationError(self.error_messages["locked"], code="locked",
                                            params={"user": username, "max": settings.STS_MAX_FAILED_SIGNINS})
            raise

    def get_invalid_login_error(self):
        return forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login",
                                     params={"max": settings.STS_MAX_FAILED_SIGNINS})


class NewPasswordForm(PasswordChangeForm):
    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = False
        if commit:
            user.save()
        return user
