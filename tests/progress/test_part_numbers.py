"""STSQ08 Course Part Number Edit report: its four conditions."""
from transcripts.progress import PART_NUMBER_MESSAGES, part_number_findings

from .builders import category, course, curriculum, sc, tables

ALG1, APBIO, HEALTH, ENG1 = "160321", "150299", "190201", "120101"
TABLES = tables(curriculum("TU", category("05", "1", sc(ALG1, "1.0", "0.5")), category("09", "1", sc(APBIO)),
                           category("20", "2", sc(HEALTH, "1.0", "0.5"))))


def conditions(*records):
    return [(f.condition, f.course_code, f.part) for f in part_number_findings(records, TABLES)]


def test_clean_transcript_has_no_findings():
    assert conditions(course(ALG1, "A", "0.5", part="1"), course(ALG1, "B", "0.5", part="2"),
                      course(HEALTH, "A", "0.5"), course(ENG1, "B")) == []


def test_condition_1_no_part_number_for_a_possible_split_course():
    # Two unnumbered half-unit records of one course...
    assert conditions(course(ALG1, "A", "0.5"), course(ALG1, "B", "0.5")) == [(1, ALG1, ""), (1, ALG1, "")]
    # ...or an unnumbered half of a course that only counts in the core as a full unit
    assert conditions(course(APBIO, "A", "0.5", course_type="AP")) == [(1, APBIO, "")]
    # a half-unit course by design (Health 0.5) is fine alone
    assert conditions(course(HEALTH, "A", "0.5")) == []


def test_condition_2_part_1_without_part_2():
    assert conditions(course(ALG1, "A", "0.5", part="1")) == [(2, ALG1, "1")]


def test_condition_3_part_2_without_part_1():
    assert conditions(course(ALG1, "A", "0.5", part="2")) == [(3, ALG1, "2")]


def test_college_and_high_school_halves_do_not_complete_each_other():
    assert conditions(course(ALG1, "A", "0.5", part="1", course_type="DE"),
                      course(ALG1, "B", "0.5", part="2", course_type="HR")) == [(2, ALG1, "1"), (3, ALG1, "2")]


def test_condition_4_part_numbers_need_half_unit_credit():
    # Both parts present, but sent as 1.0 each: condition 4 for both, even though the parts pair
    findings = part_number_findings([course(ALG1, "A", "1.0", part="1"), course(ALG1, "B", "1.0", part="2")], TABLES)
    assert [(f.condition, f.part) for f in findings] == [(4, "1"), (4, "2")]
    assert findings[0].message == PART_NUMBER_MESSAGES[4] == "Credit should be .5 when Part # number is being used"


def test_findings_carry_the_record_ref():
    [finding] = part_number_findings([course(ALG1, "A", "0.5", part="2", ref="line-7")], TABLES)
    assert (finding.ref, finding.message) == ("line-7", "Part # 2 Exists, No Part # 1 for Course")
