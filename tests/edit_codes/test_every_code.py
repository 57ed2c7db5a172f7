"""Every record-level edit code of the catalog, triggered and not triggered.

Each case starts from a valid sample student (`samples.public_set()` / `nonpublic_set()`,
which pass every edit), changes it minimally (one field, or one record added or removed
for the record-set edits) and expects exactly the case's code, plus the few codes the
same change necessarily trips as well (`also`, each one explained). The finding must sit
on the changed record, at the layout position of the edit's field.

A guard test fails when the catalog gains a 020/030/050/Secure ID edit (or a layout it
applies to) that this table does not exercise.
"""

from __future__ import annotations

import datetime as dt
import dataclasses
from dataclasses import dataclass, replace
from typing import Callable

import pytest

from transcripts.edits import (
    CATALOG, GRAD_DATE_REMOVAL_REASONS, REMOVE_GRAD_DATE, assess_student, check_field, samples,
)
from transcripts.records import IBC, NONPUBLIC, PUBLIC, STUDENT, TRANSCRIPT, Record
from transcripts.layouts import format_record, parse_line, position_of

RECORD_TYPES = ("020", "030", "050", "secure_id")
EDIT_FIELD = object()  # a case's `field` default: the edit's own field


# --- the record set and minimal mutations of it -------------------------------------------------

@dataclass(frozen=True)
class RecordSet:
    student: Record | None
    transcripts: tuple
    ibcs: tuple
    duplicates: tuple = ()
    target: Record | None = None  # the record the mutation changed or added

    def records(self):
        return [r for r in (self.student, *self.duplicates, *self.transcripts, *self.ibcs) if r is not None]

    def next_line(self) -> int:
        return max(r.line for r in self.records()) + 1


def baseline(layout: str) -> RecordSet:
    student, transcripts, ibcs = samples.sample_set(layout)
    return RecordSet(student, tuple(transcripts), tuple(ibcs))


def _set(record: Record, **values) -> Record:
    """The record with fields changed, as parsing its fixed-width text gives it."""
    return samples.normalised(replace(record, **values))


def student(**values) -> Callable[[RecordSet], RecordSet]:
    def mutate(s: RecordSet) -> RecordSet:
        changed = _set(s.student, **values)
        return replace(s, student=changed, target=changed)
    return mutate


def transcript(index: int, **values) -> Callable[[RecordSet], RecordSet]:
    def mutate(s: RecordSet) -> RecordSet:
        changed = _set(s.transcripts[index], **values)
        rows = list(s.transcripts)
        rows[index] = changed
        return replace(s, transcripts=tuple(rows), target=changed)
    return mutate


def ibc(**values) -> Callable[[RecordSet], RecordSet]:
    def mutate(s: RecordSet) -> RecordSet:
        changed = _set(s.ibcs[0], **values)
        return replace(s, ibcs=(changed, *s.ibcs[1:]), target=changed)
    return mutate


def ibc_line(extra: str) -> Callable[[RecordSet], RecordSet]:
    """The 050 as read from a line with `extra` characters appended (its length changes)."""
    def mutate(s: RecordSet) -> RecordSet:
        record = s.ibcs[0]
        changed = parse_line(format_record(record) + extra, record.layout, record.line)
        return replace(s, ibcs=(changed, *s.ibcs[1:]), target=changed)
    return mutate


def state_id_everywhere(value: str) -> Callable[[RecordSet], RecordSet]:
    """The student's State ID changed on all its records (the id links them)."""
    def mutate(s: RecordSet) -> RecordSet:
        changed = _set(s.student, state_id=value)
        return replace(s, student=changed, transcripts=tuple(_set(r, state_id=value) for r in s.transcripts),
                       ibcs=tuple(_set(r, state_id=value) for r in s.ibcs), target=changed)
    return mutate


def without_student(s: RecordSet) -> RecordSet:
    return replace(s, student=None, target=s.transcripts[0])


def without_transcripts(s: RecordSet) -> RecordSet:
    return replace(s, transcripts=(), target=s.student)


