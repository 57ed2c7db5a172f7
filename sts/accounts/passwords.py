"""The LDOE password standard: 8+ characters, 3 of the 4 character classes, none of the last 5."""
import re

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError

CLASSES = (("upper case letters", r"[A-Z]"), ("lower case letters", r"[a-z]"), ("digits", r"[0-9]"),
           ("other characters such as % & $", r"[^A-Za-z0-9]"))


class LengthValidator:
    min_length = 8

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"The password must be at least {self.min_length} characters long.",
                                  code="password_too_short")

    def get_help_text(self):
        return f"At least {self.min_length} characters."


class ComplexityValidator:
    def validate(self, password, user=None):
        if sum(1 for _name, rx in CLASSES if re.search(rx, password)) < 3:
            raise ValidationError("The password must contain at least 3 of: "
                                  + ", ".join(name for name, _ in CLASSES) + ".", code="password_too_simple")

    def get_help_text(self):
        return "At least 3 of the 4: upper case, lower case, digits, other characters."


class HistoryValidator:
    def validate(self, password, user=None):
        if user is None or not user.pk:
            return
        recent = user.password_history.all()[: settings.STS_PASSWORD_HISTORY]
        if any(check_password(password.lower(), old.folded) if old.folded else check_password(password, old.password)
               for old in recent):
            raise ValidationError(f"The password must differ from your last {settings.STS_PASSWORD_HISTORY} passwords "
                                  "(upper and lower case count as the same).",
                                  code="password_reused")

    def password_changed(self, password, user=None):
        if user is None or not user.pk:
            return
        from .models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password, folded=make_password(password.lower()))
        stale = user.password_history.all()[settings.STS_PASSWORD_HISTORY:]
        PasswordHistory.objects.filter(pk__in=[h.pk for h in stale]).delete()

    def get_help_text(self):
        return f"Not one of your last {settings.STS_PASSWORD_HISTORY} passwords (in any case)."


SEASONS_AND_MONTHS = frozenset(
    "spring summer fall autumn winter january february march april may june july august september october "
    "november december monday tuesday wednesday thursday friday saturday sunday".split())


class PredictableValidator:
    """What Django's validators let through but a guesser tries first: a common password or a
    season/month/day name with digits or symbols around it ("Summer2025", "Passw0rd!"), and a
    password that holds the user ID."""

    def __init__(self):
        from django.contrib.auth.password_validation import CommonPasswordValidator

        self.common = CommonPasswordValidator().passwords

    def validate(self, password, user=None):
        lowered = password.lower()
        user_id = (getattr(user, "username", "") or "").lower()
        if user_id and user_id in lowered:
            raise ValidationError("The password must not contain your user ID.", code="password_has_user_id")
        core = re.sub(r"^[^a-z]+|[^a-z]+$", "", lowered)
        if core and (core in self.common or core in SEASONS_AND_MONTHS):
            raise ValidationError("The password is a common word with digits or symbols added (like 'Summer2025'): "
                                  "choose something less predictable.", code="password_predictable")

    def get_help_text(self):
        return "Not a common word with digits added (like 'Summer2025'), and not your user ID."
