"""Certify and un-certify a site's graduates for a BSSY, and issue official transcripts (the OTS queue).

Callers check permissions first (`permissions.require_write(user, Action.CERTIFY, ...)`); these
functions do the work. Issuing runs in Celery workers (`tasks.issue_transcripts`), or in-process
for the command line; both go through `issue_entry`, which is safe to run twice for the same entry.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Subquery
from django.utils import timezone

from sts import clock

from transcripts.graduates import graduates, last_graduate_change
from transcripts.models import GraduateDataChange, Student
from transcripts.progress_store import recompute

from . import pdf
from sts import jobs

from .models import Certification, IssueBatch, OfficialTranscript, OtsEntry
from .readiness import PUBLIC_KINDS, SiteState, reasons_not_ready, site_state
from .signing import SigningNotConfigured, require_signer, sign_pdf
from .transcript import Gatherer, facts_of, progress_stale, students_for_transcripts

log = logging.getLogger(__name__)
CHUNK = getattr(settings, "STS_OTS_CHUNK", 25)

NONPUBLIC_MESSAGE = ("Nonpublic schools do not certify graduates: the guide's certification is for public and "
                     "charter schools only.")


class NotCertifiable(Exception):
    """A site that cannot be certified (nonpublic sponsor), with the message to show."""


# --- state -------------------------------------------------------------------------------------

def latest_certification(site_id: int, bssy: int) -> Certification | None:
    return Certification.objects.filter(site_id=site_id, bssy=bssy).order_by("-at", "-id").first()


def _state(latest: Certification | None, change: GraduateDataChange | None) -> SiteState:
    local = timezone.localtime  # the state is shown to people in Louisiana time
    return site_state(latest.action if latest else None, local(latest.at) if latest else None,
                      latest.by if latest else "", local(change.changed_at) if change else None,
                      change.changed_by if change else "", change.source if change else "")


def state_of(site_id: int, bssy: int) -> SiteState:
    return _state(latest_certification(site_id, bssy),
                  GraduateDataChange.objects.filter(site_id=site_id, bssy=bssy).first())


def states_of(site_ids, bssy: int) -> dict[int, SiteState]:
    """State of many sites in two queries (Site List, Home, the Certify screen)."""
    site_ids = list(site_ids)
    latest = {}
    for c in Certification.objects.filter(site_id__in=site_ids, bssy=bssy).order_by("site_id", "-at", "-id"):
        latest.setdefault(c.site_id, c)
    changes = {c.site_id: c for c in GraduateDataChange.objects.filter(site_id__in=site_ids, bssy=bssy)}
    return {sid: _state(latest.get(sid), changes.get(sid)) for sid in site_ids}


def site_graduates(site, bssy: int):
    """The site's graduates (graduation date kept or removed) with what readiness and the PDF read."""
    return students_for_transcripts(graduates(Student.objects.filter(site=site, bssy=bssy))).order_by(
        "last_name", "first_name", "state_id")


@dataclass
class Readiness:
    ready: list = field(default_factory=list)  # students
    not_ready: list = field(default_factory=list)  # (student, reasons)


def readiness(site, bssy: int, students=None) -> Readiness:
    out = Readiness()
    for student in (site_graduates(site, bssy) if students is None else students):
        reasons = reasons_not_ready(facts_of(student))
        (out.not_ready.append((student, reasons)) if reasons else out.ready.append(student))
    return out


def certifiable(site) -> None:
    if site.sponsor.kind not in PUBLIC_KINDS:
        raise NotCertifiable(NONPUBLIC_MESSAGE)


# --- certify / un-certify ----------------------------------------------------------------------

@dataclass
class CertifyOutcome:
    certification: Certification
    ready: list
    not_ready: list  # (student, reasons)
    entry_ids: list