def only_ibcs(s: RecordSet) -> RecordSet:
    return replace(s, student=None, transcripts=(), target=s.ibcs[0])


def second_student(s: RecordSet) -> RecordSet:
    extra = replace(s.student, line=s.next_line())
    return replace(s, duplicates=(extra,), target=extra)


def repeated_transcript(index: int) -> Callable[[RecordSet], RecordSet]:
    def mutate(s: RecordSet) -> RecordSet:
        extra = replace(s.transcripts[index], line=s.next_line())
        return replace(s, transcripts=(*s.transcripts, extra), target=extra)
    return mutate


def repeated_ibc(s: RecordSet) -> RecordSet:
    extra = replace(s.ibcs[0], line=s.next_line())
    return replace(s, ibcs=(*s.ibcs, extra), target=extra)


# --- the table ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    code: str
    layout: str
    mutate: Callable[[RecordSet], RecordSet]
    why: str
    also: frozenset = frozenset()  # codes the same change necessarily trips too
    field: object = EDIT_FIELD  # the field the finding points at (None: no position)
    ctx: dict = dataclasses.field(default_factory=dict)  # EditContext options
    grad_reasons: tuple = ()  # what the injected graduation check answers

    @property
    def id(self) -> str:
        return f"{self.code}-{self.layout}-{self.why}"


def case(code, layout, mutate, why, also=(), **options) -> Case:
    return Case(code, layout, mutate, why, frozenset(also), **options)


