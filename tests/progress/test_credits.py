"""Grade points, part pairing and repeat/delete (guide: Data Glossary "Conversion Scale",
"Part Numbers", "Repeat-Delete Rule"; Appendix H)."""
from decimal import Decimal

import pytest

from transcripts.progress import build_credits, credits_and_repeats, grade_points, overall_gpa

from .builders import course, info

D = Decimal
ALG1, ENG1, ELECTIVE, CALC = "160321", "120101", "999901", "160355"
COURSES = {
    ELECTIVE: info(ELECTIVE, "General Elective", requires_course_name=True),
    CALC: info(CALC, "AP Calculus AB", five_point_eligible=True),
}


def gpa(*records):
    return overall_gpa(build_credits(records, COURSES))


@pytest.mark.parametrize("grade,scale,code,expected", [
    ("B", 4, ALG1, D("3")),          # 4.0 scale: points as awarded
    ("A", 5, ALG1, D("4")),          # not 5.0-eligible: 5 x 4 / 5 = 4.0
    ("B", 5, ALG1, D("3.2")),        # 4 x 4 / 5 = 3.2
    ("A", 5, CALC, D("5")),          # 5.0-eligible course keeps its 5.0 scale
    ("F", 4, ALG1, D("0")),
    ("P", 4, ALG1, None),            # P and E carry no grade points
    ("E", 4, ALG1, None),
])
def test_grade_points_conversion_scale(grade, scale, code, expected):
    assert grade_points(course(code, grade, scale=scale), COURSES.get(code)) == expected


def test_half_unit_courses_weigh_half_in_the_overall_gpa():
    # A (1.0) and C (0.5): (4 x 1.0 + 2 x 0.5) / 1.5 = 5 / 1.5 = 3.333...
    assert gpa(course(ENG1, "A"), course(ALG1, "C", "0.5")) == D(5) / D("1.5")


def test_f_counts_in_gpa_p_counts_only_for_credit():
    # A and F: (4 + 0) / 2 = 2.0
    assert gpa(course(ENG1, "A"), course(ALG1, "F")) == D(2)
    # A and P: P has no grade points, so 4 / 1 = 4.0; the P's credit still counts
    credits = build_credits([course(ENG1, "A"), course(ALG1, "P")], COURSES)
    assert overall_gpa(credits) == D(4)
    assert sum(c.earned for c in credits) == D(2)


def test_repeat_delete_keeps_the_highest_grade():
    # Algebra I failed in 2020, C in 2021: only the C counts. English A.
    # (4 + 2) / 2 = 3.0, not (4 + 0 + 2) / 3 = 2.0
    records = [course(ENG1, "A"), course(ALG1, "F", bssy=2020), course(ALG1, "C", bssy=2021)]
    assert gpa(*records) == D(3)
    kept, dropped = credits_and_repeats(records, COURSES)
    assert [c.grade for c in kept if c.code == ALG1] == ["C"]
    assert [c.refs for c in dropped] == [(records[1].ref,)]


def test_repeat_delete_prefers_the_higher_grade_even_if_earlier():
    # B in 2020, C in 2021 (both passed): only the B counts: 3.0
    assert gpa(course(ALG1, "B", bssy=2020), course(ALG1, "C", bssy=2021)) == D(3)


def test_name_required_codes_with_different_names_are_different_courses():
    # Wood Carving B and Furniture Making C under one elective code: both count, (3 + 2) / 2 = 2.5
    assert gpa(course(ELECTIVE, "B", name="Wood Carving"), course(ELECTIVE, "C", name="Furniture Making")) == D("2.5")
    # The same name twice (spacing and case are not spelling): repeat/delete keeps the B: 3.0
    assert gpa(course(ELECTIVE, "B", name="Wood Carving"), course(ELECTIVE, "C", name="wood  carving ")) == D(3)


def test_same_code_without_the_name_rule_is_a_repeat_whatever_the_name():
    # English I with two different transcript names is still one course: keep the A: 4.0
    assert gpa(course(ENG1, "A", name="English I"), course(ENG1, "C", name="Eng 1 Honors")) == D(4)


