"""Print or Export Transcript Records: official transcripts merged, OTS rejections, non-official
transcripts of a grade, the No PII report; the registry's SSN-present flag."""
import pytest
from django.urls import reverse

from certification import services
from certification.exports import NoPiiReport, OtsRejections
from core_tables.models import SecureId
from sts.exports import EXPORTERS

from .conftest import BSSY, make_graduate, pdf_text, run_list_export

pytestmark = pytest.mark.django_db



def test_official_transcripts_of_the_listed_graduates_come_as_a_zip_of_the_signed_pdfs(client, make_user, open_period,
                                                                                      site, tmp_path):
    import zipfile

    grads = [make_graduate(i) for i in range(3)]
    services.certify_and_issue(site, BSSY, by="E017ALL")
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    job = run_list_export(client, "017001", "ots_bulk", "zip")
    with zipfile.ZipFile(job.path) as zf:
        pdfs = sorted(n for n in zf.namelist() if n != "MANIFEST.pdf")
        assert len(pdfs) == 3 and "MANIFEST.pdf" in zf.namelist()
        text = "".join(pdf_text(zf.read(n), tmp_path) for n in pdfs)
    assert all(g.state_id in text for g in grads) and text.count("OFFICIAL HIGH SCHOOL TRANSCRIPT") == 3
    # The list's search narrows it: one State ID.
    job = run_list_export(client, "017001", "ots_bulk", "zip", q=grads[1].state_id)
    with zipfile.ZipFile(job.path) as zf:
        assert [n for n in zf.namelist() if n != "MANIFEST.pdf"] == [f"0001-{grads[1].state_id}-{BSSY}-v1.pdf"]
    assert client.post(reverse("certification:list_export", args=["017001", "ots_bulk", "pdf"])).status_code == 404


def test_non_official_transcripts_for_a_whole_grade(client, make_user, open_period, site, tmp_path):
    seniors = [make_graduate(i) for i in range(2)]
    junior = make_graduate(2, grade9_entry=2023, graduation_date=None)
    type(junior).objects.filter(pk=junior.pk).update(grade="11")
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    job = run_list_export(client, "017001", "nonofficial_transcripts", "pdf", grade="12")
    text = pdf_text(open(job.path, "rb").read(), tmp_path)
    assert text.count("HIGH SCHOOL TRANSCRIPT (NOT OFFICIAL)") == 2
    assert all(s.state_id in text for s in seniors) and junior.state_id not in text


def test_the_rejections_list_has_the_reasons(open_period, site, make_user):
    make_graduate(0)
    bad = make_graduate(1, gee="")
    services.certify_and_issue(site, BSSY, by="E017ALL")
    user = make_user("E017INQ", "lea-inquiry", "017")
    rows = list(OtsRejections().bind(user).rows({"site": "017001", "bssy": BSSY}))
    assert rows[0] == OtsRejections.HEADER and len(rows) == 2
    assert rows[1][0] == bad.state_id and rows[1][-1] == "Met GEE/EOC flag is not Y (blank)"


def test_rejection_and_pii_exports_write_xlsx_and_pdf(client, make_user, open_period, site):
    make_graduate(0, gee="")
    services.certify_and_issue(site, BSSY, by="E017ALL")
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    for exporter in ("ots_rejections", "no_pii"):
        for fmt in ("xlsx", "pdf"):
            job = run_list_export(client, "017001", exporter, fmt)
            assert open(job.path, "rb").read(4) in (b"PK\x03\x04", b"%PDF")


def test_no_pii_report_marks_each_missing_item(open_period, make_user):
    ok = make_graduate(0)
    no_ssn = make_graduate(1)
    SecureId.objects.filter(unique_id=no_ssn.state_id).update(ssn_on_file=False)
    SecureId.objects.filter(unique_id=ok.state_id).update(ssn_on_file=True)
    unknown = make_graduate(2, progress=False)
    SecureId.objects.filter(unique_id=unknown.state_id).delete()
    user = make_user("E017INQ", "lea-inquiry", "017")
    rows = {r[0]: r for r in NoPiiReport().bind(user).rows({"site": "017001", "bssy": BSSY})}
    assert ok.state_id not in rows
    assert rows[no_ssn.state_id][4:] == ["✓", "✓", "?", "SSN"]
    assert rows[unknown.state_id][4:] == ["?", "?", "?", "not in the registry"]


def test_an_export_naming_another_user_is_refused(client, make_user, open_period):
    victim = make_user("E017ALL", "lea-all", "017")
    client.force_login(make_user("E036ALL", "lea-all", "036"))
    response = client.post(reverse("export_request", args=["no_pii", "csv"]),
                           {"site": "017001", "bssy": BSSY, "user_id": victim.pk})
    assert response.status_code == 403
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    response = client.post(reverse("export_request", args=["no_pii", "csv"]),
                           {"site": "017001", "bssy": BSSY, "user_id": victim.pk})
    assert response.status_code == 403
    assert "no_pii" in EXPORTERS


def test_losfa_exports_list_only_consent_students(open_period, make_user, site):
    make_graduate(0, gee="", consent=True)
    hidden = make_graduate(1, gee="", consent=False)
    services.certify_and_issue(site, BSSY, by="E017ALL")
    losfa = make_user("ELOSINQ", "losfa-inquiry")
    rows = list(OtsRejections().bind(losfa).rows({"site": "017001", "bssy": BSSY}))
    assert len(rows) == 2 and hidden.state_id not in [r[0] for r in rows]


def test_the_registry_loader_reads_the_optional_ssn_flag(tmp_path, db):
    from core_tables.loading import load_folder

    sid = SecureId.objects.order_by("unique_id").first()
    header = ("unique_id,sponsor_code,site_code,local_id,first_name,last_name,birth_date,sex,hispanic,american_indian,"
              "asian,black,pacific_islander,white,laa1,act833")
    row = (f"{sid.unique_id},{sid.sponsor.code},{sid.site.code},{sid.local_id},{sid.first_name},{sid.last_name},"
           f"{sid.birth_date.isoformat()},{sid.sex},N,N,N,N,N,Y,N,N")
    (tmp_path / "secure_ids.csv").write_text(f"{header},ssn_on_file\n{row},N\n")
    load_folder(tmp_path)
    assert SecureId.objects.get(pk=sid.pk).ssn_on_file is False
    (tmp_path / "secure_ids.csv").write_text(f"{header}\n{row}\n")  # an older file without the column
    load_folder(tmp_path)
    assert SecureId.objects.get(pk=sid.pk).ssn_on_file is False  # kept
    from core_tables.csvspec import ReferenceLoadError
    (tmp_path / "secure_ids.csv").write_text(f"{header},ssn_on_file\n{row},123-45-6789\n")
    with pytest.raises(ReferenceLoadError, match="line 2, column 'ssn_on_file': must be Y or N"):
        load_folder(tmp_path)


def test_stsq11_prints_the_site_certification_date_where_certified(graduate, site):
    """Issue 11, item 2: "the site certification date where certified"."""
    from django.utils import timezone

    from certification.services import certify_site
    from sts.exports import EXPORTERS

    def rows():
        rows = list(EXPORTERS["stsq11"].rows({"site": site.code, "bssy": graduate.bssy}))
        return {r[3]: dict(zip(rows[0], r)) for r in rows[1:]}

    assert rows()[graduate.state_id]["Site Certified"] is None
    certify_site(site, graduate.bssy, by="E017ALL", queue=False)
    assert rows()[graduate.state_id]["Site Certified"] == timezone.localdate()
