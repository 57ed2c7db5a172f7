"""Is this transcript genuine? For the public verification page and `sts_verify`.

A PDF is genuine when its PAdES signature is intact, covers the whole file and was made by the
configured certificate, and its sha256 is the one stored when it was issued. A code is genuine
when it is the code of an issued transcript. Either way the answer names the student, BSSY and
version and says whether it is the current version, superseded, or withdrawn.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils import timezone

from .models import OfficialTranscript
from .pdf import normalise_code
from .signing import SigningNotConfigured, check_signature


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    message: str
    transcript: OfficialTranscript | None = None

    def to_json(self) -> dict:
        t = self.transcript if self.genuine else None
        return {"genuine": self.genuine, "state_id": t.state_id if t else None, "bssy": t.bssy if t else None,
                "version": t.version if t else None, "current": t.current if t else None,
                "standing": t.standing if t else None, "message": self.message}


def _found(t: OfficialTranscript, lead: str) -> Verdict:
    if t.withdrawn_at:  # a verifier must never read a withdrawn transcript as current
        return Verdict(True, f"{lead}, but WITHDRAWN: version [{t.version}] was genuine but has been withdrawn by "
                             f"LDOE on {timezone.localtime(t.withdrawn_at):%m/%d/%Y}; it is not a current official "
                             "transcript.", t)
    if t.current:
        return Verdict(True, f"{lead}: version [{t.version}], the current official transcript.", t)
    why = t.withdrawn_reason or ("superseded by a later version" if t.superseded_by_id else "superseded")
    return Verdict(True, f"{lead}, but NOT current: version [{t.version}] was {why[0].lower()}{why[1:]}.", t)


def verify_pdf(data: bytes) -> Verdict:
    try:
        check = check_signature(data)
    except SigningNotConfigured:
        return Verdict(False, "Verification is not available: this installation has no signing certificate configured.")
    if not check.genuine:
        return Verdict(False, f"Not genuine: {check.problem}")
    digest = hashlib.sha256(data).hexdigest()
    transcript = OfficialTranscript.objects.select_related("site", "sponsor").filter(sha256=digest).first()
    if transcript is None:
        return Verdict(False, "Not genuine: the signature is valid but this file is not one the Student Transcript "
                              "System issued.")
    return _found(transcript, "Genuine and unaltered")


def verify_code(code: str) -> Verdict:
    code = normalise_code(code)
    transcript = OfficialTranscript.objects.select_related("site", "sponsor").filter(code=code).first() if code else None
    if transcript is None:
        return Verdict(False, "No official transcript has this verification code. Check the code as printed at the "
                              "foot of each page.")
    return _found(transcript, "The code is that of an issued official transcript (compare the paper with the issued "
                              "copy)")