def test_parts_one_and_two_combine_with_grades_averaged():
    # Algebra I part 1 A, part 2 C: one unit, (4 + 2) / 2 = 3.0
    credits = build_credits([course(ALG1, "A", "0.5", part="1"), course(ALG1, "C", "0.5", part="2")], COURSES)
    assert len(credits) == 1
    assert (credits[0].earned, credits[0].points, credits[0].grade, credits[0].parts) == (D("1.0"), D(3), "A/C", "12")


def test_a_missing_half_stays_a_lone_half():
    credits = build_credits([course(ALG1, "A", "0.5", part="1")], COURSES)
    assert [(c.earned, c.parts) for c in credits] == [(D("0.5"), "1")]


def test_college_level_halves_never_pair_with_high_school_halves():
    # Part 1 taken as DE (A), part 2 as honors (B): two separate halves, not one unit
    credits = build_credits([course(ALG1, "A", "0.5", part="1", course_type="DE"),
                             course(ALG1, "B", "0.5", part="2", course_type="HR")], COURSES)
    assert sorted((c.parts, c.earned, c.college_level) for c in credits) == [
        ("1", D("0.5"), True), ("2", D("0.5"), False)]
    # ...while honors and regular halves of one course do pair
    credits = build_credits([course(ALG1, "A", "0.5", part="1", course_type="HR"),
                             course(ALG1, "B", "0.5", part="2", course_type="RG")], COURSES)
    assert [c.parts for c in credits] == ["12"]


def test_repeated_half_pairs_the_best_of_each_part():
    # Part 1 F then B, part 2 C: the unit is B/C = (3 + 2) / 2 = 2.5; the failed part 1 is dropped
    # (with it the GPA would be (0 x .5 + 3 x .5 + 2 x .5) / 1.5 = 1.667)
    records = [course(ALG1, "F", "0.5", part="1", bssy=2020), course(ALG1, "B", "0.5", part="1", bssy=2021),
               course(ALG1, "C", "0.5", part="2", bssy=2021)]
    assert gpa(*records) == D("2.5")


def test_a_whole_course_beats_an_earlier_lone_half():
    # Part 1 A (0.5) in 2020, then the whole course C (1.0): the course counts once, as the C
    credits = build_credits([course(ALG1, "A", "0.5", part="1", bssy=2020), course(ALG1, "C", bssy=2021)], COURSES)
    assert [(c.grade, c.earned) for c in credits] == [("C", D("1.0"))]


def test_the_overall_gpa_converts_every_course_to_the_4_scale():
    # Guide: "converting grade points to the 4.00 scale used for TOPS GPA courses that have not been
    # identified as remaining on the 5.0 scale and Overall GPA". AP Calculus A on 5.0 converts to 4,
    # English B is 3: (4 + 3) / 2 = 3.5, and no Overall GPA exceeds 4.00.
    assert gpa(course(CALC, "A", scale=5, course_type="AP"), course(ENG1, "B")) == D("3.5")
    assert gpa(course(CALC, "A", scale=5, course_type="AP"), course(ENG1, "A", scale=5, course_type="HR")) == D(4)


def test_core_points_keep_the_5_scale_for_the_5_list_and_convert_the_others():
    credits = {c.code: c for c in build_credits([course(CALC, "A", scale=5, course_type="AP"),
                                                 course(ENG1, "B", scale=5, course_type="HR")], COURSES)}
    calc, eng = credits[CALC], credits[ENG1]
    assert (calc.points, calc.overall_points) == (D(5), D(4))  # on the 5.0 list: 5.0 for the TOPS GPA
    assert (eng.points, eng.overall_points) == (D("3.2"), D("3.2"))  # not on it: 4 x 4 / 5 = 3.2 everywhere


def test_pass_and_exempt_records_are_whole_course_grades():
    # A P record sent with a part number still counts as a whole course (guide: P/E cannot be split)
    credits = build_credits([course(ALG1, "P", "1.0", part="1")], COURSES)
    assert [(c.parts, c.earned, c.points) for c in credits] == [("", D("1.0"), None)]
