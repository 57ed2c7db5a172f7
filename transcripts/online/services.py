"""Online entry: a student's 020/030/050 records as the batch edits see them, saved only when the
whole record set passes the same catalog a batch file goes through.

Views pass plain values: the user ID (`by`), today's date and the raw record values built by
`fields.raw_values` from what was typed. Nothing here sees a request; permission checks stay in
the views (`sts.accounts.permissions`).

Record lines: the catalog reports a finding with the line of its record. Online records have no
file line, so the 020 is line 0 (as records.py says of online entry) and each 030/050 gets a
negative line of its own, which ties a finding to the record (and form) it is about and keeps
`line > 0` meaning "came from a batch file" (edit 350, CDV online only).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.db import IntegrityError, transaction

from core_tables.models import SecureId, Site
from core_tables.snapshot import build_snapshot
from transcripts import deleted, records as R
from transcripts.edits import CATALOG, REJECT, EditContext, Finding, assess_student, finding
from transcripts.edits.student import partial_name
from transcripts.graduates import is_graduate, mark_graduate_change
from transcripts.ibc_history import record_ibcs
from transcripts.layouts import position_of
from transcripts.models import (
    Credential, DeletedStudentSet, GraduationOverride, Ibc, Student, StudentChange, Transcript,
)
from transcripts.progress_store import graduation_checker, recompute
from transcripts.recordmap import (
    ibc_record, ibc_values, student_fields, student_record, transcript_record, transcript_values,
)

from .fields import FIELDS, FLAG, to_display

SOURCE = "online"

# Edits that do not apply to online entry. 300 (a 020 needs a 030) is about what a batch file
# carries: online, the student is added first and the transcripts one by one after it.
ONLINE_EXEMPT = frozenset({"300"})
# The registry fills these on a public student: when the State ID itself is unknown (U01/U02)
# their findings only repeat that.
REGISTRY_FIELDS = frozenset({"local_id", "first_name", "last_name", "birth_day", "sex", *R.RACE_FIELDS})
UNKNOWN_ID_CODES = frozenset({"U01", "U02"})


# --- one student's record set -----------------------------------------------------------------

@dataclass
class RecordSet:
    layout: str
    student: R.StudentRecord | None = None
    transcripts: list[R.TranscriptRecord] = field(default_factory=list)
    ibcs: list[R.IbcRecord] = field(default_factory=list)
    pks: dict[int, int] = field(default_factory=dict)  # line -> pk of the stored 030/050
    credential: bool = False  # a Jumpstart credential PDF is on file (graduation reason 6)

    def next_line(self) -> int:
        return min([0, *(r.line for r in self.transcripts + self.ibcs)]) - 1

    def line_of(self, pk: int, record_type: str) -> int:
        records = self.transcripts if record_type == R.TRANSCRIPT else self.ibcs
        return next(r.line for r in records if self.pks.get(r.line) == pk)

    def put(self, record) -> "RecordSet":
        """This set with `record` added, or replacing the record of the same line."""
        if record.record_type == R.STUDENT:
            return replace(self, student=record)
        name = "transcripts" if record.record_type == R.TRANSCRIPT else "ibcs"
        others = [r for r in getattr(self, name) if r.line != record.line]
        return replace(self, **{name: others + [record]})

    def without(self, line: int) -> "RecordSet":
        return replace(self, transcripts=[r for r in self.transcripts if r.line != line],
                       ibcs=[r for r in self.ibcs if r.line != line])

    def record_at(self, line: int):
        if line == 0:
            return self.student
        return next((r for r in self.transcripts + self.ibcs if r.line == line), None)


def stored_record_set(student: Student) -> RecordSet:
    """The records a batch file would carry for a stored student (030s and 050s numbered -1, -2, ...)."""
    layout = student.sponsor.layout
    rs = RecordSet(layout, student_record(student, layout), credential=student.credentials.exists())
    line = -1
    for t in student.transcripts.all():
        rs.transcripts.append(replace(transcript_record(t, student, layout), line=line))
        rs.pks[line] = t.pk
        line -= 1
    for i in student.ibcs.all():
        rs.ibcs.append(replace(ibc_record(i, student, layout), line=line))
        rs.pks[line] = i.pk
        line -= 1
    return rs


# --- the registry (public/charter demographics) -------------------------------------------------

def registry_entry(state_id: str) -> SecureId | None:
    return SecureId.objects.select_related("sponsor", "site").filter(unique_id=state_id.strip()).first()


def registry_values(entry: SecureId) -> dict[str, str]:
    """The raw 020 values a public/charter student's registry entry supplies: local ID, partial
    names, day of birth, sex and the race flags."""
    return {
        "local_id": entry.local_id, "first_name": partial_name(entry.first_name, 1),
        "last_name": partial_name(entry.last_name, 3), "birth_day": f"{entry.birth_date.day:02d}",
        "sex": entry.sex.strip().upper(), **{f: "Y" if getattr(entry, f) else "N" for f in R.RACE_FIELDS},
    }


def registry_for_site(state_id: str, site: Site) -> SecureId | None:
    """The registry entry of a State ID when it belongs to `site` (the demographics are shown
    only to the school the registry places the student at)."""
    entry = registry_entry(state_id)
    return entry if entry is not None and entry.site_id == site.pk else None


def student_on_file(sponsor, bssy: int, state_id: str) -> Student | None:
    """The student of `sponsor` and `bssy` with this State ID (what edit 211 refuses to add twice)."""
    state_id = (state_id or "").strip()
    if not state_id:
        return None
    return Student.objects.select_related("site").filter(sponsor=sponsor, bssy=bssy, state_id=state_id).first()


# --- running the catalog ------------------------------------------------------------------------

def edit_context(sponsor, bssy: int, state_id: str, today: dt.date) -> EditContext:
    """The batch's context for one student of `sponsor`: the snapshot holds only its registry
    entry; it is on file (no 200/507 for its 030/050); the graduation check runs separately."""
    return EditContext(build_snapshot(sponsor.code, state_ids=[state_id.strip()]), bssy=bssy, today=today,
                       students_on_file=frozenset({state_id.strip()}), sponsor=sponsor.code)


@dataclass
class Assessment:
    findings: list[Finding]  # rejecting findings that apply online
    grad_reasons: list[str]  # graduation-date removal reasons '2'..'6' of a graduate

    def on(self, line: int) -> list[Finding]:
        return [f for f in self.findings if f.line == line]


def assess(rs: RecordSet, ctx: EditContext, sponsor_kind: str, *, graduation: bool = True) -> Assessment:
    """The batch verdict on a record set, online: rejecting findings minus ONLINE_EXEMPT, then (if
    none is left and the student has a graduation date) the graduation check's reasons."""
    verdict = assess_student(rs.student, rs.transcripts, rs.ibcs, ctx)
    findings = [f for f in verdict.findings if f.code not in ONLINE_EXEMPT and CATALOG[f.code].severity == REJECT]
    if rs.layout == R.PUBLIC and any(f.code in UNKNOWN_ID_CODES for f in findings):
        findings = [f for f in findings if not (f.line == 0 and f.field in REGISTRY_FIELDS)]
    reasons: list[str] = []
    if graduation and not findings and rs.student is not None and R.is_graduate(rs.student):
        check = graduation_checker(sponsor_kind, ctx.bssy,
                                   credentials=frozenset({R.link_key(rs.student)}) if rs.credential else frozenset())
        reasons = sorted(set(check(rs.student, list(rs.transcripts), list(rs.ibcs))))
    return Assessment(findings, reasons)