P, N = PUBLIC, NONPUBLIC
# Public baseline: 12th-grade TU graduate (05/15/2020) of sponsor 001, site 001001, registry
# student 1000000001; ten 030s (0: 120101 A; 1: 160321 B part 1; 4: 240001 F; 6: DE at 401001;
# 7: grade E; 8: grade P; 9: out-of-state transfer course) and one passed 050.
# Nonpublic baseline: 11th-grade TU non-graduate of sponsor 900; same courses; one failed 050.
CASES = [
    # Secure ID match (public only: nonpublic students are not in the registry)
    case("U01", P, state_id_everywhere("100000000X"), "not-digits", also={"507"}),  # the 050 carries it too
    case("U01", N, student(state_id="12345678X"), "not-digits"),
    case("U01", N, student(state_id="900000000"), "above-ssn-range"),
    case("U02", P, student(site="001002"), "registry-site-differs"),
    case("U03", P, student(first_name="B"), "020"),
    case("U03", P, ibc(first_name="B"), "050"),
    case("U04", P, student(last_name="SMX"), "020"),
    case("U04", P, ibc(last_name="SMX"), "050"),
    case("U05", P, student(local_id="L0009"), "020"),
    case("U05", P, ibc(local_id="L0009"), "050"),
    case("U06", P, student(birth_day="15"), "other-day"),
    case("U07", P, student(white="N", black="Y"), "other-race"),
    case("U08", P, student(sex="M"), "other-sex"),

    # 020 student record
    case("200", P, without_student, "030-without-020", also={"507"}),  # the 050 has no student either
    case("200", N, without_student, "030-without-020", also={"507"}),
    case("201", P, student(site="001009"), "unknown-site", also={"U02"}),  # not the registry's site
    case("201", N, student(site="900009"), "unknown-site"),
    case("201", N, student(site="401001"), "postsecondary-site", also={"202", "213"}),
    # 213 (a known site of another sponsor) cannot be avoided: the site tables say whose it is
    case("202", P, student(site="002001"), "site-of-other-sponsor", also={"213", "U02"}),
    case("202", N, student(site="002001"), "site-of-other-sponsor", also={"213"}),
    case("203", P, student(first_name=""), "blank"),
    case("203", N, student(first_name=""), "blank"),
    case("204", P, student(last_name=""), "blank"),
    case("204", N, student(last_name=""), "blank"),
    case("205", P, student(birth_day="32"), "day-32"),
    case("205", P, student(birth_day="00"), "day-00"),
    case("205", N, student(birth_date="02302003"), "feb-30", field="birth_date"),
    case("205", N, student(birth_date="03152021"), "after-today", field="birth_date"),
    case("206", P, student(hispanic="X"), "not-y-or-n"),
    case("206", N, student(black="N"), "no-y"),
    case("207", P, student(sex="X"), "not-m-or-f"),
    case("207", N, student(sex=""), "blank"),
    case("208", P, student(grade="13"), "unknown"),
    case("208", N, student(grade="13"), "unknown"),
    case("208", N, student(grade="07"), "public-only-grade", also={"209"}),  # 07 takes no grade 9 entry
    case("209", P, student(grade9_entry="2020"), "after-bssy"),
    case("209", N, student(grade9_entry="20X7"), "not-a-year"),
    case("209", N, student(grade="08"), "present-for-08"),
    case("210", P, student(graduation_date="13452020"), "not-a-date"),
    case("210", P, student(graduation_date="05162020"), "over-two-weeks-ahead"),
    case("210", N, student(graduation_date="99999999"), "not-a-date"),
    case("211", P, second_student, "second-020"),
    case("211", N, second_student, "second-020"),
    case("212", P, student(career_option="ZZZ"), "unknown"),
    case("212", N, student(career_option="ZZZ"), "unknown"),
    case("213", P, lambda s: replace(s, target=s.student), "not-a-submitting-site",
         ctx={"submitting_sites": frozenset({"001002"})}),
    case("213", N, lambda s: replace(s, target=s.student), "not-a-submitting-site",
         ctx={"submitting_sites": frozenset({"900002"})}),
    case("214", P, student(grade="10"), "graduate-in-10th"),
    case("214", N, student(grade="10", graduation_date="05152020"), "graduate-in-10th"),
    case("215", P, student(graduation_date="08312019"), "before-9-1-bssy"),
    case("215", N, student(graduation_date="08152019"), "before-9-1-bssy"),
    case("218", P, student(gee_flag="X"), "unknown"),
    case("218", N, student(gee_flag="N"), "unknown"),
    case("220", P, student(rank_position="0101"), "above-class-size"),
    case("220", P, student(rank_position="0000"), "rank-zero"),
    case("220", N, student(rank_position="0005"), "rank-without-size"),
    case("221", P, student(graduation_date=""), "endorsed-non-graduate"),
    case("221", P, student(academic_endorsement="A9"), "unknown-endorsement"),
    case("221", N, student(academic_endorsement="A1"), "endorsed-non-graduate"),
    case("221", N, student(career_endorsement="B1"), "career-endorsed-non-graduate", field="career_endorsement"),
    # Only the seal of biliteracy on a non-graduate (issue 9, item 10): still 221.
    case("221", P, student(graduation_date="", academic_endorsement="", career_endorsement="", community_service="",
                           biliteracy_seal="D1"), "only-the-biliteracy-seal", field="biliteracy_seal"),
    case("223", P, lambda s: replace(s, target=s.student), "grad-check-credits", grad_reasons=("2",)),
    case("223", N, student(graduation_date="05152020"), "grad-check-credits", grad_reasons=("2",)),
    case("224", P, student(diploma_path=""), "blank", also={"228"}),  # and the graduate has no path
    case("224", N, student(diploma_path=""), "blank"),
    case("225", P, student(career_endorsement="B9"), "unknown"),
    case("225", N, student(career_endorsement="B9"), "unknown", also={"221"}),  # and on a non-graduate
    case("225", P, student(diploma_path="CA", career_option="R01"), "ca-graduate-without-j"),
    case("226", P, student(grade="T9", grade9_entry="2016"), "t9-entry-not-bssy+1",
         also={"230"}),  # a T9 cannot graduate either
    case("226", N, student(grade="T9"), "t9-entry-not-bssy+1"),
    case("227", P, student(local_id=""), "blank"),
    case("227", N, student(local_id="123456789"), "equals-ssn"),
    case("228", P, student(diploma_path="NG"), "graduate-on-ng"),
    case("228", N, student(graduation_date="05152020", diploma_path="NG"), "graduate-on-ng"),
    case("229", P, student(career_option="A01"), "aoc-on-tu"),
    case("229", N, student(career_option="R01"), "jumpstart-on-tu"),
    case("230", P, student(grade="T9", grade9_entry="2020"), "graduate-in-t9"),
    case("230", N, student(grade="T9", grade9_entry="2020", graduation_date="05152020"), "graduate-in-t9"),
    case("231", P, student(grade9_entry="2013"), "tu-before-2014"),
    case("231", N, student(diploma_path="C4"), "c4-after-2013"),
    case("232", P, student(diploma_path="ZZ"), "unknown"),
    case("232", N, student(diploma_path="ZZ"), "unknown"),
    case("233", P, student(diploma_path="ND"), "12th-grader-nd", also={"228"}),  # a graduate too
    case("233", N, student(diploma_path="ND"), "11th-grader-nd"),
    case("233", N, student(grade="10", diploma_path="ND"), "10th-grader-from-april",
         ctx={"today": dt.date(2020, 4, 1)}),
    case("234", P, student(eoc_ela="P"), "subject-with-y"),
    case("234", P, student(gee_flag="A", eoc_math="G"), "g-subject-with-a"),
    case("241", P, student(fafsa="5"), "unknown"),
    case("242", P, student(fafsa=""), "graduate-without-fafsa"),
    case("349", P, student(diploma_path="L1"), "l1-without-laa1"),
    case("350", P, student(career_option="CDV", diploma_path="CD", grade9_entry="2013"), "cdv-in-batch"),
    case("350", N, student(career_option="CDV", diploma_path="CD", grade9_entry="2013"), "cdv-in-batch"),

    # 030 transcript record
    case("300", P, without_transcripts, "020-without-030"),
    case("300", N, without_transcripts, "020-without-030"),
    case("301", P, transcript(0, course_bssy="2020"), "future"),
    case("301", N, transcript(0, course_bssy="20X6"), "not-a-year"),
    case("302", P, transcript(0, course_code="999999"), "unknown"),
    case("302", N, transcript(0, course_code="199999"), "retired-before-course-year"),
    case("303", P, transcript(0, part="3"), "part-3"),
    case("303", N, transcript(0, part="X"), "part-x"),
    case("304", P, transcript(0, semester="X1"), "unknown"),
    case("304", N, transcript(0, semester=""), "blank"),
    case("305", P, transcript(0, grade="G"), "unknown"),
    case("305", N, transcript(0, grade=""), "blank"),
    case("306", P, transcript(0, credit_attempted="0X0"), "not-numeric"),
    case("306", N, transcript(7, credit_attempted="100"), "exempt-attempts-credit"),
    case("306", P, transcript(4, credit_attempted="000"), "failed-attempts-nothing"),
    case("310", P, transcript(0, credit_earned="1X0"), "not-numeric"),
    case("310", N, transcript(4, credit_earned="150"), "earned-above-attempted", also={"311"}),  # and F earns 0
    case("311", P, transcript(4, credit_earned="100"), "f-earns-credit"),
    case("311", N, transcript(4, credit_earned="050"), "f-earns-credit"),
    case("312", P, transcript(0, credit_earned="050"), "a-earns-less"),
    case("312", N, transcript(8, credit_earned="000"), "p-earns-nothing"),
    case("314", P, transcript(0, grade_point_max="4X0"), "not-numeric"),
    case("314", N, transcript(0, grade_point_max="300", quality_points="300"), "neither-400-nor-500"),
    case("314", P, transcript(4, grade_point_max="000"), "zero-on-graded"),
    case("316", P, transcript(0, waiver="X"), "unknown"),
    case("316", N, transcript(0, waiver="X"), "unknown"),
    case("318", P, transcript(0, waiver="Y"), "y-without-e"),
    case("318", N, transcript(7, waiver="N"), "e-without-y"),
    case("319", P, transcript(9, course_sponsor="999"), "unknown"),
    case("319", N, transcript(6, course_sponsor="001", course_site="001001"), "de-at-school-sponsor",
         also={"321"}),  # the DE course site must be postsecondary as well
    case("320", P, transcript(0, course_sponsor=""), "site-without-sponsor"),
    case("320", N, transcript(0, course_sponsor=""), "site-without-sponsor"),
    case("321", P, transcript(0, course_site="001009"), "unknown"),
    case("321", N, transcript(9, course_site_name=""), "no-site-nor-name"),
    case("322", P, transcript(0, course_site="002001"), "site-of-other-sponsor"),
    case("322", N, transcript(0, course_site="001001"), "site-of-other-sponsor"),
    case("326", P, repeated_transcript(0), "identical-030"),
    case("326", N, repeated_transcript(5), "identical-named-030"),
    case("327", P, transcript(8, part="1"), "part-on-p"),
    case("327", N, transcript(7, part="2"), "part-on-e"),
    case("328", P, transcript(4, course_name=""), "elective-without-name"),
    case("328", N, transcript(5, course_name=""), "elective-without-name"),
    case("329", P, transcript(0, quality_points="3X0"), "not-numeric"),
    case("329", N, transcript(0, quality_points=""), "blank"),
    case("330", P, transcript(4, quality_points="100"), "points-on-f"),
    case("330", N, transcript(8, quality_points="100"), "points-on-p"),
    case("331", P, transcript(1, quality_points="000"), "b-without-points"),
    case("331", N, transcript(1, quality_points="000"), "b-without-points"),
    case("332", P, transcript(0, quality_points="300"), "a-below-max"),
    case("332", N, transcript(0, quality_points="300"), "a-below-max"),
    case("333", P, transcript(1, quality_points="400"), "b-at-max"),
    case("333", N, transcript(2, quality_points="500"), "c-above-max"),
    case("334", P, transcript(0, course_type="XX"), "unknown"),
    case("334", N, transcript(0, course_type="AP"), "ap-on-non-ap-course"),
    case("334", P, transcript(3, course_type="RG"), "ap-required-course-not-ap"),
    case("335", P, transcript(0, distance_learning="09"), "unknown"),
    case("335", N, transcript(0, distance_learning="0X"), "unknown"),
    case("339", P, transcript(6, de_credit_hours="0000"), "passed-de-without-hours"),
    case("339", N, transcript(6, de_credit_hours=""), "passed-de-without-hours"),
    case("340", P, transcript(0, de_credit_hours="0300"), "hours-on-rg"),
    case("340", N, transcript(0, de_credit_hours="0300"), "hours-on-rg"),
    case("341", P, transcript(6, de_credit_hours="03X0"), "not-numeric"),
    case("341", N, transcript(6, de_credit_hours="300"), "three-digits"),
    case("342", P, transcript(6, de_secondary_site="401001"), "postsecondary-site"),
    case("342", N, transcript(0, de_secondary_site="900001"), "site-on-rg"),

    # 050 IBC record
    case("500", P, ibc_line("  "), "65-characters"),
    case("500", N, ibc_line("X"), "64-characters"),
    case("503", P, ibc(bssy="2018"), "other-bssy"),
    case("503", N, ibc(bssy="2020"), "other-bssy"),
    case("504", P, ibc(sponsor="002"), "not-the-students-sponsor"),
    case("504", N, ibc(sponsor="999"), "unknown"),
    case("507", P, ibc(state_id="100000000X"), "not-digits"),
    case("507", N, ibc(state_id="12345678X"), "not-digits"),
    case("507", P, only_ibcs, "no-student-in-file-or-on-file"),
    case("507", N, only_ibcs, "no-student-in-file-or-on-file"),
    case("510", P, ibc(ibc_code="999"), "unknown"),
    case("510", N, ibc(vendor="V09"), "unknown-vendor", field="vendor"),
    case("511", P, ibc(semester_earned="4"), "unknown"),
    case("511", N, ibc(semester_earned="0"), "unknown"),
    case("512", P, ibc(year_earned="2020"), "future"),
    case("512", N, ibc(year_earned="20X8"), "not-a-year"),
    case("513", P, ibc(pass_fail="X"), "unknown"),
    case("513", P, repeated_ibc, "second-p"),
    case("513", N, repeated_ibc, "second-f"),
    # the earned site is checked against its sponsor, so an unknown sponsor trips 515 too
    case("514", P, ibc(earned_sponsor="999"), "unknown", also={"515"}),
    case("514", N, ibc(earned_sponsor="999"), "unknown", also={"515"}),
    case("515", P, ibc(earned_site="001009"), "unknown"),
    case("515", N, ibc(earned_site="001001"), "site-of-other-sponsor"),
]


