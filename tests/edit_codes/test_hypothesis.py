"""Whatever the bytes of an upload, the parser and `validate_stream` never raise: file-level
problems come back as FileError entries of the summary, record problems as findings.

Generated inputs: random bytes, random printable (also non-ASCII) text, the valid sample
files with random columns overwritten (so the edits see arbitrary field values), and the
sample lines cut or padded to random lengths.
"""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transcripts.edits import CATALOG, samples
from transcripts.records import IBC, NONPUBLIC, PUBLIC, RECORD_TYPES
from transcripts.layouts import parse_line
from uploads.parser import BOM, blocks, raw_lines, read_blocks, text_lines
from uploads.validation import FileError, validate_stream

SNAPSHOT = samples.snapshot()
FILE_CODES = {code for code, e in CATALOG.items() if e.record_type == "file"}
RECORD_CODES = set(CATALOG) - FILE_CODES


def _sample_lines(layout: str) -> list[str]:
    student, transcripts, ibcs = samples.sample_set(layout)
    return samples.lines_of(student, *transcripts, *ibcs)


SAMPLE_LINES = {layout: _sample_lines(layout) for layout in (PUBLIC, NONPUBLIC)}

FAST = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

terminators = st.sampled_from(["\r\n", "\n", "\r", ""])
unicode_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


def validate_all(data: bytes, bssy, layout=None, **options):
    """Validate the whole file; check the shape of what comes back."""
    run = validate_stream(io.BytesIO(data), SNAPSHOT, bssy=bssy, today=samples.TODAY, layout=layout, **options)
    outcomes = list(run)
    summary = run.summary
    assert all(isinstance(e, FileError) and e.code in FILE_CODES for e in summary.file_errors)
    assert summary.file_error_count >= len(summary.file_errors)
    if summary.file_errors:
        assert outcomes == []
    for outcome in outcomes:
        codes = {f.code for f in outcome.findings}
        assert codes <= RECORD_CODES
        rejecting = {c for c in codes if CATALOG[c].severity == "reject"}
        assert outcome.rejected == bool(rejecting)
    assert summary.students == len(outcomes)
    return summary, outcomes


def check_parser(data: bytes):
    """The readers agree with bytes.splitlines, whatever the block size."""
    body = data.removeprefix(BOM)
    expected = [line for line in body.splitlines() if line and not line.isspace()]
    for size in (1, 7, 64, 1 << 20):
        assert b"".join(read_blocks(io.BytesIO(data), size)) == body
    assert [raw for _, raw in raw_lines(io.BytesIO(data))] == expected
    numbered = [(n, raw) for first, lines, _ in blocks(io.BytesIO(data), 13) for n, raw in enumerate(lines, first)]
    assert [raw for _, raw in numbered] == body.splitlines()
    assert [n for n, _ in numbered] == list(range(1, len(numbered) + 1))
    assert len(list(text_lines(io.BytesIO(data)))) == len(expected)


@FAST
@given(st.binary(max_size=800), st.sampled_from([None, samples.BSSY]))
def test_random_bytes(data, bssy):
    check_parser(data)
    validate_all(data, bssy)


@FAST
@given(st.lists(st.tuples(st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=210), terminators),
                max_size=8),
       st.sampled_from([None, samples.BSSY, 1999]))
def test_random_printable_lines(lines, bssy):
    data = "".join(text + end for text, end in lines).encode()
    check_parser(data)
    validate_all(data, bssy)


@FAST
@given(st.lists(st.tuples(st.sampled_from(["STS020", "STS030", "STS050", "STS", "sts020"]),
                          st.sampled_from(["2019", "2018", "20X9", ""]), st.sampled_from(["001", "900", "401", "999"]),
                          unicode_text, st.integers(0, 260)), min_size=1, max_size=6),
       terminators, st.sampled_from(["utf-8", "cp1252"]))
def test_record_like_lines_of_random_lengths(rows, end, encoding):
    """Lines with a record's head and a random body, padded or cut to a random length."""
    lines = [(head + bssy + sponsor + body).ljust(length)[:max(length, 1)] for head, bssy, sponsor, body, length in rows]
    data = "".join(line + (end or "\n") for line in lines).encode(encoding, errors="replace")
    check_parser(data)
    validate_all(data, None)


