"""generate_batch: realistic files for the shipped reference data go through the real pipeline."""
import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from core_tables.loading import load_folder
from core_tables.models import SecureId
from demo.generator import (
    BatchOptions, GeneratorError, grade_for_age, graduation_date_for, plan_batch, student_sets, write_batch,
)
from demo.management.commands.generate_batch import reference_data
from transcripts.layouts import format_record, parse_line
from uploads.pipeline import run_pipeline

pytestmark = pytest.mark.django_db

BSSY = 2025
TODAY = dt.date(2026, 6, 1)  # inside the 2025-26 collection period, after spring commencement


def generate(tmp_path, sponsor, students, *, seed=1, error_rate=0.0, name=None):
    batch = plan_batch(reference_data(sponsor), BatchOptions(sponsor=sponsor, students=students, seed=seed,
                                                             today=TODAY, error_rate=error_rate))
    path = tmp_path / (name or f"g{sponsor}n{students}s{seed}.txt")
    write_batch(batch, path)
    return batch, path


def validate(path):
    return run_pipeline(path, path.name, mode="validate", today=TODAY)


def rejecting_codes(run):
    """State ID -> the codes that rejected the student."""
    out = {}
    for error in run.errors:
        if error["severity"] == "reject":
            out.setdefault(error["state_id"], set()).add(error["code"])
    return out


@pytest.mark.parametrize("sponsor", ["017", "N52", "W3B"])  # public, nonpublic, charter
def test_a_clean_file_is_accepted_and_only_the_short_graduates_lose_their_date(tmp_path, sponsor):
    batch, path = generate(tmp_path, sponsor, 60)
    run = validate(path)
    assert run.accepted, run.file_errors
    assert (run.total, run.loaded, run.rejected) == (60, 60, 0)
    assert {e["code"] for e in run.errors} <= {"GR3", "GR6"}, run.errors[:5]
    graduates = [p for p in batch.profiles if p.graduate]
    assert graduates, "a 60-student file has 12th graders who graduate"
    removed = {r["state_id"]: r["reasons"] for r in run.grad_date_removed}
    # A public or charter Jump Start (CA) graduate also needs a credential PDF, which only online
    # entry uploads: a batch file alone cannot graduate one (reason 6).
    jump_start = {s.student.state_id for s in student_sets(batch) if s.path == "CA" and s.student.graduation_date.strip()}
    needs_credential = jump_start if sponsor != "N52" else set()
    assert set(removed) == {p.person.unique_id for p in graduates if p.short} | needs_credential
    assert all(removed[sid] == ["6"] for sid in needs_credential - {p.person.unique_id for p in graduates if p.short})
    assert len(removed) <= 3 + len(needs_credential)


def test_the_file_looks_like_a_district_extract(tmp_path):
    batch, path = generate(tmp_path, "017", 60)
    raw = path.read_bytes()
    lines = raw.decode("ascii").split("\r\n")
    assert lines[-1] == "" and all(len(line) in (200, 63) for line in lines[:-1])
    sets = list(student_sets(batch))
    registry = {s.unique_id: s for s in SecureId.objects.filter(sponsor__code="017")}
    paths, records = Counter(), []
    for s in sets:
        student, reg = s.student, registry[s.student.state_id]
        assert (student.first_name, student.last_name.strip()) == (reg.first_name[0].upper(),
                                                                   reg.last_name[:3].strip().upper())
        assert (student.local_id, student.site, student.sex) == (reg.local_id, reg.site.code, reg.sex)
        assert int(student.birth_day) == reg.birth_date.day
        assert int(student.grade9_entry) == BSSY - (int(student.grade) - 9)
        years = {int(t.course_bssy) for t in s.transcripts}
        assert years == set(range(int(student.grade9_entry), BSSY + 1))  # a transcript year per year so far
        paths[student.diploma_path] += 1
        if student.diploma_path == "L1":
            assert reg.laa1
        if student.diploma_path == "CA":
            assert student.career_option[0] in "RST"
            if student.graduation_date.strip():
                assert student.career_endorsement in ("J1", "J2", "J3", "J4")
                assert any(i.pass_fail == "P" for i in s.ibcs)
        if student.graduation_date.strip():
            gee = "G" if student.diploma_path == "L1" else "A" if reg.act833 else "Y"
            assert (student.graduation_date, student.gee_flag, student.parental_consent) == ("05202026", gee, "Y")
            assert student.fafsa in "1234"
        records.extend(s.transcripts)
    assert paths["TU"] > paths["CA"] > 0
    twelfth = [len(s.transcripts) for s in sets if s.student.grade == "12"]
    assert 24 <= sum(twelfth) / len(twelfth) <= 36
    grades = Counter(t.grade for t in records)
    assert grades["F"] and grades["A"] > grades["D"]
    assert {t.semester for t in records} >= {"Y1", "S1", "S2"}
    assert {"RG", "HR"} <= {t.course_type for t in records}
    # the lines are the project's own layout: parsing and formatting give them back
    assert all(format_record(parse_line(line, "public", 1)) == line for line in lines[:-1])


