"""Runs the catalog over one student's record set (batch or online) and over single fields.

Record checks are pure functions of the columns they declare in `reads`, so their results
are memoised per run on those columns, in groups whose keys stay small and repeat a lot
across students: for the 030s (about 30 per student, the hot path of a batch upload) the
grading columns and the course/site columns; for the 020 its demographic and graduation
codes and its site; for the 050 its credential columns. Names, dates of birth, IDs and
ranks are unique per student, so the checks reading them run directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import itemgetter
from typing import Sequence

from transcripts.layouts import POSITIONS, data_fields, position_of
from transcripts.records import (
    EOC_FIELDS, IBC, LAYOUTS, RACE_FIELDS, STUDENT, TRANSCRIPT, IbcRecord, Record, StudentRecord, TranscriptRecord,
)

from .model import REJECT, Edit, EditContext, Finding, StudentView, link_key

MEMO_GROUPS = {
    TRANSCRIPT: (
        ("part", "semester", "grade", "credit_attempted", "credit_earned", "grade_point_max", "waiver",
         "quality_points", "course_type", "distance_learning", "de_credit_hours"),
        ("course_bssy", "course_code", "course_type", "course_sponsor", "course_site", "course_site_name",
         "course_name", "de_secondary_site"),
    ),
    STUDENT: (
        ("sex", "grade", "grade9_entry", "graduation_date", "career_option", "academic_endorsement",
         "career_endorsement", "gee_flag", *RACE_FIELDS, "diploma_path", "fafsa", "community_service",
         "biliteracy_seal", *EOC_FIELDS),
        ("site", "sponsor"),
    ),
    IBC: (
        ("bssy", "ibc_code", "semester_earned", "year_earned", "vendor", "earned_sponsor", "earned_site", "length"),
    ),
}
MEMO_LIMIT = 50_000  # entries per group before the memo starts afresh (bounded memory)


@dataclass
class Verdict:
    findings: list[Finding]
    grad_date_reasons: list[str] = field(default_factory=list)  # '2'..'6' when the graduation date goes
    rejected: bool = False


@dataclass
class _MemoGroup:
    columns: tuple[str, ...]
    edits: tuple[Edit, ...]
    results: dict = field(default_factory=dict)

    def __post_init__(self):
        # Values straight from the record's __dict__ (a third of the cost of attribute access).
        self.values = itemgetter(*self.columns)
        # All-text keys are joined into one string (hashed once, compared once) unless a
        # value holds the separator, where joining could make two records look alike.
        self.separators = len(self.columns) - 1 if all(_TEXT_FIELDS.get(c) for c in self.columns) else None


SEPARATOR = "\x00"
_TEXT_FIELDS = {f.name: f.type == "str" for cls in (StudentRecord, TranscriptRecord, IbcRecord) for f in fields(cls)}


@dataclass
class _Plan:
    """The catalog sorted for one run: which checks run on which record type and layout."""

    memo: dict  # (record type, layout) -> [_MemoGroup]
    record: dict  # (record type, layout) -> [Edit] not memoised
    student: dict  # (record type, layout) -> [Edit]
    set: dict  # layout -> [Edit]
    graduation: tuple[Edit, ...]
    rejecting: frozenset[str]  # codes whose severity rejects the record set


def _plan(ctx: EditContext) -> _Plan:
    plan = ctx._cache.get("plan")
    if plan is None:
        from . import CATALOG

        plan = ctx._cache["plan"] = _build_plan(CATALOG.values())
    return plan


def _build_plan(edits) -> _Plan:
    memo, record, student, set_ = {}, {}, {}, {}
    edits = list(edits)
    for layout in LAYOUTS:
        usable = [e for e in edits if e.applies_to_layout(layout)]
        set_[layout] = [e for e in usable if e.scope == "set"]
        for rt in (STUDENT, TRANSCRIPT, IBC):
            mine = [e for e in usable if rt in (e.applies_to or (e.record_type,))]
            student[rt, layout] = [e for e in mine if e.scope == "student"]
            plain = [e for e in mine if e.scope == "record"]
            groups = []
            for columns in MEMO_GROUPS.get(rt, ()):
                covered = set(columns) | {"layout"}
                members = tuple(e for e in plain if set(e.reads) <= covered)
                plain = [e for e in plain if e not in members]
                groups.append(_MemoGroup(columns, members))
            memo[rt, layout] = groups
            record[rt, layout] = plain
    graduation = tuple(e for e in edits if e.scope == "graduation")
    rejecting = frozenset(e.code for e in edits if e.severity == REJECT)
    return _Plan(memo, record, student, set_, graduation, rejecting)


def finding(edit: Edit, record: Record, field_name: str | None = None) -> Finding:
    """A finding of `edit` on `record`, at `field_name` (default: the edit's field)."""
    name = field_name or edit.field
    position = length = None
    value = ""
    if name is not None:
        # A field the record's layout lacks (a public-only field set on a nonpublic record
        # built online) is reported without a position.
        position, length = POSITIONS.get((record.record_type, record.layout, name), (None, None))
        value = getattr(record, name)
        if edit.through and name == edit.field and position is not None:
            end, end_length = position_of(record.record_type, record.layout, edit.through)
            length = end + end_length - position
            value = _span_value(record, position, end)
    return Finding(edit.code, record.line, record.record_type, record.state_id.strip(), name, position, length,
                   value, edit.message)


def _span_value(record: Record, start: int, end: int) -> str:
    return "".join(getattr(record, f.name) for f in data_fields(record.record_type, record.layout)
                   if start <= f.start <= end)


def _run_records(records: Sequence[Record], record_type: str, ctx: EditContext, view: StudentView, plan: _Plan,
                 out: list) -> None:
    """The record- and student-scope edits over records of one type (the 030s of a batch
    upload are its hot loop: the memo lookups are inlined)."""
    key = record_type, view.layout
    groups = [(g, g.values, g.results, g.separators) for g in plan.memo[key]]
    plain, per_student = plan.record[key], plan.student[key]
    join = SEPARATOR.join
    for record in records:
        values = record.__dict__
        for group, get_values, results, separators in groups:
            memo_key = get_values(values)
            if separators is not None:
                joined = join(memo_key)
                if joined.count(SEPARATOR) == separators:
                    memo_key = joined
            hits = results.get(memo_key)
            if hits is None:
                hits = results[memo_key] = tuple((e, hit) for e in group.edits if (hit := e.check(record, ctx)))
                if len(results) > MEMO_LIMIT:
                    results.clear()
            if hits:
                out.extend(finding(e, record, hit if isinstance(hit, str) else None) for e, hit in hits)
        if plain:
            out.extend(finding(e, record, hit if isinstance(hit, str) else None)
                       for e in plain if (hit := e.check(record, ctx)))
        if per_student:
            out.extend(finding(e, record, hit if isinstance(hit, str) else None)
                       for e in per_student if (hit := e.check(record, view)))


def assess_student(
    student: StudentRecord | None,
    transcripts: Sequence[TranscriptRecord],
    ibcs: Sequence[IbcRecord],
    ctx: EditContext,
    *,
    duplicates: Sequence[StudentRecord] = (),
) -> Verdict:
    """Every edit over one student's record set: findings, graduation-date removal reasons
    and whether the set is rejected. `duplicates` are further 020s of the same State ID in
    the file (211). Works for online entry too (records with line 0)."""
    plan = _plan(ctx)
    first = student or next(iter(transcripts), None) or next(iter(ibcs), None)
    if first is None:
        return Verdict([])
    view = StudentView(ctx, link_key(first), student, transcripts, ibcs, duplicates)
    out: list[Finding] = []
    if student is not None:
        _run_records((student,), STUDENT, ctx, view, plan, out)
    _run_records(transcripts, TRANSCRIPT, ctx, view, plan, out)
    _run_records(ibcs, IBC, ctx, view, plan, out)
    for e in plan.set[view.layout]:
        out.extend(finding(e, record) for record in e.check(view))
    rejected = any(f.code in plan.rejecting for f in out)
    reasons = _graduation_reasons(view, plan, rejected, out)
    out.sort(key=lambda f: (f.line, f.code))
    return Verdict(out, reasons, rejected)


def _graduation_reasons(view: StudentView, plan: _Plan, rejected: bool, out: list) -> list[str]:
    """Ask the injected graduation check about a graduate whose record set is otherwise
    accepted; a reason with a catalog edit (223 for '2') is also reported as a finding."""
    check = view.ctx.graduation_check
    student = view.student
    if rejected or check is None or student is None or not student.graduation_date.strip():
        return []
    reasons = sorted(set(check(student, list(view.transcripts), list(view.ibcs))))
    for e in plan.graduation:
        if e.grad_reason in reasons:
            out.append(finding(e, student))
    return reasons


def check_student(
    student: StudentRecord | None,
    transcripts: Sequence[TranscriptRecord],
    ibcs: Sequence[IbcRecord],
    ctx: EditContext,
) -> list[Finding]:
    """The findings of `assess_student` (batch and online entry)."""
    return assess_student(student, transcripts, ibcs, ctx).findings


def check_field(record_type: str, field_name: str, record: Record, ctx: EditContext) -> list[Finding]:
    """Live check of one field of an online form: the record and student checks of that
    record type that report on this field, run on the record alone (checks that need the
    student's other records see none; record-set edits do not run)."""
    plan = _plan(ctx)
    view = StudentView(ctx, link_key(record), record if record_type == STUDENT else None,
                       [record] if record_type == TRANSCRIPT else [], [record] if record_type == IBC else [])
    out: list[Finding] = []
    _run_records((record,), record_type, ctx, view, plan, out)
    start, _ = position_of(record_type, record.layout, field_name)
    return [f for f in out if f.position is not None and f.position <= start < f.position + f.length]
