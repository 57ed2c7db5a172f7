"""compute_progress end to end on small TU/TC and CA/TJ tables: awards, graduation removal
reasons, the what-if path, the JSON contract, and order/monotonicity properties."""
import datetime
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcripts.progress import StudentProgress, compute_progress, graduation_removal_reasons

from .builders import category, course, curriculum, info, sc, student, tables

D = Decimal
ENG1, ENG2, ALG1, GEOM = "120101", "120102", "160321", "160331"
BIO1, APBIO, CHEM, PHYS = "150201", "150299", "150403", "150501"
SPAN1, SPAN2, PE1, PE2, HEALTH, WELD, ELECTIVE = "110101", "110102", "190101", "190102", "190201", "470101", "999901"

TU = curriculum("TU",
                category("01", "1", sc(ENG1), description="ENGLISH I"),
                category("02", "1", sc(ENG2), description="ENGLISH II"),
                category("05", "1", sc(ALG1, "1.0", "0.5"), description="ALGEBRA I"),
                category("06", "1", sc(GEOM), description="GEOMETRY"),
                category("09", "1", sc(BIO1, "1.0", "0.5"), sc(APBIO, set_code="02"), description="BIOLOGY I"),
                category("11", "1", sc(CHEM), sc(PHYS), description="SCIENCE ELECTIVES 1ST UNIT"),
                category("17", "2", sc(SPAN1), sc(SPAN2), description="FOREIGN LANGUAGE"),
                category("20", "2", sc(PE1), sc(HEALTH, "1.0", "0.5"), sc(PE2, "1.0", "0.5"),
                         description="HEALTH & PE"),
                units="10")
TC = curriculum("TC",
                category("01", "2", sc(ENG1), sc(ENG2), description="ENGLISH"),
                category("02", "2", sc(ALG1, "1.0", "0.5"), sc(GEOM), description="MATH"),
                category("03", "2", sc(BIO1, "1.0", "0.5"), sc(APBIO, set_code="02"), sc(CHEM), sc(PHYS),
                         description="SCIENCE"),
                kind="award", min_gpa="2.50")
CA = curriculum("CA",
                category("01", "1", sc(ENG1), description="ENGLISH I"),
                category("05", "1", sc(ALG1, "1.0", "0.5"), description="ALGEBRA I"),
                category("13", "2", sc(WELD, "2.0", "2.0"), description="JUMP START COURSES"),
                units="4")
TJ = curriculum("TJ", category("01", "1", sc(ENG1)), category("02", "1", sc(ALG1, "1.0", "0.5")),
                kind="award", min_gpa="2.50")
COURSES = {ELECTIVE: info(ELECTIVE, "General Elective", requires_course_name=True),
           APBIO: info(APBIO, "AP Biology", five_point_eligible=True)}
TABLES = tables(TU, TC, CA, TJ, curriculum("C4"), courses=COURSES)


def tu_transcript(grade="A"):
    """Complete TU (10 units in its categories) with every course at ``grade``."""
    return [course(ENG1, grade, bssy=2019), course(ENG2, grade, bssy=2020),
            course(ALG1, grade, "0.5", part="1", bssy=2019), course(ALG1, grade, "0.5", part="2", bssy=2019),
            course(GEOM, grade, bssy=2020), course(BIO1, grade, bssy=2020), course(CHEM, grade, bssy=2021),
            course(SPAN1, grade, bssy=2020), course(SPAN2, grade, bssy=2021), course(PE1, grade, bssy=2019),
            course(HEALTH, grade, "0.5", bssy=2021), course(PE2, grade, "0.5", bssy=2021)]


def test_complete_tu_student_meets_graduation_and_earns_the_tc_level():
    result = compute_progress(student("TU", graduation_date=datetime.date(2023, 5, 20)), tu_transcript("A"), TABLES)
    assert result.pathway.code == "TU" and result.pathway.complete
    assert (result.pathway.units_earned, result.total_credits) == (D(10), D(10))
    assert result.overall_gpa == result.core_gpa == result.tops_gpa == D(4)
    [award] = result.awards
    assert (award.code, award.level, award.eligible) == ("TC", "Opportunity", True)  # STS judges no more
    assert award.progress.complete
    assert (result.graduation.meets, result.graduation.removal_reasons) == (True, [])


