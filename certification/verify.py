"""Is this transcript genuine? For the public verification page and `sts_verify`.

A PDF is genuine when its PAdES signature is intact, covers the whole file and was made by the
configured certificate, and its sha256 is the one stored when it was issued. A code is genuine
when it is the code of an issued transcript. Either way the answer says genuine / changed /
withdrawn / not ours and states only what the holder of the paper already reads on it: the
issuing school, the student's name as printed, the graduation date, the version and its issue
time. Never a State ID, a birth date, a grade, nor who on the staff withdrew it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils import timezone

from .models import OfficialTranscript
from .pdf import normalise_code
from .signing import MANIFEST_FIELD, SigningNotConfigured, check_signature

# Outcomes, as the page and `sts_verify` name them.
CURRENT, SUPERSEDED, WITHDRAWN, CHANGED, NOT_OURS, MANIFEST = (
    "current", "superseded", "withdrawn", "changed", "not ours", "manifest")
# The reason an un-certification stores (certification.services.UNCERTIFIED_REASON) starts so.
UNCERTIFIED_PREFIX = "Withdrawn: site un-certified"


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    message: str
    transcript: OfficialTranscript | None = None
    outcome: str = NOT_OURS

    @property
    def current(self) -> bool:
        return self.outcome == CURRENT

    def facts(self) -> dict:
        """What a verification may tell anyone: the facts printed on the transcript's first lines."""
        t = self.transcript if self.genuine else None
        if t is None:
            return {}
        return {"school": f"{t.site_name or t.site.name} ({t.site.code})", "sponsor": t.sponsor.name,
                "student": t.display_name,
                "graduation_date": t.graduation_date, "version": t.version,
                "issued_at": timezone.localtime(t.issued_at)}


def withdrawn_by(t: OfficialTranscript) -> str:
    """Who withdrew it, as the public may read it: the school (un-certified its graduates) or the
    Department (any other withdrawal). Never a person or a user ID."""
    if t.withdrawn_reason.startswith(UNCERTIFIED_PREFIX):
        return "the school"
    return "the Louisiana Department of Education"


def _found(t: OfficialTranscript, lead: str) -> Verdict:
    if t.withdrawn_at:  # a verifier must never read a withdrawn transcript as current
        return Verdict(True, f"{lead}, but WITHDRAWN: version [{t.version}] was genuine but has been withdrawn by "
                             f"LDOE on {timezone.localtime(t.withdrawn_at):%m/%d/%Y}; it is not a current official "
                             "transcript.", t, WITHDRAWN)
    if t.current:
        return Verdict(True, f"{lead}: version [{t.version}], the current official transcript.", t, CURRENT)
    when = timezone.localtime(t.superseded_at)
    if t.withdrawn:
        return Verdict(True, f"{lead}, but WITHDRAWN: version [{t.version}] was withdrawn by {withdrawn_by(t)} on "
                             f"{when:%m/%d/%Y} and is no longer a valid official transcript.", t, WITHDRAWN)
    return Verdict(True, f"{lead}, but NOT current: version [{t.version}] was superseded by a later version on "
                         f"{when:%m/%d/%Y}; ask the student for the current one.", t, SUPERSEDED)


def _transcripts():
    return OfficialTranscript.objects.select_related("site", "sponsor")


def verify_pdf(data: bytes) -> Verdict:
    try:
        check = check_signature(data)
    except SigningNotConfigured:
        return Verdict(False, "Verification is not available: this installation has no signing certificate configured.")
    if not check.genuine:
        outcome = CHANGED if check.changed else NOT_OURS
        return Verdict(False, f"Not genuine: {check.problem}", outcome=outcome)
    if check.field == MANIFEST_FIELD:
        return Verdict(False, "Genuine and unaltered manifest of a download of official transcripts, signed by the "
                              "Louisiana Department of Education. A manifest is not a transcript: check each "
                              "transcript PDF of the download itself.", outcome=MANIFEST)
    digest = hashlib.sha256(data).hexdigest()
    transcript = _transcripts().filter(sha256=digest).first()
    if transcript is None:
        return Verdict(False, "Not genuine: the signature is valid but this file is not one the Student Transcript "
                              "System issued.")
    return _found(transcript, "Genuine and unaltered")


def verify_code(code: str) -> Verdict:
    code = normalise_code(code)
    transcript = _transcripts().filter(code=code).first() if code else None
    if transcript is None:
        return Verdict(False, "No official transcript has this verification code. Check the code as printed at the "
                              "foot of each page.")
    return _found(transcript, "The code is that of an issued official transcript (compare the facts below with "
                              "the paper)")
