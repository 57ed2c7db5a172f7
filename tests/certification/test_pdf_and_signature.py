"""The transcript PDF's text, the PAdES signature and its validation (pyHanko)."""
import io

import pytest

from certification import services
from certification.models import OfficialTranscript
from certification.signing import check_signature, sign_pdf
from certification.storage import file_of
from certification.verify import verify_code, verify_pdf

from .conftest import BSSY, add_ibc, make_graduate, pdf_text, registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(open_period, site):
    grad = make_graduate(0)
    add_ibc(grad, "R09")
    from transcripts.progress_store import recompute
    recompute([grad.pk])
    services.certify_and_issue(site, BSSY, by="E017ALL")
    t = OfficialTranscript.objects.get(state_id=grad.state_id)
    return grad, t, file_of(t).read_bytes()


def test_the_pdf_holds_identification_courses_gpas_version_and_code(issued, tmp_path):
    grad, t, data = issued
    text = pdf_text(data, tmp_path)
    sid = registry("017001", 0)
    assert "OFFICIAL HIGH SCHOOL TRANSCRIPT" in text
    assert f"{sid.last_name}, {sid.first_name}" in text  # the registry's full name, not the partial one
    assert grad.state_id in text and sid.birth_date.strftime("%m/%d/%Y") in text
    for code, name in (("120101", "English I"), ("160321", "Algebra I"), ("110201", "Fine Arts Survey")):
        assert code in text and name in text
    assert "2022-23" in text and "2025-26" in text
    progress = grad.progress
    progress.refresh_from_db()
    assert f"Overall GPA {progress.overall_gpa:.3f}" in " ".join(text.split())
    assert "Core GPA" in text and "TOPS GPA" in text
    assert "Version [1]" in text and t.code in text and "/verify/" in text
    assert "05/20/2026" in text and "E017ALL" in text
    assert "Page 1 of 1" in text
    assert "R09" in text


def test_a_genuine_pdf_validates(issued):
    _grad, t, data = issued
    check = check_signature(data)
    assert check.genuine, check.problem
    verdict = verify_pdf(data)
    assert verdict.genuine and verdict.transcript == t and verdict.current


def test_one_changed_byte_is_not_genuine(issued):
    _grad, _t, data = issued
    position = data.index(b"stream\n") + 50  # inside the first page content stream
    changed = data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1:]
    verdict = verify_pdf(changed)
    assert not verdict.genuine
    assert "changed after it was signed" in verdict.message or "not a readable" in verdict.message


def test_content_added_after_signing_is_not_genuine(issued):
    _grad, _t, data = issued
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    writer.root[NameObject("/Lang")] = TextStringObject("fr")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    verdict = verify_pdf(out.getvalue())
    assert not verdict.genuine and "added to the document after it was signed" in verdict.message


def _as_other_signer(settings, signing, sign):
    settings.STS_SIGNING_CERT, settings.STS_SIGNING_KEY = str(signing["other_cert"]), str(signing["other_key"])
    try:
        return sign()
    finally:
        settings.STS_SIGNING_CERT, settings.STS_SIGNING_KEY = str(signing["cert"]), str(signing["key"])


def test_resigned_by_another_key_is_not_genuine(issued, settings, signing):
    _grad, _t, data = issued
    resigned = _as_other_signer(settings, signing, lambda: sign_pdf(data, reason="forged", field_name="Other"))
    check = check_signature(resigned)
    assert not check.genuine and "not made by" in check.problem
    assert not verify_pdf(resigned).genuine


def test_a_forged_transcript_signed_by_another_key_is_not_genuine(issued, settings, signing):
    from certification.pdf import render
    from certification.transcript import Gatherer, students_for_transcripts

    grad, t, _data = issued
    student = students_for_transcripts(type(grad).objects.filter(pk=grad.pk)).get()
    from dataclasses import replace
    body, _pages = render(replace(Gatherer().data(student), version=1, code=t.code))
    forged = _as_other_signer(settings, signing, lambda: sign_pdf(body, reason="forged"))
    verdict = verify_pdf(forged)
    assert not verdict.genuine and "not made by the Louisiana Department of Education" in verdict.message


@pytest.mark.parametrize("garbage", [b"", b"hello", b"%PDF-1.7\n garbage", b"\x00" * 1000])
def test_garbage_is_not_genuine_and_raises_nothing(garbage, db):
    assert not verify_pdf(garbage).genuine


def test_a_code_names_the_transcript_and_a_superseded_one_says_so(issued, site):
    grad, t, _data = issued
    assert verify_code(t.code.lower().replace("-", " ")).transcript == t
    assert not verify_code("AAAAA-BBBBB-CCCCC-DDDDD").genuine
    from transcripts.graduates import mark_graduate_change
    type(grad).objects.filter(pk=grad.pk).update(rank_position=1, rank_size=100)  # the transcript prints it
    mark_graduate_change([site.pk], BSSY, by="E017UPD", source="online")
    services.certify_and_issue(site, BSSY, by="E017ALL")
    old = verify_code(t.code)
    assert old.genuine and not old.transcript.current and "NOT current" in old.message
    assert "superseded by a later version" in old.message


def test_the_non_official_transcript_is_marked_and_unsigned(open_period, tmp_path):
    from certification.pdf import render
    from certification.transcript import Gatherer, students_for_transcripts
    from transcripts.models import Student

    grad = make_graduate(0)
    student = students_for_transcripts(Student.objects.filter(pk=grad.pk)).get()
    body, pages = render(Gatherer().data(student, official=False))
    text = pdf_text(body, tmp_path)
    assert "NOT OFFICIAL" in text and "English I" in text and pages == 1
    assert not check_signature(body).genuine
