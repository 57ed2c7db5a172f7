"""Category rules from "Reading the Core Reference Table" (units allowed / required, notes *,
** and ***), P/E/F handling and set-course effective years."""
from decimal import Decimal

from .builders import category, course, curriculum, info, one_curriculum_progress, sc, tables

D = Decimal
ENG1, BIO1, HBIO1, ENVSCI, APBIO = "120101", "150201", "150202", "150401", "150299"
PE1, PE2, HEALTH, WELD = "190101", "190102", "190201", "470101"
APPLIED_ELA = "500051"


def test_one_of_one_course_counts_only_once_the_full_unit_is_earned():
    # AP Biology is set up 1.0 of 1.0: a lone half (part 1, 0.5) is not used; the whole course is.
    tabs = tables(curriculum("TU", category("09", "1", sc(APBIO, "1.0", "1.0"))))
    _, cats = one_curriculum_progress(tabs, [course(APBIO, "A", "0.5", part="1", course_type="AP")])
    assert (cats["09"].earned, cats["09"].courses) == (D(0), [])
    _, cats = one_curriculum_progress(tabs, [course(APBIO, "A", "1.0", course_type="AP")])
    assert (cats["09"].earned, cats["09"].complete) == (D(1), True)


def test_two_unit_course_counts_only_at_full_credit():
    # "Welding (2 units)" is 2.0 of 2.0: 1.5 earned counts nothing, 2.0 earned completes 2 units.
    tabs = tables(curriculum("CA", category("13", "2", sc(WELD, "2.0", "2.0"))))
    _, cats = one_curriculum_progress(tabs, [course(WELD, "B", "1.5")], path="CA")
    assert cats["13"].earned == D(0)
    _, cats = one_curriculum_progress(tabs, [course(WELD, "B", "2.0")], path="CA")
    assert (cats["13"].earned, cats["13"].complete) == (D(2), True)


def test_one_of_half_courses_of_the_same_set_combine():
    # Health & PE, 2 units, one set: PE I (1.0 of 1.0) A, Health (1.0 of 0.5) B 0.5, PE II (1.0 of
    # 0.5) C 0.5.  Health + PE II make the second unit.
    # Core GPA = (4 x 1.0 + 3 x 0.5 + 2 x 0.5) / 2.0 = 6.5 / 2 = 3.25
    tabs = tables(curriculum("TU", category("20", "2", sc(PE1), sc(HEALTH, "1.0", "0.5"), sc(PE2, "1.0", "0.5"))))
    result, cats = one_curriculum_progress(tabs, [course(PE1, "A"), course(HEALTH, "B", "0.5"),
                                                  course(PE2, "C", "0.5")])
    assert (cats["20"].earned, cats["20"].complete) == (D(2), True)
    assert result.core_gpa == D("3.25")


def test_halves_of_different_sets_do_not_combine():
    # Biology I category (1 unit): a lone half of Biology I (set 01) and a half-unit
    # Environmental Science (set 02) do not make a unit; with both in set 01 they do.
    records = [course(BIO1, "A", "0.5", part="1"), course(ENVSCI, "B", "0.5")]
    split = tables(curriculum("TU", category("09", "1", sc(BIO1, "1.0", "0.5", "01"), sc(ENVSCI, "1.0", "0.5", "02"))))
    _, cats = one_curriculum_progress(split, records)
    assert (cats["09"].earned, cats["09"].complete) == (D(0), False)
    joined = tables(curriculum("TU", category("09", "1", sc(BIO1, "1.0", "0.5", "01"), sc(ENVSCI, "1.0", "0.5", "01"))))
    result, cats = one_curriculum_progress(joined, records)
    assert (cats["09"].earned, cats["09"].complete) == (D(1), True)
    assert result.core_gpa == D("3.5")  # (4 x 0.5 + 3 x 0.5) / 1.0


def test_gifted_and_honors_halves_of_one_course_pair_but_dual_enrolment_does_not():
    # Part 1 gifted A, part 2 honors B: one unit B/A -> 3.5
    tabs = tables(curriculum("TU", category("10", "1", sc(HBIO1, "1.0", "0.5"))))
    result, cats = one_curriculum_progress(tabs, [course(HBIO1, "A", "0.5", part="1", course_type="GT"),
                                                  course(HBIO1, "B", "0.5", part="2", course_type="HR")])
    assert (cats["10"].complete, result.core_gpa) == (True, D("3.5"))
    # Part 1 DE, part 2 honors: two halves of different levels; they neither pair as parts nor
    # combine within the set, so the category stays open.
    _, cats = one_curriculum_progress(tabs, [course(HBIO1, "A", "0.5", part="1", course_type="DE"),
                                             course(HBIO1, "B", "0.5", part="2", course_type="HR")])
    assert (cats["10"].earned, cats["10"].complete) == (D(0), False)


