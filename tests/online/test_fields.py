"""The form/rule binding: typed online values become the raw strings a batch file carries, and
the catalog's findings land on the form field they are about."""
import pytest

from transcripts.edits import EditContext, check_field, check_student
from transcripts.online.fields import (
    COUNT, CREDITS, DATE, FLAG, FIELDS, NotRepresentable, entry_fields, raw_values, to_display, to_raw,
)
from transcripts.records import IBC, NONPUBLIC, PUBLIC, STUDENT, TRANSCRIPT, StudentRecord, TranscriptRecord
from transcripts.reference import ReferenceSnapshot
from transcripts.layouts import data_fields, position_of


@pytest.mark.parametrize("typed, raw", [("1.00", "100"), ("1", "100"), (".5", "050"), ("0.50", "050"), ("0", "000"),
                                        ("9.99", "999"), ("", ""), ("abc", "abc"), ("1.234", "1.234"), ("-1", "-1")])
def test_credits_are_written_with_two_implied_decimals(typed, raw):
    assert to_raw(CREDITS, typed, 3) == raw


def test_a_number_too_large_for_its_batch_field_is_not_representable():
    """'100' typed as credits is 100.00, which no 3-column batch field holds (not the raw '100')."""
    for typed in ("100", "10.00"):
        with pytest.raises(NotRepresentable):
            to_raw(CREDITS, typed, 3)
    assert to_raw(CREDITS, "10.00", 4) == "1000"
    with pytest.raises(NotRepresentable):
        to_raw(COUNT, "12345", 4)


@pytest.mark.parametrize("typed, raw", [("05/20/2026", "05202026"), ("5/2/2026", "05022026"),
                                        ("2026-05-20", "05202026"), ("13/45/2026", "13452026"), ("May 20", "May 20"),
                                        ("", "")])
def test_dates_are_mmddyyyy_in_batch(typed, raw):
    assert to_raw(DATE, typed, 8) == raw


def test_counts_are_zero_padded_and_flags_are_y_or_n():
    assert to_raw(COUNT, "3", 4) == "0003" and to_raw(COUNT, "0003", 4) == "0003" and to_raw(COUNT, "x", 4) == "x"
    assert to_raw(FLAG, True, 1) == "Y" and to_raw(FLAG, False, 1) == "N" and to_raw(FLAG, None, 1) == "N"


@pytest.mark.parametrize("kind, raw", [(CREDITS, "100"), (CREDITS, "050"), (DATE, "05202026"), (COUNT, "0012"),
                                       (FLAG, "Y"), (FLAG, "N")])
def test_display_and_raw_round_trip(kind, raw):
    assert to_raw(kind, to_display(kind, raw), len(raw)) == raw


def test_every_entry_field_is_a_batch_field_of_its_layouts():
    """Findings name records.py fields; a form field of the same name receives them."""
    for record_type, fields in FIELDS.items():
        for f in fields:
            for layout in f.layouts:
                assert f.name in {d.name for d in data_fields(record_type, layout)}, (record_type, f.name, layout)


def test_public_registry_fields_are_not_entered_but_nonpublic_ones_are():
    public = {f.name for f in entry_fields(STUDENT, PUBLIC, registry=False)}
    nonpublic = {f.name for f in entry_fields(STUDENT, NONPUBLIC)}
    assert {"sex", "local_id", "hispanic", "birth_day"}.isdisjoint(public)
    assert {"sex", "local_id", "hispanic", "first_name", "birth_date", "middle_name"} <= nonpublic
    assert {"fafsa", "eoc_ela", "biliteracy_seal"} <= public and not {"fafsa", "eoc_ela"} & nonpublic


def test_raw_values_reports_the_format_code_of_a_number_too_large():
    raw, problems = raw_values(TRANSCRIPT, PUBLIC, {"credit_attempted": "12", "credit_earned": "1.00",
                                                    "semester": "S1"})
    assert problems == {"credit_attempted": "306"}
    assert raw["credit_earned"] == "100" and raw["semester"] == "S1"


def test_an_online_record_gets_the_batch_findings_at_the_field_entered():
    """The binding end to end without a database: typed -> raw record -> catalog -> field."""
    snapshot = ReferenceSnapshot.for_tests()
    ctx = EditContext(snapshot, bssy=2019, today=__import__("datetime").date(2020, 3, 1),
                      students_on_file=frozenset({"1000000001"}))
    raw, _ = raw_values(TRANSCRIPT, PUBLIC, {
        "course_bssy": "2018", "course_code": "120101", "semester": "S1", "grade": "F", "credit_attempted": "1.00",
        "credit_earned": "1.00", "grade_point_max": "4.00", "quality_points": "0", "waiver": "N", "course_type": "RG",
        "course_sponsor": "001", "course_site": "001001"})
    record = TranscriptRecord(bssy="2019", sponsor="001", state_id="1000000001", **raw)
    findings = check_field(TRANSCRIPT, "credit_earned", record, ctx)
    assert [f.code for f in findings] == ["311"]
    assert findings[0].position == position_of(TRANSCRIPT, PUBLIC, "credit_earned")[0]
    student = StudentRecord(bssy="2019", sponsor="001", state_id="1000000001", local_id="L0001", site="001001",
                            first_name="A", last_name="SMI", birth_day="14", sex="F", grade="10",
                            grade9_entry="2018", white="Y", hispanic="N", american_indian="N", asian="N", black="N",
                            pacific_islander="N", diploma_path="TU", career_option="CDV")
    assert "350" not in {f.code for f in check_student(student, [record], [], ctx)}  # line 0: online


def test_ibc_fields_cover_what_the_user_chooses():
    assert [f.name for f in entry_fields(IBC, PUBLIC)] == [
        "ibc_code", "semester_earned", "year_earned", "vendor", "pass_fail", "earned_sponsor", "earned_site"]
