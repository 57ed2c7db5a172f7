"""With a real Celery worker on Redis and PostgreSQL: the Python client of docs/api.md, holding
only a token, submits a generated batch, polls it to complete, pages its errors and reads a
student's progress; and the signed callback is delivered, retried after a failure."""
import datetime as dt
import io
import json
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command

from api.callbacks import verify
from api.models import Callback
from uploads.models import Upload

from tests.integration.conftest import wait_for, worker  # noqa: F401  (the real-worker fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


@pytest.fixture(autouse=True)
def _quick_callback_retries(monkeypatch):
    monkeypatch.setenv("STS_API_CALLBACK_BACKOFF", "1")  # read by the worker started after this


@pytest.fixture
def period(committed_reference):
    from core_tables.models import CollectionPeriod

    CollectionPeriod.objects.update(is_current=False)
    CollectionPeriod.objects.create(bssy=2025, opens=dt.date(2025, 12, 1), closes=dt.date(2099, 1, 1),
                                    is_current=True)


def _generate(tmp_path, students, error_rate):
    out = tmp_path / f"gen{students}.txt"
    call_command("generate_batch", "--students", str(students), "--sponsor", "017", "--seed", "7", "--error-rate",
                 error_rate, "--out", str(out), "--today", "2026-03-01", stdout=io.StringIO())
    return out


def _docs_client(tmp_path):
    text = DOCS.read_text()
    code = re.search(r"<!-- client -->\s*```python\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "sts_client.py"
    path.write_text(code)
    return path


def test_the_docs_client_submits_polls_pages_errors_and_reads_progress(worker, period, live_server, make_user,
                                                                       tmp_path):
    user = make_user("E017UPL", "lea-upload", "017")
    out = io.StringIO()
    call_command("sts_token", "create", "--user", user.username, "--name", "SIS", stdout=out)
    token = out.getvalue().split()[-1]
    batch = _generate(tmp_path, 30, "0.3")
    run = subprocess.run([sys.executable, str(_docs_client(tmp_path)), live_server.url, token, str(batch), "2025"],
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    upload = Upload.objects.get()
    assert upload.status == "complete" and lines[0].startswith(f"upload {upload.pk} complete")
    errors = [line for line in lines if line.startswith("error ")]
    assert len(errors) == upload.errors.count() > 0  # every page was read
    student = [line for line in lines if line.startswith("student ")]
    assert len(student) == 1 and "overall GPA" in student[0]


class _Hook(BaseHTTPRequestHandler):
    answers = []  # status codes to answer, in order (then 200)
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        status = type(self).answers.pop(0) if type(self).answers else 200
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hook():
    _Hook.answers, _Hook.received = [503], []
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sts-hook", _Hook
    server.shutdown()


def test_the_callback_is_signed_and_retried_until_delivered(worker, period, make_user, tmp_path, hook, settings):
    from django.test import Client

    from api.tokens import create_token

    settings.STS_API_CALLBACK_ALLOW_HTTP = True  # the local test server speaks http
    url, server = hook
    user = make_user("E017UPL", "lea-upload", "017")
    token, raw = create_token(user, "SIS", callback_url=url)
    batch = _generate(tmp_path, 10, "0.3")
    with batch.open("rb") as f:
        r = Client().post("/api/v1/uploads/", {"file": f, "bssy": "2025", "mode": "partial"},
                          HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 202
    callback = wait_for(lambda: Callback.objects.filter(status__in=["delivered", "failed"]).first(), 90,
                        "the callback to be delivered")
    assert callback.status == "delivered" and callback.attempts == 2  # a 503 first, then 200
    assert len(server.received) == 2
    headers, body = server.received[-1]
    assert verify(token.callback_secret, body, headers["X-STS-Signature"])
    assert not verify("another secret", body, headers["X-STS-Signature"])
    sent = json.loads(body)
    assert sent["event"] == "upload.finished"
    assert sent["upload"]["id"] == r.json()["id"] and sent["upload"]["status"] == "complete"
    assert sent["upload"]["error_counts"] == Upload.objects.get().error_counts