def test_a_category_ending_in_a_half_unit_takes_a_lone_half():
    # Requirement 1.5: a full unit and a half complete it; core GPA (4 x 1 + 2 x 0.5) / 1.5 = 3.333...
    tabs = tables(curriculum("TU", category("17", "1.5", sc(BIO1, "1.0", "0.5"), sc(HEALTH, "1.0", "0.5"))))
    result, cats = one_curriculum_progress(tabs, [course(BIO1, "A"), course(HEALTH, "C", "0.5")])
    assert (cats["17"].earned, cats["17"].complete) == (D("1.5"), True)
    assert result.core_gpa == D(5) / D("1.5")
    # Two full units: only 1.5 is counted, and the better course counts whole:
    # (4 x 1 + 3 x 0.5) / 1.5 = 3.667
    result, cats = one_curriculum_progress(tabs, [course(BIO1, "A"), course(HEALTH, "B")])
    assert cats["17"].earned == D("1.5")
    assert result.core_gpa == D("5.5") / D("1.5")


def test_excess_of_a_two_unit_course_is_not_counted():
    # Jump Start category of 3 units and two 2-unit courses: 3 units counted, complete
    tabs = tables(curriculum("CA", category("13", "3", sc(WELD, "2.0", "2.0"), sc("470102", "2.0", "2.0"))))
    _, cats = one_curriculum_progress(tabs, [course(WELD, "A", "2.0"), course("470102", "B", "2.0")], path="CA")
    assert (cats["13"].earned, cats["13"].complete) == (D(3), True)
    assert sorted(u.units for u in cats["13"].courses) == [D(1), D(2)]  # the A counts whole


def test_waived_course_fills_its_category_without_credit_or_gpa():
    # Grade E (exempt, waiver flag Y): the category is met; no credit, no grade points.
    tabs = tables(curriculum("TU", category("01", "1", sc(ENG1)), category("20", "1", sc(PE1))))
    result, cats = one_curriculum_progress(tabs, [course(ENG1, "B"), course(PE1, "E")])
    assert cats["20"].complete and cats["20"].courses[0].grade == "E"
    assert result.core_gpa == D(3)  # only the B
    assert result.total_credits == D(1)


def test_pass_counts_for_units_not_for_gpa():
    tabs = tables(curriculum("TU", category("01", "1", sc(ENG1)), category("20", "1", sc(PE1))))
    result, cats = one_curriculum_progress(tabs, [course(ENG1, "A"), course(PE1, "P")])
    assert cats["20"].complete
    assert result.core_gpa == D(4)  # 4 x 1 / 1: the P is not in the GPA
    assert result.total_credits == D(2)


def test_a_failed_course_never_fills_a_category():
    tabs = tables(curriculum("TU", category("01", "1", sc(ENG1))))
    result, cats = one_curriculum_progress(tabs, [course(ENG1, "F")])
    assert not cats["01"].complete and result.core_gpa is None
    assert result.overall_gpa == D(0)  # but the F is in the Overall GPA


def test_set_courses_apply_by_graduation_cohort():
    # Grade 9 entry 2019 -> cohort (graduation BSSY) 2022.
    def earned(effective, expires):
        tabs = tables(curriculum("TU", category("01", "1", sc(ENG1, effective=effective, expires=expires))))
        return one_curriculum_progress(tabs, [course(ENG1, "A")], grade9_entry=2019)[1]["01"].earned
    assert earned(2022, None) == D(1)   # effective for this cohort
    assert earned(2023, None) == D(0)   # starts with a later cohort
    assert earned(2015, 2022) == D(1)   # expires with this cohort (inclusive)
    assert earned(2015, 2021) == D(0)   # stopped counting before this cohort


def test_experience_only_courses_count_on_l1_only():
    courses = {APPLIED_ELA: info(APPLIED_ELA, "Applied ELA I (NO CREDIT)", experience_only=True)}
    l1 = curriculum("L1", category("01", "1", sc(APPLIED_ELA)))
    tu = curriculum("TU", category("01", "1", sc(APPLIED_ELA)))
    tabs = tables(l1, tu, courses=courses)
    records = [course(APPLIED_ELA, "P")]
    result, cats = one_curriculum_progress(tabs, records, path="L1")
    assert cats["01"].complete and result.total_credits == D(1)
    result, cats = one_curriculum_progress(tabs, records, path="TU")
    assert not cats["01"].complete and result.total_credits == D(0)


def test_used_course_links_back_to_every_record():
    tabs = tables(curriculum("TU", category("09", "1", sc(BIO1, "1.0", "0.5"))))
    first, second = course(BIO1, "A", "0.5", part="1", ref="r1"), course(BIO1, "B", "0.5", part="2", ref="r2")
    _, cats = one_curriculum_progress(tabs, [second, first])
    used = cats["09"].courses[0]
    assert (used.code, used.grade, used.units, set(used.refs)) == (BIO1, "A/B", D(1), {"r1", "r2"})