def findings_at(findings: list[Finding], record_type: str, layout: str, name: str) -> list[Finding]:
    """The findings whose columns cover field `name` (206 spans the six race flags)."""
    start, _ = position_of(record_type, layout, name)
    return [f for f in findings if f.position is not None and f.position <= start < f.position + f.length]


# --- what a form proposes -----------------------------------------------------------------------

def proposed_student(site: Site, bssy: int, raw: dict, student: Student | None) -> RecordSet:
    """The record set with the 020 as the form has it (public: demographics from the registry)."""
    sponsor = site.sponsor
    rs = stored_record_set(student) if student else RecordSet(sponsor.layout)
    base = rs.student or R.StudentRecord(bssy=f"{bssy:04d}", sponsor=sponsor.code, site=site.code,
                                         layout=sponsor.layout)
    values = {k: v for k, v in raw.items() if k != "state_id"}
    state_id = student.state_id if student else raw.get("state_id", "").strip()
    record = replace(base, state_id=state_id, line=0, **values)
    if sponsor.layout == R.PUBLIC:
        entry = registry_entry(state_id) if R.is_digits(state_id) else None
        if entry is not None:
            record = replace(record, **registry_values(entry))
    return rs.put(record)


def proposed_transcript(student: Student, raw: dict, transcript: Transcript | None) -> tuple[RecordSet, int]:
    rs = stored_record_set(student)
    line = rs.line_of(transcript.pk, R.TRANSCRIPT) if transcript else rs.next_line()
    record = R.TranscriptRecord(bssy=f"{student.bssy:04d}", sponsor=student.sponsor.code, state_id=student.state_id,
                                line=line, layout=rs.layout, **raw)
    return rs.put(record), line


