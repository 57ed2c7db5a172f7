"""STSQ01, STSQ02 and STSQ03: each field checked against values computed here from the stored
records; consent-N students never written, and counted in the trailer."""
import csv
import io
from decimal import Decimal

import pytest

from harvests import layouts as L
from harvests.rules import graduation_cohort
from transcripts.models import Student, Transcript
from transcripts.progress.rank import class_rank

from .conftest import BSSY, harvest, take

pytestmark = pytest.mark.django_db


def parse(text, layout_by_type):
    """Fixed-width lines back into dicts, by the layouts' positions."""
    records = []
    for line in text.split("\r\n")[:-1]:
        layout = layout_by_type[line[0]]
        assert len(line) == L.record_length(layout), line
        records.append({f.name: line[start - 1:end].strip() for f, start, end in L.positions(layout)})
    return records


def n(text, places=0):
    return None if text == "" else Decimal(text) / (10 ** places)


def date(value):
    return "" if value is None else value.strftime("%m%d%Y")


def stored_ranks():
    students = list(Student.objects.filter(bssy=BSSY).values_list(
        "pk", "sponsor__code", "site__code", "grade", "progress__overall_gpa", "graduation_date"))
    return {r.student: r for r in class_rank((pk, sp, si, g, gpa, gd is not None)
                                             for pk, sp, si, g, gpa, gd in students)}


def test_stsq02_fields_from_the_stored_records(state, tmp_path):
    records = parse(harvest("stsq02", tmp_path / "q2.txt"), {"S": L.TOPS_GPA, "Z": L.TRAILER})
    *students, trailer = records
    consenting = Student.objects.filter(bssy=BSSY, parental_consent=True).select_related("progress", "sponsor", "site")
    assert sorted(r["state_id"] for r in students) == sorted(consenting.values_list("state_id", flat=True))
    assert trailer["record_type"] == "Z" and int(trailer["students"]) == len(students)
    assert int(trailer["held_back"]) == Student.objects.filter(bssy=BSSY, parental_consent=False).count() > 0
    by_id = {s.state_id: s for s in consenting}
    checked_award = False
    for r in students:
        s = by_id[r["state_id"]]
        result = s.progress.result
        award = result["awards"][0] if result["awards"] else None
        assert (r["sponsor"], r["site"], r["grade"]) == (s.sponsor.code, s.site.code, s.grade)
        assert n(r["tops_gpa"], 3) == s.progress.tops_gpa
        assert r["pathway"] == (result["pathway"]["code"] if result["pathway"] else s.diploma_path)
        assert r["graduation_date"] == date(s.graduation_date)
        assert r["cohort"] == (str(graduation_cohort(s.graduation_date)) if s.graduation_date else "")
        assert r["fafsa"] == s.fafsa
        if award:
            checked_award = True
            assert r["tops_core"] == award["code"]
            assert n(r["core_units_earned"], 2) == Decimal(award["progress"]["units_earned"])
            assert n(r["core_units_required"], 2) == Decimal(award["progress"]["units_required"])
            gpa = Decimal(award["gpa"]) if award["gpa"] else None
            opportunity = award["code"] == "TC" and award["eligible"] and gpa >= Decimal("2.5")
            tech = award["code"] == "TJ" and award["eligible"] and gpa >= Decimal("2.5")
            assert (r["opportunity"], r["tech"]) == ("Y" if opportunity else "N", "Y" if tech else "N")
    assert checked_award


def test_stsq03_ranks_and_certification(state, tmp_path):
    from certification.models import Certification
    from django.utils import timezone

    site = Student.objects.filter(bssy=BSSY).first().site
    Certification.objects.create(site=site, bssy=BSSY, action="certify", at=timezone.now(), by="E017ALL")
    *students, trailer = parse(harvest("stsq03", tmp_path / "q3.txt"), {"S": L.BOR, "Z": L.TRAILER})
    ranks = stored_ranks()
    by_id = {s.state_id: s for s in Student.objects.filter(bssy=BSSY, parental_consent=True)
             .select_related("progress", "site")}
    ranked = 0
    for r in students:
        s = by_id[r["state_id"]]
        rank = ranks[s.pk]
        assert n(r["overall_gpa"], 3) == s.progress.overall_gpa
        assert (n(r["class_rank"]), n(r["class_size"])) == (rank.class_rank, rank.class_size)
        assert (n(r["grad_class_rank"]), n(r["grad_class_size"])) == (rank.grad_rank, rank.grad_size)
        ranked += rank.class_rank is not None
        assert r["site_certified"] == (timezone.localdate().strftime("%m%d%Y") if s.site == site else "")
    assert ranked and int(trailer["held_back"]) > 0


def test_stsq01_every_transcript_record_of_consenting_students(state, tmp_path):
    text = harvest("stsq01", tmp_path / "q1.txt", "--sponsor", "017")
    records = parse(text, {"S": L.STUDENT, "T": L.TRANSCRIPT, "Z": L.TRAILER})
    students = [r for r in records if r["record_type"] == "S"]
    courses = [r for r in records if r["record_type"] == "T"]
    scope = Student.objects.filter(bssy=BSSY, sponsor__code="017")
    assert {r["state_id"] for r in students} == set(scope.filter(parental_consent=True).values_list("state_id", flat=True))
    assert len(courses) == Transcript.objects.filter(student__in=scope.filter(parental_consent=True)).count()
    stored = Transcript.objects.filter(student__in=scope.filter(parental_consent=True)).select_related("student").first()
    line = next(r for r in courses if r["state_id"] == stored.student.state_id and r["course_code"] == stored.course_code
                and r["semester"] == stored.semester and r["part"] == stored.part
                and r["course_bssy"] == str(stored.course_bssy))
    assert n(line["credit_earned"], 2) == stored.credit_earned and line["grade"] == stored.grade
    assert n(line["quality_points"], 2) == stored.quality_points
    # Every record follows its student's S record.
    current = None
    for r in records[:-1]:
        current = r["state_id"] if r["record_type"] == "S" else current
        assert r["state_id"] == current
    trailer = records[-1]
    assert (trailer["scope"], int(trailer["records"])) == ("017", len(students) + len(courses))
    assert int(trailer["held_back"]) == scope.filter(parental_consent=False).count()
    assert not set(scope.filter(parental_consent=False).values_list("state_id", flat=True)) & {
        r["state_id"] for r in records[:-1]}


def test_csv_carries_the_same_records(state, tmp_path):
    take("C")
    txt = parse(harvest("stsq02", tmp_path / "a.txt", "--snapshot", "C"), {"S": L.TOPS_GPA, "Z": L.TRAILER})
    rows = list(csv.reader(io.StringIO(harvest("stsq02", tmp_path / "a.csv", "--snapshot", "C", "--format", "csv"))))
    assert rows[0] == ["HS", *(f.label for f in L.TOPS_GPA[1:])] and rows[1][0] == "HZ"
    data = rows[2:]
    assert [r[4] for r in data[:-1]] == [r["state_id"] for r in txt[:-1]]
    assert data[-1][0] == "Z" and data[-1][-1] == txt[-1]["held_back"].lstrip("0")


def test_the_layout_in_docs_is_the_layout_written():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "state-extracts.md").read_text()
    for layout in (L.STUDENT, L.TRANSCRIPT, L.TOPS_GPA, L.BOR, L.TRAILER):
        assert L.markdown_table(layout) in doc


def test_cohort_rule():
    import datetime as dt

    assert graduation_cohort(dt.date(2026, 8, 29)) == 2026
    assert graduation_cohort(dt.date(2026, 8, 30)) == 2027
    assert graduation_cohort(None) is None
