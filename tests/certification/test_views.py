"""Certify screen, transcript downloads, OTS search, the verification page, and who may do what."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification import services
from certification.models import Certification, OfficialTranscript
from certification.storage import file_of
from core_tables.models import CollectionPeriod

from .conftest import BSSY, make_graduate

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(open_period, site):
    grad = make_graduate(0)
    services.certify_and_issue(site, BSSY, by="E017ALL")
    return grad, OfficialTranscript.objects.get(state_id=grad.state_id)


def login(client, make_user, user_id, group, sponsor=None, sites=()):
    user = make_user(user_id, group, sponsor, sites)
    client.force_login(user)
    return user


def test_the_certify_screen_lists_sites_with_graduates_readiness_and_state(client, make_user, open_period, site):
    make_graduate(0)
    make_graduate(1, gee="")
    login(client, make_user, "E017GRD", "lea-gradcert", "017")
    page = client.get(reverse("certification:certify")).content.decode()
    assert 'data-site="017001"' in page and "Never certified" in page
    detail = client.get(reverse("certification:site", args=["017001"])).content.decode()
    assert "Met GEE/EOC flag is not Y" in detail and "not ready" in detail and "ready" in detail


def test_certify_and_uncertify_buttons_act_and_say_what_happened(client, make_user, open_period, site,
                                                                django_capture_on_commit_callbacks):
    """The queue runs eagerly here; tests/certification/test_worker.py uses a real worker."""
    from sts.celery import app
    app.conf.task_always_eager = True
    try:
        make_graduate(0)
        make_graduate(1, gee="")
        login(client, make_user, "E017GRD", "lea-gradcert", "017")
        url = reverse("certification:site", args=["017001"])
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"action": "certify"})
        text = client.get(url).content.decode()
        assert "Site 017001 certified for BSSY 2025-26: 1 ready graduate queued" in text, text[-3000:]
        assert "1 graduate is not ready" in text
        assert "Certified on" in text and "E017GRD" in text
        assert 'data-ots="S"' in text and 'data-ots="R"' in text
        text = client.post(url, {"action": "uncertify"}, follow=True).content.decode()
        assert "Site 017001 un-certified for BSSY 2025-26. 1 official transcript withdrawn" in text
        assert "Un-certified on" in text
    finally:
        app.conf.task_always_eager = False


@pytest.mark.parametrize("group,sponsor,sites,status", [
    ("lea-gradcert", "017", (), 302), ("lea-all", "017", (), 302), ("ldoe", None, (), 302),
    ("lea-upload", "017", (), 403), ("school-upload", "017", ("017001",), 403), ("lea-all", "036", (), 403),
    ("losfa-inquiry", None, (), 403), ("bor-inquiry", None, (), 403),
])
def test_who_may_certify(client, make_user, open_period, site, group, sponsor, sites, status):
    make_graduate(0)
    login(client, make_user, "EUSER01" if not sponsor else f"E{sponsor}USR", group, sponsor, sites)
    response = client.post(reverse("certification:site", args=["017001"]), {"action": "certify"})
    assert response.status_code == status
    assert Certification.objects.exists() == (status == 302)
    if status == 403:
        assert "017002" not in response.content.decode()


def test_a_closed_period_refuses_certification_with_its_message(client, make_user, site, db):
    CollectionPeriod.objects.update_or_create(bssy=BSSY, defaults={
        "opens": dt.date(2025, 12, 1), "closes": dt.date(2026, 1, 1), "is_current": True})
    make_graduate(0)
    login(client, make_user, "E017GRD", "lea-gradcert", "017")
    text = client.post(reverse("certification:site", args=["017001"]), {"action": "certify"}, follow=True).content.decode()
    assert "closed" in text.lower() and not Certification.objects.exists()


def test_nonpublic_coordinators_are_told_they_do_not_certify(client, make_user, open_period):
    login(client, make_user, "EN52ALL", "lea-all", "N52")
    page = client.get(reverse("certification:certify")).content.decode()
    assert "public and charter schools only" in page


@pytest.mark.parametrize("group,sponsor,sites,consent,allowed", [
    ("lea-inquiry", "017", (), True, True), ("school-update", "017", ("017001",), True, True),
    ("school-update", "017", ("017002",), True, False), ("lea-all", "036", (), True, False),
    ("losfa-inquiry", None, (), True, True), ("losfa-inquiry", None, (), False, False),
    ("bor-inquiry", None, (), False, False), ("ldoe", None, (), False, True),
])
def test_who_may_open_an_official_transcript(client, make_user, open_period, site, group, sponsor, sites, consent,
                                             allowed):
    grad = make_graduate(0, consent=consent)
    services.certify_and_issue(site, BSSY, by="E017ALL")
    t = OfficialTranscript.objects.get()
    login(client, make_user, f"E{sponsor or 'STA'}USR", group, sponsor, sites)
    response = client.get(reverse("certification:transcript_pdf", args=[t.pk]))
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        assert b"".join(response.streaming_content) == file_of(t).read_bytes()
        assert response["Cache-Control"] == "private, no-store"
    search = client.get(reverse("certification:search"), {"state_id": grad.state_id}).content.decode()
    assert (f'data-state-id="{grad.state_id}"' in search) == allowed


def test_the_student_detail_shows_the_official_transcript_history(client, make_user, open_period, site):
    grad = make_graduate(0)
    services.certify_and_issue(site, BSSY, by="E017ALL")
    type(grad).objects.filter(pk=grad.pk).update(gee_flag="N")
    from transcripts.graduates import mark_graduate_change
    mark_graduate_change([site.pk], BSSY, by="E017UPD", source="online")
    services.certify_and_issue(site, BSSY, by="E017ALL")
    login(client, make_user, "E017INQ", "lea-inquiry", "017")
    page = client.get(reverse("transcripts:student", args=[grad.pk])).content.decode()
    box = page[page.index('id="official-transcripts"'):page.index("Change history")]
    assert 'data-status="R"' in box and "Met GEE/EOC flag is not Y" in box
    assert 'data-status="S" data-version="1"' in box and "017" in box and str(BSSY) in box


def test_site_list_and_home_show_needs_recertification(client, make_user, open_period, site):
    make_graduate(0)
    services.certify_and_issue(site, BSSY, by="E017ALL")
    from transcripts.graduates import mark_graduate_change
    mark_graduate_change([site.pk], BSSY, by="E017UPL", source="batch")
    login(client, make_user, "E017GRD", "lea-gradcert", "017")
    sites = client.get(reverse("transcripts:site_list")).content.decode()
    assert 'data-certification="needs_recertification"' in sites and "Needs recertification" in sites
    home = client.get(reverse("home")).content.decode()
    assert 'id="needs-recertification"' in home and "017001" in home and "a batch upload" in home
    client.force_login(make_user("E036ALL", "lea-all", "036"))
    assert 'id="needs-recertification"' not in client.get(reverse("home")).content.decode()


def test_ots_search_by_name_with_wildcards_year_and_site(client, make_user, issued):
    grad, t = issued
    login(client, make_user, "ELDOE01", "ldoe")
    last, first = t.display_name.split(", ")
    for params, found in [({"name": f"{last[:3]}*"}, True), ({"name": f"{last}, {first}"}, True),
                          ({"name": f"{last}, {first[:2]}*"}, True), ({"name": f"*{last[-3:]}"}, True),
                          ({"name": "ZZZ*"}, False), ({"grad_year": "2026", "site": "017001"}, True),
                          ({"grad_year": "2025"}, False), ({"sponsor": "036"}, False)]:
        page = client.get(reverse("certification:search"), params).content.decode()
        assert (f'data-state-id="{grad.state_id}"' in page) == found, params


def test_the_verification_page_needs_no_sign_in_and_judges_each_case(client, issued, settings, signing):
    grad, t = issued
    data = file_of(t).read_bytes()
    url = reverse("verify:page")
    genuine = client.post(url, {"file": SimpleUploadedFile("t.pdf", data, "application/pdf")}).content.decode()
    assert 'data-genuine="true"' in genuine and t.display_name in genuine and "the current official transcript" in genuine
    position = data.index(b"stream\n") + 60
    changed = data[:position] + b"X" + data[position + 1:]
    page = client.post(url, {"file": SimpleUploadedFile("t.pdf", changed)}).content.decode()
    assert 'data-genuine="false"' in page and "Not genuine" in page
    from certification.signing import sign_pdf
    settings.STS_SIGNING_CERT, settings.STS_SIGNING_KEY = str(signing["other_cert"]), str(signing["other_key"])
    resigned = sign_pdf(data, reason="x", field_name="Other")
    settings.STS_SIGNING_CERT, settings.STS_SIGNING_KEY = str(signing["cert"]), str(signing["key"])
    page = client.post(url, {"file": SimpleUploadedFile("t.pdf", resigned)}).content.decode()
    assert 'data-genuine="false"' in page
    page = client.get(url, {"code": t.code}).content.decode()
    assert 'data-genuine="true"' in page and f"[{t.version}]" in page
    assert 'data-genuine="false"' in client.get(url, {"code": "nope"}).content.decode()
    assert client.post(url, {"file": SimpleUploadedFile("x.pdf", b"garbage")}).status_code == 200
    settings.STS_VERIFY_MAX_BYTES = 100
    page = client.post(url, {"file": SimpleUploadedFile("big.pdf", data)}).content.decode()
    assert "is larger than" in page and "big.pdf" in page
