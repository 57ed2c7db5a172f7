"""Collection periods: which BSSY is current and whether a BSSY accepts writes today."""
import datetime as dt
from dataclasses import dataclass

from sts import clock


@dataclass(frozen=True)
class PeriodStatus:
    bssy: int
    open: bool
    message: str


def default_window(bssy: int) -> tuple[dt.date, dt.date]:
    """The guide's normal collection: December 1 of the BSSY to September 30 of the next year."""
    return dt.date(bssy, 12, 1), dt.date(bssy + 1, 9, 30)


def session_bssy(day: dt.date) -> int:
    """The BSSY whose school session (July to June) contains `day`."""
    return day.year if day.month >= 7 else day.year - 1


def current_bssy(today: dt.date | None = None) -> int:
    """The year users work in by default: the period state staff flag as current; else the year
    still open. STS "will open ... in December and remain open until September 30th", so from July
    to September 30 the year just ended is still the one being collected, not the session that
    began in July (it opens in December); outside any window, the session year."""
    from .models import CollectionPeriod

    flagged = CollectionPeriod.objects.filter(is_current=True).order_by("-bssy").first()
    if flagged:
        return flagged.bssy
    today = today or clock.today()
    session = session_bssy(today)
    if not period_status(session, today=today).open and period_status(session - 1, today=today).open:
        return session - 1
    return session


def fmt_bssy(bssy: int) -> str:
    return f"{bssy}-{(bssy + 1) % 100:02d}"


def period_status(bssy: int, sponsor_code: str | None = None, today: dt.date | None = None) -> PeriodStatus:
    """Is `bssy` open for writes by `sponsor_code` on `today`?

    Open when its period (configured, else the default window) contains today and it is not closed
    for maintenance, or when state staff approved a Prior Collection Period Access Request for the
    sponsor that has not expired.
    """
    from .models import CollectionPeriod, PriorPeriodRequest

    today = today or clock.today()
    period = CollectionPeriod.objects.filter(bssy=bssy).first()
    if period and period.closed_for_maintenance:
        why = period.maintenance_message or "closed for maintenance"
        return PeriodStatus(bssy, False, f"The {fmt_bssy(bssy)} collection period is {why}.")
    opens, closes = (period.opens, period.closes) if period else default_window(bssy)
    if opens <= today <= closes:
        return PeriodStatus(bssy, True, f"The {fmt_bssy(bssy)} collection period is open until {closes:%m/%d/%Y}.")
    if sponsor_code:
        granted = PriorPeriodRequest.objects.filter(
            sponsor__code=sponsor_code, bssy=bssy, status="approved", access_until__gte=today
        ).order_by("-access_until").first()
        if granted:
            return PeriodStatus(bssy, True, f"{fmt_bssy(bssy)} is open for {sponsor_code} by prior "
                                            f"period access until {granted.access_until:%m/%d/%Y}.")
    if today < opens:
        return PeriodStatus(bssy, False, f"The {fmt_bssy(bssy)} collection period opens {opens:%m/%d/%Y}.")
    return PeriodStatus(bssy, False, f"The {fmt_bssy(bssy)} collection period closed {closes:%m/%d/%Y}. "
                                     "Submit a Prior Collection Period Access Request to change its data.")