def proposed_ibc(student: Student, raw: dict, ibc: Ibc | None) -> tuple[RecordSet, int]:
    """The 050 carries the student's site, local ID and partial names, as a batch file would."""
    rs = stored_record_set(student)
    line = rs.line_of(ibc.pk, R.IBC) if ibc else rs.next_line()
    record = R.IbcRecord(bssy=f"{student.bssy:04d}", sponsor=student.sponsor.code, site=student.site.code,
                         local_id=student.local_id, state_id=student.state_id,
                         last_name=student.last_name[:3].upper(), first_name=student.first_name[:1].upper(),
                         line=line, layout=rs.layout, **raw)
    return rs.put(record), line


# --- live check of one field (htmx) -------------------------------------------------------------

@dataclass
class LiveCheck:
    findings: list[Finding]
    warnings: list[str] = field(default_factory=list)


def live_check(rs: RecordSet, line: int, record_type: str, name: str, sponsor, bssy: int, today) -> LiveCheck:
    """The findings on field `name` of the record at `line`, with the student's other records
    present (so 314, 326 and 513 see what they see on save). A graduation date that the record set
    does not support yet is a warning: saving it will ask for an override."""
    state_id = (rs.student or rs.record_at(line)).state_id
    ctx = edit_context(sponsor, bssy, state_id, today)
    result = assess(rs, ctx, sponsor.kind, graduation=(name == "graduation_date"))
    mine = findings_at(result.on(line), record_type, rs.layout, name)
    warnings = []
    if name == "graduation_date" and result.grad_reasons:
        from transcripts.edits import GRAD_DATE_REMOVAL_REASONS
        warnings = [f"Graduation requirements not met ({code} {GRAD_DATE_REMOVAL_REASONS[code][0]}): saving this "
                    "date will ask for an override reason." for code in result.grad_reasons]
    return LiveCheck(mine, warnings)


# --- saving -------------------------------------------------------------------------------------

@dataclass
class SaveOutcome:
    saved: bool = False
    findings: list[Finding] = field(default_factory=list)  # why the save was refused
    line: int | None = None  # the line of the record the form edits
    needs_override: list[str] = field(default_factory=list)  # graduation check reasons awaiting a decision
    student: Student | None = None
    notices: list[str] = field(default_factory=list)
    problem: str = ""  # a refusal that is not a catalog finding


def has_override(student: Student, graduation_date) -> bool:
    return graduation_date is not None and student.pk is not None and GraduationOverride.objects.filter(
        student=student, graduation_date=graduation_date).exists()


def log_change(student: Student, action: str, by: str, source: str = SOURCE, **detail) -> None:
    """One line of the student's change history (who, what, when, how)."""
    StudentChange.objects.create(bssy=student.bssy, sponsor_id=student.sponsor_id, site_id=student.site_id,
                                 state_id=student.state_id, by=by, source=source, action=action, detail=detail)


