"""The batch pipeline: open the file, file-level checks, every edit per student, load.

One function serves the web upload (through a Celery task), `sts_upload` and `sts_validate`, so
all three produce the same result. Writing happens in one transaction per upload under a lock row
per sponsor and BSSY: two uploads for the same sponsor and BSSY never interleave, a failure (or a
killed worker) leaves the previous data whole, and the same file run twice gives the same data.
"""
import shutil
import tempfile
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.db import transaction

from core_tables.models import Sponsor
from core_tables.periods import period_status
from core_tables.snapshot import build_snapshot
from sts import clock
from sts.accounts import permissions
from sts.accounts.permissions import Action
from transcripts.edits import CATALOG, GRAD_DATE_REMOVAL_REASONS, REJECT, Finding
from transcripts.layouts import POSITIONS, format_record
from transcripts.models import Student
from transcripts.progress_store import credentialed, graduation_checker
from transcripts.graduates import overridden_dates
from transcripts.records import graduation_date, link_key
from transcripts.reference import ReferenceSnapshot

from .files import FileRejected, members, name_notice
from .loading import StudentWriter
from .models import SponsorYearLock
from .validation import iter_students, scan_file

# What reading a zip member raises when the archive is damaged (zipfile checks the CRC at the end).
DAMAGED_MEMBER = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError)
ERROR_ROW_LIMIT = 50_000  # error rows kept per upload (bounded memory); counts stay exact beyond it


class NotAccepted(Exception):
    """File Not Accepted: rolls the transaction back."""

    def __init__(self, errors):
        self.errors = errors


class Superseded(Exception):
    """A later upload for the same sponsor and BSSY completed first: this (older) file must not be
    applied over newer data (a retried or redelivered upload)."""

    def __init__(self, newer_pk):
        self.newer_pk = newer_pk


class Abandoned(Exception):
    """The upload is no longer this run's to write (finished, or taken over by a retry)."""


# The message of a student on file at a site the user does not submit for (it names no site).
OUT_OF_REACH = "STUDENT IS ON FILE AT A SITE YOU DO NOT SUBMIT FOR"


@dataclass
class Run:
    """What a pipeline run produced: the command's JSON plus counts for the Upload record."""
    accepted: bool = True
    file_errors: list = field(default_factory=list)
    total: int = 0
    loaded: int = 0
    rejected: int = 0
    errors: list = field(default_factory=list)  # dicts for UploadError / JSON
    error_count: int = 0
    grad_date_removed: list = field(default_factory=list)
    # Records by type: loaded, of rejected students ("error", not loaded), with an error of their own.
    counts: dict = field(default_factory=lambda: {f"{k}_{t}": 0 for k in ("loaded", "error", "flagged")
                                                  for t in ("020", "030", "050")})
    error_counts: dict = field(default_factory=dict)
    sponsor: str | None = None
    bssy: int | None = None
    deleted_absent: int = 0
    # Replace mode (and validate-only, for what replace would do): students on file at the sites
    # within the user's reach that the file does not carry, by site: {site code: count}.
    absent_by_site: dict = field(default_factory=dict)
    superseded_by: int | None = None
    loaded_student_ids: list = field(default_factory=list)
    notices: list = field(default_factory=list)  # said on the report, never a reason to refuse the file

    def as_json(self, with_errors=True):
        """The sts_validate / sts_upload contract (exactly these keys)."""
        return {"accepted": self.accepted, "file_errors": self.file_errors,
                "students": {"total": self.total, "loaded": self.loaded, "rejected": self.rejected},
                "errors": [{k: e[k] for k in ("line", "record_type", "state_id", "code", "position", "value", "message")}
                           for e in self.errors] if with_errors else [],
                "grad_date_removed": self.grad_date_removed}

    @property
    def replace_deletes(self):
        """What replace mode deletes (or, validating, would delete): {"students": n, "sites": {code: n}}."""
        return {"students": sum(self.absent_by_site.values()), "sites": self.absent_by_site}


