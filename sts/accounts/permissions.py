"""The one place that decides "may user U do action A on sponsor/site S".

Every view, export, management command, admin page and API asks here. Scope comes from the
user's security group: state staff see every sponsor; LEA users their sponsor's sites; school-level
users only the sites the LEA put on the site-level security table for them.
"""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404

from core_tables.models import Site, Sponsor
from core_tables.periods import period_status

from .groups import GROUPS, Action

__all__ = ["Action", "can", "require", "require_write", "sites_for", "sponsors_for", "site_or_404",
           "is_state_staff", "is_school_level", "PeriodClosed", "consent_only", "can_see_student", "require_student",
           "scope_students", "refusal", "may_see_registry_name", "can_read_table", "require_read_table", "may_use_admin",
           "SITE_REFUSED", "CONSENT_REFUSED", "require_or_404", "EXTRACT_ACTIONS", "can_extract", "require_extract",
           "may_manage_user", "may_view_api_calls", "assignable_groups", "managed_users"]

# Refusals name no other site (a school-level user must not learn what exists elsewhere).
SITE_REFUSED = "This student is at a site you do not have access to."
CONSENT_REFUSED = ("This student's parental consent flag is not Y: the transcript is not released to LOSFA and "
                   "the Board of Regents.")


class PeriodClosed(PermissionDenied):
    """A write to a BSSY whose collection period is closed (message says when/why)."""


