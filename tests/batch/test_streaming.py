"""Reading a batch file in bounded memory: the block reader, the vectorised file scan
against the line-by-line checks, the bucket path for non-contiguous files, and the
sources validate_stream accepts. (File-level codes and robustness against arbitrary input
are in tests/edit_codes.)"""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from transcripts.edits import samples
from transcripts.records import NONPUBLIC, PUBLIC
from uploads import validation
from uploads.parser import MAX_LINE, blocks, decode, raw_lines, read_blocks
from uploads.validation import FileSummary, _Scanner, scan_file, validate_stream

SNAPSHOT = samples.snapshot()


def validate(data, **options):
    options.setdefault("bssy", samples.BSSY)
    run = validate_stream(data if not isinstance(data, bytes) else io.BytesIO(data), SNAPSHOT,
                          today=samples.TODAY, **options)
    return run.summary, list(run)


def sample_lines(layout=PUBLIC, state_id=None):
    student, transcripts, ibcs = samples.sample_set(layout)
    records = [student, *transcripts, *ibcs]
    if state_id:
        records = [replace(r, state_id=state_id) for r in records]
    return samples.lines_of(*records)


# --- the block reader ---------------------------------------------------------------------------

TERMINATED = st.lists(st.tuples(st.binary(max_size=12).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"")),
                                st.sampled_from([b"\r\n", b"\n", b"\r", b""])), max_size=12)


@settings(max_examples=300, deadline=None)
@given(parts=TERMINATED, size=st.integers(1, 9), bom=st.booleans())
def test_blocks_split_lines_like_splitlines_whatever_the_block_size(parts, size, bom):
    raw = (b"\xef\xbb\xbf" if bom else b"") + b"".join(text + end for text, end in parts)
    expected = raw.removeprefix(b"\xef\xbb\xbf").splitlines()
    numbered = [(n, line) for n, lines, _ in blocks(io.BytesIO(raw), size) for n, line in enumerate(lines, n)]
    assert [line for _, line in numbered] == expected
    assert [n for n, _ in numbered] == list(range(1, len(expected) + 1))
    assert list(raw_lines(io.BytesIO(raw))) == [(n, l) for n, l in numbered if l.strip()]


def test_a_line_without_end_does_not_grow_memory_beyond_a_bound():
    data = b"X" * (3 * MAX_LINE)
    assert max(len(b) for b in read_blocks(io.BytesIO(data), size=MAX_LINE // 4)) <= MAX_LINE + MAX_LINE // 4


def test_windows_1252_fallback_never_fails():
    assert decode("JOSÉ".encode("utf-8")) == "JOSÉ"
    assert decode("JOSÉ".encode("cp1252")) == "JOSÉ"
    assert decode(b"\x81\x8d\x8f\x90\x9d") == "\ufffd" * 5  # bytes Windows-1252 leaves undefined


# --- the vectorised scan against the line-by-line checks ----------------------------------------

def scan_block(data: bytes, layout: str, block_size: int) -> FileSummary:
    summary = FileSummary(layout=layout, bssy=samples.BSSY, sponsor="001" if layout == PUBLIC else "900")
    scanner, line = _Scanner(summary), 1
    for block in read_blocks(io.BytesIO(data), block_size):
        line += scanner.block(block, line)
    return summary


def scan_lines(data: bytes, layout: str) -> FileSummary:
    summary = FileSummary(layout=layout, bssy=samples.BSSY, sponsor="001" if layout == PUBLIC else "900")
    scanner = _Scanner(summary)
    for first, lines, _ in blocks(io.BytesIO(data)):
        for n, raw in enumerate(lines, first):
            scanner.line(n, raw)
    return summary


EDITS = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 210),
                           st.sampled_from(["", " ", "X", "9", "é", "\x1f", "STS", "020", "030", "050", "2018", "002",
                                            "123456789", "0123456789", "\t"])), max_size=8)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layout=st.sampled_from([PUBLIC, NONPUBLIC]), order=st.permutations(range(6)), edits=EDITS,
       cut=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 210)), max_size=3),
       end=st.sampled_from(["\r\n", "\n", "\r"]), encoding=st.sampled_from(["utf-8", "cp1252"]),
       block_size=st.sampled_from([64, 300, 1 << 20]))
def test_block_scan_finds_what_the_line_scan_finds(layout, order, edits, cut, end, encoding, block_size):
    """Several students, shuffled by student, lines edited or cut short, other encodings and
    terminators: the numpy path and the per-line path agree on every error, count and on
    contiguity."""
    students = [sample_lines(layout, state_id=f"{'1' if layout == PUBLIC else ''}00000000{k}") for k in range(3)]
    chunks = [lines[i:i + 6] for lines in students for i in (0, 6)]
    lines = [line for k in order for line in chunks[k]]
    for row, column, text in edits:
        if row < len(lines):
            lines[row] = lines[row][:column] + text + lines[row][column + len(text):]
    for row, length in cut:
        if row < len(lines):
            lines[row] = lines[row][:length]
    data = "".join(line + end for line in lines).encode(encoding, errors="replace")
    by_block, by_line = scan_block(data, layout, block_size), scan_lines(data, layout)
    assert by_block.file_errors == by_line.file_errors
    assert (by_block.records, by_block.lines, by_block.contiguous) == (
        by_line.records, by_line.lines, by_line.contiguous)


