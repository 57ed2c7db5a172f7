"""Graduate site certification and the Official Transcript System (OTS) queue.

A site's certification state for a BSSY is the latest `Certification` row of (site, BSSY): rows
are never deleted or edited, so un-certifying and re-certifying leave the whole history.
Certifying queues each ready graduate as an `OtsEntry` (Q); a worker issues the official
transcript (S, a new `OfficialTranscript` version) or rejects it with the reason (R).
"""
from django.db import models

from core_tables.models import Site, Sponsor
from sts.jobs import JobModel


class Certification(models.Model):
    CERTIFY, UNCERTIFY = "certify", "uncertify"
    ACTIONS = [(CERTIFY, "Certified"), (UNCERTIFY, "Un-certified")]
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    bssy = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=9, choices=ACTIONS)
    at = models.DateTimeField()
    by = models.CharField(max_length=150)
    graduates = models.PositiveIntegerField(default=0)  # graduates of the site at the time
    queued = models.PositiveIntegerField(default=0)     # ready graduates queued for OTS
    not_ready = models.JSONField(default=list, blank=True)  # [{"state_id", "reasons"}] at the time

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["site", "bssy", "-at"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.site_id} {self.bssy} {self.at:%m/%d/%Y %H:%M} by {self.by}"


class OfficialTranscript(models.Model):
    """One issued version [n] of a graduate's official transcript for a BSSY: the signed PDF under
    PRIVATE_MEDIA_ROOT, its sha256 and its verification code. Never deleted; a later version
    supersedes it, an un-certification withdraws it."""
    state_id = models.CharField(max_length=10)
    bssy = models.PositiveSmallIntegerField()
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("transcripts.Student", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="official_transcripts")
    display_name = models.CharField(max_length=80)
    # As printed: the public verification page states it (the student's row may change later).
    graduation_date = models.DateField(null=True, blank=True)
    site_name = models.CharField(max_length=100, blank=True)  # as printed: a site may be renamed later
    version = models.PositiveSmallIntegerField()
    # None: a nonpublic graduate's, issued without certification (public/charter only).
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="transcripts")
    issued_at = models.DateTimeField()
    path = models.CharField(max_length=200)  # relative to PRIVATE_MEDIA_ROOT
    size = models.PositiveIntegerField()
    pages = models.PositiveSmallIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    code = models.CharField("verification code", max_length=32, unique=True)
    data_hash = models.CharField(max_length=64)  # what the transcript says, without certification and version
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_reason = models.CharField(max_length=200, blank=True)
    # Withdrawn one by one by state staff (guide, Appendix N: LDOE deletes a student from OTS).
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["state_id", "bssy", "-version"]
        constraints = [models.UniqueConstraint(fields=["sponsor", "state_id", "bssy", "version"],
                                               name="uniq_transcript_version")]
        indexes = [models.Index(fields=["site", "bssy"]), models.Index(fields=["state_id", "bssy"])]

    def __str__(self):
        return f"{self.state_id} {self.bssy} [{self.version}]"

    @property
    def current(self) -> bool:
        return self.superseded_at is None

    @property
    def withdrawn(self) -> bool:
        return bool(self.withdrawn_reason)

    @property
    def standing(self) -> str:
        if self.current:
            return "current"
        return self.withdrawn_reason or "superseded"


class OtsEntry(models.Model):
    """A graduate in the OTS queue for one certification (or, certification None, a nonpublic
    graduate queued when its record was complete): Q queued, S sent (issued), R rejected."""
    QUEUED, SENT, REJECTED = "Q", "S", "R"
    STATUSES = [(QUEUED, "In OTS queue"), (SENT, "Successfully sent to OTS"), (REJECTED, "Rejected by OTS")]
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="entries")
    student = models.ForeignKey("transcripts.Student", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="ots_entries")
    state_id = models.CharField(max_length=10)
    bssy = models.PositiveSmallIntegerField()
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=1, choices=STATUSES, default=QUEUED)
    reason = models.CharField(max_length=500, blank=True)
    queued_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    transcript = models.ForeignKey(OfficialTranscript, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="entries")

    class Meta:
        ordering = ["-queued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["certification", "state_id"], name="uniq_ots_entry")]
        indexes = [models.Index(fields=["sponsor", "state_id", "bssy"]), models.Index(fields=["status"])]


class IssueBatch(JobModel):
    """A chunk of OTS entries issued by one worker task: a job of the one lifecycle (sts/jobs.py).
    A lost worker's batch is taken over; a batch that stops for good leaves its entries queued
    (never rejected: a worker's or the database's trouble is not the student's) and the Certify
    screen offers to issue them again."""
    JOB_TASK = "certification.tasks.issue_batch"
    JOB_LABEL = "transcript issuing"
    STATUSES = [("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")]
    # None: a batch of nonpublic graduates' entries (queued without certification).
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="batches")
    entry_ids = models.JSONField(default=list)
    status = models.CharField(max_length=8, choices=STATUSES, default="queued", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class VerificationLookup(models.Model):
    """Every look-up of the public verification page (a code typed or a PDF uploaded), refused ones
    included: who asked (client address), when, what and the outcome. Kept for audit."""
    at = models.DateTimeField(db_index=True)
    client = models.CharField(max_length=64)
    kind = models.CharField(max_length=4)  # "code" or "pdf"
    outcome = models.CharField(max_length=20)  # verify.CURRENT ... or "throttled", "too large"
    transcript = models.ForeignKey(OfficialTranscript, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["-at"]