def test_an_error_rate_rejects_that_share_of_students_with_many_different_codes(tmp_path):
    batch, path = generate(tmp_path, "017", 60, error_rate=0.2)
    injected = batch.errors
    assert len(injected) == 12
    run = validate(path)
    assert run.accepted and run.rejected == 12
    rejected = rejecting_codes(run)
    assert set(rejected) == set(injected)
    assert all(injected[sid] in codes for sid, codes in rejected.items())
    assert len(set(injected.values())) >= 10  # each student a different edit code


def test_nonpublic_errors_are_nonpublic_ones(tmp_path):
    batch, path = generate(tmp_path, "N52", 40, error_rate=0.5)
    run = validate(path)
    rejected = {link_key_of(sid): codes for sid, codes in rejecting_codes(run).items()}
    assert set(rejected) == set(batch.errors)
    assert not any(code.startswith("U") or code in ("241", "242") for code in batch.errors.values())


def link_key_of(state_id):
    """A nonpublic 050 carries the 9-digit ID zero-padded in 10 columns."""
    return state_id[1:] if len(state_id) == 10 else state_id


def test_the_same_seed_gives_the_same_bytes(tmp_path):
    _b, first = generate(tmp_path, "017", 40, seed=7, name="a.txt")
    _b, again = generate(tmp_path, "017", 40, seed=7, name="b.txt")
    _b, other = generate(tmp_path, "017", 40, seed=8, name="c.txt")
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_the_command_writes_the_file_and_prints_its_path(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("generate_batch", "--students", "20", "--sponsor", "W3B", "--seed", "3",
                 "--today", TODAY.isoformat(), stdout=out, stderr=io.StringIO())
    path = tmp_path / "generated" / "W3Bn20s3.txt"
    assert out.getvalue().strip() == str(path)
    run = validate(path)  # the default name is one the upload accepts (letters and digits)
    assert run.accepted and (run.total, run.rejected) == (20, 0)


def test_more_students_than_the_registry_needs_invented_registry_rows(tmp_path):
    registry = SecureId.objects.filter(sponsor__code="W3B").count()
    with pytest.raises(CommandError, match="registry students"):
        call_command("generate_batch", "--students", str(registry + 30), "--sponsor", "W3B",
                     "--out", str(tmp_path / "x.txt"), stderr=io.StringIO())
    folder, path = tmp_path / "reg", tmp_path / "bigw3b.txt"
    call_command("generate_batch", "--students", str(registry + 30), "--sponsor", "W3B", "--seed", "2",
                 "--today", TODAY.isoformat(), "--out", str(path), "--secure-ids-out", str(folder),
                 stdout=io.StringIO(), stderr=io.StringIO())
    rows = (folder / "secure_ids.csv").read_text().splitlines()
    assert rows[0] == ("unique_id,sponsor_code,site_code,local_id,first_name,last_name,birth_date,sex,hispanic,"
                       "american_indian,asian,black,pacific_islander,white,laa1,act833")
    invented = len(rows) - 1
    assert invented >= 30
    report = load_folder(folder)
    assert report["secure_ids.csv"] == (invented, 0)  # new students only: nobody's row is changed
    run = validate(path)
    assert run.accepted and (run.total, run.loaded, run.rejected) == (registry + 30, registry + 30, 0)


def test_options_the_reference_data_cannot_satisfy_are_refused():
    data = reference_data("017")
    with pytest.raises(GeneratorError, match="not a school sponsor"):
        plan_batch(data, BatchOptions(sponsor="P01", students=5, today=TODAY))
    with pytest.raises(GeneratorError, match="BSSY"):
        plan_batch(data, BatchOptions(sponsor="017", students=5, today=TODAY, bssy=2015))


@pytest.mark.parametrize("today, expected", [
    (dt.date(2026, 6, 1), dt.date(2026, 5, 20)),  # spring commencement
    (dt.date(2026, 5, 6), dt.date(2026, 5, 20)),  # two weeks ahead is allowed
    (dt.date(2026, 3, 1), dt.date(2025, 12, 19)),  # before spring: mid-year graduates
    (dt.date(2025, 11, 1), None),  # too early for any graduate
    (dt.date(2027, 1, 1), dt.date(2026, 5, 20)),
])
def test_graduation_dates_stay_in_the_school_year_and_at_most_two_weeks_ahead(today, expected):
    assert graduation_date_for(BSSY, today) == expected


def test_grades_follow_from_the_age_on_september_first():
    assert grade_for_age(dt.date(2010, 9, 1), BSSY) == 10  # 15 on 9/1/2025
    assert grade_for_age(dt.date(2010, 9, 2), BSSY) == 9
    assert grade_for_age(dt.date(2007, 1, 1), BSSY) == 12  # a year older than on time: retained
    assert grade_for_age(dt.date(2005, 1, 1), BSSY) is None
    assert grade_for_age(dt.date(2012, 1, 1), BSSY) is None  # middle school
