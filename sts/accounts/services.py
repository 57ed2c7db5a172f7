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
                first_name="", last_name="", email="", new_only=False):
    """Create (or re-provision) a user ID. Raises ValidationError with a message naming the problem.
    `new_only`: refuse a user ID that exists already (the Security screen creates, never overwrites)."""
    user_id = user_id.strip().upper()
    if not USER_ID.fullmatch(user_id):
        raise ValidationError(f"User ID {user_id!r} must be the letter E plus 6 letters or digits.")
    if new_only and User.objects.filter(username=user_id).exists():
        raise ValidationError(f"User ID {user_id} exists already: find it in the list to change it.")
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
        user.locked, user.failed_signins = False, 0
        if not same_password:
            user.must_change_password = must_change_password
            user.set_password(password)  # save() records it in the password history
        elif user._state.adding:
            user.must_change_password = must_change_password
        user.save()
        SiteAccess.objects.filter(user=user).delete()
        SiteAccess.objects.bulk_create([SiteAccess(user=user, site=s) for s in site_objs])
    return user


def unlock(user):
    User.objects.filter(pk=user.pk).update(locked=False, failed_signins=0)


def reset_password(user) -> str:
    """A new initial password (shown once to the coordinator), to be changed at the next sign-in;
    the user ID is unlocked."""
    password = initial_password()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password, user.locked, user.failed_signins = True, False, 0
        user.save()
    return password


def initial_password() -> str:
    """A random initial password: 12 characters from all four classes, no look-alikes (it may be read
    over the phone); it never holds a user ID or a common word."""
    import secrets

    classes = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "#$%*+=?@")
    chars = [secrets.choice(c) for c in classes] + [secrets.choice("".join(classes)) for _ in range(8)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def change_group(user, group: str):
    """Give `user` another security group of its level (the guide's TAS "modify user access").
    A school-level group keeps the user's sites; any other group leaves the site table (LEA users
    have every site; statewide users no sponsor). Raises ValidationError naming the problem."""
    if group not in GROUPS:
        raise ValidationError(f"Unknown group {group!r}.")
    new = GROUPS[group]
    if (new.scope == "state") != (user.group.scope == "state"):
        raise ValidationError(f"{user.username} cannot move between a statewide and an LEA or school group: "
                              "create a user ID of the other kind.")
    with transaction.atomic():
        user.sts_group = group
        user.save(update_fields=["sts_group"])
        if new.scope != "school":
            SiteAccess.objects.filter(user=user).delete()


def set_active(user, active: bool):
    """Disable (or enable again) a user ID: a disabled ID cannot sign in and may do nothing."""
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.is_active = active


DENIALS_KEY = "sts_denials"


def counts_as_denial(request, exception) -> bool:
    from .permissions import PeriodClosed

    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and not isinstance(exception, PeriodClosed))


def denials_left(request) -> int:
    """How many more refused requests this session may have before the user ID is locked."""
    from django.conf import settings

    return max(settings.STS_MAX_DENIALS - request.session.get(DENIALS_KEY, 0), 0)


def note_denial(request, exception) -> bool:
    """Count a refused request (403) of the signed-in user in this session; the fifth locks the
    user ID and ends the session, as five failed sign-ins do. A write refused because the
    collection period is closed is not an access denial. Returns True when the ID was locked."""
    from django.conf import settings
    from django.contrib.auth import logout

    if not counts_as_denial(request, exception):
        return False
    user = request.user
    denials = request.session.get(DENIALS_KEY, 0) + 1
    request.session[DENIALS_KEY] = denials
    if denials < settings.STS_MAX_DENIALS:
        return False
    User.objects.filter(pk=user.pk).update(locked=True)
    logout(request)
    return True
