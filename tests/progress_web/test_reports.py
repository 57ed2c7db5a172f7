"""STSQ08, STSQ11 and STSQ12 exporters and the report pages."""
import csv
from decimal import Decimal as D

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import reverse

from sts.exports import EXPORTERS
from sts.models import ExportJob
from transcripts.progress_store import recompute

from .helpers import BSSY, GRAD_DATE, add_course, make_student

pytestmark = pytest.mark.django_db
SITE = {"site": "017001", "bssy": BSSY}


def as_dicts(rows):
    rows = list(rows)
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.fixture
def ranked_class():
    """Grade 12: GPAs 4.0, 3.0, 3.0, 2.0 (two graduates), one grade 11 student, one with no graded course."""
    students = [
        make_student("1000000001", last_name="Able", courses=[("120104", "A")], graduation_date=GRAD_DATE),
        make_student("1000000002", last_name="Baker", courses=[("120104", "B")]),
        make_student("1000000003", last_name="Cole", courses=[("120104", "B")], graduation_date=GRAD_DATE),
        make_student("1000000004", last_name="Dunn", courses=[("120104", "C")], graduation_date=GRAD_DATE),
        make_student("1000000005", last_name="Eve", grade="11", grade9_entry=2023, courses=[("120103", "C")]),
        make_student("1000000006", last_name="Ford"),
        make_student("1000000007", site="017002", last_name="Gray", courses=[("120104", "A")]),
    ]
    recompute([s.pk for s in students])
    return students


def test_stsq11_competition_ranks_with_gaps_and_grad_rank(ranked_class):
    rows = {r["State ID"]: r for r in as_dicts(EXPORTERS["stsq11"].rows(SITE))}
    assert set(rows) == {f"100000000{i}" for i in range(1, 7)}  # only site 017001
    rank = {sid: (r["Overall GPA"], r["Class Rank"], r["Class Size"], r["Class Percent"]) for sid, r in rows.items()}
    # Grade 12 holds five students: the one without a graded course counts and ranks last.
    # Percentile rank: (below + half of the tied) / size x 100.
    assert rank["1000000001"] == (D("4.000"), 1, 5, D("90.00"))
    assert rank["1000000002"] == (D("3.000"), 2, 5, D("60.00"))
    assert rank["1000000003"] == (D("3.000"), 2, 5, D("60.00"))
    assert rank["1000000004"] == (D("2.000"), 4, 5, D("30.00"))
    assert rank["1000000005"] == (D("2.000"), 1, 1, D("50.00"))  # grade 11 is its own class
    assert rank["1000000006"] == (None, 5, 5, D("10.00"))  # no graded course: counted, ranked last
    assert str(rank["1000000001"][0]) == "4.000"  # GPAs keep their three places
    grad = {sid: (r["Grad Class Rank"], r["Grad Class Size"], r["Grad Class Percent"]) for sid, r in rows.items()}
    assert grad["1000000001"] == (1, 3, D("83.33")) and grad["1000000003"] == (2, 3, D("50.00"))
    assert grad["1000000004"] == (3, 3, D("16.67")) and grad["1000000002"] == (None, None, None)
    assert rows["1000000001"]["Graduation Date"] == GRAD_DATE
    order = [r["State ID"] for r in as_dicts(EXPORTERS["stsq11"].rows(SITE))]
    assert order == ["1000000005", "1000000001", "1000000002", "1000000003", "1000000004", "1000000006"]


def test_stsq11_renders_csv(ranked_class, tmp_path):
    path = tmp_path / "stsq11.csv"
    EXPORTERS["stsq11"].render("csv", SITE, path)
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:6] == ["Sponsor", "Site", "Grade", "State ID", "Name", "Overall GPA"]
    assert ["017", "017001", "12", "1000000003", "Cole, A", "3.000", "2", "5", "60.00", "2", "3", "50.00",
            "05/20/2026", ""] in rows  # the site is not certified: no certification date


