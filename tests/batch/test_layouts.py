"""Record layouts as data: widths, positions of the guide, and parse_line/format_record."""

from __future__ import annotations

from dataclasses import fields

import pytest
from hypothesis import given, settings, strategies as st

from transcripts.edits import samples
from transcripts.records import NONPUBLIC, PUBLIC, IbcRecord, StudentRecord, TranscriptRecord
from transcripts.layouts import (
    FILLER, LAYOUTS, RECORD_LENGTHS, colspecs, data_fields, format_record, parse_line, position_of,
)

CLASSES = {"020": StudentRecord, "030": TranscriptRecord, "050": IbcRecord}


@pytest.mark.parametrize("key", sorted(LAYOUTS))
def test_fields_tile_the_whole_record(key):
    record_type, layout = key
    start = 1
    for f in LAYOUTS[key]:
        assert f.start == start and f.length > 0 and f.kind in "AN"
        start += f.length
    assert start - 1 == RECORD_LENGTHS[record_type]
    names = [f.name for f in LAYOUTS[key] if f.name != FILLER]
    assert len(names) == len(set(names))
    assert set(names) <= {f.name for f in fields(CLASSES[record_type])}


@pytest.mark.parametrize("record_type, layout, name, expected", [
    # 020 public (12/2017) and nonpublic
    ("020", PUBLIC, "state_id", (14, 10)), ("020", PUBLIC, "local_id", (24, 9)), ("020", PUBLIC, "site", (33, 6)),
    ("020", PUBLIC, "first_name", (39, 1)), ("020", PUBLIC, "last_name", (68, 3)), ("020", PUBLIC, "birth_day", (93, 2)),
    ("020", PUBLIC, "sex", (100, 1)), ("020", PUBLIC, "graduation_date", (107, 8)), ("020", PUBLIC, "hispanic", (139, 1)),
    ("020", PUBLIC, "diploma_path", (145, 2)), ("020", PUBLIC, "fafsa", (148, 1)), ("020", PUBLIC, "eoc_social_studies", (156, 1)),
    ("020", NONPUBLIC, "state_id", (14, 9)), ("020", NONPUBLIC, "local_id", (23, 9)), ("020", NONPUBLIC, "site", (32, 6)),
    ("020", NONPUBLIC, "first_name", (38, 15)), ("020", NONPUBLIC, "middle_name", (53, 15)),
    ("020", NONPUBLIC, "last_name", (68, 20)), ("020", NONPUBLIC, "suffix", (88, 3)), ("020", NONPUBLIC, "birth_date", (91, 8)),
    ("020", NONPUBLIC, "parental_consent", (147, 1)),
    # 030: columns 1-46 shift by one between the layouts, 47 on are shared
    ("030", PUBLIC, "course_bssy", (24, 4)), ("030", NONPUBLIC, "course_bssy", (23, 4)),
    ("030", PUBLIC, "grade_point_max", (44, 3)), ("030", NONPUBLIC, "grade_point_max", (43, 3)),
    ("030", PUBLIC, "waiver", (47, 1)), ("030", NONPUBLIC, "waiver", (47, 1)),
    ("030", PUBLIC, "course_name", (103, 60)), ("030", PUBLIC, "quality_points", (163, 3)),
    ("030", PUBLIC, "de_credit_hours", (176, 4)), ("030", PUBLIC, "de_secondary_site", (180, 6)),
    # 050
    ("050", PUBLIC, "state_id", (29, 10)), ("050", NONPUBLIC, "ibc_code", (43, 3)), ("050", PUBLIC, "earned_site", (58, 6)),
])
def test_positions_are_the_guides(record_type, layout, name, expected):
    assert position_of(record_type, layout, name) == expected


def test_a_field_the_layout_lacks_has_no_position():
    with pytest.raises(KeyError):
        position_of("020", PUBLIC, "birth_date")
    with pytest.raises(KeyError):
        parse_line("STS040" + " " * 194, PUBLIC, 1)


@pytest.mark.parametrize("layout", [PUBLIC, NONPUBLIC])
def test_sample_records_survive_format_and_parse(layout):
    student, transcripts, ibcs = samples.sample_set(layout)
    for record in (student, *transcripts, *ibcs):
        text = format_record(record)
        assert len(text) == RECORD_LENGTHS[record.record_type]
        assert parse_line(text, layout, record.line) == record
    assert student.birth_date == "" if layout == PUBLIC else student.birth_day == ""


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(sorted(LAYOUTS)), text=st.text(min_size=0, max_size=220), line=st.integers(0, 10**6))
def test_parsed_fields_are_the_raw_columns(key, text, line):
    record_type, layout = key
    text = "STS" + record_type + text
    record = parse_line(text, layout, line)
    assert (record.line, record.layout, record.record_type) == (line, layout, record_type)
    for f in data_fields(record_type, layout):
        assert getattr(record, f.name) == text[f.start - 1:f.start - 1 + f.length]
    absent = {f.name for f in fields(record)} - {f.name for f in data_fields(record_type, layout)}
    assert all(getattr(record, name) == "" for name in absent - {"line", "layout", "length"})
    if record_type == "050":
        assert record.length == len(text)


def test_a_parsed_record_is_frozen_and_hashable():
    record = parse_line(format_record(samples.public_set()[1][0]), PUBLIC, 2)
    with pytest.raises(AttributeError):
        record.grade = "F"
    assert hash(record) == hash(samples.public_set()[1][0])


def test_colspecs_are_the_data_fields_zero_based():
    specs = colspecs("030", PUBLIC)
    assert specs[0] == (0, 3) and specs[-1] == (179, 185) and len(specs) == 24
