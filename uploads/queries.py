from django.db.models import Q

from sts.accounts import permissions
from sts.accounts.permissions import Action

from .models import Upload


def uploads_visible_to(user):
    """Uploads of the sponsors the user may upload for, and the user's own (even File Not Accepted)."""
    sponsors = permissions.sponsors_for(user, Action.UPLOAD)
    uploads = Upload.objects.select_related("sponsor", "user")
    if permissions.is_state_staff(user):
        return uploads
    return uploads.filter(Q(sponsor__in=sponsors) | Q(user=user))


def may_see_upload(user, upload) -> bool:
    """The submitter, anyone who may upload for its sponsor, and state staff for uploads whose
    sponsor was never known (a file rejected before its first record was read)."""
    if upload.user_id == user.pk:
        return True
    if upload.sponsor_id:
        return permissions.can(user, Action.UPLOAD, sponsor=upload.sponsor)
    return permissions.can(user, Action.EDIT_REFERENCE)
