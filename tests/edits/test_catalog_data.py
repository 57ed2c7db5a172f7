"""The code lists and the shape of the edit catalog (the triggering of every code is in
tests/edit_codes/test_every_code.py)."""

from __future__ import annotations

import pytest

from core_tables.codelists import CODE_LISTS, attrs_of, career_option_kind, codes
from transcripts.edits import CATALOG, GRAD_DATE_REMOVAL_REASONS, REJECT, REMOVE_GRAD_DATE
from transcripts.records import LAYOUTS, IbcRecord, StudentRecord, TranscriptRecord
from transcripts.layouts import position_of

DIGEST_CODES = (
    [f"U0{n}" for n in range(1, 9)]
    + "200 201 202 203 204 205 206 207 208 209 210 211 212 213 214 215 218 220 221 223 224 225 226 227 228 "
      "229 230 231 232 233 234 241 242".split()
    + "300 301 302 303 304 305 306 310 311 312 314 316 318 319 320 321 322 326 327 328 329 330 331 332 333 "
      "334 335 339 340 341 342 349 350".split()
    + "500 503 504 507 510 511 512 513 514 515".split()
)
FILE_CODES = ("EMPTY", "SYSTEM", "RECORD_TYPE", "LENGTH", "BSSY", "SPONSOR", "UNREADABLE")
RECORD_CLASS = {"020": StudentRecord, "030": TranscriptRecord, "050": IbcRecord}


def test_code_lists_have_exactly_the_agreed_names():
    assert set(CODE_LISTS) == {
        "grade_placement", "semester", "letter_grade", "course_type", "distance_learning", "academic_endorsement",
        "career_endorsement", "community_service", "biliteracy_seal", "gee_flag", "eoc_result", "fafsa",
        "diploma_path", "career_option", "sex", "ibc_semester", "pass_fail", "yes_no",
    }


@pytest.mark.parametrize("name, expected", [
    ("grade_placement", "06 07 08 T9 09 10 11 12"),
    ("semester", "B1 B2 B3 B4 C1 C2 S1 S2 Z1 Z2 Y1"),
    ("letter_grade", "A B C D F P E"),
    ("course_type", "RG HR GT TA SE DE DA DI AP IB"),
    ("distance_learning", "01 02 03 04 05"),
    ("academic_endorsement", "A1 A2 A3 A4"),
    ("career_endorsement", "B1 B2 J1 J2 J3 J4"),
    ("community_service", "C1"),
    ("biliteracy_seal", "D1 D2 D3 D4 D5 D6"),
    ("gee_flag", "Y E A G"),
    ("eoc_result", "P A G"),
    ("fafsa", "1 2 3 4"),
    ("diploma_path", "C4 C5 C6 CA TU L1 CD ND NG"),
    ("sex", "M F"),
    ("ibc_semester", "1 2 3"),
    ("pass_fail", "P F"),
    ("yes_no", "Y N"),
])
def test_fixed_lists_hold_the_guides_codes_in_order(name, expected):
    assert [c.code for c in CODE_LISTS[name]] == expected.split()
    assert codes(name) == frozenset(expected.split())
    assert all(c.name for c in CODE_LISTS[name])


def test_career_options_are_the_appendix_i_tables_plus_cdv():
    by_kind = {}
    for c in CODE_LISTS["career_option"]:
        by_kind.setdefault(c.attrs["kind"], []).append(c.code)
    # Areas of concentration A01-P06 (4+8+10+2+3+2+1+7 + 2+4+6 + 2+5+4+3+6), Jumpstart R/S/T, CDV.
    assert len(by_kind["aoc"]) == 69 and by_kind["aoc"][0] == "A01" and by_kind["aoc"][-1] == "P06"
    assert len(by_kind["jumpstart"]) == 47 and by_kind["jumpstart"][-1] == "T17"
    assert by_kind["cdv"] == ["CDV"]
    names = {c.code: c.name for c in CODE_LISTS["career_option"]}
    # Names follow the codes in printed order (the PDF lists all codes, then all names).
    assert names["B06"] == "ARCHIT,CONSTR ELECTRICAL/ELECTRONICS"
    assert names["H07"] == "HLTHSCI SPORTS MEDICINE" and names["I01"] == "HOSP,TR CULINARY ARTS"
    assert names["R35"] == "EARLY CHILDHOOD" and names["S01"] == "AUTOMOTIVE SERVICE"
    assert names["S23"] == "INDUST MAINT MECH HELPER" and names["T01"] == "AGRICULTURE TECH"
    assert names["T17"] == "ENVIRONMENTAL PROTECTION"


@pytest.mark.parametrize("code, kind", [("A01", "aoc"), ("P06", "aoc"), ("R01", "jumpstart"), ("CDV", "cdv"),
                                         ("T18", "jumpstart"), ("Q01", None), ("", None)])
def test_career_option_kind_also_classifies_codes_added_later(code, kind):
    assert career_option_kind(code) == kind


def test_diploma_paths_carry_cohort_bounds_and_career_option_kind():
    assert attrs_of("diploma_path", "C4") == {"min_grade9_entry": None, "max_grade9_entry": 2013, "career_option": "none"}
    assert attrs_of("diploma_path", "CA")["min_grade9_entry"] == 2014
    assert attrs_of("diploma_path", "CA")["career_option"] == "jumpstart"
    assert attrs_of("diploma_path", "CD")["career_option"] == "cdv"
    assert {c.code for c in CODE_LISTS["diploma_path"] if c.attrs["career_option"] == "aoc"} == {"C5", "C6"}
    assert attrs_of("diploma_path", "ZZ") == {}


def test_catalog_has_every_code_of_the_digest_and_the_file_codes():
    assert set(CATALOG) == set(DIGEST_CODES) | set(FILE_CODES)


@pytest.mark.parametrize("code", DIGEST_CODES)
def test_every_edit_is_described_and_points_at_a_real_field(code):
    edit = CATALOG[code]
    assert edit.message == edit.message.upper() or code in ("214", "218")  # "11th & 12th", "or G" as printed
    assert edit.solution.strip()
    assert edit.severity in (REJECT, REMOVE_GRAD_DATE)
    assert edit.record_type in ("020", "030", "050", "secure_id")
    assert edit.check is not None or edit.scope == "graduation"
    for record_type in edit.applies_to or (edit.record_type,):
        for layout in LAYOUTS:
            # 205's field is the public day of birth; on nonpublic records it reports birth_date.
            if edit.field is not None and edit.applies_to_layout(layout) and (code, layout) != ("205", "nonpublic"):
                assert position_of(record_type, layout, edit.field)
    known = {name for cls in RECORD_CLASS.values() for name in cls.__dataclass_fields__}
    assert set(edit.reads) <= known


def test_only_the_credit_check_removes_the_graduation_date():
    removing = {code for code, e in CATALOG.items() if e.severity == REMOVE_GRAD_DATE}
    assert removing == {"223"} and CATALOG["223"].grad_reason == "2"


def test_public_only_edits_are_the_registry_and_public_only_fields():
    public_only = {code for code, e in CATALOG.items() if e.public and not e.nonpublic}
    assert public_only == {"U02", "U03", "U04", "U05", "U06", "U07", "U08", "234", "241", "242", "349"}
    assert CATALOG["350"].online_only and not any(e.online_only for c, e in CATALOG.items() if c != "350")


def test_file_codes_have_no_check_and_removal_reasons_are_2_to_6():
    for code in FILE_CODES:
        assert CATALOG[code].record_type == "file" and CATALOG[code].check is None
    assert sorted(GRAD_DATE_REMOVAL_REASONS) == ["2", "3", "4", "5", "6"]
