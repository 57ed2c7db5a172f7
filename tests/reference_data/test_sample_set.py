"""The shipped illustrative reference set (data/reference) is complete and self-consistent.

Plain csv module, no Django: these checks hold for the files themselves, before any load.
"""
import csv
import datetime as dt
import re
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
CURRENT_BSSY = 2025
MAIN_CURRICULA = ("TU", "CA", "L1", "TC", "TJ")
RACE = ("hispanic", "american_indian", "asian", "black", "pacific_islander", "white")

HEADERS = {
    "sponsors.csv": "code,name,kind",
    "sites.csv": "code,sponsor_code,name,kind,address,city,state,zip_code,phone",
    "course_codes.csv": "code,name,first_bssy,last_bssy,requires_course_name,ap_type_allowed,"
                        "five_point_eligible,experience_only",
    "secure_ids.csv": "unique_id,sponsor_code,site_code,local_id,first_name,last_name,birth_date,sex,"
                      "hispanic,american_indian,asian,black,pacific_islander,white,laa1,act833,ssn_on_file",
    "ibc_codes.csv": "code,name",
    "test_vendors.csv": "code,name",
    "curricula.csv": "code,name,kind,units_required,min_gpa,first_grad_bssy,last_grad_bssy",
    "categories.csv": "curriculum,category,description,units_required",
    "set_courses.csv": "curriculum,category,set,course_code,units_allowed,units_required,"
                       "effective_grad_bssy,expiration_grad_bssy",
}
KEYS = {
    "sponsors.csv": ("code",), "sites.csv": ("code",), "course_codes.csv": ("code",),
    "secure_ids.csv": ("unique_id",), "ibc_codes.csv": ("code",), "test_vendors.csv": ("code",),
    "curricula.csv": ("code",), "categories.csv": ("curriculum", "category"),
    "set_courses.csv": ("curriculum", "category", "set", "course_code"),
}