def test_stsq08_reports_the_part_number_conditions(tmp_path):
    student = make_student(courses=[("120101", "A")])
    add_course(student, "120102", "B", part="1", credit="0.50", semester="S1")  # no part 2: condition 2
    add_course(student, "120103", "A", part="2", credit="1.00")  # no part 1 (3) and credit not .5 (4)
    add_course(student, "150301", "B", part="1", credit="0.50", semester="S1")  # a complete pair: nothing
    add_course(student, "150301", "A", part="2", credit="0.50", semester="S2")
    rows = as_dicts(EXPORTERS["stsq08"].rows(SITE))
    found = [(r["Condition"], r["Course Code"], r["Part"]) for r in rows]
    assert found == [(2, "120102", "1"), (3, "120103", "2"), (4, "120103", "2")]
    assert rows[0]["Message"] == "Part # 1 Exists, No Part # 2 for Course" and rows[0]["State ID"] == "1000000001"
    assert rows[0]["Semester"] == "S1" and rows[0]["Credit Attempted"] == D("0.50") and rows[0]["Course Name"]
    path = tmp_path / "stsq08.csv"
    EXPORTERS["stsq08"].render("csv", SITE, path)
    assert path.read_text().count("\n") == 4


def test_stsq12_lists_set_courses_in_effect_for_the_cohort():
    rows = as_dicts(EXPORTERS["stsq12"].rows({"bssy": 2025, "curriculum": "TU"}))
    assert {r["Curriculum"] for r in rows} == {"TU"}
    english = [r["Course Code"] for r in rows if r["Category"] == "01"]
    assert english == ["120101", "120111"]
    codes = {(r["Category"], r["Course Code"]) for r in rows}
    assert ("14", "220502") not in codes and ("11", "150324") not in codes  # expired 2017 and 2020
    assert ("15", "220213") in codes  # effective 2021
    old = {(r["Category"], r["Course Code"]) for r in as_dicts(EXPORTERS["stsq12"].rows({"bssy": "2017"}))
           if r["Curriculum"] == "TU"}
    assert ("14", "220502") in old and ("15", "220213") not in old
    everything = as_dicts(EXPORTERS["stsq12"].rows({"bssy": 2025}))
    assert {r["Curriculum"] for r in everything} == {"TU", "CA", "L1", "TC", "TJ"}  # no historical C4/C5/C6/CD


def test_exporters_refuse_another_lea_and_bad_params(other_lea_user, lea_user):
    for name in ("stsq08", "stsq11"):
        with pytest.raises(PermissionDenied):
            EXPORTERS[name].check(other_lea_user, SITE)
        EXPORTERS[name].check(lea_user, SITE)
        with pytest.raises(BadRequest):
            EXPORTERS[name].check(lea_user, {"site": "017001", "bssy": "x"})
        with pytest.raises(BadRequest):
            EXPORTERS[name].check(lea_user, {"site": "999999", "bssy": BSSY})
    EXPORTERS["stsq12"].check(other_lea_user, {"bssy": 2025})


def test_report_pages_and_exports_refuse_another_lea(client, other_lea_user, ranked_class, bssy_2025):
    client.force_login(other_lea_user)
    for report in ("stsq08", "stsq11"):
        assert client.get(reverse("transcripts:site_report", args=["017001", report])).status_code == 403
        response = client.post(reverse("export_request", args=[report, "csv"]), SITE)
        assert response.status_code == 403
    assert not ExportJob.objects.exists()
    assert client.get(reverse("transcripts:site_report", args=["036001", "stsq11"])).status_code == 200


def test_site_report_page_shows_the_rows_and_queues_exports(client, lea_user, ranked_class, bssy_2025):
    client.force_login(lea_user)
    html = client.get(reverse("transcripts:site_report", args=["017001", "stsq11"])).content.decode()
    assert "STSQ11 Overall GPA Report" in html and "1000000003" in html and "Cole, A" in html
    assert "1000000007" not in html  # another site
    assert reverse("export_request", args=["stsq11", "xlsx"]) in html
    response = client.post(reverse("export_request", args=["stsq11", "csv"]), SITE)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.params == {"site": "017001", "bssy": str(BSSY)}
    assert client.get(reverse("transcripts:site_report", args=["017001", "nope"])).status_code == 404


def test_reports_picker_lists_own_sites_and_redirects(client, lea_user, bssy_2025):
    client.force_login(lea_user)
    html = client.get(reverse("transcripts:reports")).content.decode()
    assert 'value="017001"' in html and 'value="036001"' not in html and "STSQ08" in html
    response = client.get(reverse("transcripts:reports"), {"site": "017002", "report": "stsq08"})
    assert response.status_code == 302
    assert response.url == reverse("transcripts:site_report", args=["017002", "stsq08"])


def test_stsq12_renders_excel(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "stsq12.xlsx"
    EXPORTERS["stsq12"].render("xlsx", {"bssy": 2025, "curriculum": "TC"}, path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Curriculum", "Curriculum Name", "Category")
    assert ("TC", "01", "120101") in {(r[0], r[2], r[6]) for r in rows[1:]}
