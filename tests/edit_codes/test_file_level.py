"""File-level codes through `validate_stream` on bytes: each with its trigger and a valid
file that does not trigger it; line terminators; Windows-1252 text; students whose records
are not contiguous.

A file-level problem rejects the whole file: the summary holds FileErrors and no student is
validated.
"""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from transcripts.edits import CATALOG, samples
from transcripts.records import NONPUBLIC, PUBLIC
from uploads.validation import FileError, validate_stream

FILE_CODES = ("EMPTY", "SYSTEM", "RECORD_TYPE", "LENGTH", "BSSY", "SPONSOR")
SNAPSHOT = samples.snapshot()


def validate(data: bytes, bssy: int | None = samples.BSSY, **options):
    """(summary, outcomes) of a whole file given as bytes."""
    run = validate_stream(io.BytesIO(data), SNAPSHOT, bssy=bssy, today=samples.TODAY, **options)
    outcomes = list(run)
    return run.summary, outcomes


def codes_of(summary) -> list[str]:
    return [e.code for e in summary.file_errors]


def records(layout: str = PUBLIC) -> list:
    student, transcripts, ibcs = samples.sample_set(layout)
    return [student, *transcripts, *ibcs]


def text_lines(layout: str = PUBLIC) -> list[str]:
    return samples.lines_of(*records(layout))


def file_of(lines, terminator: str = "\r\n", encoding: str = "ascii") -> bytes:
    return "".join(line + terminator for line in lines).encode(encoding)


def with_columns(line: str, start: int, value: str) -> str:
    """The line with `value` written from 1-based column `start`."""
    return line[:start - 1] + value + line[start - 1 + len(value):]


VALID_PUBLIC = file_of(text_lines(PUBLIC))
VALID_NONPUBLIC = file_of(text_lines(NONPUBLIC))


def test_file_codes_are_in_the_catalog():
    for code in FILE_CODES:
        assert CATALOG[code].record_type == "file"


@pytest.mark.parametrize("data, layout", [(VALID_PUBLIC, PUBLIC), (VALID_NONPUBLIC, NONPUBLIC)])
def test_valid_file_has_no_file_error_and_validates_its_student(data, layout):
    summary, outcomes = validate(data)
    assert summary.ok and summary.file_errors == []
    assert summary.layout == layout and summary.bssy == samples.BSSY
    assert summary.records == {"020": 1, "030": 10, "050": 1}
    assert [(o.findings, o.rejected) for o in outcomes] == [([], False)]


# --- each file-level code: trigger --------------------------------------------------------------

def _lines_with(index: int, change) -> bytes:
    lines = text_lines()
    lines[index] = change(lines[index])
    return file_of(lines)


TRIGGERS = {
    "EMPTY: no bytes": (b"", {}, "EMPTY", 0),
    "EMPTY: blank lines only": (b"\r\n   \r\n\n", {}, "EMPTY", 0),
    "SYSTEM: lowercase sts": (_lines_with(3, lambda t: "sts" + t[3:]), {}, "SYSTEM", 4),
    "SYSTEM: leading space": (_lines_with(1, lambda t: " " + t[:-1]), {}, "SYSTEM", 2),
    "RECORD_TYPE: 040": (_lines_with(2, lambda t: with_columns(t, 4, "040")), {}, "RECORD_TYPE", 3),
    "RECORD_TYPE: 20 ": (_lines_with(2, lambda t: with_columns(t, 4, "20 ")), {}, "RECORD_TYPE", 3),
    "LENGTH: 199-character 020": (_lines_with(0, lambda t: t[:-1]), {}, "LENGTH", 1),
    "LENGTH: 201-character 030": (_lines_with(5, lambda t: t + " "), {}, "LENGTH", 6),
    "LENGTH: 030 cut short": (_lines_with(10, lambda t: t[:63]), {}, "LENGTH", 11),
    "BSSY: other than the upload's": (VALID_PUBLIC, {"bssy": 2018}, "BSSY", 1),
    "BSSY: file's own is not a year": (_lines_with(0, lambda t: with_columns(t, 7, "20X9")),
                                       {"bssy": None}, "BSSY", 1),
    "BSSY: mixed between records": (_lines_with(4, lambda t: with_columns(t, 7, "2018")),
                                    {"bssy": None}, "BSSY", 5),
    "SPONSOR: unknown": (VALID_PUBLIC.replace(b"STS0202019001", b"STS0202019999")
                         .replace(b"STS0302019001", b"STS0302019999"), {}, "SPONSOR", 1),
    "SPONSOR: postsecondary": (VALID_PUBLIC.replace(b"STS0202019001", b"STS0202019401")
                               .replace(b"STS0302019001", b"STS0302019401"), {}, "SPONSOR", 1),
    "SPONSOR: public file read as nonpublic": (VALID_PUBLIC, {"layout": NONPUBLIC}, "SPONSOR", 1),
    "SPONSOR: mixed between records": (_lines_with(7, lambda t: with_columns(t, 11, "002")), {}, "SPONSOR", 8),
}