def run(c: Case):
    records = c.mutate(baseline(c.layout))
    reasons = list(c.grad_reasons)
    ctx = samples.context(graduation_check=lambda *_: reasons, **c.ctx)
    verdict = assess_student(records.student, records.transcripts, records.ibcs, ctx,
                             duplicates=records.duplicates)
    return records, verdict


# --- tests ------------------------------------------------------------------------------------

def record_level_codes():
    return {code for code, e in CATALOG.items() if e.record_type in RECORD_TYPES}


def test_table_covers_every_record_level_code_and_layout():
    """A new edit (or a new layout for one) without a case here fails this test."""
    covered = {(c.code, c.layout) for c in CASES}
    wanted = {(code, layout) for code in record_level_codes() for layout in (PUBLIC, NONPUBLIC)
              if CATALOG[code].applies_to_layout(layout)}
    assert wanted - covered == set()
    assert covered - wanted == set(), "cases for a code or layout the catalog does not apply"
    assert len(record_level_codes()) >= 80  # U01-U08, 200-242, 300-350, 500-515


@pytest.mark.parametrize("layout", [PUBLIC, NONPUBLIC])
def test_baseline_student_passes_every_edit(layout):
    s = baseline(layout)
    calls = []
    ctx = samples.context(graduation_check=lambda *args: calls.append(args) or [])
    verdict = assess_student(s.student, s.transcripts, s.ibcs, ctx)
    assert verdict.findings == []
    assert not verdict.rejected and verdict.grad_date_reasons == []
    assert len(calls) == (layout == PUBLIC)  # the public graduate is asked about; the 11th grader not


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_mutation_triggers_exactly_its_code(c):
    records, verdict = run(c)
    codes = {f.code for f in verdict.findings}
    assert codes == {c.code} | c.also

    edit = CATALOG[c.code]
    hits = [f for f in verdict.findings if f.code == c.code]
    target = records.target
    on_target = [f for f in hits if f.line == target.line and f.record_type == target.record_type]
    assert on_target, f"{c.code} reported on lines {[f.line for f in hits]}, not on the changed line {target.line}"
    hit = on_target[0]
    assert hit.message == edit.message
    name = edit.field if c.field is EDIT_FIELD else c.field
    if name is None:
        assert hit.position is None and hit.field is None
    else:
        assert hit.field == name
        start, length = position_of(hit.record_type, c.layout, name)
        assert hit.position == start
        if not edit.through:
            assert hit.length == length
        if not edit.through:  # spans are checked in test_ethnicity_findings_span_the_six_flags
            assert hit.value == getattr(target, name)
    assert verdict.rejected == (edit.severity != REMOVE_GRAD_DATE)


