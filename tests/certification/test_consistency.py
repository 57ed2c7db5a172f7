"""One source of truth for every figure shown twice (issue 18 item 5): graduate counts, award
standing, IBCs, local time, cohort years, the BSSY written one way and the class percentile."""
import datetime as dt
import re
import zoneinfo

import pytest
from django.urls import reverse

from sts.exports import EXPORTERS
from transcripts.models import Student

from .conftest import BSSY, GRAD_DATE, add_ibc, make_graduate, pdf_text

pytestmark = pytest.mark.django_db
CENTRAL = zoneinfo.ZoneInfo("America/Chicago")


def test_the_site_list_and_the_certify_screen_count_the_same_graduates(client, make_user, open_period, site):
    make_graduate(0)
    make_graduate(1, gee="", graduation_date=None, removed_graduation_date=GRAD_DATE, grad_removal_reasons=["4"])
    make_graduate(2, graduation_date=None)  # not a graduate
    client.force_login(make_user("E017ALL", "lea-all", "017"))
    sites = client.get(reverse("transcripts:site_list")).content.decode()
    row = re.search(r"017001</a>.*?</tr>", sites, re.S) or re.search(r"017001.*?</tr>", sites, re.S)
    numbers = re.findall(r'<td class="text-end">(\d+)</td>', row.group(0))
    assert numbers[:2] == ["3", "2"]  # students, graduates
    certify = client.get(reverse("certification:certify")).content.decode()
    row = re.search(r"<td class=\"code\">017001</td>.*?</tr>", certify, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[2:5] == ["2", "1", "1"]  # graduates, ready, not ready


def test_the_student_list_pdf_agrees_with_the_screen_and_prints_local_time(open_period, site, tmp_path):
    grad = make_graduate(0)
    add_ibc(grad, "R09")
    from transcripts.models import Ibc
    Ibc.objects.create(student=grad, site="017001", ibc_code="R10", semester_earned="1", year_earned=BSSY,
                       pass_fail="F", earned_sponsor="017", earned_site="017001")
    updated = dt.datetime(2026, 1, 15, 3, 30, tzinfo=dt.timezone.utc)  # 01/14/2026 21:30 in Louisiana
    Student.objects.filter(pk=grad.pk).update(updated_at=updated)
    rows = list(EXPORTERS["student_list"].rows({"site": "017001", "bssy": BSSY}))
    header, row = rows[0], rows[1]
    assert header[6:8] == ["Passed IBCs", "TOPS Award Eligible"]
    assert row[6] == 1  # the failed attempt earns no IBC, as on the screen
    grad.progress.refresh_from_db()
    assert row[7] == ("Y" if grad.progress.award_eligible else "")
    path = tmp_path / "list.pdf"
    EXPORTERS["student_list"].render("pdf", {"site": "017001", "bssy": BSSY}, path)
    text = pdf_text(path.read_bytes(), tmp_path)
    assert "01/14/2026 21:30" in text and "01/15/2026 03:30" not in text


def test_stsq12_names_the_cohort_by_the_year_it_graduates(db):
    title = EXPORTERS["stsq12"].title({"bssy": "2025"})
    assert "class of 2026 (BSSY 2025-26)" in title and "cohort 2025" not in title
