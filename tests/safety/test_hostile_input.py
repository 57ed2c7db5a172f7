"""Hostile and broken input gets a clear message, never a 500, and nothing is written (issue 8,
items 5 and 7): NUL bytes, bad export parameters, damaged zips, a 50 MB line, an off-site Referer,
a body over the size limit, and sign-in races."""
import re
import threading
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from transcripts.models import Student
from uploads.models import Upload
from uploads.pipeline import run_pipeline

from tests.batch.helpers import TODAY, course, registry_student, student_record, write


@pytest.fixture
def lea(make_user):
    return make_user("E017UPL", "lea-upload", "017")


@pytest.mark.django_db
@pytest.mark.parametrize("url,params", [
    ("transcripts:site_list", {"q": "a\x00b"}),
    ("search_student", {"state_id": "123\x00"}),
    ("uploads:history", {"page": "\x00"}),
    ("transcripts:reports", {"site": "017001\x00", "report": "stsq11"}),
])
def test_a_nul_byte_in_a_query_parameter_answers_400(client, lea, url, params):
    client.force_login(lea)
    response = client.get(reverse(url), params)
    assert response.status_code == 400
    assert "holds a NUL character" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_byte_in_a_form_field_or_the_path_answers_400(client, lea):
    client.force_login(lea)
    assert client.post(reverse("select_bssy"), {"bssy": "2025\x00"}).status_code == 400
    assert client.get("/students/site/017%00/").status_code in (400, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("exporter,params", [
    ("stsq11", {}), ("stsq11", {"site": "017001"}), ("stsq11", {"site": "017001", "bssy": "twenty"}),
    ("stsq11", {"site": "999999", "bssy": "2025"}), ("upload_errors", {}), ("upload_errors", {"upload": "x"}),
    ("upload_errors", {"upload": "987654"}), ("stsq12", {"bssy": ""}),
])
def test_missing_or_bad_export_parameters_answer_400(client, lea, exporter, params):
    client.force_login(lea)
    response = client.post(reverse("export_request", args=[exporter, "csv"]), params)
    assert response.status_code == 400, response.content[:300]


@pytest.mark.django_db
def test_an_unknown_export_or_format_is_404(client, lea):
    client.force_login(lea)
    assert client.post(reverse("export_request", args=["nope", "csv"])).status_code == 404
    assert client.post(reverse("export_request", args=["stsq11", "exe"]), {"site": "017001", "bssy": 2025}).status_code == 404


@pytest.mark.django_db
def test_a_zip_member_failing_its_crc_is_reported_and_nothing_is_written(tmp_path, lea):
    sid = registry_student()
    text = write(tmp_path / "a.txt", student_record(sid), course(sid)).read_bytes()
    with zipfile.ZipFile(tmp_path / "crc.zip", "w", zipfile.ZIP_STORED) as z:
        z.writestr("good.txt", text)
    data = bytearray((tmp_path / "crc.zip").read_bytes())
    where = data.find(b"STS020")
    data[where + 20] ^= 0x01  # one flipped bit inside the stored member: its CRC no longer matches
    (tmp_path / "crc.zip").write_bytes(bytes(data))
    run = run_pipeline(tmp_path / "crc.zip", "crc.zip", mode="partial", today=TODAY, user=lea)
    assert not run.accepted
    assert run.file_errors[0]["code"] == "ZIP" and "Damaged zip member crc.zip/good.txt" in run.file_errors[0]["message"]
    assert not Student.objects.exists()


@pytest.mark.django_db
def test_a_file_of_one_50_mb_line_is_one_length_error(tmp_path, lea):
    path = tmp_path / "long.txt"
    with open(path, "wb") as f:
        f.write(b"STS0202025017" + b"9" * (50 << 20) + b"\r\n")
    run = run_pipeline(path, "long.txt", mode="validate", today=TODAY, user=lea)
    assert not run.accepted
    assert [e["code"] for e in run.file_errors] == ["LENGTH"]
    assert run.file_errors[0]["message"].startswith("Line 1: the 020 record is over 1,048,576 characters long")


@pytest.mark.django_db
def test_the_state_id_search_never_redirects_off_site(client, lea):
    client.force_login(lea)
    for referer in ("https://evil.example/phish", "//evil.example/x", "javascript:alert(1)"):
        response = client.get(reverse("search_student"), {"state_id": ""}, HTTP_REFERER=referer)
        assert response.status_code == 302 and response.url == reverse("home"), referer
    response = client.get(reverse("search_student"), {"state_id": ""},
                          HTTP_REFERER="http://testserver/students/?page=2")
    assert response.url == "/students/?page=2"
    response = client.post(reverse("select_bssy"), {"bssy": "2025", "next": "https://evil.example/"})
    assert response.url == "/"


@pytest.mark.django_db
def test_the_size_limit_holds_while_the_body_streams_in(client, lea, settings, tmp_path):
    settings.STS_UPLOAD_MAX_BYTES = 50_000
    client.force_login(lea)
    response = client.post(reverse("uploads:upload"), {
        "bssy": 2025, "mode": "validate", "file": SimpleUploadedFile("big.txt", b"STS" + b"0" * 60_000)})
    assert response.status_code == 200
    assert "big.txt is larger than the 50,000-byte limit; it was not stored" in response.content.decode()
    assert not Upload.objects.exists()


def test_the_size_limit_handler_stops_at_the_limit_not_after_the_file(settings):
    from django.core.files.uploadhandler import SkipFile
    from django.test import RequestFactory

    from uploads.handlers import SizeLimitUploadHandler

    settings.STS_UPLOAD_MAX_BYTES = 100
    request = RequestFactory().post("/")
    handler = SizeLimitUploadHandler(request)
    handler.new_file("file", "f.txt", "text/plain", 10_000)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 60, 60)  # the chunk that crosses the limit is not passed on
    assert request.upload_too_large == ("f.txt", 100)


