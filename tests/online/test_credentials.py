"""Jumpstart credentials: PDF only (by content), size limited, stored outside the web root and
served only to users allowed to see the student."""
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from transcripts.credentials import CredentialRejected, inspect_pdf
from transcripts.models import Credential, StudentChange

from .helpers import add_student, registry_student

pytestmark = pytest.mark.django_db


def pdf(pages=1, compressed=False, extra=b""):
    """A small PDF document of `pages` pages; `compressed` puts the page objects in an object stream."""
    page_objects = b"".join(b"<< /Type /Page /Parent 2 0 R >>\n" for _ in range(pages))
    head = (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            + b"2 0 obj << /Type /Pages /Count " + str(pages).encode() + b" >> endobj\n")
    if compressed:
        packed = zlib.compress(page_objects + extra)
        body = b"3 0 obj << /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
            len(packed), packed)
    else:
        body = page_objects + extra
    return head + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def test_content_decides_what_is_a_pdf():
    assert inspect_pdf(pdf(2), 10_000).pages == 2
    assert inspect_pdf(pdf(3, compressed=True), 10_000).pages == 3  # several certificates in one PDF
    for bad in (b"", b"GIF89a...", b"<html>%PDF-1.4</html>" * 100, pdf(1)[:-8]):
        with pytest.raises(CredentialRejected):
            inspect_pdf(bad, 10_000)
    with pytest.raises(CredentialRejected, match="scripts"):
        inspect_pdf(pdf(1, compressed=True, extra=b"<< /S /JavaScript /JS (app.alert(1)) >>"), 10_000)
    with pytest.raises(CredentialRejected, match="at most"):
        inspect_pdf(pdf(1) + b" " * 5000, 1_000)


@pytest.fixture
def student(site, today):
    return add_student(site, registry_student(), today, diploma_path="TU")


def upload(client, student, content, name="certs.pdf", content_type="application/pdf"):
    return client.post(reverse("transcripts:upload_credential", args=[student.pk]),
                       {"file": SimpleUploadedFile(name, content, content_type=content_type)}, follow=True)


def test_an_uploaded_credential_is_stored_privately_and_listed(client, editor, student, private_media):
    client.force_login(editor)
    response = upload(client, student, pdf(2), name="../../My Certs!.pdf")
    assert "Credential uploaded." in response.content.decode()
    credential = Credential.objects.get(student=student)
    stored = Path(private_media) / credential.path
    assert stored.read_bytes() == pdf(2) and credential.pages == 2
    assert Path(settings.STATIC_ROOT) not in stored.parents and "My" not in credential.path
    assert credential.original_name == "My_Certs_.pdf" and credential.uploaded_by == "E017UPD"
    html = client.get(reverse("transcripts:student", args=[student.pk])).content.decode()
    assert reverse("transcripts:credential", args=[credential.pk]) in html and "2 pages" in html
    assert StudentChange.objects.filter(state_id=student.state_id, action="credential uploaded").exists()


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(client, editor, student, private_media, settings):
    client.force_login(editor)
    html = upload(client, student, b"MZ\x90\x00 not a pdf").content.decode()
    assert "not a PDF document" in html
    settings.STS_CREDENTIAL_MAX_BYTES = 1_000
    assert "at most" in upload(client, student, pdf(1) + b" " * 2_000).content.decode()
    assert not Credential.objects.exists()
    assert not list(Path(private_media).rglob("*.pdf"))


def test_credentials_are_served_only_to_users_who_may_see_the_student(client, make_user, editor, student,
                                                                     private_media):
    client.force_login(editor)
    upload(client, student, pdf(1))
    credential = Credential.objects.get()
    link = reverse("transcripts:credential", args=[credential.pk])
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf(1)
    assert "no-store" in response["Cache-Control"]
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))  # may view the student: may see it
    assert client.get(link).status_code == 200
    client.force_login(make_user("E036ALL", "lea-all", "036"))
    assert client.get(link).status_code == 403
    client.force_login(make_user("E017SCH", "school-update", "017", sites=["017002"]))
    assert client.get(link).status_code == 403
    client.logout()
    assert client.get(link).status_code == 302  # to the sign-in page


def test_a_removed_credential_leaves_the_record_but_not_the_audit_trail(client, editor, student, private_media):
    client.force_login(editor)
    upload(client, student, pdf(1))
    credential = Credential.objects.get()
    response = client.post(reverse("transcripts:delete_credential", args=[credential.pk]), follow=True)
    assert "Credential removed." in response.content.decode() and not Credential.objects.exists()
    assert (Path(private_media) / credential.path).exists()
    assert StudentChange.objects.filter(state_id=student.state_id, action="credential deleted").exists()


def test_a_jump_start_graduate_needs_an_uploaded_credential(site, today):
    """Reason 6 (issue 9, item 4): "Ensure Jumpstart graduate has a credential uploaded to STS"."""
    from dataclasses import replace

    from core_tables.models import IbcCode
    from transcripts.online import services as S
    from transcripts.online.fields import raw_values

    from .helpers import ibc_typed

    student = add_student(site, registry_student(), today, grade="11", grade9_entry="2023", diploma_path="CA",
                          career_option="R01")
    raw, problems = raw_values("050", site.sponsor.layout, ibc_typed(IbcCode.objects.first().code))
    assert not problems and S.save_ibc(student, raw, by="E017UPD", today=today).saved

    def reasons():
        rs = S.stored_record_set(student)
        graduate = replace(rs.student, grade="12", grade9_entry="2022", graduation_date="05202026",
                           career_endorsement="J1", fafsa="1", gee_flag="Y")
        verdict = S.assess(rs.put(graduate), S.edit_context(student.sponsor, student.bssy, student.state_id, today),
                           student.sponsor.kind)
        assert not verdict.findings, verdict.findings
        return verdict.grad_reasons

    assert "6" in reasons()  # a passed IBC and a J1 endorsement, but no credential on file
    credential = S.add_credential(student, "j1.pdf", pdf(), by="E017UPD")
    assert "6" not in reasons()
    S.remove_credential(credential, by="E017UPD", today=today)
    assert "6" in reasons()
