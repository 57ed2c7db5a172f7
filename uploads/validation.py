"""Streaming validation of one batch file: a file scan, then student by student.

1. `scan_file` reads the file once without parsing records: the file-level checks of the
   guide's "global problems" (no records, system indicator, transaction code, 020/030
   length, one BSSY, one sponsor) and whether each student's records are contiguous. Any
   FileError rejects the whole file, so no student is reported before the scan is over.
   The checks run with numpy over blocks of lines; Python only looks at the lines that
   change student or are not clean records.
2. `iter_students` reads it again, parses the records, groups each student's 020, 030s and
   050s (linked by State ID; BSSY and sponsor are one per file) and runs the edit catalog
   on the group. Contiguous files are grouped on the fly; otherwise the lines are first
   partitioned by State ID into temporary bucket files small enough to group in memory.

Memory stays bounded whatever the file size: one student (or one bucket) at a time, a
fixed-size bit set for the contiguity check, and bounded memo tables in the edit engine.
Nothing in a file raises anything but a FileError (and those are collected, not raised).

    run = validate_stream(upload, snapshot, bssy=2019, today=date.today())
    if run.summary.file_errors: ...              # the file is rejected; iteration yields nothing
    for outcome in run: ...                      # StudentOutcome per student
    run.summary.students, run.summary.rejected_students
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Iterator

import numpy as np

from transcripts.edits import EditContext, Finding, assess_student
from transcripts.layouts import PARSERS, RECORD_LENGTHS
from transcripts.records import (
    ASCII_WHITESPACE, IBC, NONPUBLIC, PUBLIC, STUDENT, TRANSCRIPT, IbcRecord, StudentRecord, TranscriptRecord,
    link_key, year,
)
from transcripts.reference import ReferenceSnapshot
from uploads.parser import MAX_LINE, blocks, decode, opened, raw_lines, read_blocks, text_lines

MAX_FILE_ERRORS = 100  # kept in full; further ones are only counted
BUCKET_BYTES = 32 << 20  # size of one bucket of a non-contiguous file
_BLOOM_BITS = 27  # 2**27 bits = 16 MB: false "seen before" is rare and only costs the bucket path


class FileError(Exception):
    """A problem with the file as a whole (rejects the file). `code` is a file-level code of
    the catalog (EMPTY, SYSTEM, RECORD_TYPE, LENGTH, BSSY, SPONSOR, UNREADABLE)."""

    def __init__(self, code: str, message: str, line: int = 0):
        super().__init__(message)
        self.code, self.message, self.line = code, message, line

    def __eq__(self, other):
        return isinstance(other, FileError) and (self.code, self.message, self.line) == (
            other.code, other.message, other.line)

    def __hash__(self):
        return hash((self.code, self.message, self.line))

    def __repr__(self):
        return f"FileError({self.code!r}, {self.message!r}, line={self.line})"


@dataclass
class StudentOutcome:
    state_id: str
    student: StudentRecord | None
    transcripts: list[TranscriptRecord]
    ibcs: list[IbcRecord]
    findings: list[Finding]
    grad_date_reasons: list[str]  # non-empty: load the student without the graduation date
    rejected: bool  # load nothing of this student


@dataclass
class FileSummary:
    layout: str | None = None
    bssy: int | None = None
    sponsor: str | None = None
    lines: int = 0  # non-blank lines read
    records: dict[str, int] = field(default_factory=lambda: {STUDENT: 0, TRANSCRIPT: 0, IBC: 0})
    file_errors: list[FileError] = field(default_factory=list)
    file_error_count: int = 0  # including the ones beyond MAX_FILE_ERRORS
    contiguous: bool = True
    students: int = 0  # filled while iterating
    rejected_students: int = 0
    grad_date_removals: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_error_count

    def add_error(self, code: str, message: str, line: int = 0) -> None:
        self.file_error_count += 1
        if len(self.file_errors) < MAX_FILE_ERRORS:
            self.file_errors.append(FileError(code, message, line))


@dataclass
class FileScan:
    """The result of `scan_file`: the summary so far and the open file for `iter_students`."""

    file: BinaryIO
    summary: FileSummary
    size: int
    _stack: ExitStack = field(repr=False)

    @property
    def ok(self) -> bool:
        return self.summary.ok

    def close(self) -> None:
        self._stack.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --- phase 1: the file scan -------------------------------------------------------------------

def scan_file(source, snapshot: ReferenceSnapshot, *, bssy: int | None = None,
              layout: str | None = None) -> FileScan:
    """File-level checks of a .txt batch file (path or binary file object).
    `bssy`: the year chosen for the upload (None: the first record's); `layout`: public or
    nonpublic (None: from the sponsor's kind). The scan keeps the file open: pass it to
    `iter_students`, or close it."""
    if layout not in (None, PUBLIC, NONPUBLIC):
        raise ValueError(f"layout must be public, nonpublic or None, not {layout!r}")
    stack = ExitStack()
    summary = FileSummary()
    try:
        f = stack.enter_context(opened(source))
        size = f.seek(0, os.SEEK_END)
        scan = FileScan(f, summary, size, stack)
        _scan(scan, snapshot, bssy, layout)
    except OSError as exc:
        stack.close()
        summary.add_error("UNREADABLE", f"The file could not be read: {exc.strerror or exc}")
        return FileScan(None, summary, 0, ExitStack())
    return scan


def file_identity(f: BinaryIO) -> tuple[int, str, str] | None:
    """(line, sponsor, BSSY) of the first 020/030 record, else of the first 050: what the
    file says it is. Usually line 1."""
    fallback = None
    for line_no, text in text_lines(f):
        if text[:3] != "STS":
            continue
        if text[3:6] in (STUDENT, TRANSCRIPT):
            return line_no, text[10:13], text[6:10]
        if text[3:6] == IBC and fallback is None:
            fallback = line_no, text[10:13], text[6:10]
    return fallback


def _resolve(summary: FileSummary, snapshot: ReferenceSnapshot, identity, bssy, layout) -> bool:
    """Sponsor, layout and BSSY of the upload; False when the file cannot be read further."""
    if identity is None:
        summary.add_error("EMPTY", "The file holds no records (it is empty or has only blank lines).")
        return False
    line, sponsor, file_bssy = identity
    summary.sponsor = sponsor
    kind = snapshot.sponsors.get(sponsor)
    if kind is None:
        summary.add_error("SPONSOR", f"Line {line}: Sponsor Code (columns 11-13) {sponsor!r} is not a known sponsor.",
                          line)
    elif kind == "postsecondary":
        summary.add_error("SPONSOR", f"Line {line}: Sponsor Code (columns 11-13) {sponsor!r} is a postsecondary "
                                     f"sponsor; transcripts are submitted by school sponsors.", line)
    elif layout is not None and (kind == "nonpublic") != (layout == NONPUBLIC):
        summary.add_error("SPONSOR", f"Line {line}: Sponsor Code (columns 11-13) {sponsor!r} is a {kind} sponsor "
                                     f"but the {layout} layout was chosen.", line)
    summary.layout = layout or (NONPUBLIC if kind == "nonpublic" else PUBLIC)
    if bssy is None:
        if year(file_bssy) is None:
            summary.add_error("BSSY", f"Line {line}: BSSY (columns 7-10) {file_bssy!r} is not a year.", line)
            return False
        bssy = int(file_bssy)
    summary.bssy = bssy
    return True


def state_id_slice(record_type: str, layout: str) -> slice | None:
    """Where a record type holds the linking State ID (None: not a record type)."""
    if record_type == IBC:
        return slice(28, 38)
    if record_type in (STUDENT, TRANSCRIPT):
        return slice(13, 22 if layout == NONPUBLIC else 23)
    return None


def line_key(text: str, where: slice, layout: str) -> str:
    """The linking State ID of a record's text: records.link_key without parsing the record."""
    key = text[where].strip(ASCII_WHITESPACE)
    if layout == NONPUBLIC and len(key) == 10 and key[0] == "0":
        return key[1:]
    return key


def _scan(scan: FileScan, snapshot: ReferenceSnapshot, bssy: int | None, layout: str | None) -> None:
    summary = scan.summary
    identity = file_identity(scan.file)
    if identity is None and (first := next(text_lines(scan.file), None)) is not None:
        line_no, text = first
        summary.add_error("SYSTEM", f"Line {line_no}: System Indicator (columns 1-3) must be 'STS', not "
                                    f"{text[:3]!r}: no line of the file is an STS record.", line_no)
        return
    if not _resolve(summary, snapshot, identity, bssy, layout):
        return
    scanner = _Scanner(summary)
    line_no = 1
    for block in read_blocks(scan.file):
        line_no += scanner.block(block, line_no)
    if not summary.lines:
        summary.add_error("EMPTY", "The file holds no records (it is empty or has only blank lines).")


class _Scanner:
    """File-level checks and the contiguity check, line by line or a block at a time.

    `block` does the checks with numpy over all lines of a block at once; Python only
    visits the lines where the State ID may change and the lines that are not plain
    clean records (errors, blank lines, non-ASCII text), which go through `line`."""

    def __init__(self, summary: FileSummary):
        self.summary = summary
        self.layout = summary.layout
        self.nonpublic = self.layout == NONPUBLIC
        self.want_bssy = f"{summary.bssy:04d}".encode()
        self.want_sponsor = summary.sponsor.encode("ascii", "replace")
        self.seen, self.mask = bytearray(1 << (_BLOOM_BITS - 3)), (1 << _BLOOM_BITS) - 1
        self.previous = None  # State ID of the current run of records

    def run_key(self, key: bytes) -> None:
        """Note the State ID of a record; a State ID that comes back after another one
        makes the file non-contiguous (the bit set may say so wrongly, very rarely: that
        only costs the bucket path)."""
        if key == self.previous:
            return
        self.previous = key
        h = hash(key)
        a, b = h & self.mask, (h >> 30) & self.mask
        seen = self.seen
        if seen[a >> 3] >> (a & 7) & 1 and seen[b >> 3] >> (b & 7) & 1:
            self.summary.contiguous = False
        seen[a >> 3] |= 1 << (a & 7)
        seen[b >> 3] |= 1 << (b & 7)

    def line(self, line_no: int, raw: bytes) -> None:
        """Every check on one line (bytes without terminator)."""
        summary = self.summary
        if not raw or raw.isspace():
            return
        summary.lines += 1
        # A line with non-ASCII text is decoded and re-encoded one byte per character
        # ('?' for non-ASCII), so that columns stay character columns.
        text = None if raw.isascii() else decode(raw)
        line = raw if text is None else text.encode("ascii", "replace")
        if line[:3] != b"STS":
            summary.add_error("SYSTEM", f"Line {line_no}: System Indicator (columns 1-3) is {_shown(line[:3])}; "
                                        f"every record starts with 'STS'.", line_no)
            return
        record_type = _TYPES.get(line[3:6])
        if record_type is None:
            summary.add_error("RECORD_TYPE", f"Line {line_no}: Transaction Code (columns 4-6) is "
                                             f"{_shown(line[3:6])}; it must be 020, 030 or 050.", line_no)
            return
        summary.records[record_type] += 1
        if record_type != IBC:  # a 050's length and BSSY are student-level edits (500, 503)
            if len(line) != RECORD_LENGTHS[record_type]:
                length = f"over {MAX_LINE:,}" if len(line) > MAX_LINE else f"{len(line)}"
                summary.add_error("LENGTH", f"Line {line_no}: the {record_type} record is {length} characters "
                                            f"long; 020 and 030 records are 200.", line_no)
                return
            if line[6:10] != self.want_bssy:
                summary.add_error("BSSY", f"Line {line_no}: BSSY (columns 7-10) is {_shown(line[6:10])}; the "
                                          f"upload's BSSY is {summary.bssy}.", line_no)
            if line[10:13] != self.want_sponsor:
                summary.add_error("SPONSOR", f"Line {line_no}: Sponsor Code (columns 11-13) is "
                                             f"{_shown(line[10:13])}; the file's sponsor is {summary.sponsor!r}.",
                                  line_no)
        where = state_id_slice(record_type, self.layout)
        self.run_key(line_key(text if text is not None else line.decode("ascii"), where, self.layout).encode())

    def block(self, data: bytes, first_line: int) -> int:
        """Check a block of whole lines; returns the number of lines in it."""
        a = np.frombuffer(data, dtype=np.uint8)
        size = len(a)
        lf, cr = a == 10, a == 13
        lone_cr = cr.copy()
        lone_cr[:-1] &= ~lf[1:]
        ends = np.flatnonzero(lf | lone_cr)  # each line's terminator (LF of CR LF)
        starts = np.empty(len(ends) + 1, dtype=np.int64)
        starts[0], starts[1:] = 0, ends + 1
        stops = np.append(ends, size)
        stops[:-1] -= lf[ends] & (ends > 0) & cr[np.maximum(ends - 1, 0)]  # CR of CR LF
        if starts[-1] == size:  # the block ends with a terminator: no partial last line
            starts, stops = starts[:-1], stops[:-1]
        count = len(starts)
        lengths = stops - starts
        last = size - 1

        def column(offset: int):
            return a[np.minimum(starts + offset, last)]

        middle = column(4)
        is_ibc = middle == ord("5")
        clean = ((lengths >= 38) & (column(0) == 83) & (column(1) == 84) & (column(2) == 83)
                 & (column(3) == 48) & (column(5) == 48) & ((middle == 50) | (middle == 51) | is_ibc))
        header = (lengths == 200)
        for offset, byte in enumerate(self.want_bssy + self.want_sponsor, start=6):
            header &= column(offset) == byte
        clean &= is_ibc | header
        if not data.isascii():
            clean[np.searchsorted(starts, np.flatnonzero(a >= 128), side="right") - 1] = False
        # State ID windows of the clean lines (the 9-digit nonpublic id padded to 10).
        rows = np.flatnonzero(clean)
        window = starts[rows] + np.where(is_ibc[rows], 28, 13)
        keys = a[window[:, None] + np.arange(10)]
        if self.nonpublic:
            keys[~is_ibc[rows], 9] = 32
        changed = np.ones(len(rows), dtype=bool)
        changed[1:] = (rows[1:] != rows[:-1] + 1) | (keys[1:] != keys[:-1]).any(axis=1)
        summary = self.summary
        summary.lines += len(rows)
        for record_type, digit in ((STUDENT, 50), (TRANSCRIPT, 51), (IBC, 53)):
            summary.records[record_type] += int(np.count_nonzero(middle[rows] == digit))
        # Python visits the other lines and the clean lines that start a new State ID, in order.
        visit = np.flatnonzero(~clean)
        fresh = rows[changed]
        fresh_keys = keys[changed]
        order = np.argsort(np.concatenate((visit, fresh)), kind="stable")
        for position in order.tolist():
            if position < len(visit):
                i = int(visit[position])
                self.line(first_line + i, data[starts[i]:stops[i]])
            else:
                k = position - len(visit)
                key = fresh_keys[k].tobytes().strip()
                if self.nonpublic and len(key) == 10 and key[:1] == b"0":  # as records.link_key
                    key = key[1:]
                self.run_key(key)
        return count


_TYPES = {rt.encode(): rt for rt in (STUDENT, TRANSCRIPT, IBC)}


def _shown(value: bytes) -> str:
    return repr(value.decode("ascii"))


# --- phase 2: students ------------------------------------------------------------------------

def iter_students(
    scan: FileScan,
    snapshot: ReferenceSnapshot,
    *,
    today: dt.date,
    submitting_sites: frozenset[str] | None = None,
    students_on_file: frozenset[str] = frozenset(),
    graduation_check: Callable | None = None,
) -> Iterator[StudentOutcome]:
    """Each student's record set with its findings, in file order (for a file whose
    students are not contiguous: bucket by bucket). Yields nothing when the scan found file
    errors. Closes the scan's file when done."""
    summary = scan.summary
    try:
        if not summary.ok:
            return
        ctx = EditContext(snapshot, bssy=summary.bssy, today=today, submitting_sites=submitting_sites,
                          students_on_file=frozenset(students_on_file), graduation_check=graduation_check,
                          sponsor=summary.sponsor)
        groups = _runs(scan) if summary.contiguous else _buckets(scan)
        for group in groups:
            outcome = _assess(group, ctx)
            summary.students += 1
            summary.rejected_students += outcome.rejected
            summary.grad_date_removals += bool(outcome.grad_date_reasons) and not outcome.rejected
            yield outcome
    finally:
        scan.close()


class _RecordSet:
    """One State ID's records as read, by type: [020s, 030s, 050s]."""

    __slots__ = ("key", "by_type")

    def __init__(self, key: str):
        self.key, self.by_type = key, ([], [], [])

    def add(self, record) -> None:
        self.by_type[_TYPE_INDEX[record.record_type]].append(record)


_TYPE_INDEX = {STUDENT: 0, TRANSCRIPT: 1, IBC: 2}


def _runs(scan: FileScan) -> Iterator[_RecordSet]:
    """Consecutive records of one State ID. The hot loop of pass 2: decoding, parsing and
    grouping are inlined rather than stacked generators."""
    layout = scan.summary.layout
    # Dispatch on the middle digit of the record type (the scan vouched for 020/030/050).
    by_digit = {ord(rt[1]): (PARSERS[rt, layout], _TYPE_INDEX[rt]) for rt in (STUDENT, TRANSCRIPT, IBC)}
    ibc = _TYPE_INDEX[IBC]
    group = _RecordSet(None)
    current, lists = None, group.by_type
    for first_line, block, _ in blocks(scan.file):
        for line_no, raw in enumerate(block, first_line):
            if not raw or raw[0] != 83:  # blank (anything else starts with "STS" after the scan)
                continue
            try:
                text = raw.decode()
            except UnicodeDecodeError:
                text = decode(raw)
            parse, index = by_digit[raw[4]]
            record = parse(text, line_no)
            key = link_key(record) if index == ibc else record.state_id.strip(ASCII_WHITESPACE)  # as link_key
            if key != current:
                if current is not None:
                    yield group
                group = _RecordSet(key)
                current, lists = key, group.by_type
            lists[index].append(record)
    if current is not None:
        yield group


def _buckets(scan: FileScan) -> Iterator[_RecordSet]:
    """Students of a non-contiguous file: lines are partitioned by State ID into temporary
    bucket files of about BUCKET_BYTES, and each bucket is grouped in memory."""
    layout = scan.summary.layout
    parsers = {rt: PARSERS[rt, layout] for rt in (STUDENT, TRANSCRIPT, IBC)}
    count = max(1, -(-scan.size // BUCKET_BYTES))
    with ExitStack() as stack:
        buckets = [stack.enter_context(tempfile.TemporaryFile()) for _ in range(count)]
        for line_no, raw in raw_lines(scan.file):
            text = decode(raw)
            key = line_key(text, state_id_slice(text[3:6], layout), layout)
            buckets[hash(key) % count].write(b"%d\t%s\n" % (line_no, text.encode("utf-8")))
        for bucket in buckets:
            bucket.seek(0)
            students: dict[str, _RecordSet] = {}
            for entry in bucket:
                number, _, text = entry.decode("utf-8")[:-1].partition("\t")
                record = parsers[text[3:6]](text, int(number))
                key = link_key(record)
                group = students.get(key)
                if group is None:
                    group = students[key] = _RecordSet(key)
                group.add(record)
            yield from students.values()
            bucket.close()


def _assess(group: _RecordSet, ctx: EditContext) -> StudentOutcome:
    students, transcripts, ibcs = group.by_type
    student = students[0] if students else None
    verdict = assess_student(student, transcripts, ibcs, ctx, duplicates=students[1:])
    return StudentOutcome(group.key, student, transcripts, ibcs, verdict.findings, verdict.grad_date_reasons,
                          verdict.rejected)


# --- one call ---------------------------------------------------------------------------------

class Validation:
    """Iterator of StudentOutcome over one file; `summary` (FileSummary) is complete for the
    file-level part as soon as the call returns and for the students after iteration."""

    def __init__(self, scan: FileScan, students: Iterator[StudentOutcome]):
        self.scan, self.summary, self._students = scan, scan.summary, students

    def __iter__(self):
        return self

    def __next__(self) -> StudentOutcome:
        return next(self._students)

    def close(self) -> None:
        self._students.close()
        self.scan.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def validate_stream(
    fileobj,
    snapshot: ReferenceSnapshot,
    *,
    bssy: int | None,
    today: dt.date,
    layout: str | None = None,
    submitting_sites: frozenset[str] | None = None,
    students_on_file: frozenset[str] = frozenset(),
    graduation_check: Callable | None = None,
) -> Validation:
    """Scan the file (path or binary file object) now, then validate student by student as
    the result is iterated."""
    scan = scan_file(fileobj, snapshot, bssy=bssy, layout=layout)
    students = iter_students(scan, snapshot, today=today, submitting_sites=submitting_sites,
                            students_on_file=students_on_file, graduation_check=graduation_check)
    return Validation(scan, students)
