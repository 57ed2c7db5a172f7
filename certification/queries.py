"""Named queries other apps call (Student Detail, Site List, Home); each is scoped by the caller's
permission checks or by `permissions` here."""
from __future__ import annotations

from dataclasses import dataclass

from sts.accounts import permissions
from sts.accounts.permissions import Action

from .models import OfficialTranscript, OtsEntry


@dataclass(frozen=True)
class HistoryLine:
    """One line of the Official Transcript History box (guide, Appendix N: BSSY and sponsor, OTS
    status, date/time, the reason of an R)."""
    entry: OtsEntry
    bssy: int
    sponsor: str
    version: int | None
    status: str
    status_label: str
    at: object
    reason: str
    standing: str  # current | superseded | Withdrawn: ...
    transcript: OfficialTranscript | None


def official_transcripts(student) -> list[HistoryLine]:
    """Every OTS entry of the student's State ID and BSSY at its sponsor, newest first. The caller
    has checked that the user may see the student."""
    entries = (OtsEntry.objects.filter(sponsor_id=student.sponsor_id, state_id=student.state_id, bssy=student.bssy)
               .select_related("sponsor", "transcript").order_by("-queued_at", "-id"))
    lines = []
    for e in entries:
        t = e.transcript
        lines.append(HistoryLine(e, e.bssy, e.sponsor.code, t.version if t else None, e.status,
                                 e.get_status_display(), e.processed_at or e.queued_at, e.reason,
                                 t.standing if t else "", t))
    return lines


def sites_needing_recertification(user, bssy: int):
    """The certified sites of the user's scope whose graduate data changed since (Home, Site List)."""
    from .services import states_of

    sites = list(permissions.sites_for(user, Action.VIEW).filter(sponsor__kind__in=("public", "charter")))
    states = states_of([s.pk for s in sites], bssy)
    return [(s, states[s.pk]) for s in sites if states[s.pk].code == "needs_recertification"]


def site_states(site_ids, bssy: int):
    from .services import states_of

    return states_of(site_ids, bssy)
