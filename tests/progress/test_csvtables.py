"""Core tables from reference CSVs (the data/reference contract), and the shipped set if present."""
from decimal import Decimal
from pathlib import Path

import pytest

from transcripts.progress import compute_progress
from transcripts.progress.csvtables import load_core_tables

from .builders import course, student

D = Decimal
REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"
FILES = {
    "course_codes.csv": "code,name,first_bssy,last_bssy,requires_course_name,ap_type_allowed,"
                        "five_point_eligible,experience_only\n"
                        "120101,English I,2010,,N,,N,N\n999901,General Elective,2010,,Y,,N,N\n",
    "curricula.csv": "code,name,kind,units_required,min_gpa,first_grad_bssy,last_grad_bssy\n"
                     "TU,TOPS University,diploma,24,,2017,\nTC,TOPS Opportunity,award,19,2.50,2017,\n",
    "categories.csv": "curriculum,category,description,units_required\nTU,01,ENGLISH I,1\nTC,01,ENGLISH,4\n",
    "set_courses.csv": "curriculum,category,set,course_code,units_allowed,units_required,"
                       "effective_grad_bssy,expiration_grad_bssy\n"
                       "TU,01,01,120101,1.0,1.0,2017,\nTC,01,01,120101,1.0,1.0,2017,2020\n",
}


def test_load_core_tables(tmp_path):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    tabs = load_core_tables(tmp_path)
    tu, tc = tabs.curricula["TU"], tabs.curricula["TC"]
    assert (tu.kind, tu.units_required, tu.min_gpa, tc.min_gpa) == ("diploma", D(24), None, D("2.50"))
    [english] = tu.categories
    assert (english.code, english.description, english.units_required) == ("01", "ENGLISH I", D(1))
    assert tc.categories[0].set_courses[0].expiration_grad_bssy == 2020
    assert tabs.courses["999901"].requires_course_name and not tabs.courses["120101"].requires_course_name
    result = compute_progress(student("TU"), [course("120101", "A")], tabs)
    assert result.pathway.categories[0].complete


@pytest.mark.skipif(not (REFERENCE / "set_courses.csv").exists(), reason="no shipped reference set")
def test_shipped_reference_set_loads_and_places_courses():
    tabs = load_core_tables(REFERENCE)
    assert {"TU", "CA", "L1", "TC", "TJ"} <= set(tabs.curricula)
    for code in ("TU", "CA", "L1", "TC", "TJ"):
        assert tabs.curricula[code].categories