def _changes(record_type: str, before, after) -> dict:
    """{field: [old, new]} between two records, in the online format (flags as Y/N); for a new
    record, the fields it fills in."""
    def shown(f, raw):
        return raw if f.kind == FLAG else str(to_display(f.kind, raw))

    out = {}
    for f in FIELDS[record_type]:
        new = getattr(after, f.name).strip()
        if before is None:
            if new and new != "N":
                out[f.name] = ["", shown(f, new)]
            continue
        old = getattr(before, f.name).strip()
        if old != new:
            out[f.name] = [shown(f, old), shown(f, new)]
    return out


def _mark_graduate(student: Student, was_graduate: bool, by: str, source: str = SOURCE, sites=()) -> None:
    if was_graduate or is_graduate(student):
        mark_graduate_change({student.site_id, *sites}, student.bssy, by=by, source=source)


def _removal_notice(date, reasons) -> str:
    from transcripts.edits import GRAD_DATE_REMOVAL_REASONS
    why = "; ".join(f"{code} {GRAD_DATE_REMOVAL_REASONS[code][0]}" for code in reasons)
    return (f"The graduation date {date:%m/%d/%Y} was removed: graduation requirements are not met ({why}). "
            "The student is listed on the Override Report until the data is corrected or an override is entered "
            "(edit the student and save the graduation date again).")


def save_student(*, site: Site, bssy: int, raw: dict, by: str, today: dt.date, student: Student | None = None,
                 override_reason: str = "", drop_graduation_date: bool = False) -> SaveOutcome:
    """Add (student None) or update a student's 020.

    A graduation date the graduation check does not support needs a decision: with an
    `override_reason` it stays (the override is saved with user and time); with
    `drop_graduation_date` the student is saved as a batch upload would save it, the date set aside
    for the Override Report; with neither nothing is saved and `needs_override` lists the reasons.
    An override already entered for the same date keeps it without asking again."""
    sponsor = site.sponsor
    rs = proposed_student(site, bssy, raw, student)
    record = rs.student
    ctx = edit_context(sponsor, bssy, record.state_id, today)
    result = assess(rs, ctx, sponsor.kind)
    findings = result.findings
    if student is None and Student.objects.filter(bssy=bssy, sponsor=sponsor, state_id=R.link_key(record)).exists():
        findings = [finding(CATALOG["211"], record, "state_id"), *findings]
    if findings:
        return SaveOutcome(findings=findings, line=0)
    graduated = R.graduation_date(record)
    keep_aside, override = (), None
    if result.grad_reasons:
        if override_reason.strip():
            override = override_reason.strip()
        elif student is not None and has_override(student, graduated):
            pass
        elif drop_graduation_date:
            keep_aside = result.grad_reasons
        else:
            return SaveOutcome(needs_override=result.grad_reasons, line=0)
    before = stored_record_set(student).student if student else None
    was_graduate = student is not None and is_graduate(student)
    values = student_fields(record, site.pk, keep_aside, by)
    try:
        with transaction.atomic():
            if student is None:
                student = Student.objects.create(bssy=bssy, sponsor=sponsor, state_id=R.link_key(record), **values)
            else:
                for name, value in values.items():
                    setattr(student, name, value)
                student.save()
            detail = {"changes": _changes(R.STUDENT, before, record)}
            if override:
                GraduationOverride.objects.create(student=student, graduation_date=graduated,
                                                  removal_reasons=result.grad_reasons, reason=override, by=by)
                detail["override"] = {"reasons": result.grad_reasons, "reason": override}
            if keep_aside:
                detail["grad_date_removed"] = list(keep_aside)
            log_change(student, "student added" if before is None else "student updated", by, **detail)
            _mark_graduate(student, was_graduate, by)
    except IntegrityError:  # the same State ID added twice at once
        return SaveOutcome(findings=[finding(CATALOG["211"], record, "state_id")], line=0)
    recompute([student.pk])
    notices = [_removal_notice(graduated, keep_aside)] if keep_aside else []
    return SaveOutcome(saved=True, student=student, line=0, notices=notices)