def run_pipeline(path, original_name, *, mode, bssy=None, today=None, user=None, progress=None, source="batch",
                 upload=None, on_written=None):
    """Process one uploaded file (a .txt or a .zip of .txt). `mode`: validate | partial | replace.
    `user`: whose rights apply (None: a command without a user, validate only). `upload`: the
    (Upload pk, attempt) this run writes for: before writing, under the sponsor-year lock, the run
    checks that the attempt is still the upload's and that no later upload for the same sponsor
    and BSSY has completed (else it ends superseded and writes nothing). `on_written(run)` runs in
    the transaction that writes the records (the upload's outcome commits with its data: a worker
    lost between the two never leaves loaded data under an upload still Processing). Returns a Run."""
    today = today or clock.today()
    run = Run()
    if notice := name_notice(original_name):
        run.notices.append(notice)
    workdir = Path(tempfile.mkdtemp(prefix="sts-upload-"))
    try:
        try:
            files = _extract(path, original_name, workdir)
        except FileRejected as exc:
            return _reject(run, [{"code": exc.code, "message": exc.message}])
        light = ReferenceSnapshot.build(sponsors=dict(Sponsor.objects.values_list("code", "kind")))
        scans = []
        try:
            for name, file_path in files:
                scan = scan_file(file_path, light, bssy=bssy)
                scans.append((name, scan))
            problems = [{"code": e.code, "message": f"{name}: {e.message}" if len(files) > 1 else e.message}
                        for name, scan in scans for e in scan.summary.file_errors]
            sponsors = {scan.summary.sponsor for _n, scan in scans}
            bssys = {scan.summary.bssy for _n, scan in scans}
            if not problems and len(sponsors) > 1:
                problems.append({"code": "SPONSOR", "message": "The files of the zip are for different sponsors: "
                                                              + ", ".join(sorted(map(str, sponsors))) + "."})
            if not problems and len(bssys) > 1:
                problems.append({"code": "BSSY", "message": "The files of the zip are for different BSSYs."})
            if problems:
                return _reject(run, problems)
            run.sponsor, run.bssy = sponsors.pop(), bssys.pop()
            problems = _permission_problems(run, user, run.sponsor, run.bssy, today, mode)
            # A closed period refuses the file, but its records are still checked and every error
            # listed (nothing is written), so the coordinator can correct them meanwhile.
            closed = bool(problems) and all(p["code"] == "PERIOD" for p in problems)
            if problems and not closed:
                return _reject(run, problems)
            sponsor = Sponsor.objects.get(code=run.sponsor)
            if progress:
                progress(0, None)
            checking = "validate" if closed else mode
            try:
                with transaction.atomic():
                    _process(run, scans, sponsor, mode=checking, today=today, user=user, progress=progress,
                             source=source, upload=upload)
                    if checking == "validate":
                        transaction.set_rollback(True)
                    elif on_written is not None:
                        on_written(run)
            except NotAccepted as exc:
                return _reject(run, exc.errors + (problems if closed else []), keep_student_errors=True)
            except Superseded as exc:
                run = Run(sponsor=run.sponsor, bssy=run.bssy, superseded_by=exc.newer_pk)
                return _reject(run, [{"code": "SUPERSEDED", "message": _superseded_message(exc.newer_pk)}])
            if closed:
                return _reject(run, problems, keep_student_errors=True)
            return run
        finally:
            for _n, scan in scans:
                scan.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _extract(path, original_name, workdir):
    """[(display name, path of a .txt)]: zip members are copied out (size-checked while reading)."""
    found = members(path, original_name, max_bytes=settings.STS_UPLOAD_MAX_BYTES,
                    max_unzipped_bytes=settings.STS_UPLOAD_MAX_UNZIPPED_BYTES)
    if len(found) == 1 and found[0].plain:
        return [(found[0].name, Path(path))]
    out = []
    for i, member in enumerate(found):
        target = workdir / f"{i}.txt"
        try:
            with member.open() as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        except DAMAGED_MEMBER as exc:  # a failed CRC, a truncated stream, an encrypted member
            raise FileRejected("ZIP", f"Damaged zip member {member.name}: {exc}. Nothing was loaded; "
                                      "zip the files again.") from None
        out.append((member.name, target))
    return out


def _permission_problems(run, user, sponsor_code, bssy, today, mode):
    problems = []
    if user is not None and not permissions.can(user, Action.UPLOAD, sponsor=sponsor_code):
        problems.append({"code": "SPONSOR", "message": f"User {user.username} may not submit files for the sponsor of "
                                                      "this file (Sponsor Code, columns 11-13 of its records)."})
    status = period_status(bssy, sponsor_code, today)
    if not status.open:
        if mode == "validate":
            # Guide: "you can validate your file before submitting": validating writes nothing.
            run.notices.append(f"{status.message} The file was validated only; it could not be loaded now.")
        else:
            problems.append({"code": "PERIOD", "message": status.message})
    return problems


def submitting_sites(user, sponsor_code):
    """The sites `user` submits for in `sponsor_code` (frozenset of codes), or None for every site of
    the sponsor (LEA-level users, state staff, a command without a user). Replace mode deletes only
    within these sites, and a school-level user's file may not touch a student on file elsewhere."""
    if user is None or not permissions.is_school_level(user):
        return None
    sites = permissions.sites_for(user, Action.UPLOAD).filter(sponsor__code=sponsor_code)
    return frozenset(sites.values_list("code", flat=True))