def test_contiguity_is_detected_across_blocks():
    lines = sample_lines() + sample_lines(state_id="1000000002") + sample_lines()[:2]
    data = "".join(line + "\r\n" for line in lines).encode()
    assert scan_block(data, PUBLIC, 300).contiguous is False
    assert scan_block("".join(l + "\r\n" for l in lines[:-2]).encode(), PUBLIC, 300).contiguous is True


# --- non-contiguous files, sources, summary -----------------------------------------------------

def outcomes_by_student(outcomes):
    return {o.state_id: ([r.line for r in (o.student, *o.transcripts, *o.ibcs) if r], sorted(f.code for f in o.findings),
                         o.rejected) for o in outcomes}


@pytest.mark.parametrize("bucket_bytes", [validation.BUCKET_BYTES, 2000])
def test_interleaved_students_are_regrouped_in_buckets(monkeypatch, bucket_bytes):
    monkeypatch.setattr(validation, "BUCKET_BYTES", bucket_bytes)
    ids = [f"10000000{k:02d}" for k in range(12)]
    per_student = {i: sample_lines(state_id=i) for i in ids}
    contiguous = [line for i in ids for line in per_student[i]]
    interleaved = [per_student[i][row] for row in range(12) for i in ids]
    summary_a, a = validate("".join(l + "\n" for l in contiguous).encode())
    summary_b, b = validate("".join(l + "\n" for l in interleaved).encode())
    assert summary_a.contiguous and not summary_b.contiguous
    assert len(b) == summary_b.students == 12
    # Same students, same codes, lines in file order within each student.
    assert {k: v[1:] for k, v in outcomes_by_student(a).items()} == {k: v[1:] for k, v in outcomes_by_student(b).items()}
    assert all(lines == sorted(lines) for lines, _, _ in outcomes_by_student(b).values())


def test_nonpublic_050_with_a_zero_padded_id_links_to_its_student():
    student, transcripts, ibcs = samples.nonpublic_set()
    lines = samples.lines_of(student, *transcripts, replace(ibcs[0], state_id="0123456789"))
    summary, outcomes = validate("".join(l + "\r\n" for l in lines).encode())
    assert summary.contiguous and [o.state_id for o in outcomes] == ["123456789"]
    assert len(outcomes[0].ibcs) == 1 and not outcomes[0].findings


class Unseekable(io.RawIOBase):
    def __init__(self, data):
        self._data = io.BytesIO(data)

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = self._data.read(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)


def test_paths_and_upload_streams_that_cannot_seek(tmp_path):
    data = "".join(line + "\r\n" for line in sample_lines()).encode()
    path = tmp_path / "upload.txt"
    path.write_bytes(data)
    for source in (path, str(path), Unseekable(data)):
        summary, outcomes = validate(source)
        assert summary.ok and [o.state_id for o in outcomes] == ["1000000001"] and not outcomes[0].findings


def test_a_path_that_cannot_be_read_is_a_file_error(tmp_path):
    summary, outcomes = validate(tmp_path / "missing.txt")
    assert [e.code for e in summary.file_errors] == ["UNREADABLE"] and outcomes == []


def test_file_errors_are_counted_beyond_the_ones_kept():
    line = sample_lines()[1]
    data = "".join(line[:150] + "\r\n" for _ in range(validation.MAX_FILE_ERRORS + 20)).encode()
    summary, outcomes = validate(data)
    assert len(summary.file_errors) == validation.MAX_FILE_ERRORS
    assert summary.file_error_count == validation.MAX_FILE_ERRORS + 20 and outcomes == []


def test_summary_counts_students_rejections_and_graduation_date_removals():
    good = sample_lines()
    bad = sample_lines(state_id="1000000002")  # registry names differ: U-edits reject it
    removal = sample_lines(state_id="1000000003")
    data = "".join(l + "\n" for l in good + bad + removal).encode()

    def check(student, transcripts, ibcs):
        return ["3"] if student.state_id == "1000000001" else []

    summary, outcomes = validate(data, graduation_check=check)
    assert (summary.students, summary.rejected_students, summary.grad_date_removals) == (3, 2, 1)
    assert summary.records == {"020": 3, "030": 30, "050": 3} and summary.lines == 36
    assert outcomes[0].grad_date_reasons == ["3"] and not outcomes[0].rejected


def test_the_layout_follows_the_sponsor_unless_chosen():
    data = "".join(l + "\r\n" for l in sample_lines(NONPUBLIC)).encode()
    summary, outcomes = validate(data)
    assert summary.layout == NONPUBLIC and not outcomes[0].findings
    summary, outcomes = validate(data, layout=PUBLIC)
    assert [e.code for e in summary.file_errors] == ["SPONSOR"] and outcomes == []


def test_scan_then_students_in_two_steps():
    data = "".join(l + "\r\n" for l in sample_lines()).encode()
    with scan_file(io.BytesIO(data), SNAPSHOT, bssy=None) as scan:
        assert scan.ok and scan.summary.bssy == samples.BSSY and scan.summary.sponsor == "001"
        outcomes = list(validation.iter_students(scan, SNAPSHOT, today=samples.TODAY))
    assert [o.rejected for o in outcomes] == [False]
