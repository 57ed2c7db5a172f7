"""The live schema: valid OpenAPI 3, and schemathesis run against it (every operation, bounded
examples, authenticated): no 5xx, and every response matches the schema (status, content type,
body)."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from tests.batch.helpers import course, registry_student, student_record, write

pytestmark = pytest.mark.django_db

EXAMPLES = 25  # per operation: bounded, so the suite stays quick


@pytest.fixture
def api_schema(db, users, api_for, tmp_path, settings, open_2025):
    """The schema served at /api/v1/schema/, called in-process (WSGI) with an LEA user's token, with
    one processed upload and its students on file so that ids can also hit real rows."""
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    from uploads.models import Upload
    from uploads.tasks import run_upload

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STS_API_RATE = "100000/min"
    lea = api_for(users["lea"])
    a, b = registry_student("017001"), registry_student("017002")
    path = write(tmp_path / "f.txt", student_record(a), course(a), student_record(b), course(b, semester="Q9"))
    upload = Upload.objects.get(pk=lea.post_file(path, mode="partial").json()["id"])
    run_upload(upload, synchronous=True)
    # The WSGI handler closes "old" connections around each request, which would close the test's
    # transaction; Django's own test client disconnects the same receivers.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    schema.token = lea.raw
    yield schema
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


OPERATIONS = [("GET", "/api/v1/uploads/"), ("POST", "/api/v1/uploads/"), ("GET", "/api/v1/uploads/{id}/"),
              ("GET", "/api/v1/uploads/{id}/errors/"), ("GET", "/api/v1/students/"),
              ("GET", "/api/v1/students/{state_id}/{bssy}/"), ("GET", "/api/v1/edits/"),
              ("GET", "/api/v1/reference/{table}/")]


# One test per operation, driven by hypothesis directly (schemathesis' pytest plugin does not run
# under pytest 9 yet); the schema is the one the running app serves.
@pytest.mark.parametrize("method, path", OPERATIONS)
def test_no_server_error_and_every_response_matches_the_schema(api_schema, method, path):
    operation = api_schema[path][method]
    headers = {"Authorization": f"Bearer {api_schema.token}"}
    seen = []

    @given(case=operation.as_strategy())
    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call_and_validate(headers=headers, checks=[
            not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance])
        seen.append(response.status_code)

    run()
    assert len(seen) >= min(EXAMPLES, 5)  # it really called the operation


def test_the_schema_is_valid_openapi_and_documents_every_operation_with_examples(client):
    import json

    from drf_spectacular.validation import validate_schema

    r = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    spec = json.loads(r.content)
    validate_schema(spec)  # raises on a schema that is not valid OpenAPI 3
    operations = {(m.upper(), p) for p, item in spec["paths"].items() for m in item if m in ("get", "post")}
    assert operations == {
        ("GET", "/api/v1/uploads/"), ("POST", "/api/v1/uploads/"), ("GET", "/api/v1/uploads/{id}/"),
        ("GET", "/api/v1/uploads/{id}/errors/"), ("GET", "/api/v1/students/"),
        ("GET", "/api/v1/students/{state_id}/{bssy}/"), ("GET", "/api/v1/edits/"),
        ("GET", "/api/v1/reference/{table}/")}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            ok = op["responses"].get("200") or op["responses"].get("202")
            assert ok["content"]["application/json"].get("examples"), f"{method} {path} has no example"
            for code in ("401", "429"):
                assert "application/problem+json" in op["responses"][code]["content"]
    post = spec["paths"]["/api/v1/uploads/"]["post"]
    assert post["requestBody"]["content"]["multipart/form-data"].get("examples")


def test_swagger_ui_and_redoc_are_served_from_local_static_files_without_inline_script(client):
    import re

    for address in ("/api/v1/docs/", "/api/v1/docs/redoc/"):
        page = client.get(address).content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert any("/static/drf_spectacular_sidecar/" in s for s in sources), address
        assert all(s.startswith("/") for s in sources), (address, sources)  # nothing from another host
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), f"{address} has an inline script"
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content
