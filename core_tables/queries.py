"""Named queries other apps call (Home)."""
import datetime as dt

from sts.accounts import permissions
from sts.accounts.permissions import Action

from .models import CollectionPeriod, PriorPeriodRequest
from .periods import default_window


def open_prior_requests(user, today: dt.date):
    """Prior-period requests that need the user's attention: every pending one for LDOE (who
    decides them); for an LEA user who may request, its sponsor's pending ones and the approved
    ones still open."""
    requests = PriorPeriodRequest.objects.select_related("sponsor").order_by("requested_at")
    if permissions.can(user, Action.APPROVE_PRIOR_PERIOD):
        return list(requests.filter(status="pending"))
    if not user.sponsor_id or not permissions.can(user, Action.REQUEST_PRIOR_PERIOD, sponsor=user.sponsor):
        return []
    from django.db.models import Q

    return list(requests.filter(Q(status="pending") | Q(status="approved", access_until__gte=today),
                                sponsor_id=user.sponsor_id))


def period_closes(bssy: int) -> dt.date:
    """The last day the BSSY's collection period is open (configured, else the default window)."""
    period = CollectionPeriod.objects.filter(bssy=bssy).first()
    return period.closes if period else default_window(bssy)[1]
