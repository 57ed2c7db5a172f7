"""The edit engine's memo is invisible (same findings as running every check directly), the
`reads` declarations it relies on are complete, and the small typed helpers behave."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from transcripts.edits import CATALOG, EditContext, StudentView, assess_student, check_field, samples
from transcripts.edits.engine import MEMO_GROUPS, MEMO_LIMIT
from transcripts.edits.student import partial_name, valid_state_id
from transcripts.records import (
    NONPUBLIC, PUBLIC, implied_decimal, link_key, mmddyyyy, race_flags, year,
)
from transcripts.reference import CourseCodeRef, ReferenceSnapshot

SETS = {layout: samples.sample_set(layout) for layout in (PUBLIC, NONPUBLIC)}
CODE_LIST_VALUES = sorted({c for values in samples.snapshot().code_lists.values() for c in values})
FIELD_VALUES = st.one_of(
    st.sampled_from(CODE_LIST_VALUES + ["", " ", "000", "050", "100", "400", "500", "0300", "2019", "2021", "001",
                                        "401", "001001", "401001", "240001", "150490", "120101"]),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x17F), max_size=6),
)


def direct(record, ctx: EditContext, view: StudentView) -> set:
    """(code, field) of every record- and student-scope check on one record, run directly."""
    out = set()
    for edit in CATALOG.values():
        if (edit.scope in ("record", "student") and record.record_type in (edit.applies_to or (edit.record_type,))
                and edit.applies_to_layout(record.layout)):
            hit = edit.check(record, ctx if edit.scope == "record" else view)
            if hit:
                out.add((edit.code, hit if isinstance(hit, str) else edit.field))
    return out


def engine(record, student, ctx: EditContext) -> set:
    """The same through assess_student, for findings on that record (set edits left out)."""
    transcripts = [record] if record.record_type == "030" else []
    ibcs = [record] if record.record_type == "050" else []
    verdict = assess_student(student if record.record_type != "020" else record, transcripts, ibcs, ctx)
    return {(f.code, f.field) for f in verdict.findings
            if f.line == record.line and CATALOG[f.code].scope in ("record", "student")}


def mutated(layout: str, kind: int, name: str, value: str, batch: bool):
    student, transcripts, ibcs = SETS[layout]
    record = (student, transcripts[kind % len(transcripts)], ibcs[0])[kind % 3]
    if name not in record.__dataclass_fields__:
        name = {"020": "grade", "030": "course_code", "050": "ibc_code"}[record.record_type]
    changed = replace(record, **{name: value})
    return (samples.normalised(changed) if batch else replace(changed, line=0)), student


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layout=st.sampled_from([PUBLIC, NONPUBLIC]), kind=st.integers(0, 30),
       name=st.sampled_from(sorted({c for groups in MEMO_GROUPS.values() for g in groups for c in g} - {"length"})),
       value=FIELD_VALUES, batch=st.booleans())
def test_memoised_results_equal_running_every_check(layout, kind, name, value, batch):
    record, student = mutated(layout, kind, name, value, batch)
    ctx = samples.context()
    view = StudentView(ctx, link_key(student), student, [], [])
    expected = direct(record, ctx, view)
    # Warm the memo with the valid sample set first, then look twice (miss, then hit).
    assess_student(*SETS[layout], ctx)
    assert engine(record, student, ctx) == expected
    assert engine(record, student, ctx) == expected


@settings(max_examples=300, deadline=None)
@given(layout=st.sampled_from([PUBLIC, NONPUBLIC]), kind=st.integers(0, 30), data=st.data())
def test_memoised_checks_read_only_the_columns_they_declare(layout, kind, data):
    """Changing a column an edit does not declare in `reads` never changes its result."""
    student, transcripts, ibcs = SETS[layout]
    record = (student, transcripts[kind % len(transcripts)], ibcs[0])[kind % 3]
    ctx = samples.context()
    mutation = data.draw(st.sampled_from(sorted(record.__dataclass_fields__)))
    value = data.draw(FIELD_VALUES) if mutation not in ("line", "length") else data.draw(st.integers(0, 99))
    other = replace(record, **{mutation: value})
    for edit in CATALOG.values():
        if (edit.scope == "record" and mutation not in edit.reads
                and record.record_type in (edit.applies_to or (edit.record_type,))):
            assert bool(edit.check(record, ctx)) == bool(edit.check(other, ctx)), (edit.code, mutation, value)


def test_a_value_holding_the_key_separator_cannot_borrow_another_records_result():
    """Joined keys of ('1', '\\0S') and ('1\\0', 'S') would be the same string."""
    student, transcripts, _ = SETS[PUBLIC]
    ctx = samples.context()
    bad_semester = replace(transcripts[0], part="1", semester="\0S", line=0)
    bad_part = replace(transcripts[0], part="1\0", semester="S", line=0)
    assert {f.code for f in assess_student(student, [bad_semester], [], ctx).findings} >= {"304"}
    codes = {f.code for f in assess_student(student, [bad_part], [], ctx).findings}
    assert "303" in codes and "304" in codes


def test_memo_tables_stay_bounded(monkeypatch):
    monkeypatch.setattr("transcripts.edits.engine.MEMO_LIMIT", 5)
    student, transcripts, ibcs = SETS[PUBLIC]
    ctx = samples.context()
    for n in range(40):
        assess_student(student, [samples.changed(transcripts[0], local_course_code=str(n), course_name=str(n))], [],
                       ctx)
    plan = ctx._cache["plan"]
    assert all(len(group.results) <= 6 for groups in plan.memo.values() for group in groups)
    assert MEMO_LIMIT >= 10_000


def test_every_030_record_check_is_memoised():
    """The 030 checks are the hot loop; a new one whose reads fall outside the memo groups
    would silently run unmemoised."""
    ctx = samples.context()
    assess_student(*SETS[PUBLIC], ctx)
    plan = ctx._cache["plan"]
    for layout in (PUBLIC, NONPUBLIC):
        assert plan.record["030", layout] == [] and plan.student["030", layout] == []


def test_cdv_is_refused_in_a_file_but_not_online():
    student, transcripts, ibcs = SETS[PUBLIC]
    batch = samples.changed(student, career_option="CDV")
    online = replace(batch, line=0)
    assert "350" in {f.code for f in assess_student(batch, transcripts, ibcs, samples.context()).findings}
    assert "350" not in {f.code for f in assess_student(online, transcripts, ibcs, samples.context()).findings}


def test_check_field_reports_only_the_field_asked_about():
    student, transcripts, _ = SETS[NONPUBLIC]
    record = replace(transcripts[0], semester="XX", grade="Q", line=0)
    ctx = samples.context()
    assert [f.code for f in check_field("030", "semester", record, ctx)] == ["304"]
    assert "305" in [f.code for f in check_field("030", "grade", record, ctx)]
    assert check_field("030", "course_code", record, ctx) == []
    flags = replace(student, white="X", line=0)
    assert [f.code for f in check_field("020", "white", flags, ctx)] == ["206"]  # within the 139-144 span


def test_finding_positions_follow_the_records_layout():
    ctx = samples.context()
    for layout, position in ((PUBLIC, 35), (NONPUBLIC, 34)):
        student, transcripts, ibcs = SETS[layout]
        bad = samples.changed(transcripts[2], semester="Q9")
        [finding] = [f for f in assess_student(student, [bad], [], ctx).findings if f.code == "304"]
        assert (finding.position, finding.length, finding.value, finding.line) == (position, 2, "Q9", bad.line)


def test_no_records_is_no_verdict():
    assert assess_student(None, [], [], samples.context()).findings == []


@pytest.mark.parametrize("registry, sent, expected", [
    ("Smithers", "SMI", True), ("Li", "LI ", True), ("Li", "LI", True), ("de la Cruz", "DE ", True),
    ("  o'Neil", "O'N", True), ("Smithers", "SMY", False), ("X", "X", True),
])
def test_partial_last_names_compare_the_first_three_letters_without_case(registry, sent, expected):
    assert (sent.strip().upper() == partial_name(registry, 3)) is expected


@pytest.mark.parametrize("value, layout, valid", [
    ("1000000001", PUBLIC, True), ("100000000 ", PUBLIC, False), ("10000000A1", PUBLIC, False),
    ("123456789", NONPUBLIC, True), ("899999999", NONPUBLIC, True), ("900000000", NONPUBLIC, False),
    ("995061301", NONPUBLIC, True), ("12345678", NONPUBLIC, False), ("１２３４５６７８９", NONPUBLIC, False),
])
def test_state_ids(value, layout, valid):
    assert valid_state_id(value, layout) is valid


def test_typed_accessors():
    assert implied_decimal("050") == Decimal("0.50") and implied_decimal("0400") == Decimal("4.00")
    assert implied_decimal("   ") is None and implied_decimal("1²0") is None
    assert year("2019") == 2019 and year("1899") is None and year("20 9") is None
    assert mmddyyyy("02292020") == dt.date(2020, 2, 29) and mmddyyyy("02292019") is None
    assert race_flags(SETS[PUBLIC][0]) == (False, False, False, False, False, True)
    np_ibc = replace(SETS[NONPUBLIC][2][0], state_id="0123456789")
    assert link_key(np_ibc) == "123456789" and link_key(replace(np_ibc, layout=PUBLIC)) == "0123456789"


def test_snapshot_course_versions_and_code_list_fallback():
    snap = ReferenceSnapshot.build(
        courses=[CourseCodeRef("111111", "Old", 2000, 2009), CourseCodeRef("111111", "New", 2010)],
        code_lists={"semester": ["S1"]},
    )
    assert snap.course("111111", 2005).name == "Old" and snap.course("111111", 2015).name == "New"
    assert snap.course("111111", 1999) is None and snap.course("111111", None).name == "Old"
    assert snap.code_lists["semester"] == frozenset({"S1"})
    assert snap.code_lists["letter_grade"] == frozenset("ABCDFPE")  # missing lists fall back to the guide's
    assert ReferenceSnapshot.for_tests(ibc_codes={"X"}).ibc_codes == frozenset({"X"})
    assert ReferenceSnapshot.for_tests().sites_of("001") == {"001001", "001002"}


def test_a_stored_code_list_overrides_the_guides_list_in_the_edits():
    ctx = samples.context(samples.snapshot(code_lists={"semester": ["Y1", "S1", "S2", "Q7"]}))
    student, transcripts, _ = SETS[PUBLIC]
    fine = samples.changed(transcripts[0], semester="Q7")
    assert "304" not in {f.code for f in assess_student(student, [fine], [], ctx).findings}