def _graduation_after_change(student: Student, reasons: list[str]) -> list[str]:
    """After a 030/050 change: a graduate the check no longer supports loses the date to the
    Override Report, as a batch upload would do, unless an override holds for that date."""
    date = student.graduation_date
    if not reasons or date is None or has_override(student, date):
        return []
    student.removed_graduation_date, student.grad_removal_reasons, student.graduation_date = date, reasons, None
    return [_removal_notice(date, reasons)]


def _save_row(student: Student, rs: RecordSet, line: int, *, model, values_of, row, by: str, today,
              label: str) -> SaveOutcome:
    ctx = edit_context(student.sponsor, student.bssy, student.state_id, today)
    result = assess(rs, ctx, student.sponsor.kind)
    if result.findings:
        return SaveOutcome(findings=result.findings, line=line, student=student)
    record = rs.record_at(line)
    values = values_of(record)  # only a record that passed every edit converts to stored values
    before = stored_record_set(student).record_at(line) if row else None
    was_graduate = is_graduate(student)
    with transaction.atomic():
        if row is None:
            row = model.objects.create(student=student, **values)
        else:
            model.objects.filter(pk=row.pk).update(**values)
        notices = _graduation_after_change(student, result.grad_reasons)
        student.updated_by = by
        student.save()
        log_change(student, f"{label} {'added' if before is None else 'updated'}", by,
                   record=describe_record(record), changes=_changes(record.record_type, before, record),
                   **({"grad_date_removed": result.grad_reasons} if notices else {}))
        _mark_graduate(student, was_graduate, by)
    recompute([student.pk])
    return SaveOutcome(saved=True, student=student, line=line, notices=notices)


def describe_record(record) -> str:
    """A short name of a 030 or 050 for messages and the change history."""
    if record.record_type == R.TRANSCRIPT:
        return " ".join(filter(None, (record.course_bssy, record.course_code.strip(), record.part.strip(),
                                      record.semester, record.grade)))
    return " ".join(filter(None, (record.ibc_code.strip(), record.year_earned, record.pass_fail)))


def save_transcript(student: Student, raw: dict, *, by: str, today: dt.date,
                    transcript: Transcript | None = None) -> SaveOutcome:
    """Add or update one 030 of a stored student, if the whole record set passes."""
    rs, line = proposed_transcript(student, raw, transcript)
    return _save_row(student, rs, line, model=Transcript, values_of=transcript_values,
                     row=transcript, by=by, today=today, label="transcript")


def save_ibc(student: Student, raw: dict, *, by: str, today: dt.date, ibc: Ibc | None = None) -> SaveOutcome:
    """Add or update one 050 of a stored student, if the whole record set passes."""
    rs, line = proposed_ibc(student, raw, ibc)
    outcome = _save_row(student, rs, line, model=Ibc, values_of=ibc_values, row=ibc, by=by,
                        today=today, label="IBC")
    if outcome.saved:  # the statewide IBC history
        record_ibcs([(student.state_id, rs.record_at(line))], sponsor=student.sponsor.code, bssy=student.bssy,
                    source=SOURCE)
    return outcome


def delete_row(student: Student, row, *, by: str, today: dt.date) -> SaveOutcome:
    """Delete one 030 or 050. Never refused by an edit (deleting is how bad data is removed); a
    graduate the remaining records no longer support loses the graduation date as in batch."""
    record_type = R.TRANSCRIPT if isinstance(row, Transcript) else R.IBC
    rs = stored_record_set(student)
    line = rs.line_of(row.pk, record_type)
    record = rs.record_at(line)
    rs = rs.without(line)
    reasons = []
    if student.graduation_date:
        ctx = edit_context(student.sponsor, student.bssy, student.state_id, today)
        reasons = assess(rs, ctx, student.sponsor.kind).grad_reasons
    was_graduate = is_graduate(student)
    with transaction.atomic():
        row.delete()
        notices = _graduation_after_change(student, reasons)
        student.updated_by = by
        student.save()
        label = "transcript" if record_type == R.TRANSCRIPT else "IBC"
        log_change(student, f"{label} deleted", by, record=describe_record(record),
                   **({"grad_date_removed": reasons} if notices else {}))
        _mark_graduate(student, was_graduate, by)
    recompute([student.pk])
    return SaveOutcome(saved=True, student=student, notices=notices)


