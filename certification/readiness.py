"""Is a graduate ready for an official transcript? Plain Python over stored data (no ORM here).

The guide's OTS conditions (STS Link to Official Transcript System): "(1) Have completed the
curriculum requirements (2) Have a graduation date (3) Have their GPA calculated (4) Have their
school site certified (public/charter schools only) (5) Passed GEE/EOC flag checked
(public/charter schools only)". The Certify screen, `sts_certify` and the OTS worker all ask
`reasons_not_ready`; the site's certification (4) is checked by the worker against the current
certification, since it is what is being decided here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

PUBLIC_KINDS = frozenset({"public", "charter"})


@dataclass(frozen=True)
class GraduateFacts:
    """What readiness reads of a stored graduate and its stored progress result."""
    state_id: str
    sponsor_kind: str
    graduation_date: dt.date | None
    removed_graduation_date: dt.date | None = None
    removal_reasons: tuple[str, ...] = ()
    gee_flag: str = ""
    diploma_path: str = ""
    has_progress: bool = False
    overall_gpa: Decimal | None = None
    meets_graduation: bool = False
    check_reasons: tuple[str, ...] = ()  # the stored graduation check's removal reasons
    overridden: bool = False  # a graduation override holds for the graduation date
    extra: dict = field(default_factory=dict, compare=False)


# Short reasons as the OTS history box and the rejections list print them.
REMOVAL_REASON_TEXT = {"2": "fewer than the required credits", "3": "diploma path categories not met",
                       "4": "Met GEE/EOC flag is not Y", "5": "CD pathway requires career option CDV",
                       "6": "Jump Start graduate without a passed IBC, J1-J4 endorsement and uploaded credential"}


def reasons_not_ready(g: GraduateFacts) -> list[str]:
    """The reasons this graduate cannot have an official transcript; empty when ready."""
    reasons = []
    if g.graduation_date is None:
        if g.removed_graduation_date is not None:
            why = ", ".join(f"{c} {REMOVAL_REASON_TEXT.get(c, '')}".strip() for c in g.removal_reasons)
            reasons.append(f"Graduation date {g.removed_graduation_date:%m/%d/%Y} removed by the graduation check"
                           + (f" ({why})" if why else "") + ": correct the records or enter an override")
        else:
            reasons.append("No graduation date")
    if not g.diploma_path:
        reasons.append("No diploma pathway")
    if not g.has_progress or g.overall_gpa is None:
        reasons.append("GPA not calculated (no graded course on file)" if g.has_progress else "GPA not calculated")
    elif g.graduation_date is not None and not g.overridden and not g.meets_graduation:
        # Reason 4 (GEE/EOC) is its own condition below.
        missing = [f"{c} {REMOVAL_REASON_TEXT.get(c, '')}".strip() for c in g.check_reasons if c != "4"]
        if missing:
            reasons.append(f"Curriculum requirements not complete ({', '.join(missing)})")
    if g.sponsor_kind in PUBLIC_KINDS and g.gee_flag != "Y":
        reasons.append("Met GEE/EOC flag is not Y" + (f" (it is {g.gee_flag!r})" if g.gee_flag else " (blank)"))
    return reasons


def split_ready(graduates: list[GraduateFacts]) -> tuple[list[GraduateFacts], list[tuple[GraduateFacts, list[str]]]]:
    """(ready, [(not ready, reasons)]) in the given order."""
    ready, not_ready = [], []
    for g in graduates:
        reasons = reasons_not_ready(g)
        if reasons:
            not_ready.append((g, reasons))
        else:
            ready.append(g)
    return ready, not_ready


# --- certification state of a site ---------------------------------------------------------------

@dataclass(frozen=True)
class SiteState:
    """Never certified / certified on DATE by USER / needs recertification since DATE because of
    WHAT / un-certified on DATE by USER."""
    code: str  # never | certified | needs_recertification | uncertified
    certified_at: dt.datetime | None = None
    certified_by: str = ""
    changed_at: dt.datetime | None = None
    changed_by: str = ""
    change_source: str = ""
    uncertified_at: dt.datetime | None = None
    uncertified_by: str = ""

    @property
    def is_certified(self) -> bool:
        return self.code in ("certified", "needs_recertification")

    def describe(self) -> str:
        if self.code == "never":
            return "Never certified"
        if self.code == "uncertified":
            return f"Un-certified on {_when(self.uncertified_at)} by {self.uncertified_by}"
        text = f"Certified on {_when(self.certified_at)} by {self.certified_by}"
        if self.code == "needs_recertification":
            what = self.change_source or "a change"
            text = (f"Needs recertification since {_when(self.changed_at)} because of {_source_text(what)}"
                    + (f" by {self.changed_by}" if self.changed_by else "") + f" (last {text[0].lower()}{text[1:]})")
        return text


def _when(moment) -> str:
    return "" if moment is None else f"{moment:%m/%d/%Y %H:%M}"


def _source_text(source: str) -> str:
    """The GraduateDataChange source as a person reads it ("upload #12", "online", "restore")."""
    words = {"online": "online entry", "batch": "a batch upload", "restore": "a restore of deleted records", "reassignment": "a reassignment",
             "delete": "a deletion", "override": "a graduation override", "rollover": "the rollover"}
    return words.get(source, source)


def site_state(latest_action: str | None, action_at=None, action_by: str = "", changed_at=None,
               changed_by: str = "", change_source: str = "") -> SiteState:
    """The state from the latest certification row (action, when, who) and the site's last
    graduate data change (`transcripts.graduates.last_graduate_change`)."""
    if latest_action is None:
        return SiteState("never")
    if latest_action == "uncertify":
        return SiteState("uncertified", uncertified_at=action_at, uncertified_by=action_by)
    if changed_at is not None and changed_at > action_at:
        return SiteState("needs_recertification", action_at, action_by, changed_at, changed_by, change_source)
    return SiteState("certified", action_at, action_by)
