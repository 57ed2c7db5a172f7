"""Documents people can trust (issue 18): every official PDF the app gives out is signed and checks
with pyHanko and with poppler's pdfsig; one changed byte breaks each; a document that says it is
signed is signed; the verification page states only the printed facts and never serves a file."""
import hashlib
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from pypdf import PdfReader

from certification import services
from certification.models import OfficialTranscript, VerificationLookup
from certification.signing import check_signature
from certification.storage import file_of
from certification.verify import verify_code, verify_pdf
from core_tables.models import Site

from .conftest import BSSY, keep_for_screens, make_graduate, registry, run_list_export

pytestmark = pytest.mark.django_db



def text_of(data: bytes) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def pdfsig(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / f"sig-{hashlib.sha256(data).hexdigest()[:12]}.pdf"
    path.write_bytes(data)
    run = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    return run.stdout + run.stderr


def one_byte_changed(data: bytes) -> bytes:
    """A byte inside the first page's content stream (covered by the signature) flipped."""
    position = data.index(b"stream\n") + 40
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1:]


CLAIMS_SIGNED = re.compile(r"(?<!not )(?<!never )digitally signed", re.IGNORECASE)


def assert_claims_hold(data: bytes):
    """A document that says it is signed carries a valid signature; one without says NOT OFFICIAL."""
    text = text_of(data)
    if CLAIMS_SIGNED.search(text):
        check = check_signature(data)
        assert check.genuine, f"says it is signed but: {check.problem}"
    else:
        assert "NOT OFFICIAL" in text or "Manifest" in text


@pytest.fixture
def issued_site(open_period, site):
    grads = [make_graduate(i) for i in range(2)]
    services.certify_and_issue(site, BSSY, by="E017ALL")
    return grads, list(OfficialTranscript.objects.order_by("state_id"))


