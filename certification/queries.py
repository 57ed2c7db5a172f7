"""Named queries other apps call (Student Detail, Site List, Home); each is scoped by the caller's
permission checks or by `permissions` here."""
from __future__ import annotations

import re
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


# --- OTS search -----------------------------------------------------------------------------------

SEARCH_FIELDS = ("name", "state_id", "sponsor", "site", "grad_year", "superseded")


def _glob(text: str) -> str:
    return ".*".join(re.escape(part) for part in text.strip().split("*"))


def name_pattern(name: str) -> str:
    """The guide's OTS name search as a regular expression over "LAST, FIRST MIDDLE": a comma
    after the last name, then the first name; `*` before and/or after a name matches anything."""
    last, comma, first = name.partition(",")
    pattern = "^" + _glob(last) + ","
    if comma and first.strip():
        pattern += " " + _glob(first) + "( .*)?$"
    return pattern


def search_transcripts(user, params):
    """Official transcripts matching the OTS search, scoped to what `user` may see."""
    from transcripts.models import Student

    transcripts = OfficialTranscript.objects.select_related("site", "sponsor", "student")
    visible = permissions.scope_students(user, Student.objects.all())
    sites = permissions.sites_for(user, Action.VIEW)
    if permissions.consent_only(user):
        transcripts = transcripts.filter(student__in=visible)
    else:
        transcripts = transcripts.filter(site__in=sites)
    name = (params.get("name") or "").strip()
    if name:
        transcripts = transcripts.filter(display_name__iregex=name_pattern(name))
    if params.get("state_id"):
        transcripts = transcripts.filter(state_id=params["state_id"].strip())
    if params.get("sponsor"):
        transcripts = transcripts.filter(sponsor__code=params["sponsor"].strip().upper())
    if params.get("site"):
        transcripts = transcripts.filter(site__code=params["site"].strip().upper())
    if params.get("grad_year"):
        try:
            year = int(params["grad_year"])
        except ValueError:
            return transcripts.none()
        transcripts = transcripts.filter(bssy=year - 1)  # 2008 graduates are BSSY 2007 (2007-08)
    if params.get("superseded") != "1":
        transcripts = transcripts.filter(superseded_at__isnull=True)
    return transcripts.order_by("display_name", "state_id", "-bssy", "-version")


def sites_to_certify(user, bssy: int):
    """(site, state) of the user's public/charter sites with graduates in `bssy` that are not
    certified (never, or un-certified): Home's "what needs doing" for certifiers. Sites needing
    recertification are listed apart (`sites_needing_recertification`)."""
    from transcripts.graduates import graduates
    from transcripts.models import Student

    from .services import states_of

    sites = permissions.sites_for(user, Action.CERTIFY).filter(sponsor__kind__in=("public", "charter"))
    with_graduates = set(graduates(Student.objects.filter(bssy=bssy, site__in=sites)).values_list(
        "site_id", flat=True).distinct())
    chosen = [s for s in sites.order_by("code") if s.pk in with_graduates]
    states = states_of([s.pk for s in chosen], bssy)
    return [(s, states[s.pk]) for s in chosen if states[s.pk].code in ("never", "uncertified")]