@pytest.mark.parametrize("name", TRIGGERS)
def test_file_level_problem_rejects_the_file(name):
    data, options, code, line = TRIGGERS[name]
    summary, outcomes = validate(data, **options)
    assert code in codes_of(summary)
    error = next(e for e in summary.file_errors if e.code == code)
    assert isinstance(error, FileError) and error.line == line and error.message
    assert not summary.ok and outcomes == []  # nothing of the file is validated


def test_bssy_other_than_upload_is_reported_on_every_020_and_030():
    summary, _ = validate(VALID_PUBLIC, bssy=2018)
    assert codes_of(summary) == ["BSSY"] * 11  # the 050 is edit 503's
    assert [e.line for e in summary.file_errors] == list(range(1, 12))


def test_050_with_other_bssy_or_sponsor_is_a_student_edit_not_a_file_error():
    lines = text_lines()
    lines[-1] = with_columns(with_columns(lines[-1], 7, "2018"), 11, "002")
    summary, outcomes = validate(file_of(lines))
    assert summary.ok
    assert sorted({f.code for f in outcomes[0].findings}) == ["503", "504"]


def test_a_file_of_only_050_records_is_valid():
    summary, outcomes = validate(file_of(text_lines()[-1:]), students_on_file=frozenset({"1000000001"}))
    assert summary.ok and summary.records == {"020": 0, "030": 0, "050": 1}
    assert [o.findings for o in outcomes] == [[]]


def test_bssy_defaults_to_the_files_own():
    summary, outcomes = validate(VALID_PUBLIC, bssy=None)
    assert summary.ok and summary.bssy == samples.BSSY and outcomes[0].findings == []


def test_file_without_any_sts_line_is_a_system_error():
    lines = ["sts" + line[3:] for line in text_lines()]
    summary, _ = validate(file_of(lines))
    assert "SYSTEM" in codes_of(summary)


# --- line terminators and encodings ------------------------------------------------------------

@pytest.mark.parametrize("terminator", ["\r\n", "\n", "\r"], ids=["CRLF", "LF", "CR"])
def test_terminators_are_not_part_of_the_record(terminator):
    """A 200-character record + CR LF is 202 bytes: the terminator may exceed the record
    length by 2 bytes (guide, Batch Submissions)."""
    data = file_of(text_lines(), terminator)
    assert data.count(b"STS020") == 1 and len(data.split(terminator.encode())[0]) == 200
    summary, outcomes = validate(data)
    assert summary.ok, summary.file_errors
    assert [o.findings for o in outcomes] == [[]] and len(outcomes[0].transcripts) == 10


def test_mixed_terminators_and_a_last_line_without_one():
    lines = text_lines()
    data = b"".join(line.encode() + (b"\r\n" if i % 2 else b"\n") for i, line in enumerate(lines))
    summary, outcomes = validate(data.rstrip(b"\r\n"))
    assert summary.ok and [o.findings for o in outcomes] == [[]]
    assert outcomes[0].ibcs[0].length == 63


def test_two_extra_bytes_beyond_the_terminator_are_a_length_error():
    """The 2 bytes the guide allows are the CR LF; spaces after column 200 are not."""
    data = _lines_with(1, lambda t: t + "  ")
    summary, _ = validate(data)
    assert codes_of(summary) == ["LENGTH"] and summary.file_errors[0].line == 2


def test_utf8_byte_order_mark_is_ignored():
    summary, outcomes = validate(b"\xef\xbb\xbf" + VALID_PUBLIC)
    assert summary.ok and [o.findings for o in outcomes] == [[]]


def _named_course(name: str) -> list[str]:
    rows = records()
    rows[5] = replace(rows[5], course_name=name)  # an elective (240001) named by the district
    return samples.lines_of(*rows)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_non_ascii_course_name_keeps_its_columns(encoding):
    """'CAFÉ CRÈME' is one byte a letter in Windows-1252 and two in UTF-8: either way the
    record is 200 characters and the name is read whole."""
    name = "CAFÉ CRÈME – ÉTÉ"
    data = file_of(_named_course(name), encoding=encoding)
    summary, outcomes = validate(data)
    assert summary.ok, summary.file_errors
    (outcome,) = outcomes
    assert outcome.findings == []
    assert outcome.transcripts[4].course_name.rstrip() == name
    assert outcome.transcripts[4].quality_points == "000"  # columns after the name did not shift