@pytest.mark.postgres
def test_the_lockout_holds_under_parallel_wrong_passwords(committed_reference, make_user):
    """8 threads x 40 wrong passwords: the count stops at exactly 5 and the right password then fails."""
    from django.contrib.auth import authenticate
    from django.db import connection

    from sts.accounts.models import User

    make_user("E017UPD", "lea-update", "017", password="Gumbo7$Levee")
    successes = []

    def attack():
        try:
            for _ in range(40):
                authenticate(username="E017UPD", password="wrong-Password-9")
            if authenticate(username="E017UPD", password="Gumbo7$Levee"):
                successes.append(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=attack) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    user = User.objects.get(username="E017UPD")
    assert user.locked and user.failed_signins == 5
    assert successes == []
    assert authenticate(username="E017UPD", password="Gumbo7$Levee") is None


@pytest.mark.django_db
def test_security_headers_on_every_page(client, lea):
    client.force_login(lea)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert "<script>" not in response.content.decode()  # no inline script anywhere in the shell


@pytest.mark.django_db
def test_sign_in_sets_secure_http_only_cookies(make_user):
    make_user("E017UPD", "lea-update", "017", password="Gumbo7$Levee")
    client = Client()
    client.get(reverse("accounts:login"))
    assert client.cookies["csrftoken"]["secure"] and client.cookies["csrftoken"]["httponly"]
    response = client.post(reverse("accounts:login"), {"username": "E017UPD", "password": "Gumbo7$Levee"})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "STS_SSL", "STS_SECURE"))}
    # Production's own var dir: no laptop var/local.env (which `make test` writes) to read.
    env["DJANGO_SETTINGS_MODULE"], env["STS_VAR_DIR"] = "sts.settings", str(tmp_path)
    proc = subprocess.run([sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert proc.returncode != 0 and "DJANGO_SECRET_KEY is not set" in proc.stderr
    env["DJANGO_DEBUG"] = "1"
    proc = subprocess.run([sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert proc.returncode == 0, proc.stderr


def test_check_deploy_is_clean_for_the_production_settings(tmp_path):
    import os
    import subprocess
    import sys

    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "STS_SSL", "STS_SECURE"))},
           "DJANGO_SETTINGS_MODULE": "sts.settings", "STS_VAR_DIR": str(tmp_path),
           "DJANGO_SECRET_KEY": "a-production-like-key-" + "k7Qz9#xW2" * 6, "DJANGO_ALLOWED_HOSTS": "sts.example.org"}
    proc = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env=env,
                          capture_output=True, text=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_template_holds_inline_script():
    """The Content-Security-Policy refuses inline script: behaviour lives in static/sts/*.js."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    found = []
    for path in root.rglob("*.html"):
        text = path.read_text()
        found += [f"{path.relative_to(root)}: {m.group(0)[:40]}" for m in re.finditer(
            r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=\"|javascript:", text)]
    assert not found, found
