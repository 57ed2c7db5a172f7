"""Who sees which uploads and which rows of them: one rule, used by every upload page, download and
export. Uploads follow sites: a school-level user sees the uploads of school-level users who share
one of their sites (and their own); inside an upload, the rows of students at their sites."""
from django.db.models import Q

from sts.accounts import permissions
from sts.accounts.groups import GROUPS
from sts.accounts.models import User
from sts.accounts.permissions import Action

from .models import Upload

SCHOOL_GROUPS = [g.code for g in GROUPS.values() if g.scope == "school"]


def _school_sites(user):
    return frozenset(permissions.sites_for(user, Action.UPLOAD).values_list("code", flat=True))


def uploads_visible_to(user):
    """Uploads of the sponsors the user may upload for (school-level: of users sharing a site),
    and the user's own (even File Not Accepted ones, whose sponsor may be unknown)."""
    uploads = Upload.objects.select_related("sponsor", "user")
    if not permissions.can(user, Action.UPLOAD):
        return uploads.filter(user=user)
    if permissions.is_state_staff(user):
        return uploads
    if permissions.is_school_level(user):
        peers = User.objects.filter(sponsor_id=user.sponsor_id, sts_group__in=SCHOOL_GROUPS,
                                    site_access__site__code__in=_school_sites(user)).values("pk")
        return uploads.filter(Q(user=user) | Q(sponsor_id=user.sponsor_id, user__in=peers)).distinct()
    return uploads.filter(Q(sponsor__in=permissions.sponsors_for(user, Action.UPLOAD)) | Q(user=user))


def may_see_upload(user, upload) -> bool:
    return uploads_visible_to(user).filter(pk=upload.pk).exists()


def row_sites(user, upload):
    """The sites whose rows of `upload` the user sees: None for all (the submitter, who sent the
    whole file; LEA-level users; state staff), else the school-level user's sites."""
    if upload.user_id == user.pk or not permissions.is_school_level(user):
        return None
    return _school_sites(user)


def visible_errors(user, upload):
    """The upload's error rows the user may see."""
    sites = row_sites(user, upload)
    return upload.errors.all() if sites is None else upload.errors.filter(site__in=sites)


def may_download_original(user, upload) -> bool:
    """Of an upload the user sees (`uploads_visible_to`): the original file holds every site's
    records, so it is for the submitter and LEA-level users (and state staff) only."""
    return upload.user_id == user.pk or not permissions.is_school_level(user)


# The error report's filters (page and export): (parameter, label in a title).
FILTERS = (("code", "code"), ("record_type", "record"), ("state_id", "State ID"))


def filter_errors(errors, code="", record_type="", state_id=""):
    """Error rows of one code, one record type, and/or State IDs starting with `state_id`."""
    if code:
        errors = errors.filter(code=str(code).strip().upper())
    if record_type:
        errors = errors.filter(record_type=str(record_type).strip())
    if str(state_id).strip():
        errors = errors.filter(state_id__startswith=str(state_id).strip())
    return errors


def recent_uploads_with_errors(user, days: int = 14, limit: int = 5):
    """(uploads, how many) of the last `days` days the user sees that need a look: not accepted,
    failed, or with rejected students (Home's "what needs doing")."""
    import datetime as dt

    from django.utils import timezone

    since = timezone.now() - dt.timedelta(days=days)
    rejected = Q(counts__error_020__gt=0) | Q(counts__error_030__gt=0) | Q(counts__error_050__gt=0)
    uploads = uploads_visible_to(user).filter(rejected | Q(status__in=("not_accepted", "failed")),
                                              created_at__gte=since).order_by("-created_at", "-id")
    return list(uploads[:limit]), uploads.count()
