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
