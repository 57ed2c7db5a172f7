"""The shapes of the edit catalog: Edit, Finding, EditContext and the per-student view.

An edit is declared once, next to its check, with the `edit` decorator. A check is plain
Python over parsed records and returns a false value when the data is fine, True when the
edit fires on its `field`, or the name of the field in error when that varies (e.g. which
endorsement of edit 221). Scopes:

- record:  check(record, ctx) reads only the record and the run's context (memoisable);
- student: check(record, view) also needs the student's other records or the registry;
- set:     check(view) -> records in error, for edits about the record set (200, 211, 300, 326, 513)
           and for 314, whose five-point rule needs the 020's grade 9 entry;
- graduation: no check; reported from the injected graduation check's removal reason (223);
- file:    no check here; the batch scan reports these as FileError (uploads.validation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import chain
from typing import Callable, Sequence

from transcripts.records import IbcRecord, StudentRecord, TranscriptRecord, link_key, year
from transcripts.reference import ReferenceSnapshot, SecureIdRef

REJECT = "reject"
REMOVE_GRAD_DATE = "remove_grad_date"

GraduationCheck = Callable[[StudentRecord, list[TranscriptRecord], list[IbcRecord]], list[str]]


@dataclass(frozen=True)
class Edit:
    code: str
    record_type: str  # '020' | '030' | '050' | 'file' | 'secure_id'
    field: str | None  # records.py field name; None for record-set and file edits
    message: str  # the guide's message, uppercase
    solution: str  # the guide's "possible solution" text
    severity: str = REJECT  # reject the student's record set | remove the graduation date
    public: bool = True  # applies to public/charter records
    nonpublic: bool = True  # applies to nonpublic records
    online_only: bool = False  # guards a value that may only be entered online: runs on batch records only (350)
    scope: str = "record"
    reads: tuple[str, ...] = ()  # fields a record-scope check reads (documentation and memo key)
    applies_to: tuple[str, ...] = ()  # record types the check runs on (secure-id edits: 020 and 050)
    through: str | None = None  # last field when the finding spans several (206: columns 139-144)
    grad_reason: str | None = None  # graduation-date removal reason this edit reports (223 -> '2')
    check: Callable | None = field(default=None, compare=False, repr=False)

    def applies_to_layout(self, layout: str) -> bool:
        return self.public if layout == "public" else self.nonpublic


@dataclass(frozen=True)
class Finding:
    code: str
    line: int  # 1-based line in the file; 0 for online entry
    record_type: str  # '020' | '030' | '050'
    state_id: str
    field: str | None
    position: int | None  # 1-based column in the record's layout
    length: int | None
    value: str  # the data in error, as sent
    message: str


@dataclass
class EditContext:
    """What the edits know besides the records: reference data and the run's settings.

    students_on_file: State IDs already on file for this sponsor/BSSY, so a 030 or 050 whose
    020 is not in the file is a partial update, not an error (200, 507).
    submitting_sites: the sites the user submits for (213); None = every site of the sponsor.
    sponsor: the submitting sponsor (504); None = the student's 020 sponsor.
    graduation_check: returns graduation-date removal reasons '2'..'6' for a graduate.
    """

    snapshot: ReferenceSnapshot
    bssy: int
    today: dt.date
    submitting_sites: frozenset[str] | None = None
    students_on_file: frozenset[str] = frozenset()
    graduation_check: GraduationCheck | None = None
    sponsor: str | None = None
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        self.codes = self.snapshot.code_lists
        self.bssy_text = f"{self.bssy:04d}"
        self.school_year = (dt.date(self.bssy, 9, 1), dt.date(self.bssy + 1, 8, 31))


@dataclass
class StudentView:
    """One student's record set as the student- and set-scope checks see it."""

    ctx: EditContext
    key: str  # the linking State ID
    student: StudentRecord | None
    transcripts: Sequence[TranscriptRecord]
    ibcs: Sequence[IbcRecord]
    duplicates: Sequence[StudentRecord] = ()  # further 020s for the same State ID (211)

    def __post_init__(self):
        ctx = self.ctx
        first = self.student or next(chain(self.transcripts, self.ibcs), None)
        self.layout = first.layout if first is not None else "public"
        # The registry only knows public/charter students (nonpublic ones are not in eScholar).
        self.registry: SecureIdRef | None = (
            ctx.snapshot.secure_ids.get(self.key) if self.layout == "public" else None)
        self.grade9_entry: int | None = year(self.student.grade9_entry) if self.student else None
        self.on_file = self.student is not None or self.key in ctx.students_on_file


REGISTRY: list[Edit] = []


def edit(code: str, record_type: str, field: str | None, message: str, *, solution: str, **options):
    """Declare an edit: decorates its check and registers it in the catalog."""

    def register(check: Callable | None) -> Callable | None:
        REGISTRY.append(Edit(code, record_type, field, message, solution, check=check, **options))
        return check

    return register


def declare(code: str, record_type: str, message: str, *, solution: str, **options) -> None:
    """Declare a catalog entry that has no check of its own (file-level codes)."""
    edit(code, record_type, None, message, solution=solution, scope="file", **options)(None)


__all__ = [
    "Edit", "Finding", "EditContext", "StudentView", "REGISTRY", "REJECT", "REMOVE_GRAD_DATE",
    "edit", "declare", "link_key",
]