def read(name):
    with open(REFERENCE_DIR / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def t():
    """All tables, keyed by file stem: t['course_codes'] is a list of row dicts."""
    return {name.removesuffix(".csv"): read(name) for name in HEADERS}


@pytest.fixture(scope="module")
def courses(t):
    return {c["code"]: c for c in t["course_codes"]}


def course_valid_in(course, bssy):
    return int(course["first_bssy"]) <= bssy and (not course["last_bssy"] or bssy <= int(course["last_bssy"]))


def row_applies_to_graduates_of(row, grad_bssy):
    """A set row counts for graduation BSSY g when effective <= g <= expiration (blank = none)."""
    expiration = row["expiration_grad_bssy"]
    return int(row["effective_grad_bssy"]) <= grad_bssy and (not expiration or grad_bssy <= int(expiration))


# ---------- format ----------

@pytest.mark.parametrize("name", sorted(HEADERS))
def test_header_is_exactly_the_contract_and_rows_are_complete(name):
    raw = (REFERENCE_DIR / name).read_bytes()
    text = raw.decode("utf-8")  # UTF-8 required
    assert not text.startswith("\ufeff")
    header, *lines = text.splitlines()
    assert header == HEADERS[name]
    width = len(header.split(","))
    for number, row in enumerate(csv.reader(lines), start=2):
        assert len(row) == width, f"{name} line {number}"
        assert all(cell == cell.strip() for cell in row), f"{name} line {number}: stray spaces"


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_keys_are_unique(name):
    keys = Counter(tuple(r[k] for k in KEYS[name]) for r in read(name))
    assert [k for k, n in keys.items() if n > 1] == []


@pytest.mark.parametrize("name,column", [
    ("course_codes.csv", "requires_course_name"), ("course_codes.csv", "five_point_eligible"),
    ("course_codes.csv", "experience_only"), *[("secure_ids.csv", c) for c in (*RACE, "laa1", "act833", "ssn_on_file")],
])
def test_flags_are_y_or_n(name, column):
    assert {r[column] for r in read(name)} <= {"Y", "N"}


# ---------- sponsors and sites ----------

def test_fixed_sponsors_and_all_four_kinds(t):
    sponsors = {s["code"]: s for s in t["sponsors"]}
    assert {code: s["kind"] for code, s in sponsors.items()} == {
        "017": "public", "036": "public", "W3B": "charter", "N52": "nonpublic",
        "P01": "postsecondary", "P02": "postsecondary"}
    assert sponsors["017"]["name"] == "Demo Parish School District"


def test_sites_belong_to_their_sponsor_and_match_its_kind(t):
    sponsors = {s["code"]: s["kind"] for s in t["sponsors"]}
    for site in t["sites"]:
        assert re.fullmatch(r"[A-Z0-9]{6}", site["code"])
        assert site["code"][:3] == site["sponsor_code"]
        assert site["sponsor_code"] in sponsors
        assert site["kind"] == ("postsecondary" if sponsors[site["sponsor_code"]] == "postsecondary" else "school")
    school_sites = {s["code"] for s in t["sites"] if s["kind"] == "school"}
    assert len(school_sites) >= 6
    assert {"017001", "017002", "017003", "017004", "W3B001", "N52001", "N52002", "036001"} <= school_sites


def test_every_site_has_a_louisiana_postal_address(t):
    for site in t["sites"]:
        assert site["address"] and site["city"] and site["state"] == "LA", site["code"]
        assert re.fullmatch(r"7(0\d|1[0-4])\d\d", site["zip_code"]), site["code"]  # Louisiana's ZIPs: 700-714
        assert re.fullmatch(r"\(\d{3}\) 555-01\d\d", site["phone"]), site["code"]  # a fictional number


# ---------- course codes ----------

def test_course_codes_count_and_format(t):
    assert len(t["course_codes"]) >= 150
    for c in t["course_codes"]:
        assert re.fullmatch(r"\d{6}", c["code"]), c["code"]
        assert c["name"] and len(c["name"]) <= 60
        assert re.fullmatch(r"\d{4}", c["first_bssy"])
        assert c["last_bssy"] == "" or int(c["first_bssy"]) <= int(c["last_bssy"])
        assert c["ap_type_allowed"] in ("", "optional", "required")


def test_core_courses_cover_2018_to_2025_and_some_codes_are_year_specific(t):
    always = [c for c in t["course_codes"] if all(course_valid_in(c, y) for y in range(2018, CURRENT_BSSY + 1))]
    assert len(always) >= 150
    assert any(c["last_bssy"] and 2018 <= int(c["last_bssy"]) < CURRENT_BSSY for c in t["course_codes"])
    assert any(2018 < int(c["first_bssy"]) <= CURRENT_BSSY for c in t["course_codes"])


def test_guide_experience_only_courses_are_all_present(courses):
    guide_l1 = [f"5000{n}" for n in range(51, 66)] + ["500104"] + [f"5003{n:02d}" for n in range(8)]
    for code in guide_l1:
        assert courses[code]["experience_only"] == "Y", code
        assert "(NO CREDIT)" in courses[code]["name"]
    flagged = {c for c, row in courses.items() if row["experience_only"] == "Y"}
    assert flagged == set(guide_l1)
    assert {c for c, row in courses.items() if "(NO CREDIT)" in row["name"]} == flagged


def test_ap_only_codes_are_ap_named_and_five_point_eligible(courses):
    required = [c for c in courses.values() if c["ap_type_allowed"] == "required"]
    assert len(required) >= 10
    assert all(c["name"].startswith("AP ") and c["five_point_eligible"] == "Y" for c in required)
    assert courses["120103"]["ap_type_allowed"] == "optional"  # English III
    assert courses["160355"]["ap_type_allowed"] == "required"  # AP Calculus AB


def test_five_point_eligibility_follows_course_level(courses):
    for c in courses.values():
        college_level = re.search(r"\bAP\b|\bIB\b|\(DE\)|Honors|Gifted", c["name"])
        if college_level:
            assert c["five_point_eligible"] == "Y", c["name"]
    assert courses["120101"]["five_point_eligible"] == "N"  # English I (regular)


def test_some_courses_require_a_transcript_course_name(courses):
    named = {c["name"] for c in courses.values() if c["requires_course_name"] == "Y"}
    assert {"General Elective I", "Local Elective", "Foreign Language Elective I"} <= named


def test_two_unit_courses_exist(courses):
    assert len([c for c in courses.values() if "(2 units)" in c["name"]]) >= 2


# ---------- curricula, categories, sets ----------

def test_curricula(t):
    cur = {c["code"]: c for c in t["curricula"]}
    assert {"TU", "CA", "L1", "C4", "C5", "C6", "CD", "TC", "TJ"} <= set(cur)
    assert {code: Decimal(c["units_required"]) for code, c in cur.items() if code in MAIN_CURRICULA} == {
        "TU": 24, "CA": 23, "L1": 23, "TC": 19, "TJ": 21}
    for code, c in cur.items():
        expect_kind = "award" if code in ("TC", "TJ") else "diploma"
        assert c["kind"] == expect_kind
        assert (c["min_gpa"] == "2.50") if expect_kind == "award" else (c["min_gpa"] == "")
        assert c["last_grad_bssy"] == "" or int(c["first_grad_bssy"]) <= int(c["last_grad_bssy"])
    for old in ("C4", "C5", "C6", "CD"):
        assert cur[old]["last_grad_bssy"] and int(cur[old]["last_grad_bssy"]) < CURRENT_BSSY
    for new in MAIN_CURRICULA:
        assert cur[new]["last_grad_bssy"] == "" and int(cur[new]["first_grad_bssy"]) <= 2017


def test_categories_follow_the_guide(t):
    cats = defaultdict(dict)
    for c in t["categories"]:
        assert re.fullmatch(r"\d\d", c["category"])
        cats[c["curriculum"]][c["category"]] = (c["description"], Decimal(c["units_required"]))
    assert sorted(cats["TU"]) == [f"{n:02d}" for n in (*range(1, 18), 19, 20)]
    assert cats["TU"]["17"] == ("FOREIGN LANGUAGE", 2) and cats["TU"]["20"] == ("HEALTH & PE", 2)
    assert sorted(cats["CA"]) == [f"{n:02d}" for n in (*range(1, 11), 12, 13)]
    assert cats["CA"]["06"] == ("MATH ELECTIVES", 3) and cats["CA"]["13"] == ("JUMP START COURSES", 9)
    assert cats["L1"] == {"01": ("ENGLISH", 4), "02": ("MATHEMATICS", 4), "03": ("SCIENCE", 2),
                          "04": ("SOCIAL STUDIES", 2), "06": ("GENERAL ELECTIVES", 4),
                          "13": ("WORKFORCE & CAREER", 7)}
    assert set(cats) <= {c["code"] for c in t["curricula"]}


def test_category_units_add_up_to_the_core_units(t):
    total = defaultdict(Decimal)
    for c in t["categories"]:
        total[c["curriculum"]] += Decimal(c["units_required"])
    required = {c["code"]: Decimal(c["units_required"]) for c in t["curricula"]}
    for code in ("CA", "L1", "TC", "TJ"):
        assert total[code] == required[code], code
    # TU: the guide's table totals 21; the other 3 of its 24 units are free electives.
    assert total["TU"] == 21 and required["TU"] == 24


def test_set_rows_point_at_existing_courses_and_categories(t, courses):
    categories = {(c["curriculum"], c["category"]) for c in t["categories"]}
    for row in t["set_courses"]:
        assert (row["curriculum"], row["category"]) in categories, row
        assert row["course_code"] in courses, row
        assert re.fullmatch(r"\d\d", row["set"])
        assert row["expiration_grad_bssy"] == "" or int(row["effective_grad_bssy"]) <= int(row["expiration_grad_bssy"])


def test_set_units_are_the_guides_three_shapes(t, courses):
    shapes = Counter()
    for row in t["set_courses"]:
        shape = (row["units_allowed"], row["units_required"])
        assert shape in {("1.0", "1.0"), ("1.0", "0.5"), ("2.0", "2.0")}, row
        assert (shape == ("2.0", "2.0")) == ("(2 units)" in courses[row["course_code"]]["name"]), row
        shapes[shape] += 1
    assert len(shapes) == 3


def test_half_unit_rows_have_a_partner_in_the_same_set(t):
    """1.0-of-0.5 courses only combine within their set, so a lone one could never make a unit."""
    halves = Counter((r["curriculum"], r["category"], r["set"]) for r in t["set_courses"]
                     if r["units_required"] == "0.5")
    assert [key for key, n in halves.items() if n < 2] == []


def test_experience_only_courses_count_only_on_l1(t, courses):
    experience_rows = [r for r in t["set_courses"] if courses[r["course_code"]]["experience_only"] == "Y"]
    assert {r["curriculum"] for r in experience_rows} == {"L1"}
    # The guide: there are enough experience courses to fulfil every L1 category.
    l1 = {c["category"]: Decimal(c["units_required"]) for c in t["categories"] if c["curriculum"] == "L1"}
    for category, units in l1.items():
        supplied = sum(Decimal(r["units_allowed"]) for r in experience_rows if r["category"] == category)
        assert supplied >= units, category


@pytest.mark.parametrize("curriculum", MAIN_CURRICULA)
def test_every_category_is_satisfiable_by_courses_taken_in_2022(t, courses, curriculum):
    """A 2025 graduate taking courses in 2022 can fill each category's units from one of its sets
    (so the data works whether units are summed across a category's sets or taken from one set)."""
    for cat in (c for c in t["categories"] if c["curriculum"] == curriculum):
        supplied = defaultdict(Decimal)
        for r in t["set_courses"]:
            if ((r["curriculum"], r["category"]) == (curriculum, cat["category"])
                    and course_valid_in(courses[r["course_code"]], 2022)
                    and row_applies_to_graduates_of(r, CURRENT_BSSY)):
                supplied[r["set"]] += Decimal(r["units_allowed"])
        assert max(supplied.values(), default=0) >= Decimal(cat["units_required"]), cat


def test_some_set_rows_stop_counting_and_some_courses_fill_several_categories(t):
    assert any(r["expiration_grad_bssy"] for r in t["set_courses"])
    categories_of = defaultdict(set)
    for r in t["set_courses"]:
        if r["curriculum"] == "TU":
            categories_of[r["course_code"]].add(r["category"])
    assert categories_of["150321"] >= {"11", "12"}  # Physics I: either science elective unit


# ---------- IBCs and vendors ----------

def test_ibc_codes_and_vendors(t):
    assert len(t["ibc_codes"]) >= 20 and len(t["test_vendors"]) >= 8
    for row in t["ibc_codes"] + t["test_vendors"]:
        assert re.fullmatch(r"[A-Z0-9]{3}", row["code"]) and row["name"]
    vendors = {v["code"] for v in t["test_vendors"]}
    assert {"NCR", "NRA", "CMP"} <= vendors


# ---------- Secure ID registry ----------

def age_on(birth, day):
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def test_secure_ids_per_site_and_only_public_or_charter(t):
    kinds = {s["code"]: s["kind"] for s in t["sponsors"]}
    per_site = Counter(r["site_code"] for r in t["secure_ids"])
    assert 650 <= sum(n for s, n in per_site.items() if s in ("017001", "017002", "017003")) <= 750
    assert all(per_site[s] >= 150 for s in ("017001", "017002", "017003"))
    assert 30 <= per_site["017004"] <= 50
    assert 100 <= per_site["W3B001"] <= 140 and 50 <= per_site["036001"] <= 70
    for r in t["secure_ids"]:
        assert kinds[r["sponsor_code"]] in ("public", "charter")
        assert r["site_code"][:3] == r["sponsor_code"]


def test_secure_id_formats(t):
    local_ids = Counter()
    for r in t["secure_ids"]:
        assert re.fullmatch(r"\d{10}", r["unique_id"])
        assert 1 <= len(r["local_id"]) <= 9 and r["local_id"] != r["unique_id"]
        local_ids[(r["sponsor_code"], r["local_id"])] += 1
        assert r["sex"] in ("M", "F")
        assert any(r[flag] == "Y" for flag in RACE), r["unique_id"]
        assert not (r["laa1"] == "Y" and r["act833"] == "Y")
        for name in (r["first_name"], r["last_name"]):
            assert re.fullmatch(r"[A-Z][A-Za-z' .-]*[a-z]", name), name
    assert max(local_ids.values()) == 1  # local id unique within the sponsor


def test_birth_dates_fit_grades_6_to_12(t):
    sept_1 = dt.date(CURRENT_BSSY, 9, 1)
    for r in t["secure_ids"]:
        age = age_on(dt.date.fromisoformat(r["birth_date"]), sept_1)
        assert (11 <= age <= 14) if r["site_code"] == "017004" else (14 <= age <= 19), r


def test_secure_ids_have_awkward_names_and_special_education_flags(t):
    rows = t["secure_ids"]
    last_names = {r["last_name"] for r in rows}
    assert any(len(n) < 3 for n in last_names)
    assert any("'" in n for n in last_names) and any("-" in n for n in last_names)
    assert any(" " in n for n in last_names)
    laa1 = sum(r["laa1"] == "Y" for r in rows)
    assert 0.01 * len(rows) <= laa1 <= 0.03 * len(rows)
    assert 3 <= sum(r["act833"] == "Y" for r in rows) <= 0.03 * len(rows)
    assert {r["sex"] for r in rows} == {"M", "F"}


def test_secure_id_generator_reproduces_the_committed_file(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_secure_ids", REFERENCE_DIR / "make_secure_ids.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write(tmp_path / "secure_ids.csv")
    assert (tmp_path / "secure_ids.csv").read_bytes() == (REFERENCE_DIR / "secure_ids.csv").read_bytes()
