"""LOSFA and the Board of Regents see a student's records only with parental consent Y (issue 9,
item 7): every export that prints students, rendered for a LOSFA user, leaves the others out."""
import io
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404

from core_tables.models import Site
from sts.exports import EXPORTERS
from transcripts.models import Student, Transcript
from transcripts.progress_store import recompute

pytestmark = pytest.mark.django_db

WITH, WITHOUT = "9990000101", "9990000102"


def _student(state_id, consent):
    site = Site.objects.select_related("sponsor").get(code="017001")
    student = Student.objects.create(bssy=2025, sponsor=site.sponsor, site=site, state_id=state_id, local_id="L1",
                                     first_name="A", last_name=f"Consent{consent}", sex="F", grade="12",
                                     grade9_entry=2022, diploma_path="TU", parental_consent=consent)
    Transcript.objects.create(student=student, course_bssy=2024, course_code="120101", semester="Y1", grade="A",
                              credit_attempted=Decimal(1), credit_earned=Decimal(1), grade_point_max=Decimal(4),
                              quality_points=Decimal(4), course_type="RG")
    return student


def _text(path, fmt):
    data = path.read_bytes()
    if data[:2] == b"PK" and fmt not in ("xlsx", "docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(_text_of_member(z.read(n), n.rsplit(".", 1)[-1]) for n in z.namelist())
    return _text_of_member(data, fmt)


def _text_of_member(data, fmt):
    if fmt == "pdf":
        return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    if fmt == "xlsx":
        from openpyxl import load_workbook
        return "\n".join(str(c) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)
                         for c in row)
    if fmt == "docx":
        import docx
        document = docx.Document(io.BytesIO(data))
        return "\n".join([p.text for p in document.paragraphs]
                         + [c.text for t in document.tables for r in t.rows for c in r.cells])
    return data.decode("utf-8", "replace")


def test_no_export_prints_a_student_without_consent(tmp_path, make_user, settings):
    """As a LOSFA user (the Board of Regents' group has the same consent rule: test_permissions)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    students = [_student(WITH, True), _student(WITHOUT, False)]
    recompute([s.pk for s in students])
    user = make_user("ELOSINQ", "losfa-inquiry")
    params = {"site": "017001", "sponsor": "017", "bssy": "2025", "grade": "12", "element": "endorsement"}
    printed = []
    for name, exporter in EXPORTERS.items():
        bound = exporter.bind(user)
        for fmt in exporter.formats:
            try:
                bound.check(user, params)
            except (PermissionDenied, BadRequest, Http404):
                continue  # refused outright (a statewide export: not there for this user): nothing printed
            out = tmp_path / f"{name}.{fmt}"
            try:
                written = bound.render(fmt, params, out) or out
            except BadRequest:
                continue  # nothing to print for these params (no official transcript issued yet)
            text = _text(written if written.exists() else out, fmt)
            assert WITHOUT not in text, (name, fmt)
            if WITH in text:
                printed.append(name)
    # The consent-Y student does reach LOSFA/BOR (the test would prove nothing otherwise).
    assert {"summary", "stsq11", "core_progress"} <= set(printed), printed