# --- credentials --------------------------------------------------------------------------------

def add_credential(student: Student, name: str, data: bytes, *, by: str) -> Credential:
    """Store a Jumpstart credential PDF for the student; raises credentials.CredentialRejected.
    The credential is part of a CA graduate's graduation requirements (reason 6)."""
    from transcripts import credentials as C

    info = C.inspect_pdf(data)
    path = C.store_pdf(data, bssy=student.bssy, sponsor_code=student.sponsor.code)
    with transaction.atomic():
        credential = Credential.objects.create(student=student, path=path, original_name=C.safe_name(name),
                                               size=info.size, pages=info.pages, sha256=info.sha256, uploaded_by=by)
        log_change(student, "credential uploaded", by, name=credential.original_name, pages=info.pages)
        _mark_graduate(student, False, by)
    recompute([student.pk])
    return credential


def remove_credential(credential: Credential, *, by: str, today: dt.date) -> SaveOutcome:
    """Take a credential off the student record (the file stays with the audit trail). A CA
    graduate left without one loses the graduation date to the Override Report, as a batch upload
    would do (unless an override holds for the date)."""
    student = credential.student
    was_graduate = is_graduate(student)
    with transaction.atomic():
        log_change(student, "credential deleted", by, name=credential.original_name)
        credential.delete()
        reasons = []
        if student.graduation_date:
            ctx = edit_context(student.sponsor, student.bssy, student.state_id, today)
            reasons = assess(stored_record_set(student), ctx, student.sponsor.kind).grad_reasons
        notices = _graduation_after_change(student, reasons)
        if notices:
            student.updated_by = by
            student.save()
        _mark_graduate(student, was_graduate, by)
    recompute([student.pk])
    return SaveOutcome(saved=True, student=student, notices=notices)


# --- delete all and restore ---------------------------------------------------------------------

def delete_student(student: Student, *, by: str) -> DeletedStudentSet:
    """Delete All Student Records for the BSSY: the student, its transcripts, IBCs, credentials and
    overrides. The whole set is kept in the audit trail first, so state staff can restore it."""
    return deleted.delete_students([student.pk], by=by, source=SOURCE)[0]


RestoreRefused = deleted.RestoreRefused


def restore_student(kept: DeletedStudentSet, *, by: str) -> Student:
    """Put a deleted record set back as it was. Refused when it was restored already or when a
    student with the State ID is on file again for that sponsor and BSSY."""
    student = deleted.restore(kept, by=by)
    recompute([student.pk])
    return student


# --- reassignment -------------------------------------------------------------------------------

def find_for_reassignment(*, bssy: int, sponsor_code: str, site_code: str, state_id: str) -> Student | None:
    """The student to reassign: the BSSY of the last Louisiana school, its sponsor and site, and
    the State ID (all four must match: the receiving school has requested the records)."""
    return Student.objects.select_related("sponsor", "site").filter(
        bssy=bssy, sponsor__code=sponsor_code.strip().upper(), site__code=site_code.strip().upper(),
        state_id=state_id.strip()).first()


