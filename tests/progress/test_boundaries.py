"""Boundaries of the engine that a mutation run showed no test held (issue 9, item 10)."""
from decimal import Decimal

import pytest

from transcripts.progress import build_credits, compute_progress, graduation_removal_reasons, overall_gpa

from .builders import category, course, curriculum, info, one_curriculum_progress, sc, student, tables

D = Decimal
ENG1, ALG1, WELD, ELECTIVE, EXPERIENCE = "120101", "160321", "470101", "999901", "500304"


def test_a_course_never_counts_beyond_the_units_its_set_allows():
    # A two-unit course earned in full, in a set that allows 1.0: one unit toward a 2-unit category.
    tabs = tables(curriculum("CA", category("13", "2", sc(WELD, "1.0", "1.0"))))
    _, cats = one_curriculum_progress(tabs, [course(WELD, "B", "2.0")], path="CA")
    assert (cats["13"].earned, cats["13"].complete) == (D(1), False)


@pytest.mark.parametrize("credits,removed", [(22, True), (23, False)])
def test_a_path_without_a_core_table_needs_the_default_23_credits(credits, removed):
    tabs = tables(curriculum("C4"))  # a historical path: in the tables, but no categories and no total
    result = compute_progress(student("C4"), [course(f"99{i:04d}", "A") for i in range(credits)], tabs)
    assert ("2" in result.graduation.removal_reasons) is removed
    assert "3" not in result.graduation.removal_reasons  # no core to judge


def test_an_award_table_without_a_minimum_uses_the_lowest_level():
    tabs = tables(curriculum("TU", category("01", "1", sc(ENG1))), curriculum("TC", category("01", "1", sc(ENG1)),
                                                                              kind="award"))
    low = compute_progress(student("TU"), [course(ENG1, "C")], tabs)  # 2.0: below the 2.50 of Opportunity
    high = compute_progress(student("TU"), [course(ENG1, "B")], tabs)
    assert (low.awards[0].eligible, high.awards[0].eligible) == (False, True)
    assert high.awards[0].level == "Opportunity"


@pytest.mark.parametrize("grades,eligible", [(("B", "C"), True), (("C", "C"), False)])
def test_the_award_minimum_is_inclusive(grades, eligible):
    # (3 + 2) / 2 = 2.50 exactly: eligible; 2.00 is not.
    tabs = tables(curriculum("TU", category("01", "2", sc(ENG1), sc(ALG1))),
                  curriculum("TC", category("01", "2", sc(ENG1), sc(ALG1)), kind="award", min_gpa="2.50"))
    result = compute_progress(student("TU"), [course(ENG1, grades[0]), course(ALG1, grades[1])], tabs)
    assert result.awards[0].gpa == (D("2.5") if eligible else D(2)) and result.awards[0].eligible is eligible


def test_a_pass_after_an_f_in_the_same_course_keeps_the_credit():
    credits = build_credits([course(ENG1, "F", bssy=2020), course(ENG1, "P", bssy=2021)], {})
    assert [(c.grade, c.earned) for c in credits] == [("P", D(1))]


def test_experience_only_courses_stay_out_of_the_overall_gpa():
    courses = {EXPERIENCE: info(EXPERIENCE, "Community Based Instruction", experience_only=True)}
    credits = build_credits([course(ENG1, "A"), course(EXPERIENCE, "C")], courses)
    assert overall_gpa(credits) == D(4)


def test_a_t9_placement_is_inferred_to_the_grade_9_cohort():
    assert student("TU", grade="T9", grade9_entry=None, bssy=2025).grad_bssy == 2029


def test_graduation_reasons_of_a_nonpublic_student_skip_gee():
    assert graduation_removal_reasons(student("TU", sponsor_kind="nonpublic", gee_flag=""), D(24), True) == []
    assert graduation_removal_reasons(student("TU", gee_flag=""), D(24), True) == ["4"]