def test_every_official_pdf_validates_with_pyhanko_and_pdfsig_and_fails_with_one_byte_changed(
        client, make_user, issued_site, tmp_path):
    grads, transcripts = issued_site
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    job = run_list_export(client, "017001", "ots_bulk", "zip")
    assert job.filename.endswith(".zip")
    keep_for_screens("manifest.pdf", zipfile.ZipFile(job.path).read("MANIFEST.pdf"))
    with zipfile.ZipFile(job.path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    assert set(members) == {"MANIFEST.pdf"} | {f"{i:04d}-{t.state_id}-{BSSY}-v1.pdf" for i, t in
                                                 enumerate(sorted(transcripts, key=lambda t: t.display_name), 1)}
    # Each transcript in the download is the issued file, byte for byte.
    stored = {file_of(t).read_bytes() for t in transcripts}
    assert {data for name, data in members.items() if name != "MANIFEST.pdf"} == stored
    official = list(stored) + [members["MANIFEST.pdf"]]
    for data in official:
        assert check_signature(data).genuine
        out = pdfsig(data, tmp_path)
        assert "Signature Validation: Signature is Valid." in out, out
        assert_claims_hold(data)
        changed = one_byte_changed(data)
        assert not check_signature(changed).genuine
        assert "Signature is Valid." not in pdfsig(changed, tmp_path)
    # The manifest names every file with its sha256; the page tells it from a transcript.
    manifest = text_of(members["MANIFEST.pdf"]).replace(" ", "")  # long cells wrap
    for t in transcripts:
        assert t.code in manifest and t.sha256 in manifest
    verdict = verify_pdf(members["MANIFEST.pdf"])
    assert verdict.outcome == "manifest" and not verdict.genuine
    assert all(verify_pdf(data).current for data in stored)


def test_the_non_official_transcript_never_claims_a_signature(client, make_user, issued_site, tmp_path):
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    job = run_list_export(client, "017001", "nonofficial_transcripts", "pdf", grade="12")
    data = Path(job.path).read_bytes()
    keep_for_screens("nonofficial.pdf", data)
    text = text_of(data)
    assert text.count("HIGH SCHOOL TRANSCRIPT (NOT OFFICIAL)") == 2
    assert not CLAIMS_SIGNED.search(text) and "verification code" not in text.lower()
    assert "does not contain any signatures" in pdfsig(data, tmp_path)
    assert_claims_hold(data)
    # Every page carries the NOT OFFICIAL mark (watermark and footer).
    for page in PdfReader(io.BytesIO(data)).pages:
        assert "NOT OFFICIAL" in page.extract_text()


def test_a_code_lookup_shows_the_printed_facts_only_and_never_a_file(client, issued_site):
    grads, transcripts = issued_site
    t = transcripts[0]
    grad = next(g for g in grads if g.state_id == t.state_id)
    sid = registry("017001", [g.pk for g in grads].index(grad.pk))
    response = client.get(reverse("verify:page"), {"code": t.code.lower().replace("-", " ")})
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert 'data-outcome="current"' in page
    assert t.display_name in page and "05/20/2026" in page and f"[{t.version}]" in page and "017001" in page
    for secret in (t.state_id, grad.local_id, sid.birth_date.strftime("%m/%d/%Y"), "E017ALL", "/copy/"):
        assert secret not in page, secret
    assert not re.search(r'href="[^"]*\.pdf', page)  # no link to any document
    with pytest.raises(NoReverseMatch):
        reverse("verify:copy", args=[t.code])
    assert client.get(f"/verify/copy/{t.code}.pdf").status_code == 404
    assert VerificationLookup.objects.filter(kind="code", outcome="current", transcript=t).count() == 1
    # The school as printed, even after the site is renamed.
    printed = t.site.name
    Site.objects.filter(pk=t.site_id).update(name="Renamed Academy")
    page = client.get(reverse("verify:page"), {"code": t.code}).content.decode()
    assert f"{printed} (017001)" in page and "Renamed Academy" not in page


def test_a_transcript_withdrawn_by_uncertifying_verifies_as_withdrawn_and_names_no_one(client, issued_site, site):
    _grads, transcripts = issued_site
    t = transcripts[0]
    data = file_of(t).read_bytes()
    services.uncertify_site(site, BSSY, by="E017ALL")
    t.refresh_from_db()
    when = f"{t.superseded_at.astimezone(__import__('zoneinfo').ZoneInfo('America/Chicago')):%m/%d/%Y}"
    for verdict in (verify_pdf(data), verify_code(t.code)):
        assert verdict.genuine and verdict.outcome == "withdrawn" and not verdict.current
        assert f"withdrawn by the school on {when}" in verdict.message and "E017ALL" not in verdict.message
    for response in (client.get(reverse("verify:page"), {"code": t.code}),
                     client.post(reverse("verify:page"), {"file": SimpleUploadedFile("t.pdf", data)})):
        page = response.content.decode()
        assert 'data-outcome="withdrawn"' in page and "Genuine, but withdrawn" in page
        assert "E017ALL" not in page and "un-certified" not in page and t.state_id not in page


def test_uncertifying_withdraws_only_current_versions_superseded_ones_keep_their_reading(open_period, site):
    grad = make_graduate(0)
    services.certify_and_issue(site, BSSY, by="E017ALL")
    type(grad).objects.filter(pk=grad.pk).update(local_id="NEWLOCAL1")
    services.certify_and_issue(site, BSSY, by="E017ALL")
    first, second = OfficialTranscript.objects.order_by("version")
    superseded_at = first.superseded_at
    assert superseded_at is not None and second.current
    services.uncertify_site(site, BSSY, by="E017ALL")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.superseded_at == superseded_at and first.withdrawn_reason == ""
    assert second.withdrawn and not second.current
    assert verify_code(first.code).outcome == "superseded" and "superseded by a later version" in verify_code(
        first.code).message
    assert verify_code(second.code).outcome == "withdrawn"


def test_consent_only_users_are_refused_a_transcript_whose_student_is_no_longer_on_file(client, make_user,
                                                                                      issued_site):
    grads, transcripts = issued_site
    t = transcripts[0]
    url = reverse("certification:transcript_pdf", args=[t.pk])
    client.force_login(make_user("ELDOE01", "ldoe"))
    assert client.get(url).status_code == 200
    type(grads[0]).objects.filter(state_id=t.state_id).delete()
    t.refresh_from_db()
    assert t.student_id is None
    assert client.get(url).status_code == 200  # state staff still may
    for user_id, group in (("ELOSFA1", "losfa-inquiry"), ("EBOR001", "bor-inquiry")):
        client.force_login(make_user(user_id, group))
        assert client.get(url).status_code == 403, group


def test_the_printed_verification_address_is_the_configured_public_one(issued_site, settings, tmp_path):
    _grads, transcripts = issued_site
    text = text_of(file_of(transcripts[0]).read_bytes())
    assert "https://sts.test.example/verify/" in text and "127.0.0.1" not in text


def test_settings_refuse_to_start_outside_debug_without_a_public_url(tmp_path):
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("STS_PUBLIC_URL", "DJANGO_DEBUG")}
    # Its own var/: a laptop's var/local.env (debug on) must not decide this.
    env.update(DJANGO_SECRET_KEY="x" * 60, DJANGO_SETTINGS_MODULE="sts.settings", STS_VAR_DIR=str(tmp_path))
    code = "import django; django.setup()"
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert run.returncode != 0 and "STS_PUBLIC_URL is not set" in run.stderr
    env["STS_PUBLIC_URL"] = "https://sts.example.gov"
    assert subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2]).returncode == 0