def certify_site(site, bssy: int, *, by: str, queue: bool = True) -> CertifyOutcome:
    """Certify the site's graduates: every graduate goes into the OTS queue (Q); workers issue the
    ready ones (S) and reject the others with the reason (R), which the screen lists now. A signing
    key that is missing or unreadable stops it here, before anything is written or queued
    (SigningNotConfigured): a configuration fault is not a graduate's rejection."""
    certifiable(site)
    require_signer()
    stale = [s.pk for s in graduates(Student.objects.filter(site=site, bssy=bssy)).select_related("progress")
             if progress_stale(s)]
    if stale:  # "GPA calculated": the workers' recomputation after an upload may still be queued
        recompute(stale)
    with transaction.atomic():
        students = list(site_graduates(site, bssy))
        found = readiness(site, bssy, students)
        now = clock.now()
        certification = Certification.objects.create(
            site=site, bssy=bssy, action=Certification.CERTIFY, at=now, by=by, graduates=len(students),
            queued=len(found.ready),
            not_ready=[{"state_id": s.state_id, "reasons": r} for s, r in found.not_ready])
        entries = OtsEntry.objects.bulk_create([
            OtsEntry(certification=certification, student=s, state_id=s.state_id, bssy=bssy, sponsor_id=s.sponsor_id,
                     queued_at=now) for s in students])
        ids = [e.pk for e in entries] if entries and entries[0].pk else list(
            certification.entries.order_by("pk").values_list("pk", flat=True))
        if queue:
            queue_entries(ids, certification)
    return CertifyOutcome(certification, found.ready, found.not_ready, ids)


def queue_entries(entry_ids, certification=None):
    """Hand the entries to the workers in batches of CHUNK, each a job (sts/jobs.py)."""
    if not entry_ids:
        return []
    if certification is None:  # (None for nonpublic graduates' entries, queued without certification)
        certification = OtsEntry.objects.get(pk=entry_ids[0]).certification
    batches = []
    with transaction.atomic():
        for start in range(0, len(entry_ids), CHUNK):
            batch = IssueBatch.objects.create(certification=certification, entry_ids=list(entry_ids[start:start + CHUNK]),
                                              **jobs.queued_fields(IssueBatch))
            jobs.enqueue(batch)
            batches.append(batch)
    return batches


