from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.db.models import Q

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


class ResetPasswordForm(SetPasswordForm):
    """The new password of a self-service reset: the whole password standard (history included).
    The link proves the mailbox, so a lock from failed sign-ins (a forgotten password) is lifted;
    a lock from refused requests stays for the security coordinator."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = False
        if user.locked and user.failed_signins >= settings.STS_MAX_FAILED_SIGNINS:
            user.locked = False
        user.failed_signins = 0
        if commit:
            user.save()
        return user


STATUSES = [("", "Any status"), ("active", "Active"), ("locked", "Locked"), ("disabled", "Disabled"),
            ("must_change", "Must change password")]


class UserSearchForm(forms.Form):
    """The Security screen's search and filters (GET)."""
    q = forms.CharField(label="Search", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "User ID, name or email", "type": "search"}))
    group = forms.ChoiceField(label="Security group", required=False)
    sponsor = forms.ChoiceField(label="Sponsor", required=False)
    site = forms.ChoiceField(label="Site", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=STATUSES)

    def __init__(self, *args, groups, sites, sponsors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "Any group")] + [(g.code, g.label) for g in groups]
        self.fields["site"].choices = [("", "Any site")] + [(s.code, f"{s.code} {s.name}") for s in sites]
        if sponsors is None:  # an LEA's coordinator sees the LEA's users only
            del self.fields["sponsor"]
        else:
            self.fields["sponsor"].choices = [("", "Any sponsor")] + [(s.code, f"{s.code} {s.name}") for s in sponsors]

    def filter(self, users):
        data = self.cleaned_data
        if q := data.get("q", "").strip():
            words = Q()
            for word in q.split():
                words &= (Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
                          | Q(email__icontains=word))
            users = users.filter(words)
        if data.get("group"):
            users = users.filter(sts_group=data["group"])
        if data.get("sponsor"):
            users = users.filter(sponsor__code=data["sponsor"])
        if data.get("site"):
            users = users.filter(site_access__site__code=data["site"])
        status = data.get("status")
        if status == "active":
            users = users.filter(is_active=True, locked=False)
        elif status == "locked":
            users = users.filter(locked=True)
        elif status == "disabled":
            users = users.filter(is_active=False)
        elif status == "must_change":
            users = users.filter(must_change_password=True)
        return users


class NewUserForm(forms.Form):
    """Add a user on the Security page. The service validates the combination (user ID prefix,
    sites of the sponsor, the password standard) and names what is wrong."""
    user_id = forms.CharField(label="User ID", max_length=7, help_text="E + 6 letters or digits; E + sponsor code first.")
    group = forms.ChoiceField(label="Security group")
    sites = forms.MultipleChoiceField(required=False, widget=forms.SelectMultiple(attrs={"size": 6}),
                                      help_text="School-level groups: at least one site (Ctrl-click to choose several).")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    password = forms.CharField(label="Initial password", required=False, widget=forms.PasswordInput(render_value=False),
                               help_text="Leave blank to have one made; either way it must be changed at the first "
                                         "sign-in.")

    def __init__(self, *args, groups, sites, sponsor, **kwargs):
        super().__init__(*args, **kwargs)
        self.sponsor = sponsor
        self.fields["group"].choices = [(g.code, g.label) for g in groups]
        self.fields["sites"].choices = [(s.code, f"{s.code} {s.name}") for s in sites]
        self.school_groups = {g.code for g in groups if g.scope == "school"}
        self.state_groups = {g.code for g in groups if g.scope == "state"}

    def clean(self):
        data = super().clean()
        group = data.get("group")
        if group in self.school_groups and not data.get("sites"):
            self.add_error("sites", "A school-level user needs at least one site: without one it reaches nothing.")
        if group and group not in self.school_groups and data.get("sites"):
            self.add_error("sites", "Only school-level users are put on the site table (LEA users have every site).")
        # An LEA coordinator's users belong to the LEA; LDOE gives the sponsor in the user ID.
        user_id = (data.get("user_id") or "").strip().upper()
        data["sponsor"] = None if group in self.state_groups else (
            self.sponsor.code if self.sponsor is not None else user_id[1:4])
        return data
