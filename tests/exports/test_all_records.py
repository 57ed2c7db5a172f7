"""Print or Export Transcript Records -> all records in Excel (issue 20, item 5): read back with
openpyxl, it equals the stored 020/030/050 records."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sts.exports import EXPORTERS
from transcripts.all_records import IBC_FIELDS, STUDENT_FIELDS, TRANSCRIPT_FIELDS
from transcripts.models import Ibc, Student, Transcript

from .conftest import BSSY

pytestmark = pytest.mark.django_db


def expected(value):
    """A stored value as the spreadsheet holds it: numbers as numbers, Y/N for booleans."""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return None if value == "" else value


def same_rows(got, want):
    """The same rows in any order (a whole number read back from Excel is an int: 1 == 1.0)."""
    def key(row):
        return [(0, float(v)) if isinstance(v, (int, float)) else (1, str(v)) for v in row]
    return sorted(map(key, got)) == sorted(map(key, want))


def test_all_records_xlsx_equals_the_stored_records(loaded_017, tmp_path, make_user):
    user = make_user("E017INQ", "lea-inquiry", "017")
    params = {"site": "017001", "bssy": BSSY, "grade": "12"}
    exporter = EXPORTERS["all_records"].bind(user)
    exporter.check(user, params)
    path = exporter.render("xlsx", params, tmp_path / "all.xlsx")
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    col = {h: i for i, h in enumerate(header)}
    assert {"Record Type", "State ID", "020 Grade placement", "030 Course code", "030 Credit earned",
            "050 IBC code", "050 Pass fail"} <= set(header)
    students = Student.objects.filter(site__code="017001", bssy=BSSY, grade="12")
    courses = Transcript.objects.filter(student__in=students)
    ibcs = Ibc.objects.filter(student__in=students)
    assert students.count() > 3 and courses.count() > 20 and ibcs.exists()
    kinds = [r[0] for r in body]
    assert (kinds.count("020"), kinds.count("030"), kinds.count("050")) == (students.count(), courses.count(),
                                                                            ibcs.count())

    def cells(row, prefix, fields):
        return [row[col[f"{prefix} {f.verbose_name[0].upper()}{f.verbose_name[1:]}"]] for f in fields]

    by_student = {}
    for row in body:
        by_student.setdefault(row[col["State ID"]], {"020": [], "030": [], "050": []})[row[0]].append(row)
    for s in students:
        got = by_student[s.state_id]
        assert [cells(r, "020", STUDENT_FIELDS) for r in got["020"]] == [
            [expected(getattr(s, f.attname)) for f in STUDENT_FIELDS]]
        assert same_rows([cells(r, "030", TRANSCRIPT_FIELDS) for r in got["030"]],
                         [[expected(getattr(t, f.attname)) for f in TRANSCRIPT_FIELDS] for t in s.transcripts.all()])
        assert same_rows([cells(r, "050", IBC_FIELDS) for r in got["050"]],
                         [[expected(getattr(i, f.attname)) for f in IBC_FIELDS] for i in s.ibcs.all()])
    credits = [r[col["030 Credit earned"]] for r in body if r[0] == "030"]
    assert all(isinstance(c, (int, float)) for c in credits)  # numbers, not text


def test_the_student_list_offers_it_and_other_sites_are_refused(client, loaded_017, make_user):
    client.force_login(make_user("E036INQ", "lea-inquiry", "036"))
    response = client.post(reverse("certification:list_export", args=["017001", "all_records", "xlsx"]))
    assert response.status_code == 403
    client.force_login(make_user("E017IN2", "lea-inquiry", "017"))
    page = client.get(reverse("transcripts:student_list", args=["017001"])).content.decode()
    assert 'id="export-all-records"' in page


def test_sts_export_writes_all_records_for_a_whole_sponsor(loaded_017, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "all.xlsx"
    call_command("sts_export", "all-records", "--sponsor", "017", "--bssy", str(BSSY), "--format", "xlsx",
                 "--out", str(out))
    rows = list(load_workbook(out, read_only=True).active.iter_rows(values_only=True))
    students = Student.objects.filter(sponsor__code="017", bssy=BSSY)
    assert [r[0] for r in rows[1:]].count("020") == students.count() == 60
    assert len(rows) - 1 == students.count() + Transcript.objects.filter(student__in=students).count() + Ibc.objects.filter(
        student__in=students).count()