def _superseded_message(newer_pk):
    return (f"Superseded: upload #{newer_pk} for the same sponsor and BSSY completed after this file was submitted. "
            "This file was not applied, so it cannot overwrite newer data; submit it again if it is still needed.")


def _before_writing(upload, sponsor, bssy):
    """Under the sponsor-year lock: is this run still the upload's, and is there no newer data?"""
    if upload is None:
        return
    from .models import Upload

    upload_pk, attempt = upload
    if not Upload.objects.filter(pk=upload_pk, status="processing", attempts=attempt).exists():
        raise Abandoned(upload_pk)
    newer = (Upload.objects.filter(sponsor=sponsor, bssy=bssy, pk__gt=upload_pk, status="complete")
             .exclude(mode="validate").order_by("pk").values_list("pk", flat=True).first())
    if newer is not None:
        raise Superseded(newer)


def _process(run, scans, sponsor, *, mode, today, user, progress, source, upload):
    # Lock the sponsor's BSSY for the whole transaction (row lock on PostgreSQL; SQLite
    # serialises writers anyway).
    lock, _ = SponsorYearLock.objects.get_or_create(sponsor=sponsor, bssy=run.bssy)
    SponsorYearLock.objects.select_for_update().filter(pk=lock.pk).get()
    _before_writing(upload, sponsor, run.bssy)
    snapshot = build_snapshot(sponsor.code)
    on_file_rows = list(Student.objects.filter(sponsor=sponsor, bssy=run.bssy).values_list("state_id", "pk", "site__code"))
    pk_on_file = {sid: pk for sid, pk, _site in on_file_rows}
    site_on_file = {sid: site for sid, _pk, site in on_file_rows}
    on_file = frozenset(site_on_file)
    submitting = submitting_sites(user, sponsor.code)
    # A school-level user's file may not replace a student the LEA has at another site.
    elsewhere = frozenset() if submitting is None else frozenset(
        sid for sid, site in site_on_file.items() if site not in submitting)
    check = _respecting_overrides(graduation_checker(sponsor.kind, run.bssy, credentials=credentialed(sponsor, run.bssy)),
                                  overridden_dates(sponsor, run.bssy))
    writer = None if mode == "validate" else StudentWriter(
        sponsor=sponsor, bssy=run.bssy, by=user.username if user else "batch", source=source)
    present = set()
    total_records = sum(sum(scan.summary.records.values()) for _n, scan in scans)
    records_done = 0
    for _name, scan in scans:
        for outcome in iter_students(scan, snapshot, today=today, submitting_sites=submitting,
                                     students_on_file=on_file if mode != "replace" else frozenset(),
                                     graduation_check=check):
            run.total += 1
            present.add(outcome.state_id)
            if outcome.state_id in elsewhere:
                outcome = _out_of_reach(outcome)
            n_records = (outcome.student is not None) + len(outcome.transcripts) + len(outcome.ibcs)
            records_done += n_records
            # The student's site, by which error rows are shown to school-level users.
            site = outcome.student.site.strip() if outcome.student else site_on_file.get(outcome.state_id, "")
            # The name shown beside the State ID in the error report: the file's 020 (else on file, below).
            named = outcome.student is not None and bool(outcome.findings or outcome.grad_date_reasons)
            name = _student_name(outcome.student.last_name, outcome.student.first_name) if named else ""
            _record_findings(run, outcome, site, name)
            if outcome.rejected:
                run.rejected += 1
                for rt, recs in (("020", [outcome.student] if outcome.student else []), ("030", outcome.transcripts),
                                 ("050", outcome.ibcs)):
                    run.counts[f"error_{rt}"] += len(recs)
            else:
                run.loaded += 1
                if outcome.grad_date_reasons:
                    run.grad_date_removed.append({"state_id": outcome.state_id, "reasons": list(outcome.grad_date_reasons)})
                if writer:
                    writer.add(outcome.student, outcome.transcripts, outcome.ibcs, outcome.grad_date_reasons)
                for rt, n in (("020", 1 if outcome.student else 0), ("030", len(outcome.transcripts)), ("050", len(outcome.ibcs))):
                    run.counts[f"loaded_{rt}"] += n
            if progress and run.total % 200 == 0:
                progress(records_done, total_records)
    _names_on_file(run, sponsor)
    # Excessive errors mean a broken export, which only a file of some size can show: a small
    # correction file with an error loads its good students and rejects the other (docs/decisions.md).
    share = run.rejected / run.total if run.total else 0
    if run.total >= settings.STS_EXCESSIVE_MIN_STUDENTS and share > settings.STS_EXCESSIVE_ERROR_SHARE:
        raise NotAccepted([{"code": "EXCESSIVE", "message": f"{run.rejected} of {run.total} students ({share:.0%}) have "
                            f"errors, more than the {settings.STS_EXCESSIVE_ERROR_SHARE:.0%} allowed: the file is not "
                            "loaded. Correct the errors listed and submit again."}])
    # Replace deletes the students on file at the sites within reach that the file does not carry;
    # validate-only reports what replace would delete.
    absent = [sid for sid, site in site_on_file.items()
              if sid not in present and (submitting is None or site in submitting)]
    if mode in ("replace", "validate"):
        run.absent_by_site = dict(sorted(Counter(site_on_file[sid] for sid in absent).items()))
    if writer:
        writer.flush()
        if mode == "replace":
            run.deleted_absent = writer.delete_absent([pk_on_file[sid] for sid in absent],
                                                      upload_number=upload[0] if upload else None)
        run.loaded_student_ids = writer.loaded_ids
    if progress:
        progress(total_records, total_records)