def reassign_student(source: Student, *, target_site: Site, bssy: int, by: str, today: dt.date) -> SaveOutcome:
    """Student Reassignment (public to public, nonpublic to nonpublic only). Within the same LEA
    and BSSY the records move to the new site; from another LEA (or from a prior BSSY) they are
    copied, the source keeping its records. The moved or copied set must pass the catalog at the
    new site: for a public student the Secure ID registry must already place the student there
    (U02: "the change must first be made in eScholar")."""
    target_sponsor = target_site.sponsor
    if source.sponsor.layout != target_sponsor.layout:
        return SaveOutcome(problem="Students can be reassigned only public/charter to public/charter or "
                                   "nonpublic to nonpublic.")
    move = source.sponsor_id == target_sponsor.pk and source.bssy == bssy
    if move and source.site_id == target_site.pk:
        return SaveOutcome(problem=f"The student is already at site {target_site.code}.")
    rs = _moved_records(source, target_site, bssy)
    on_file = Student.objects.filter(bssy=bssy, sponsor=target_sponsor, state_id=source.state_id)
    if move:
        on_file = on_file.exclude(pk=source.pk)
    if on_file.exists():
        return SaveOutcome(findings=[finding(CATALOG["211"], rs.student, "state_id")], line=0)
    ctx = edit_context(target_sponsor, bssy, source.state_id, today)
    result = assess(rs, ctx, target_sponsor.kind)
    if result.findings:
        return SaveOutcome(findings=result.findings, line=0)
    keep_aside = result.grad_reasons
    if move and has_override(source, source.graduation_date):
        keep_aside = []
    values = student_fields(rs.student, target_site.pk, keep_aside, by)
    origin = {"bssy": source.bssy, "sponsor": source.sponsor.code, "site": source.site.code}
    with transaction.atomic():
        if move:
            old_site_id, was_graduate = source.site_id, is_graduate(source)
            log_change(source, "reassigned out", by, source="reassignment", to=target_site.code)
            for name, value in values.items():
                setattr(source, name, value)
            source.save()
            source.ibcs.update(site=target_site.code, local_id=source.local_id)
            student = source
            log_change(student, "reassigned in", by, source="reassignment", **{"from": origin, "moved": True})
            _mark_graduate(student, was_graduate, by, "reassignment", sites=(old_site_id,))
        else:
            student = Student.objects.create(bssy=bssy, sponsor=target_sponsor, state_id=source.state_id, **values)
            Transcript.objects.bulk_create([Transcript(student=student, **transcript_values(t))
                                            for t in rs.transcripts])
            Ibc.objects.bulk_create([Ibc(student=student, **ibc_values(i)) for i in rs.ibcs])
            Credential.objects.bulk_create([deleted.copy_row(c, student=student) for c in source.credentials.all()])
            log_change(student, "reassigned in", by, source="reassignment", **{"from": origin, "moved": False})
            _mark_graduate(student, False, by, "reassignment")
    recompute([student.pk])
    date = R.graduation_date(rs.student)
    return SaveOutcome(saved=True, student=student, notices=[_removal_notice(date, keep_aside)] if keep_aside else [])


def _moved_records(source: Student, site: Site, bssy: int) -> RecordSet:
    """The source's records as the new site would send them: its BSSY, sponsor and site (and, for
    a public student, the registry's current demographics)."""
    rs = stored_record_set(source)
    head = {"bssy": f"{bssy:04d}", "sponsor": site.sponsor.code}
    student = replace(rs.student, site=site.code, **head)
    if rs.layout == R.PUBLIC and (entry := registry_entry(source.state_id)) is not None:
        student = replace(student, **registry_values(entry))
    partial = {"site": site.code, "local_id": student.local_id, "last_name": student.last_name[:3].upper(),
               "first_name": student.first_name[:1].upper()}
    return replace(rs, student=student, transcripts=[replace(t, **head) for t in rs.transcripts],
                   ibcs=[replace(i, **head, **partial) for i in rs.ibcs])


# --- Override Report ----------------------------------------------------------------------------

def override_report(site: Site, bssy: int):
    """Students of the site whose graduation date was removed by a failed graduation check and
    not yet corrected or overridden, with the reasons."""
    return Student.objects.filter(site=site, bssy=bssy, removed_graduation_date__isnull=False,
                                  graduation_date__isnull=True).select_related("progress").order_by(
        "last_name", "first_name", "state_id")


def overrides_entered(site: Site, bssy: int):
    return GraduationOverride.objects.filter(student__site=site, student__bssy=bssy).select_related("student")