@st.composite
def mutated_sample_file(draw):
    """A valid sample file with random columns overwritten; 020/030 keep their head and 200
    characters so that the file scan passes and the edits see the random values."""
    layout = draw(st.sampled_from([PUBLIC, NONPUBLIC]))
    lines = list(SAMPLE_LINES[layout])
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        if len(line) < 14:  # a 050 already cut short: nothing left to overwrite
            continue
        start = draw(st.integers(13, len(line) - 1))
        width = draw(st.integers(1, 12))
        value = draw(st.one_of(
            st.text(st.sampled_from("0123456789 "), min_size=width, max_size=width),
            st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=width, max_size=width),
            st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=width, max_size=width),
        ))
        line = (line[:start] + value + line[start + len(value):])[:len(line)]
        if line[3:6] == IBC and draw(st.booleans()):
            line = line[:draw(st.integers(13, 80))].ljust(draw(st.integers(0, 80)))  # 050 of any length
        lines[i] = line
    if draw(st.booleans()):  # and in any order (non-contiguous files)
        lines = draw(st.permutations(lines))
    return layout, lines


@FAST
@given(mutated_sample_file(), terminators, st.sampled_from(["utf-8", "cp1252"]))
def test_valid_records_with_random_field_mutations(sample, end, encoding):
    layout, lines = sample
    data = "".join(line + (end or "\n") for line in lines).encode(encoding, errors="replace")
    check_parser(data)
    summary, outcomes = validate_all(data, samples.BSSY, layout=layout)
    if summary.ok:
        records = [r for o in outcomes for r in ([o.student] if o.student else []) + o.transcripts + o.ibcs]
        assert len(records) == summary.lines  # every record belongs to exactly one student
    for line in lines:
        if line[3:6] in RECORD_TYPES:
            parse_line(line, layout, 1)  # the layout parser takes a record line of any length


@FAST
@given(st.lists(st.sampled_from(SAMPLE_LINES[PUBLIC] + SAMPLE_LINES[NONPUBLIC]), max_size=10),
       st.integers(0, 4))
def test_sample_lines_shuffled_between_layouts(lines, blanks):
    """Public and nonpublic lines mixed (sponsor errors) with blank lines in between."""
    data = ("\r\n" * blanks + "\r\n".join(lines)).encode()
    check_parser(data)
    validate_all(data, None)


# --- order independence ------------------------------------------------------------------------

def _second_student(layout: str) -> list[str]:
    """A second valid student of the same sponsor: public registry student 1000000002
    (bo Li), or a nonpublic student with another SSN."""
    from dataclasses import replace

    student, transcripts, ibcs = samples.sample_set(layout)
    if layout == PUBLIC:
        ids = dict(state_id="1000000002")
        student = replace(student, local_id="L0002", first_name="B", last_name="LI", birth_day="03", sex="M",
                          black="Y", white="N", **ids)
        ibcs = [replace(r, local_id="L0002", first_name="B", last_name="LI", **ids) for r in ibcs]
    else:
        ids = dict(state_id="223456789")
        student = replace(student, local_id="NP0002", **ids)
        ibcs = [replace(r, local_id="NP0002", **ids) for r in ibcs]
    return samples.lines_of(student, *(replace(r, **ids) for r in transcripts), *ibcs)


SECOND_LINES = {layout: _second_student(layout) for layout in (PUBLIC, NONPUBLIC)}


def _id_window(line: str, layout: str) -> range:
    """0-based columns of a line's linking State ID (left alone so students stay apart)."""
    if line[3:6] == IBC:
        return range(28, 38)
    return range(13, 22 if layout == NONPUBLIC else 23)


@st.composite
def two_students_mutated(draw):
    layout = draw(st.sampled_from([PUBLIC, NONPUBLIC]))
    students = [list(SAMPLE_LINES[layout]), list(SECOND_LINES[layout])]
    for lines in students:
        for _ in range(draw(st.integers(0, 4))):
            i = draw(st.integers(0, len(lines) - 1))
            line = lines[i]
            column = draw(st.integers(13, len(line) - 1).filter(lambda c: c not in _id_window(line, layout)))
            char = draw(st.characters(min_codepoint=32, max_codepoint=126))
            lines[i] = line[:column] + char + line[column + 1:]
    # interleave the two students, each keeping the order of its own records
    picks = draw(st.permutations([0] * len(students[0]) + [1] * len(students[1])))
    queues = [iter(students[0]), iter(students[1])]
    interleaved = [next(queues[p]) for p in picks]
    return layout, students[0] + students[1], interleaved


def _per_student(lines: list[str], layout: str):
    data = "".join(line + "\r\n" for line in lines).encode()
    summary, outcomes = validate_all(data, samples.BSSY, layout=layout)
    found = {}
    for o in outcomes:
        found.setdefault(o.state_id, []).extend(
            (f.code, f.field, f.position, f.value, lines[f.line - 1]) for f in o.findings)
    return sorted(e.code for e in summary.file_errors), {k: sorted(v) for k, v in found.items()}


@FAST
@given(two_students_mutated())
def test_interleaved_students_validate_like_contiguous_ones(sample):
    layout, contiguous, interleaved = sample
    assert _per_student(interleaved, layout) == _per_student(contiguous, layout)