def _out_of_reach(outcome):
    """The student rejected: it is on file at a site the user does not submit for (error 213 on
    its first record; the file's other students are unaffected)."""
    first = outcome.student or (outcome.transcripts + outcome.ibcs)[0]
    position, length = POSITIONS.get((first.record_type, first.layout, "site"), (None, None))  # 030s carry none
    extra = Finding("213", first.line, first.record_type, outcome.state_id, "site" if position else None, position,
                    length, getattr(first, "site", "") if position else "", OUT_OF_REACH)
    return replace(outcome, findings=[extra, *outcome.findings], rejected=True, grad_date_reasons=[])


def _respecting_overrides(check, overridden):
    """The graduation check, except for a graduate whose date an override keeps."""
    def checked(student, transcripts, ibcs):
        reasons = check(student, transcripts, ibcs)
        if reasons and (link_key(student), graduation_date(student)) in overridden:
            return []
        return reasons
    return checked


def _student_name(last, first):
    return f"{last.strip()}, {first.strip()}".strip(", ")[:60]


def _names_on_file(run, sponsor):
    """Error rows of students whose 020 is not in the file: named as the student on file."""
    missing = {e["state_id"] for e in run.errors if not e["name"] and e["state_id"]}
    if not missing:
        return
    names = {sid: _student_name(last, first) for sid, last, first in Student.objects.filter(
        sponsor=sponsor, bssy=run.bssy, state_id__in=missing).values_list("state_id", "last_name", "first_name")}
    for e in run.errors:
        if not e["name"]:
            e["name"] = names.get(e["state_id"], "")


def _record_findings(run, outcome, site, name=""):
    records = {r.line: r for r in ([outcome.student] if outcome.student else []) + outcome.transcripts + outcome.ibcs}
    rejecting = {(f.record_type, f.line) for f in outcome.findings
                 if f.record_type in ("020", "030", "050") and getattr(CATALOG.get(f.code), "severity", REJECT) == REJECT}
    for rt, line in rejecting:
        if line in records:  # a record of the file with an error of its own
            run.counts[f"flagged_{rt}"] += 1
    for f in outcome.findings:
        edit = CATALOG.get(f.code)
        run.error_count += 1
        run.error_counts[f.code] = run.error_counts.get(f.code, 0) + 1
        if len(run.errors) < ERROR_ROW_LIMIT:
            record = records.get(f.line)
            run.errors.append({"line": f.line, "record_type": f.record_type, "state_id": f.state_id, "site": site,
                               "name": name, "code": f.code,
                               "field": f.field or "", "position": f.position, "length": f.length, "value": f.value,
                               "message": f.message, "severity": edit.severity if edit else "reject",
                               "record": format_record(record) if record is not None else ""})
    if outcome.grad_date_reasons and not outcome.rejected and outcome.student is not None:
        for reason in outcome.grad_date_reasons:
            code = f"GR{reason}"
            run.error_counts[code] = run.error_counts.get(code, 0) + 1
            run.errors.append({"line": outcome.student.line, "record_type": "020", "state_id": outcome.state_id,
                               "site": site, "name": name, "code": code, "field": "graduation_date", "position": 107, "length": 8,
                               "value": outcome.student.graduation_date,
                               "message": _removal_message(reason),
                               "severity": "remove_grad_date", "record": format_record(outcome.student)})


def _removal_message(reason):
    problem, solution = GRAD_DATE_REMOVAL_REASONS.get(reason, ("", ""))
    return f"GRADUATION DATE REMOVED ({reason} {problem.upper()}): {solution}"[:300]


def _reject(run, problems, keep_student_errors=False):
    run.accepted = False
    run.file_errors = problems
    run.loaded = 0
    run.loaded_student_ids = []
    run.grad_date_removed = []
    if not keep_student_errors:
        run.errors, run.error_counts = [], {}
    run.counts = {k: (0 if k.startswith("loaded") else v) for k, v in run.counts.items()}
    return run
