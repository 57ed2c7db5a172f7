"""Named queries other apps call (Home, the reports, the core reference tables)."""
import datetime as dt

from django.db.models import Q

from sts.accounts import permissions
from sts.accounts.permissions import Action

from .models import CollectionPeriod, Curriculum, PriorPeriodRequest, SetCourse
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


def cohort_curricula(cohort: int):
    """Curricula a student of this graduation cohort may follow, diploma paths first."""
    return Curriculum.objects.filter(
        Q(last_grad_bssy__isnull=True) | Q(last_grad_bssy__gte=cohort), first_grad_bssy__lte=cohort,
    ).order_by("-kind", "code")


def cohort_set_courses(cohort: int, curriculum: str | None = None, category: str | None = None,
                       set_code: str | None = None):
    """Set courses in effect for the cohort (effective <= cohort <= expiration, an empty
    expiration never expires: the engine's `SetCourse.applies_to`), in report order."""
    rows = SetCourse.objects.filter(
        Q(expiration_grad_bssy__isnull=True) | Q(expiration_grad_bssy__gte=cohort),
        effective_grad_bssy__lte=cohort, category__curriculum__in=cohort_curricula(cohort),
    ).select_related("course", "category__curriculum")
    if curriculum:
        rows = rows.filter(category__curriculum__code=curriculum)
    if category:
        rows = rows.filter(category__code=category)
    if set_code:
        rows = rows.filter(set_code=set_code)
    return rows.order_by("-category__curriculum__kind", "category__curriculum__code", "category__code", "set_code",
                         "course__code")