# --- details the table cannot say ---------------------------------------------------------------

def test_ethnicity_findings_span_the_six_flags():
    """206 and U07 point at columns 139-144 and show all six flags as sent."""
    for c in (c for c in CASES if c.code in ("206", "U07")):
        records, verdict = run(c)
        hit = next(f for f in verdict.findings if f.code == c.code)
        assert (hit.position, hit.length) == (139, 6)
        assert hit.value == "".join(getattr(records.student, name) for name in
                                    ("hispanic", "american_indian", "asian", "black", "pacific_islander", "white"))


def test_positions_follow_the_layout_for_shifted_nonpublic_columns():
    """The nonpublic 030 holds the 9-digit id, so its course columns sit one to the left."""
    for code, public_position, nonpublic_position in (("301", 24, 23), ("302", 28, 27), ("303", 34, 33),
                                                      ("304", 35, 34), ("305", 37, 36), ("306", 38, 37),
                                                      ("310", 41, 40), ("314", 44, 43)):
        got = {}
        for c in CASES:
            if c.code == code:
                _, verdict = run(c)
                got[c.layout] = next(f.position for f in verdict.findings if f.code == code)
        assert got == {PUBLIC: public_position, NONPUBLIC: nonpublic_position}, code


@pytest.mark.parametrize("reason", sorted(GRAD_DATE_REMOVAL_REASONS))
def test_graduation_check_reasons_remove_the_date_without_rejecting(reason):
    s = baseline(PUBLIC)
    seen = []

    def graduation_check(student, transcripts, ibcs):
        seen.append((student, transcripts, ibcs))
        return [reason]

    verdict = assess_student(s.student, s.transcripts, s.ibcs, samples.context(graduation_check=graduation_check))
    assert verdict.grad_date_reasons == [reason]
    assert not verdict.rejected
    assert [f.code for f in verdict.findings] == (["223"] if reason == "2" else [])
    assert seen == [(s.student, list(s.transcripts), list(s.ibcs))]