@pytest.mark.parametrize("grades,level,eligible,note", [
    # TC core = English I, English II, Algebra I, Geometry, Biology I, Chemistry (6 units). STS holds
    # no ACT score: it judges Opportunity only ("2.5 (TOPS Opportunity Only)") and says of
    # Performance and Honors only that the GPA meets their minimum.
    ("AAAAAB", "Opportunity", True,    # (5 x 4 + 3) / 6 = 3.833
     "GPA meets the Performance (3.00) / Honors (3.50) minimum; ACT not held in STS"),
    ("BBBBBA", "Opportunity", True,    # (5 x 3 + 4) / 6 = 3.167
     "GPA meets the Performance (3.00) minimum; ACT not held in STS"),
    ("CCBBBB", "Opportunity", True, ""),   # (2 x 2 + 4 x 3) / 6 = 2.667
    ("CCCCCB", None, False, ""),           # (5 x 2 + 3) / 6 = 2.167: below 2.50
])
def test_tops_award_level_follows_the_core_gpa(grades, level, eligible, note):
    from transcripts.progress.result import award_standing, gpa_note

    codes = [ENG1, ENG2, ALG1, GEOM, BIO1, CHEM]
    result = compute_progress(student("TU"), [course(c, g) for c, g in zip(codes, grades)], TABLES)
    [award] = result.awards
    assert (award.level, award.eligible, gpa_note("TC", award.gpa) if eligible else "") == (level, eligible, note)
    standing = award_standing("TC", award.level, award.eligible, award.gpa, award.progress.complete)
    assert "Honors" not in standing.split(";")[0] and "Performance" not in standing.split(";")[0]
    assert standing == ("TC eligible: Opportunity" + (f"; {note}" if note else "") if eligible
                        else "TC core met, GPA below 2.50")


@pytest.mark.parametrize("gpa,level", [("2.50", "Opportunity"), ("2.49999", None), ("3.00", "Opportunity"),
                                       ("3.50", "Opportunity")])
def test_award_boundaries_are_inclusive_and_exact(gpa, level):
    from transcripts.progress.result import award_level, gpa_note

    assert award_level("TC", D(gpa), True) == level
    assert award_level("TJ", D(gpa), True) == (None if level is None else "Tech")
    assert ("Performance (3.00)" in gpa_note("TC", D(gpa))) == (D(gpa) >= 3)
    assert ("Honors (3.50)" in gpa_note("TC", D(gpa))) == (D(gpa) >= D("3.5"))


def test_an_incomplete_award_core_is_not_eligible_whatever_the_gpa():
    result = compute_progress(student("TU"), [course(ENG1, "A"), course(ENG2, "A")], TABLES)
    [award] = result.awards
    assert award.gpa == D(4) and not award.eligible and award.level is None


def test_what_if_path_switches_the_pathway_and_its_award():
    records = tu_transcript("B") + [course(WELD, "A", "2.0")]
    declared = compute_progress(student("TU"), records, TABLES)
    what_if = compute_progress(student("TU"), records, TABLES, path="CA")
    assert (declared.pathway.code, [a.code for a in declared.awards]) == ("TU", ["TC"])
    assert (what_if.pathway.code, [a.code for a in what_if.awards]) == ("CA", ["TJ"])
    assert what_if.pathway.complete
    # CA core: English I B, Algebra I B/B, Welding A (2 units): (3 + 3 + 4 x 2) / 4 = 3.5
    assert what_if.core_gpa == D("3.5")
    assert declared.overall_gpa == what_if.overall_gpa


def test_undeclared_path_has_no_core_progress():
    result = compute_progress(student("ND"), tu_transcript(), TABLES)
    assert (result.pathway, result.awards, result.core_gpa, result.tops_gpa) == (None, [], None, None)
    assert result.to_json()["categories"] == [] and result.to_json()["pathway"] is None
    assert "3" in result.graduation.removal_reasons


def test_a_path_without_a_core_table_is_not_judged_on_core_progress():
    # C4 exists with no categories: nothing to miss.
    result = compute_progress(student("C4", grade9_entry=2012), tu_transcript() * 2, TABLES)
    # 10 credits: short of the default 23 (reason 2), but no core to miss (no reason 3).
    assert result.pathway.complete and result.graduation.removal_reasons == ["2"]


# ---- graduation-date removal reasons --------------------------------------------------------

def test_reason_2_too_few_credits():
    result = compute_progress(student("TU"), tu_transcript()[:-1], TABLES)
    assert result.graduation.removal_reasons[:1] == ["2"]  # 9.5 of 10 (the table's TU total)


def test_reason_3_a_category_not_met():
    records = [r for r in tu_transcript() if r.course_code != GEOM] + [course(ELECTIVE, "A", name="Wood Carving")]
    result = compute_progress(student("TU"), records, TABLES)
    assert result.total_credits == D(10)
    assert result.graduation.removal_reasons == ["3"]


@pytest.mark.parametrize("kind,flag,reasons", [
    ("public", "", ["4"]), ("charter", "N", ["4"]), ("public", "G", []), ("nonpublic", "", [])])
def test_reason_4_gee_eoc_flag_public_and_charter_only(kind, flag, reasons):
    facts = student("TU", sponsor_kind=kind, gee_flag=flag)
    assert graduation_removal_reasons(facts, D(24), True, D(24)) == reasons


def test_reason_5_career_diploma_needs_cdv():
    assert graduation_removal_reasons(student("CD"), D(23), None) == ["5"]
    assert graduation_removal_reasons(student("CD", career_option="CDV"), D(23), None) == []