def issue_again(certification) -> int:
    """Issue again the graduates of failed batches of this certification that are still queued
    (the Certify screen's "Issue again"). Returns how many entries were queued."""
    failed = list(certification.batches.filter(status=IssueBatch.JOB_FAILED))
    ids = [pk for b in failed for pk in b.entry_ids]
    waiting = list(OtsEntry.objects.filter(pk__in=ids, status=OtsEntry.QUEUED).order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        IssueBatch.objects.filter(pk__in=[b.pk for b in failed]).update(status="done", message="Issued again in a new batch")
        queue_entries(waiting, certification)
    return len(waiting)


UNCERTIFIED_REASON = "Withdrawn: site un-certified on {at:%m/%d/%Y %H:%M} by {by}"


def uncertify_site(site, bssy: int, *, by: str) -> tuple[Certification, int]:
    """Un-certify: a new history row (nothing deleted). The site's current official transcripts of
    the BSSY stay stored and verifiable but are withdrawn (no longer current); graduates still
    queued are rejected. Returns (row, transcripts withdrawn)."""
    certifiable(site)
    with transaction.atomic():
        now = clock.now()
        row = Certification.objects.create(site=site, bssy=bssy, action=Certification.UNCERTIFY, at=now, by=by)
        reason = UNCERTIFIED_REASON.format(at=timezone.localtime(now), by=by)
        withdrawn = OfficialTranscript.objects.filter(site=site, bssy=bssy, superseded_at__isnull=True).update(
            superseded_at=now, withdrawn_reason=reason[:200])
        OtsEntry.objects.filter(certification__site=site, certification__bssy=bssy, status=OtsEntry.QUEUED).update(
            status=OtsEntry.REJECTED, processed_at=now, reason="Site un-certified before the transcript was issued")
    return row, withdrawn


# --- issuing (the OTS worker) --------------------------------------------------------------------

class IssueProblem(jobs.JobRefused):
    """Some transcripts of a batch could not be produced (a configuration fault or a defect): their
    graduates stay queued, never rejected, and the batch fails with this message."""


def run_batch(batch):
    """The OTS worker's job: process the batch's entries, then end it (sts/jobs.py)."""
    process_entries(batch.entry_ids)
    jobs.finish(batch, "done")


def process_entries(entry_ids) -> dict:
    """Issue or reject each queued entry; returns {"S": n, "R": n, "skipped": n}.

    A transient database error (a lock, a deadlock, a lost connection) is retried with backoff; it
    never rejects a student. A signing fault stops the batch at once; another error leaves that
    graduate queued, processes the rest, then raises IssueProblem. R carries only the guide's reasons."""
    gatherer = Gatherer()
    counts = {"S": 0, "R": 0, "skipped": 0}
    failed = []
    for entry_id in entry_ids:
        try:
            status = jobs.retry_transient(issue_entry, entry_id, gatherer)
        except SigningNotConfigured as exc:
            log.error("OTS entry %s: %s", entry_id, exc)
            raise IssueProblem(f"Official transcripts cannot be signed: {exc} The graduates stay in the OTS queue; "
                               "state staff must fix the signing configuration, then issue again.") from exc
        except jobs.StillTransient:
            raise
        except Exception:  # a defect must not kill the worker nor reject the graduate
            log.exception("OTS entry %s failed", entry_id)
            failed.append(entry_id)
            continue
        counts[status or "skipped"] += 1
    if failed:
        raise IssueProblem(f"{len(failed)} official transcript{'s' if len(failed) != 1 else ''} could not be produced "
                           "(the error was logged for support); those graduates stay in the OTS queue. The others were "
                           "processed. Issue again once support has looked at it.")
    return counts


def locked_entry(entry_id: int) -> OtsEntry | None:
    """The entry, locked for the caller's transaction. of=("self",): the entry row only. Without it
    PostgreSQL also locks the joined certification and site rows, and every worker's entries of one
    site wait for each other (measured: 2 worker processes issued no faster than one)."""
    return (OtsEntry.objects.select_for_update(of=("self",)).select_related("certification", "certification__site")
            .filter(pk=entry_id).first())


def issue_entry(entry_id: int, gatherer: Gatherer | None = None) -> str | None:
    """Process one queued entry. Returns "S" or "R", or None when there was nothing to do (already
    processed: a redelivered task). Never issues for a certification that is no longer the site's
    current one, nor over a newer version."""
    gatherer = gatherer or Gatherer()
    with transaction.atomic():
        entry = locked_entry(entry_id)
        if entry is None or entry.status != OtsEntry.QUEUED:
            return None
        entry.attempts += 1
        cert = entry.certification

        def reject(reason):
            entry.status, entry.reason, entry.processed_at = OtsEntry.REJECTED, reason[:500], clock.now()
            entry.save(update_fields=["status", "reason", "processed_at", "attempts"])
            return OtsEntry.REJECTED

        if cert is not None:  # public/charter: only for the site's current, unchanged certification
            latest = latest_certification(cert.site_id, cert.bssy)
            if latest is None or latest.pk != cert.pk:
                return reject("Site not certified: the certification this graduate was queued for was replaced "
                              "(un-certified or certified again) before the transcript was issued")
            changed = last_graduate_change(cert.site_id, cert.bssy)
            if changed is not None and changed > cert.at:
                return reject(f"Site not certified: graduate data changed on {timezone.localtime(changed):%m/%d/%Y %H:%M} "
                              "after the certification; recertify the site")
        # The student row is locked while its version is decided: no two versions at once.
        locked = Student.objects.select_for_update().filter(sponsor_id=entry.sponsor_id, bssy=entry.bssy,
                                                            state_id=entry.state_id).values_list("pk", "site_id").first()
        if locked is None:
            return reject("The student is no longer on file")
        if cert is not None and locked[1] != cert.site_id:
            return reject("The student is no longer at the certified site")
        student = students_for_transcripts(Student.objects.filter(pk=locked[0])).get()
        if progress_stale(student):
            recompute([student.pk])
            student = students_for_transcripts(Student.objects.filter(pk=locked[0])).get()
        reasons = reasons_not_ready(facts_of(student))
        if reasons:
            return reject("; ".join(reasons))
        data = gatherer.data(student)
        versions = OfficialTranscript.objects.filter(sponsor_id=entry.sponsor_id, state_id=entry.state_id,
                                                     bssy=entry.bssy)
        current = versions.filter(superseded_at__isnull=True).order_by("-version").first()
        if cert is not None and current is not None and current.certification_id and current.certification.at > cert.at:
            return reject("A newer official transcript was already issued")
        content_hash = data.data_hash()
        if current is not None and current.data_hash == content_hash:
            transcript = current
            entry.reason = f"Unchanged since version [{current.version}], which stays current"
        else:
            version = (versions.aggregate(n=Max("version"))["n"] or 0) + 1
            transcript = _issue(student, data, content_hash, version, cert)
            if current is not None:
                OfficialTranscript.objects.filter(pk=current.pk).update(superseded_at=transcript.issued_at,
                                                                        superseded_by=transcript)
            entry.reason = ""
        entry.status, entry.transcript, entry.processed_at = OtsEntry.SENT, transcript, clock.now()
        entry.save(update_fields=["status", "reason", "transcript", "processed_at", "attempts"])
        return OtsEntry.SENT


def _issue(student, data, content_hash, version, cert) -> OfficialTranscript:
    now = clock.now()
    code = pdf.new_code()
    official = pdf.issued(data, version=version, certified_at=cert.at if cert else None,
                          certified_by=cert.by if cert else "", code=code, issued_at=now)
    body, pages = pdf.render(official)
    signed = sign_pdf(body, reason=f"Official transcript {student.state_id} {student.bssy} version [{version}]")
    relative = Path("transcripts") / str(student.bssy) / student.sponsor.code / (
        f"{student.state_id}-v{version}-{secrets.token_hex(6)}.pdf")
    target = Path(settings.PRIVATE_MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = jobs.temp_name(target)
    tmp.write_bytes(signed)
    try:
        with transaction.atomic():
            transcript = OfficialTranscript.objects.create(
                state_id=student.state_id, bssy=student.bssy, sponsor=student.sponsor, site=student.site,
                student=student, display_name=data.name[:80], graduation_date=data.graduation_date,
                site_name=data.site_name[:100], version=version, certification=cert, issued_at=now,
                path=str(relative), size=len(signed), pages=pages, sha256=hashlib.sha256(signed).hexdigest(),
                code=code, data_hash=content_hash)
            # Renamed into place with its row: a row never points at a missing or partial file; a
            # file left by a worker killed before the commit is one no row names (sweep_transcripts).
            jobs.publish(tmp, target)
            return transcript
    except BaseException:  # the row was not made: neither file stays (the name is this version's own)
        tmp.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise


def sweep_transcripts(older_than: float | None = None) -> int:
    """Transcript files that no OfficialTranscript names (a worker killed between writing the file
    and committing its row, or an outer transaction rolled back), and temporary files left behind.
    Returns how many were removed."""
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "transcripts"
    removed = jobs.sweep_temporary(root, older_than)
    if not root.exists():
        return removed
    limit = time.time() - (jobs.stale_seconds() if older_than is None else older_than)
    for folder in {p.parent for p in root.rglob("*.pdf")}:
        files = {str(p.relative_to(settings.PRIVATE_MEDIA_ROOT)): p for p in folder.glob("*.pdf")
                 if not p.name.startswith(jobs.TEMP_MARK)}
        named = set(OfficialTranscript.objects.filter(path__in=list(files)).values_list("path", flat=True))
        for relative, path in files.items():
            if relative not in named and path.stat().st_mtime <= limit:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


# --- nonpublic graduates (issue 20): into the OTS queue without certification ---------------------

NONPUBLIC_KIND = "nonpublic"


def queue_nonpublic_graduates(student_ids) -> list[int]:
    """Queue the nonpublic graduates among these students (their progress was just stored: after a
    batch upload, online entry, reassignment or recompute). Certification is public/charter only,
    so a nonpublic graduate enters the queue as soon as its record has a graduation date; the
    worker then checks the conditions that apply to it (`readiness.reasons_not_ready`). Skipped:
    a graduate already queued, or one queued since its site's graduate data last changed. Returns
    the entry ids."""
    from django.db.models import Exists, OuterRef

    pending = OtsEntry.objects.filter(sponsor_id=OuterRef("sponsor_id"), state_id=OuterRef("state_id"),
                                      bssy=OuterRef("bssy"))
    changes = GraduateDataChange.objects.filter(site_id=OuterRef("site_id"), bssy=OuterRef("bssy"))
    students = list(graduates(Student.objects.filter(pk__in=list(student_ids), sponsor__kind=NONPUBLIC_KIND))
                    .annotate(queued=Exists(pending.filter(status=OtsEntry.QUEUED)),
                              changed=Subquery(changes.values("changed_at")[:1]),
                              last_entry=Subquery(pending.order_by("-queued_at").values("queued_at")[:1]))
                    .filter(queued=False).values_list("pk", "state_id", "sponsor_id", "bssy", "changed", "last_entry"))
    now = timezone.now()
    entries = OtsEntry.objects.bulk_create([
        OtsEntry(certification=None, student_id=pk, state_id=state_id, bssy=bssy, sponsor_id=sponsor_id, queued_at=now)
        for pk, state_id, sponsor_id, bssy, changed, last in students
        if last is None or (changed is not None and changed >= last)])
    ids = [e.pk for e in entries] + _stranded_nonpublic(student_ids)
    queue_entries(ids, None)  # issue batches without certification, sent on commit
    return ids


def _stranded_nonpublic(student_ids) -> list[int]:
    """Queued entries of these students left by a nonpublic batch that failed for good (a signing
    fault, say): there is no Certify screen to issue them again, so the next change does. Those
    failed batches are marked as issued again."""
    failed = list(IssueBatch.objects.filter(certification=None, status=IssueBatch.JOB_FAILED).values_list(
        "pk", "entry_ids"))
    if not failed:
        return []
    waiting = set(OtsEntry.objects.filter(pk__in=[pk for _b, ids in failed for pk in ids], status=OtsEntry.QUEUED,
                                          student_id__in=list(student_ids)).values_list("pk", flat=True))
    IssueBatch.objects.filter(pk__in=[b for b, ids in failed if waiting & set(ids)]).update(
        status="done", message="Issued again in a new batch")
    return sorted(waiting)


# --- withdrawing one transcript (state staff) --------------------------------------------------------

REASON_MAX = 150


class NotWithdrawable(Exception):
    """A withdrawal that cannot be done, with the message to show."""


def withdraw_transcript(transcript_id: int, *, by: str, reason: str) -> OfficialTranscript:
    """Withdraw one issued transcript (guide, Appendix N: "contact ... LDOE to delete the student from
    OTS"): it stays in the history marked "Withdrawn on DATE by USER: REASON", is no longer current,
    and /verify/ says it was genuine but withdrawn. The rest of the site is untouched."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise NotWithdrawable("Reason: say why the transcript is withdrawn (it is kept in the history).")
    if len(reason) > REASON_MAX:
        raise NotWithdrawable(f"Reason: at most {REASON_MAX} characters (it has {len(reason)}).")
    with transaction.atomic():
        t = OfficialTranscript.objects.select_for_update().filter(pk=transcript_id).first()
        if t is None:
            raise NotWithdrawable("There is no such official transcript.")
        if t.superseded_at is not None:
            raise NotWithdrawable(f"Version [{t.version}] is not current ({t.standing}): only the current "
                                  "transcript can be withdrawn.")
        now = timezone.now()
        t.superseded_at, t.withdrawn_at, t.withdrawn_by = now, now, by[:150]
        t.withdrawn_reason = f"Withdrawn on {timezone.localtime(now):%m/%d/%Y} by {by}: {reason}"[:200]
        t.save(update_fields=["superseded_at", "withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    return t


def ots_counts(site_ids, bssy: int) -> dict:
    """{site id: students with a current official transcript} (the Site List's "in OTS")."""
    from django.db.models import Count

    rows = (OfficialTranscript.objects.filter(site_id__in=list(site_ids), bssy=bssy, superseded_at__isnull=True)
            .values("site_id").annotate(n=Count("state_id", distinct=True)))
    return {r["site_id"]: r["n"] for r in rows}


def certify_and_issue(site, bssy: int, *, by: str) -> CertifyOutcome:
    """The command line's synchronous certification: certify, then issue in this process."""
    outcome = certify_site(site, bssy, by=by, queue=False)
    process_entries(outcome.entry_ids)
    return outcome