def test_windows_1252_bytes_undefined_in_the_code_page_do_not_break_the_file():
    """0x81 has no Windows-1252 character: it reads as U+FFFD, still one column."""
    lines = _named_course("CAF_")
    data = file_of(lines).replace(b"CAF_", b"CAF\x81")
    summary, outcomes = validate(data)
    assert summary.ok and outcomes[0].findings == []
    assert outcomes[0].transcripts[4].course_name.startswith("CAF\ufffd")


# --- students whose records are not contiguous --------------------------------------------------

def second_public_student() -> list:
    """Registry student 1000000002 (bo Li, 3 Nov, M, black) on the public sample's records."""
    ids = dict(state_id="1000000002")
    student, transcripts, ibcs = samples.public_set()
    student = replace(student, local_id="L0002", first_name="B", last_name="LI", birth_day="03", sex="M",
                      black="Y", white="N", **ids)
    ibcs = [replace(r, local_id="L0002", first_name="B", last_name="LI", **ids) for r in ibcs]
    return [student, *(replace(r, **ids) for r in transcripts), *ibcs]


def two_students() -> tuple[list, list]:
    """Two public students, each with a finding, so 'the same findings' says something."""
    first = records()
    first[3] = replace(first[3], semester="X1")  # 304 on a 030
    second = second_public_student()
    second[0] = replace(second[0], sex="F")  # U08
    return first, second


def findings_by_student(data: bytes):
    """(per State ID: the findings, with the line they point at given as that line's text;
    the file summary)."""
    text = data.decode("ascii").splitlines()
    summary, outcomes = validate(data)
    assert summary.ok, summary.file_errors
    return {o.state_id: sorted((f.code, f.field, f.position, f.value, text[f.line - 1]) for f in o.findings)
            for o in outcomes}, summary


def test_non_contiguous_file_validates_like_the_contiguous_one():
    first, second = two_students()
    contiguous = file_of(samples.lines_of(*first, *second))
    # 020s first, then the 030s alternating, then the 050s: every student comes back
    interleaved_records = [first[0], second[0]]
    for a, b in zip(first[1:11], second[1:11]):
        interleaved_records += [a, b]
    interleaved_records += [first[11], second[11]]
    interleaved = file_of(samples.lines_of(*interleaved_records))
    assert sorted(contiguous.splitlines()) == sorted(interleaved.splitlines())

    expected, summary_a = findings_by_student(contiguous)
    got, summary_b = findings_by_student(interleaved)
    assert summary_a.contiguous and not summary_b.contiguous
    assert got == expected
    assert {code for found in expected.values() for code, *_ in found} == {"304", "U08"}
    assert summary_b.students == 2 and summary_b.rejected_students == 2


def test_student_seen_again_later_is_one_student_with_a_duplicate_020():
    """A State ID that comes back after another student is still one record set: its second
    020 is edit 211, not a second student."""
    first, second = records(), second_public_student()
    data = file_of(samples.lines_of(*first, *second, first[0]))
    summary, outcomes = validate(data)
    by_id = {o.state_id: [f.code for f in o.findings] for o in outcomes}
    assert not summary.contiguous
    assert by_id == {"1000000001": ["211"], "1000000002": []}


def test_graduation_check_runs_through_the_stream():
    summary, outcomes = validate(VALID_PUBLIC, graduation_check=lambda *_: ["3"])
    (outcome,) = outcomes
    assert outcome.grad_date_reasons == ["3"] and not outcome.rejected
    assert summary.grad_date_removals == 1 and summary.rejected_students == 0


def _nonpublic_pair() -> tuple[list[str], list[str]]:
    """Nonpublic student 123456789 (the sample) and a second one, 223456789."""
    first = text_lines(NONPUBLIC)
    ids = dict(state_id="223456789")
    student, transcripts, ibcs = samples.nonpublic_set()
    second = samples.lines_of(replace(student, local_id="NP0002", **ids), *(replace(r, **ids) for r in transcripts),
                              *(replace(r, local_id="NP0002", **ids) for r in ibcs))
    return first, second


def test_050_id_padded_with_a_control_character_groups_the_same_in_any_order():
    first, second = _nonpublic_pair()
    first[-1] = with_columns(first[-1], 29, "\x1c123456789")  # the 050's id field, columns 29-38
    in_order, _ = findings_by_student(file_of(first + second))
    after_other, _ = findings_by_student(file_of(first[:-1] + second + first[-1:]))
    assert after_other == in_order  # actually: in_order has no finding, after_other a 507 on the 050


def test_050_after_another_student_is_grouped_with_its_own_student():
    """The same move with a plain id: the scan sees the student come back, the bucket path
    groups the 050 with its 020 and nothing is reported."""
    first, second = _nonpublic_pair()
    found, summary = findings_by_student(file_of(first[:-1] + second + first[-1:]))
    assert not summary.contiguous
    assert found == {"123456789": [], "223456789": []}