def test_reason_6_jump_start_needs_a_passed_ibc_an_endorsement_and_an_uploaded_credential():
    assert graduation_removal_reasons(student("CA"), D(23), True) == ["6"]
    assert graduation_removal_reasons(student("CA", passed_ibc_count=1), D(23), True) == ["6"]
    both = {"passed_ibc_count": 1, "career_endorsement": "J2"}
    # Training: "Jumpstart pathway without a Career/Tech endorsement and credential uploaded".
    assert graduation_removal_reasons(student("CA", **both), D(23), True) == ["6"]
    assert graduation_removal_reasons(student("CA", **both, credential_uploaded=True), D(23), True) == []
    assert graduation_removal_reasons(student("CA", passed_ibc_count=1, credential_uploaded=True), D(23), True) == ["6"]


def test_reason_6_is_not_applicable_to_nonpublic_graduates():
    assert graduation_removal_reasons(student("CA", sponsor_kind="nonpublic"), D(23), True) == []


def test_default_credit_requirements_tu_24_others_23():
    assert graduation_removal_reasons(student("TU"), D(23), True) == ["2"]
    assert graduation_removal_reasons(student("L1"), D(23), True) == []


# ---- JSON contract --------------------------------------------------------------------------

def test_to_json_is_exactly_the_command_contract():
    records = tu_transcript("B") + [course(APBIO, "A", scale=5, course_type="AP"), course(ENG1, "C", bssy=2018)]
    data = compute_progress(student("TU"), records, TABLES).to_json()
    assert list(data) == ["overall_gpa", "core_gpa", "tops_gpa", "total_credits", "pathway", "categories",
                          "awards", "graduation"]
    assert data["pathway"] == "TU" and isinstance(data["total_credits"], float)
    for category_json in data["categories"]:
        assert list(category_json) == ["code", "description", "required", "earned", "complete", "courses"]
        assert isinstance(category_json["required"], float) and isinstance(category_json["earned"], float)
        for used in category_json["courses"]:
            assert list(used) == ["code", "name", "bssy", "grade", "units"]
            assert isinstance(used["bssy"], int) and isinstance(used["units"], float)
    assert [list(a) for a in data["awards"]] == [["code", "eligible", "gpa"]]
    assert list(data["graduation"]) == ["meets", "removal_reasons"]
    # Overall, every course on the 4.00 scale: 10 B units (3; the earlier English I C is a repeat) +
    # AP Biology A (5 on the 5.0 scale, 4 converted): (10 x 3 + 4) / 11 = 3.0909..., rounded to 3 places
    assert data["overall_gpa"] == 3.091
    json.dumps(data)  # plain JSON types only


def test_json_round_trips():
    result = compute_progress(student("TU"), tu_transcript("B") + [course(ENG2, "D", bssy=2018)], TABLES)
    data = result.to_json()
    assert StudentProgress.from_json(json.loads(json.dumps(data))).to_json() == data
    full = json.loads(json.dumps(result.to_dict()))
    assert StudentProgress.from_dict(full) == result


# ---- properties -----------------------------------------------------------------------------

POOL = [ENG1, ENG2, ALG1, GEOM, BIO1, APBIO, CHEM, PHYS, SPAN1, SPAN2, PE1, PE2, HEALTH, WELD]
records = st.lists(st.builds(
    lambda code, grade, shape, bssy, college: course(
        code, grade, shape[0], part=shape[1], bssy=bssy, course_type="DE" if college and grade in "ABCDF" else "RG"),
    st.sampled_from(POOL), st.sampled_from("AABBCCDFP"),
    st.sampled_from([("1.0", ""), ("0.5", ""), ("2.0", ""), ("0.5", "1"), ("0.5", "2")]),
    st.integers(2018, 2021), st.sampled_from([False, False, False, True])),
    max_size=14)


@settings(max_examples=60, deadline=None)
@given(records, st.randoms(use_true_random=False), st.sampled_from(["TU", "CA"]))
def test_result_does_not_depend_on_record_order(transcript, rnd, path):
    shuffled = list(transcript)
    rnd.shuffle(shuffled)
    assert compute_progress(student(path), shuffled, TABLES).to_dict() == \
        compute_progress(student(path), transcript, TABLES).to_dict()


@settings(max_examples=60, deadline=None)
@given(records, st.sampled_from(POOL), st.sampled_from("ABCDP"), st.sampled_from(["0.5", "1.0", "2.0"]),
       st.sampled_from(["TU", "CA"]))
def test_adding_a_passing_course_never_lowers_units_completed(transcript, code, grade, units, path):
    transcript = [r for r in transcript if r.course_code != code]  # a new course, not a repeat
    before = compute_progress(student(path), transcript, TABLES)
    after = compute_progress(student(path), transcript + [course(code, grade, units)], TABLES)
    assert after.pathway.units_earned >= before.pathway.units_earned
    for old, new in zip(before.awards, after.awards):
        assert new.progress.units_earned >= old.progress.units_earned
    assert after.total_credits == before.total_credits + D(units)
