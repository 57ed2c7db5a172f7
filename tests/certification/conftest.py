"""Graduates of site 017001 (BSSY 2025) built with the ORM, a throw-away signing certificate, and
private media under tmp."""
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from core_tables.models import SecureId, Site
from tests.online.conftest import open_period  # noqa: F401  (BSSY 2025 current and open)
from transcripts.models import Ibc, Student, Transcript
from transcripts.progress_store import recompute

BSSY = 2025
GRAD_DATE = dt.date(2026, 5, 20)
# 24 one-unit courses meeting every category of the shipped TU curriculum (tests/online/helpers.py).
PASSING_TU = ["120101", "120102", "120103", "120104", "160321", "160331", "160341", "160351", "150301", "150311",
              "150303", "150321", "220101", "220501", "220201", "220204", "140101", "140102", "110101", "190102",
              "190101", "110102", "110103", "110201"]
POINTS = {"A": 4, "B": 3, "C": 2, "D": 1, "F": 0}


@pytest.fixture(scope="session")
def signing_pair(tmp_path_factory):
    from certification.signing import make_self_signed

    folder = tmp_path_factory.mktemp("signing")
    make_self_signed(folder / "cert.pem", folder / "key.pem")
    other = tmp_path_factory.mktemp("other-signing")
    make_self_signed(other / "cert.pem", other / "key.pem", common_name="Somebody else")
    return {"cert": folder / "cert.pem", "key": folder / "key.pem",
            "other_cert": other / "cert.pem", "other_key": other / "key.pem"}


@pytest.fixture(autouse=True)
def signing(settings, signing_pair, tmp_path):
    settings.STS_SIGNING_CERT = str(signing_pair["cert"])
    settings.STS_SIGNING_KEY = str(signing_pair["key"])
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return signing_pair


@pytest.fixture
def site(db):
    return Site.objects.select_related("sponsor").get(code="017001")


def registry(site_code="017001", index=0):
    return SecureId.objects.filter(site__code=site_code, laa1=False).order_by("unique_id")[index]


def make_graduate(index=0, site_code="017001", *, courses=PASSING_TU, grade="A", gee="Y", graduation_date=GRAD_DATE,
                  consent=True, progress=True, **fields):
    """A public TU graduate of the registry at `site_code` with 24 passing courses (ORM set-up)."""
    sid = registry(site_code, index)
    site = Site.objects.select_related("sponsor").get(code=site_code)
    values = dict(bssy=BSSY, sponsor=site.sponsor, site=site, state_id=sid.unique_id, local_id=sid.local_id,
                  first_name=sid.first_name[:1].upper(), last_name=sid.last_name[:3].upper(),
                  birth_day=f"{sid.birth_date.day:02d}", sex=sid.sex, grade="12", grade9_entry=2022,
                  graduation_date=graduation_date, diploma_path="TU", gee_flag=gee, fafsa="1",
                  parental_consent=consent,
                  **{f: getattr(sid, f) for f in ("hispanic", "american_indian", "asian", "black", "pacific_islander",
                                                  "white")})
    values.update(fields)
    student = Student.objects.create(**values)
    Transcript.objects.bulk_create([Transcript(
        student=student, course_bssy=2022 + i // 6, course_code=code, semester="Y1", grade=grade,
        credit_attempted=Decimal(1), credit_earned=Decimal(0) if grade == "F" else Decimal(1),
        grade_point_max=Decimal(4), quality_points=Decimal(POINTS[grade]), course_type="RG",
        course_sponsor=site.sponsor.code, course_site=site.code) for i, code in enumerate(courses)])
    if progress:
        recompute([student.pk])
    return student


def add_ibc(student, code):
    return Ibc.objects.create(student=student, site=student.site.code, ibc_code=code, semester_earned="1",
                              year_earned=BSSY, pass_fail="P", earned_sponsor=student.sponsor.code,
                              earned_site=student.site.code)


def run_list_export(client, site_code, exporter, fmt, **data):
    """Start a list export from the Certify screen and run its job as the worker would."""
    from django.urls import reverse

    from sts.models import ExportJob
    from sts.tasks import run_export

    response = client.post(reverse("certification:list_export", args=[site_code, exporter, fmt]), data)
    assert response.status_code == 302, response.content[:500]
    job = ExportJob.objects.order_by("-pk").first()
    run_export(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == "done", job.message
    return job


def pdf_text(data: bytes, tmp_path: Path) -> str:
    import subprocess

    path = tmp_path / "t.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def graduate(db, open_period):
    return make_graduate(0)


def keep_for_screens(name: str, data: bytes):
    """With STS_SCREENS_DIR set, keep a document a test produced, to be looked at (pdftoppm)."""
    import os

    folder = os.environ.get("STS_SCREENS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(data)
