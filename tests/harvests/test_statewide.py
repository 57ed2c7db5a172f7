"""The statewide dashboard and reports: numbers equal counts made here; statewide STSQ11/STSQ13
are the union of the per-sponsor ones; LOSFA and BOR users see consent-Y rows only, and counts."""
import re

import pytest
from django.urls import reverse

from harvests import dashboard
from harvests.rules import award_standing
from harvests.sources import Source
from sts.exports import EXPORTERS
from transcripts.models import Student

from .conftest import BSSY, take

pytestmark = pytest.mark.django_db


def expected_figures():
    out = {}
    for s in Student.objects.filter(bssy=BSSY).select_related("sponsor", "progress"):
        f = out.setdefault(s.sponsor.code, {"students": 0, "graduates": 0, "opportunity": 0, "tech": 0,
                                            "consent_n": 0})
        f["students"] += 1
        f["graduates"] += s.graduation_date is not None
        f["consent_n"] += not s.parental_consent
        awards = s.progress.result["awards"]
        if awards:
            standing = award_standing(awards[0]["code"], awards[0]["eligible"], awards[0]["gpa"])
            f["opportunity"] += standing["opportunity"]
            f["tech"] += standing["tech"]
    return out


@pytest.mark.parametrize("from_snapshot", [False, True])
def test_dashboard_numbers_equal_counts_made_here(state, from_snapshot):
    from certification.models import Certification
    from django.utils import timezone

    site = Student.objects.filter(bssy=BSSY, sponsor__code="036").first().site
    Certification.objects.create(site=site, bssy=BSSY, action="certify", at=timezone.now(), by="x")
    source = Source(bssy=BSSY, snapshot=None)
    if from_snapshot:
        take("D")
        source = Source.from_params({"bssy": BSSY, "snapshot": "D"})
    figures = dashboard.figures(source)
    expected = expected_figures()
    assert {s: {k: v[k] for k in expected[s]} for s, v in figures.items()} == expected
    assert sum(v["opportunity"] + v["tech"] for v in expected.values()) > 0
    sites_036 = Student.objects.filter(bssy=BSSY, sponsor__code="036").values("site").distinct().count()
    assert (figures["036"]["certified"], figures["036"]["never"]) == (1, sites_036 - 1)


def test_losfa_drill_down_lists_consent_y_only_and_counts_the_others(client, make_user, state, settings):
    settings.SECURE_SSL_REDIRECT = False
    client.force_login(make_user("ELOSINQ", "losfa-inquiry"))
    everyone = Student.objects.filter(bssy=BSSY, sponsor__code="017")
    page = client.get(reverse("harvests:figure_rows", args=["students", "017"])).content.decode()
    listed = set(re.findall(r">(\d{10})<", page))
    assert listed == set(everyone.filter(parental_consent=True).values_list("state_id", flat=True))
    hidden = everyone.filter(parental_consent=False).count()
    assert f"{hidden} without parental consent not listed" in page
    dash = client.get(reverse("harvests:dashboard")).content.decode()
    assert f'data-figure="consent_n"><a href="/state/figures/consent_n/017/">{hidden}</a>' in dash
    none = client.get(reverse("harvests:figure_rows", args=["consent_n", "017"])).content.decode()
    assert not re.findall(r">(\d{10})<", none) and f"{hidden} without parental consent not listed" in none


def _rows(name, params, user=None):
    exporter = EXPORTERS[name].bind(user)
    return list(exporter.rows(params))


@pytest.mark.parametrize("element", [None, "endorsement", "advanced_placement", "career_option"])
def test_statewide_reports_are_the_union_of_the_sponsor_ones(state, make_user, element):
    user = make_user("ELDOSTA", "ldoe")
    name, state_name = ("stsq11", "stsq11_state") if element is None else ("stsq13", "stsq13_state")
    extra = {"element": element} if element else {}
    statewide = _rows(state_name, {"bssy": str(BSSY), **extra}, user)
    union = []
    for sponsor in ("017", "036"):
        header, *rows = _rows(name, {"bssy": str(BSSY), "sponsor": sponsor, **extra}, user)
        union += rows
    assert statewide[0] == header
    assert len(statewide) > 1
    assert statewide[1:] == union


def test_statewide_stsq11_for_bor_leaves_out_consent_n_and_keeps_class_ranks(state, make_user):
    bor, ldoe = make_user("EBORINQ", "bor-inquiry"), make_user("ELDOSTA", "ldoe")
    all_rows = _rows("stsq11_state", {"bssy": str(BSSY)}, ldoe)[1:]
    bor_rows = _rows("stsq11_state", {"bssy": str(BSSY)}, bor)[1:]
    consenting = set(Student.objects.filter(bssy=BSSY, parental_consent=True).values_list("state_id", flat=True))
    assert bor_rows == [r for r in all_rows if r[3] in consenting] and len(bor_rows) < len(all_rows)


def test_statewide_report_page_from_a_snapshot(client, make_user, state, settings):
    settings.SECURE_SSL_REDIRECT = False
    take("R")
    client.force_login(make_user("EBORINQ", "bor-inquiry"))
    Student.objects.filter(bssy=BSSY).update(last_name="AFTER")
    page = client.get(reverse("harvests:report", args=["stsq11"]) + "?snapshot=R").content.decode()
    assert "AFTER" not in page and "snapshot R" in page
    assert "AFTER" in client.get(reverse("harvests:report", args=["stsq11"])).content.decode()
    assert client.get(reverse("harvests:report", args=["stsq11"]) + "?snapshot=nope").status_code == 404


@pytest.mark.parametrize("group", ["ldoe", "bor-inquiry"])
def test_statewide_report_pages_are_the_whole_report_cut_in_pages(state, make_user, monkeypatch, group):
    """A page reads only its own sites (skipping whole sites by their counts): every page, for a
    user who sees every row and one who sees consent-Y rows only, is that slice of the report."""
    from harvests import statewide

    user = make_user("ELDOSTA" if group == "ldoe" else "EBORINQ", group)
    params = {"bssy": str(BSSY)}
    header, *everything = _rows("stsq11_state", params, user)
    monkeypatch.setattr(statewide, "PAGE_SIZE", 7)  # pages that begin and end inside sites
    exporter = EXPORTERS["stsq11_state"].bind(user)
    pages = []
    for number in range(1, -(-len(everything) // 7) + 2):  # one past the end: the last page again
        head, rows, paginator, page = statewide.page(exporter, params, number)
        assert head == header and paginator.count == len(everything)
        pages.append(rows)
    assert [row for rows in pages[:-1] for row in rows] == everything
    assert pages[-1] == pages[-2] and len({r[1] for r in everything}) > 2