def test_removal_reasons_are_2_to_6():
    assert sorted(GRAD_DATE_REMOVAL_REASONS) == ["2", "3", "4", "5", "6"]
    assert CATALOG["223"].severity == REMOVE_GRAD_DATE and CATALOG["223"].grad_reason == "2"


def test_graduation_check_is_not_asked_about_rejected_or_non_graduates():
    asked = []
    check = lambda *args: asked.append(args) or ["2", "3"]  # noqa: E731
    s = student(sex="X")(baseline(PUBLIC))
    verdict = assess_student(s.student, s.transcripts, s.ibcs, samples.context(graduation_check=check))
    assert verdict.rejected and verdict.grad_date_reasons == [] and "223" not in {f.code for f in verdict.findings}
    s = baseline(NONPUBLIC)  # an 11th grader without a graduation date
    verdict = assess_student(s.student, s.transcripts, s.ibcs, samples.context(graduation_check=check))
    assert verdict.findings == [] and verdict.grad_date_reasons == []
    assert asked == []


def test_several_reasons_are_reported_once_each_and_sorted():
    s = baseline(PUBLIC)
    verdict = assess_student(s.student, s.transcripts, s.ibcs,
                             samples.context(graduation_check=lambda *_: ["6", "2", "2", "4"]))
    assert verdict.grad_date_reasons == ["2", "4", "6"]
    assert [f.code for f in verdict.findings] == ["223"]


