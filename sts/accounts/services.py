"""Provisioning and security-coordinator operations on user IDs."""
import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from core_tables.models import Site, Sponsor

from .groups import GROUPS
from .models import SiteAccess, User

USER_ID = re.compile(r"E[A-Z0-9]{6}")


def create_user(user_id, group, password, *, sponsor=None, sites=(), must_change_password=True,
                first_name="", last_name="", email=""):
    """Create (or re-provision) a user ID. Raises ValidationError with a message naming the problem."""
    user_id = user_id.strip().upper()
    if not USER_ID.fullmatch(user_id):
        raise ValidationError(f"User ID {user_id!r} must be the letter E plus 6 letters or digits.")
    if group not in GROUPS:
        raise ValidationError(f"Unknown group {group!r}; one of: {', '.join(GROUPS)}.")
    scope = GROUPS[group].scope
    sponsor_obj = None
    if scope in ("lea", "school"):
        if not sponsor:
            raise ValidationError(f"Group {group} needs --sponsor.")
        sponsor_obj = Sponsor.objects.filter(code=sponsor.upper()).first()
        if sponsor_obj is None:
            raise ValidationError(f"Unknown sponsor {sponsor!r}.")
        if user_id[1:4] != sponsor_obj.code:
            raise ValidationError(f"User ID {user_id} must start with E{sponsor_obj.code} (E + the sponsor code).")
    elif sponsor:
        raise ValidationError(f"Group {group} is statewide; it takes no --sponsor.")
    site_objs = []
    if scope == "school":
        if not sites:
            raise ValidationError(f"Group {group} is school-level: give its sites with --sites.")
        for code in sites:
            site = Site.objects.filter(code=code.strip().upper()).first()
            if site is None or site.sponsor_id != sponsor_obj.pk:
                raise ValidationError(f"Site {code!r} is not a site of sponsor {sponsor_obj.code}.")
            site_objs.append(site)
    elif sites:
        raise ValidationError("Only school-level groups take --sites (LEA users see every site).")
    user = User.objects.filter(username=user_id).first() or User(username=user_id)
    # Re-provisioning with the password the user already has is not a password change (and
    # keeps provisioning scripts idempotent); anything else must meet the whole standard.
    same_password = bool(user.pk) and user.check_password(password)
    if not same_password:
        # The unsaved user too: the user ID must not be in the password (PredictableValidator).
        validate_password(password, user)
    with transaction.atomic():
        user.sts_group, user.sponsor = group, sponsor_obj
        user.first_name, user.last_name, user.email = first_name, last_name, email
        user.is_staff = GROUPS[group].scope == "state"  # admin pages; what they may do is decided in permissions
        user.must_change_password = must_change_password
        user.locked, user.failed_signins = False, 0
        if not same_password:
            user.set_password(password)  # save() records it in the password history
        user.save()
        SiteAccess.objects.filter(user=user).delete()
        SiteAccess.objects.bulk_create([SiteAccess(user=user, site=s) for s in site_objs])
    return user


def unlock(user):
    User.objects.filter(pk=user.pk).update(locked=False, failed_signins=0)