def _group(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active or getattr(user, "locked", False):
        return None
    if user.is_superuser:
        return GROUPS["ldoe"]
    return GROUPS.get(getattr(user, "sts_group", ""))


def _code(obj):
    return obj if obj is None or isinstance(obj, str) else obj.code


def _site_codes(user):
    # Cached per user object: a page asks many times.
    if not hasattr(user, "_sts_site_codes"):
        user._sts_site_codes = frozenset(user.site_access.values_list("site__code", flat=True))
    return user._sts_site_codes


def is_state_staff(user) -> bool:
    group = _group(user)
    return bool(group and group.scope == "state")


def is_school_level(user) -> bool:
    """A school-level user: reaches only the sites on the site-level security table."""
    group = _group(user)
    return bool(group and group.scope == "school")


def can(user, action, *, sponsor=None, site=None) -> bool:
    """May `user` do `action` (an Action) on `site` (code or Site) / `sponsor` (code or Sponsor)?

    With neither, asks whether the user may do the action anywhere at all (menus, admin).
    """
    group = _group(user)
    if group is None or Action(action) not in group.actions:
        return False
    if group.scope == "state":
        return True
    own = user.sponsor.code if user.sponsor_id else None
    site_code, sponsor_code = _code(site), _code(sponsor)
    if site_code and sponsor_code and site_code[:3] != sponsor_code:
        return False
    sponsor_code = sponsor_code or (site_code[:3] if site_code else None)
    if own is None or (sponsor_code and sponsor_code != own):
        return False
    if group.scope == "lea":
        return True
    # school scope: only listed sites; a sponsor-wide question needs at least one listed site.
    return site_code in _site_codes(user) if site_code else bool(_site_codes(user))


# What each action lets a user do, for refusals ("Your security group may not upload batch files").
DOING = {
    Action.VIEW: "view student data", Action.UPDATE: "update student records",
    Action.UPLOAD: "upload batch files", Action.CERTIFY: "certify graduate transcripts",
    Action.MANAGE_SITE_SECURITY: "manage users and the site-level security table",
    Action.REQUEST_PRIOR_PERIOD: "request prior collection period access",
    Action.EDIT_CORE_TABLES: "edit the core tables", Action.EDIT_REFERENCE: "edit the reference tables",
    Action.APPROVE_PRIOR_PERIOD: "approve prior collection period requests",
    Action.RESTORE_DELETED: "restore deleted student records",
    Action.HARVEST: "define harvest deadlines and take snapshots", Action.STATEWIDE: "view statewide data",
    Action.EXTRACT_LOSFA: "run the LOSFA extracts", Action.EXTRACT_BOR: "run the Board of Regents extracts",

    Action.ROLLOVER: "roll students over into the next transcript year",
    Action.RECALCULATE: "start a GPA recalculation",
    Action.WITHDRAW_TRANSCRIPT: "withdraw official transcripts",
    Action.BROWSE_REGISTRY: "open the Secure ID registry",
}


def refusal(user, action, *, sponsor=None, site=None) -> str:
    """Why `can` said no, naming no site or sponsor (a school-level user must not learn what
    exists elsewhere; the user already knows the ones they may reach)."""
    group = _group(user)
    if group is None:
        return "Your user ID has no security group, or it is disabled or locked."
    if Action(action) not in group.actions:
        return f"Your security group ({group.label}) may not {DOING[Action(action)]}."
    if site is not None:
        return "This page is for a site you do not have access to."
    if sponsor is not None:
        return "This page is for a sponsor you do not have access to."
    return f"You have no site or sponsor where you may {DOING[Action(action)]}."


def require(user, action, *, sponsor=None, site=None, message=None):
    if not can(user, action, sponsor=sponsor, site=site):
        raise PermissionDenied(message or refusal(user, action, sponsor=sponsor, site=site))


def require_write(user, action, *, bssy: int, sponsor=None, site=None, today: dt.date | None = None):
    """A write: the user must have the right and the BSSY's collection period must be open."""
    require(user, action, sponsor=sponsor, site=site)
    sponsor_code = _code(sponsor) or (_code(site)[:3] if site else None)
    status = period_status(bssy, sponsor_code, today)
    if not status.open:
        raise PeriodClosed(status.message)


def sponsors_for(user, action=Action.VIEW):
    group = _group(user)
    if group is None or Action(action) not in group.actions:
        return Sponsor.objects.none()
    if group.scope == "state":
        return Sponsor.objects.all()
    if group.scope == "school" and not _site_codes(user):
        return Sponsor.objects.none()
    return Sponsor.objects.filter(pk=user.sponsor_id)


def sites_for(user, action=Action.VIEW):
    group = _group(user)
    if group is None or Action(action) not in group.actions:
        return Site.objects.none()
    sites = Site.objects.filter(kind="school").select_related("sponsor")
    if group.scope == "state":
        return sites
    if group.scope == "lea":
        return sites.filter(sponsor_id=user.sponsor_id)
    return sites.filter(sponsor_id=user.sponsor_id, code__in=_site_codes(user))


def site_or_404(user, code, action=Action.VIEW):
    """The site named in a URL: 404 when it does not exist, 403 when the user may not see it."""
    site = Site.objects.select_related("sponsor").filter(code=code).first()
    if site is None:
        raise Http404(f"No site {code}.")
    require(user, action, site=site)
    return site


# --- students -------------------------------------------------------------------------------------

def consent_only(user) -> bool:
    """LOSFA and Board of Regents users see only students whose parental consent flag is Y."""
    group = _group(user)
    return bool(group and group.consent_only)


def can_see_student(user, student, action=Action.VIEW) -> bool:
    """May `user` do `action` on this stored student: its current site, and consent where the
    user's group needs it."""
    if not can(user, action, site=student.site.code):
        return False
    return student.parental_consent or not consent_only(user)


def require_student(user, student, action=Action.VIEW):
    """PermissionDenied (with a message that names no other site) unless `can_see_student`."""
    if not can(user, action, site=student.site.code):
        raise PermissionDenied(SITE_REFUSED)
    if consent_only(user) and not student.parental_consent:
        raise PermissionDenied(CONSENT_REFUSED)


def may_see_registry_name(user, student, registry_site) -> bool:
    """The Secure ID registry's full name of a student the user sees: for users who may view the
    site the registry places the student at (a school does not learn the names of another's
    students), and for LOSFA/BOR only with consent Y."""
    return can_see_student(user, student) and can(user, Action.VIEW, site=registry_site)


def scope_students(user, students, action=Action.VIEW):
    """A Student queryset cut to the students `user` may do `action` on (sites and consent)."""
    group = _group(user)
    if group is None or Action(action) not in group.actions:
        return students.none()
    if group.scope != "state":
        students = students.filter(site__in=sites_for(user, action))
    if group.consent_only:
        students = students.filter(parental_consent=True)
    return students


# --- the state's functions (harvests app) --------------------------------------------------------

def require_or_404(user, action):
    """A statewide function: a user whose group lacks it gets 404 (an LEA or school user must not
    learn that the page exists)."""
    if not can(user, action):
        raise Http404("No such page.")


# Which right runs which state extract: LOSFA STSQ01 and STSQ02, the Board of Regents STSQ01 and
# STSQ03 (LDOE holds every right).
EXTRACT_ACTIONS = {"stsq01": (Action.EXTRACT_LOSFA, Action.EXTRACT_BOR), "stsq02": (Action.EXTRACT_LOSFA,),
                   "stsq03": (Action.EXTRACT_BOR,)}


def can_extract(user, extract: str) -> bool:
    return any(can(user, action) for action in EXTRACT_ACTIONS.get(extract, ()))


def require_extract(user, extract: str):
    if not can_extract(user, extract):
        raise Http404("No such extract.")


# --- users and the API ----------------------------------------------------------------------------

def _reach_over_users(coordinator) -> tuple[bool, int | None]:
    """A security coordinator's reach over other users (and their API tokens), the one rule the
    Security screen and the API share: (everyone, the sponsor whose users it manages). LDOE
    reaches everyone, an LEA's coordinator the users of its own sponsor, anyone else no one."""
    group = _group(coordinator)
    if group is None or Action.MANAGE_SITE_SECURITY not in group.actions:
        return False, None
    return group.scope == "state", coordinator.sponsor_id


def may_manage_user(coordinator, user) -> bool:
    everyone, sponsor = _reach_over_users(coordinator)
    return everyone or (sponsor is not None and user.sponsor_id == sponsor)


def may_view_api_calls(user) -> bool:
    """The API call log (every user's calls) is for state staff."""
    return is_state_staff(user)


# --- security coordinators ------------------------------------------------------------------------

def managed_users(coordinator, users, via=""):
    """Those of `users` (a queryset) a security coordinator manages (`_reach_over_users`); `via`
    names the path to the user for a queryset of something else (API tokens: "user")."""
    everyone, sponsor = _reach_over_users(coordinator)
    if everyone:
        return users
    return users.filter(**{f"{via}{'__' if via else ''}sponsor_id": sponsor}) if sponsor is not None else users.none()


def assignable_groups(coordinator):
    """The groups a security coordinator may give: an LEA's coordinator its LEA and school groups,
    LDOE every group."""
    group = _group(coordinator)
    if group is None or Action.MANAGE_SITE_SECURITY not in group.actions:
        return []
    return [g for g in GROUPS.values() if group.scope == "state" or g.scope in ("lea", "school")]


# --- state staff's tables --------------------------------------------------------------------------

def can_read_table(user, readers: str) -> bool:
    """May `user` read a reference table whose audience is `readers`: "everyone" (any user who may
    view student data: the code tables the guide's Help and edits speak of), "state" (state staff:
    collection periods, announcements' screen, sponsors and sites), or "registry" (the Secure ID
    registry as a table: names and birth dates of every student, LDOE only)."""
    if readers == "everyone":
        return can(user, Action.VIEW)
    if readers == "state":
        return is_state_staff(user)
    if readers == "registry":
        return can(user, Action.BROWSE_REGISTRY)
    raise ValueError(f"unknown readers {readers!r}")


def require_read_table(user, readers: str):
    if not can_read_table(user, readers):
        raise PermissionDenied(refusal(user, Action.BROWSE_REGISTRY) if readers == "registry"
                               else "These tables are for state staff.")


def may_use_admin(user) -> bool:
    """The Django admin: superusers only (state staff work on their own screens)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser
                and not getattr(user, "locked", False))