# Changes next to a trigger that must not fire it: boundaries and the context that excuses.
NEAR_MISSES = [
    case("200", P, without_student, "student-already-on-file", ctx={"students_on_file": frozenset({"1000000001"})}),
    case("507", P, only_ibcs, "student-already-on-file", ctx={"students_on_file": frozenset({"1000000001"})}),
    case("507", N, lambda s: replace(only_ibcs(s), ibcs=(_set(s.ibcs[0], state_id="0123456789"),)),
         "zero-padded-id-on-file", ctx={"students_on_file": frozenset({"123456789"})}),
    case("210", P, student(graduation_date="05152020"), "exactly-two-weeks-ahead"),
    case("215", P, student(graduation_date="09012019"), "first-day-of-year"),
    case("215", P, student(graduation_date="08312020", grade="12"), "last-day-of-year",
         ctx={"today": dt.date(2020, 8, 31)}),
    case("220", P, student(rank_position="0100"), "rank-equals-size"),
    case("220", P, student(rank_position="", rank_size=""), "no-rank"),
    case("226", N, student(grade="T9", grade9_entry="2020"), "t9-entry-bssy+1"),
    case("233", N, student(grade="10", diploma_path="ND"), "10th-grader-before-april",
         ctx={"today": dt.date(2020, 3, 31)}),
    case("213", P, lambda s: s, "submitting-site", ctx={"submitting_sites": frozenset({"001001"})}),
    case("221", N, student(community_service="C1"), "community-service-on-non-graduate"),
    case("205", P, student(birth_day="31"), "day-31"),
    case("209", P, student(grade="09", grade9_entry="2019", graduation_date="", academic_endorsement="",
                           career_endorsement="", community_service="", biliteracy_seal=""), "entry-equal-to-bssy"),
    case("209", N, student(grade="09", grade9_entry="2019"), "entry-equal-to-bssy"),
    case("225", P, student(diploma_path="CA", career_option="R01", career_endorsement="J4"), "ca-with-j4"),
    case("234", P, student(gee_flag="A", eoc_ela="A", eoc_math="P"), "a-with-a-and-p"),
    case("314", P, transcript(3, grade_point_max="500"), "five-points-on-eligible-course"),
    # A 500 on a course not on the 5.0 list is valid data: its points are converted (issue 9, item 1).
    case("314", P, transcript(0, grade_point_max="500", quality_points="500"), "five-points-on-any-course"),
    case("314", N, transcript(0, grade_point_max="500", quality_points="500"), "five-points-on-any-course"),
    case("314", P, transcript(8, grade_point_max="000"), "zero-on-a-pass"),
    case("326", P, repeated_transcript(4), "elective-repeated-under-other-name"),
    case("328", P, transcript(0, course_name=""), "name-optional-for-this-course"),
    case("339", P, transcript(6, grade="F", credit_earned="000", quality_points="000", de_credit_hours=""),
         "failed-de-without-hours"),
    case("513", N, lambda s: replace(s, ibcs=(*s.ibcs, _set(s.ibcs[0], pass_fail="P", line=s.next_line()))),
         "one-p-and-one-f"),
    case("U03", P, student(first_name="a"), "case-insensitive"),
    case("241", N, student(fafsa="5"), "nonpublic-has-no-fafsa-column"),
    case("350", P, lambda s: replace(s, student=replace(
        _set(s.student, career_option="CDV", diploma_path="CD", grade9_entry="2013"), line=0)),
         "cdv-entered-online"),
]


@pytest.mark.parametrize("c", NEAR_MISSES, ids=lambda c: c.id)
def test_near_miss_does_not_trigger(c):
    records = c.mutate(baseline(c.layout))
    if c.why == "elective-repeated-under-other-name":
        # the repeat of course 4 ('WOOD CARVING') renamed: a different elective, not a duplicate
        extra = _set(records.transcripts[-1], course_name="CHAIR CANING")
        records = replace(records, transcripts=(*records.transcripts[:-1], extra))
    _, verdict = run(replace(c, mutate=lambda _: records))
    assert c.code not in {f.code for f in verdict.findings}, verdict.findings


def test_elective_repeated_with_the_same_name_is_a_duplicate():
    records = repeated_transcript(4)(baseline(PUBLIC))
    _, verdict = run(case("326", P, lambda _: records, "same-name"))
    assert [(f.code, f.line) for f in verdict.findings] == [("326", records.target.line)]


def test_check_field_reports_the_live_edit_of_one_online_field():
    """Online entry (line 0): the field's own edits, and nothing about the others."""
    ctx = samples.context()
    s = baseline(PUBLIC)
    record = replace(_set(s.transcripts[0], semester="X1", grade="G"), line=0)
    assert [f.code for f in check_field(TRANSCRIPT, "semester", record, ctx)] == ["304"]
    assert [f.code for f in check_field(TRANSCRIPT, "grade", record, ctx)] == ["305"]
    assert check_field(TRANSCRIPT, "course_code", record, ctx) == []
    online = replace(_set(s.student, career_option="CDV", diploma_path="CD", grade9_entry="2013"), line=0)
    assert check_field(STUDENT, "career_option", online, ctx) == []  # 350 guards batch files only
    short = replace(s.ibcs[0], ibc_code="999", line=0)
    assert [f.code for f in check_field(IBC, "ibc_code", short, ctx)] == ["510"]


def test_every_case_targets_a_record_of_its_layout():
    """Sanity of the table itself: a mutation keeps the layout it was written for."""
    for c in CASES:
        records = c.mutate(baseline(c.layout))
        assert records.target is not None, c.id
        assert all(r.layout == c.layout for r in records.records()), c.id
