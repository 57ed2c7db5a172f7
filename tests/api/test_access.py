"""Each role through each operation: a token acts with exactly its user's rights, by sponsor and
by site and consent; what is out of reach is 404, never 403."""
import pytest

from uploads.models import Upload
from uploads.tasks import run_upload

from tests.batch.helpers import course, registry_student, student_record, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(tmp_path, settings, users, open_2025):
    """An LEA upload (017): a valid student at 017001 (consent Y), one at 017002 (consent N), and a
    rejected one at 017001 (semester Q9)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    a, b, c = registry_student("017001"), registry_student("017002"), registry_student("017001", 1)
    path = write(tmp_path / "lea.txt", student_record(a), course(a), student_record(b, parental_consent="N"),
                 course(b), student_record(c), course(c, semester="Q9"))
    return path, a, b, c


def _submit(api, path, **kw):
    r = api.post_file(path, **kw)
    assert r.status_code == 202, r.content
    upload = Upload.objects.get(pk=r.json()["id"])
    run_upload(upload, synchronous=True)
    return upload


def test_the_submitter_follows_its_upload_and_reads_errors_and_students(batch, users, api_for):
    path, a, b, c = batch
    lea = api_for(users["lea"])
    r = lea.post_file(path, mode="partial")
    assert r.status_code == 202 and r.json()["status"] == "queued"
    assert r["Location"] == r.json()["url"] and r.json()["url"].endswith(f"/api/v1/uploads/{r.json()['id']}/")
    upload = Upload.objects.get(pk=r.json()["id"])
    run_upload(upload, synchronous=True)
    body = lea.get(f"uploads/{upload.pk}/").json()
    assert body["status"] == "complete" and body["sponsor"] == "017" and body["bssy"] == 2025
    assert body["students"] == {"total": 3, "loaded": 2, "rejected": 1}
    assert body["counts"]["020"] == {"with_error": 0, "rejected": 1, "loaded": 2}
    assert body["error_counts"] == {"304": 1}
    errors = lea.get(f"uploads/{upload.pk}/errors/").json()
    assert errors["count"] == 1
    row = errors["results"][0]
    assert (row["line"], row["record_type"], row["state_id"], row["code"], row["field"], row["value"]) == (
        6, "030", c.unique_id, "304", "semester", "Q9")
    assert row["position"] and row["length"] == 2 and row["student_name"] and "Y1" in row["solution"]
    students = lea.get("students/", {"bssy": 2025}).json()
    assert {s["state_id"] for s in students["results"]} == {a.unique_id, b.unique_id}
    detail = lea.get(f"students/{a.unique_id}/2025/").json()
    assert detail["records"]["student"]["state_id"] == a.unique_id
    assert [t["course_code"] for t in detail["records"]["transcripts"]] == ["120101"]
    assert "overall_gpa" in detail["progress"] and detail["progress"]["overall_gpa"] == 4.0


def test_student_progress_is_the_json_of_sts_progress(batch, users, api_for):
    import io
    import json

    from django.core.management import call_command

    path, a, _b, _c = batch
    lea = api_for(users["lea"])
    _submit(lea, path, mode="partial")
    out = io.StringIO()
    call_command("sts_progress", "--state-id", a.unique_id, "--bssy", "2025", "--json", stdout=out)
    assert lea.get(f"students/{a.unique_id}/2025/").json()["progress"] == json.loads(out.getvalue())


def test_another_sponsor_sees_nothing_of_it_and_gets_404_not_403(batch, users, api_for):
    path, a, b, _c = batch
    upload = _submit(api_for(users["lea"]), path, mode="partial")
    other = api_for(users["other"])
    for address in (f"uploads/{upload.pk}/", f"uploads/{upload.pk}/errors/", f"students/{a.unique_id}/2025/",
                    f"students/{b.unique_id}/2025/"):
        r = other.get(address)
        assert r.status_code == 404, address
        assert r["Content-Type"] == "application/problem+json" and r.json()["status"] == 404
    assert other.get("uploads/").json()["count"] == 0
    assert other.get("students/", {"bssy": 2025}).json()["count"] == 0
    # Nor does it learn the object exists: the answer is the same as for an id that does not exist.
    assert other.get(f"uploads/{upload.pk}/").json()["detail"] == other.get(
        f"uploads/{upload.pk + 1000}/").json()["detail"].replace(str(upload.pk + 1000), str(upload.pk))


def test_school_users_reach_only_their_site(batch, users, api_for):
    path, a, b, _c = batch
    upload = _submit(api_for(users["lea"]), path, mode="partial")
    s1, s2 = api_for(users["s1"]), api_for(users["s2"])
    assert s1.get(f"students/{a.unique_id}/2025/").status_code == 200
    assert s1.get(f"students/{b.unique_id}/2025/").status_code == 404
    assert s2.get(f"students/{b.unique_id}/2025/").status_code == 200
    assert s2.get(f"students/{a.unique_id}/2025/").status_code == 404
    assert {s["site"] for s in s1.get("students/", {"bssy": 2025}).json()["results"]} == {"017001"}
    assert s1.get("students/", {"bssy": 2025, "site": "017002"}).json()["count"] == 0
    # An LEA user's upload is not a school user's (uploads follow sites: docs/decisions.md).
    assert s1.get(f"uploads/{upload.pk}/").status_code == 404


def test_a_school_users_own_upload_shows_only_rows_of_its_sites(tmp_path, settings, users, api_for, open_2025):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    a = registry_student("017001")
    s1 = api_for(users["s1"])
    upload = _submit(s1, write(tmp_path / "s1.txt", student_record(a), course(a, semester="Q9")), mode="partial")
    assert s1.get(f"uploads/{upload.pk}/errors/").json()["count"] == 1
    assert api_for(users["s2"]).get(f"uploads/{upload.pk}/").status_code == 404
    assert api_for(users["lea"]).get(f"uploads/{upload.pk}/errors/").json()["count"] == 1


def test_state_staff_see_every_sponsor_and_consent_only_users_only_consenting_students(batch, users, api_for):
    path, a, b, _c = batch
    upload = _submit(api_for(users["lea"]), path, mode="partial")
    ldoe = api_for(users["ldoe"])
    assert ldoe.get(f"uploads/{upload.pk}/").status_code == 200
    assert ldoe.get(f"students/{b.unique_id}/2025/").status_code == 200
    losfa = api_for(users["losfa"])
    assert losfa.get(f"students/{a.unique_id}/2025/").status_code == 200
    assert losfa.get(f"students/{b.unique_id}/2025/").status_code == 404  # consent N
    assert losfa.post_file(path, mode="validate").status_code == 403


def test_an_inquiry_user_reads_but_may_not_submit(batch, users, api_for):
    path, a, _b, _c = batch
    _submit(api_for(users["lea"]), path, mode="partial")
    inquiry = api_for(users["inquiry"])
    assert inquiry.get(f"students/{a.unique_id}/2025/").status_code == 200
    before = Upload.objects.count()
    r = inquiry.post_file(path, mode="partial")
    assert r.status_code == 403 and "may not upload" in r.json()["detail"]
    assert Upload.objects.count() == before


def test_a_file_of_another_sponsor_is_refused_before_it_is_stored(batch, users, api_for):
    path, *_ = batch
    before = Upload.objects.count()
    r = api_for(users["other"]).post_file(path, mode="partial")
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "file" and "another sponsor" in r.json()["detail"]
    assert Upload.objects.count() == before


@pytest.mark.parametrize("data, field", [
    ({"mode": "sometimes"}, "mode"), ({"bssy": "1900"}, "bssy"), ({"bssy": "twenty"}, "bssy"), ({"file": None}, "file"),
])
def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(batch, users, api_for, data, field):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path, *_ = batch
    lea = api_for(users["lea"])
    form = {"file": SimpleUploadedFile("f.txt", path.read_bytes()), "mode": "partial", "bssy": "2025", **data}
    form = {k: v for k, v in form.items() if v is not None}
    before = Upload.objects.count()
    r = lea.client.post("/api/v1/uploads/", form, HTTP_AUTHORIZATION=f"Bearer {lea.raw}")
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in r.json()["errors"]] == [field] and field in r.json()["detail"]
    assert Upload.objects.count() == before


def test_a_file_over_the_size_limit_is_413_and_not_stored(batch, users, api_for, settings):
    path, *_ = batch
    settings.STS_UPLOAD_MAX_BYTES = 100
    before = Upload.objects.count()
    r = api_for(users["lea"]).post_file(path, mode="partial")
    assert r.status_code == 413 and "100-byte limit" in r.json()["detail"]
    assert Upload.objects.count() == before


@pytest.mark.parametrize("address, params, field", [
    ("uploads/", {"status": "lost"}, "status"), ("uploads/", {"since": "yesterday"}, "since"),
    ("students/", {"updated_since": "2026-13-45"}, "updated_since"), ("students/", {"bssy": "99999"}, "bssy"),
    ("reference/course-codes/", {"bssy": "x"}, "bssy"),
])
def test_bad_query_parameters_are_400_naming_the_field(users, api_for, address, params, field):
    r = api_for(users["lea"]).get(address, params)
    assert r.status_code == 400 and [e["field"] for e in r.json()["errors"]] == [field]


def test_errors_filter_by_code_state_id_and_record_type_and_page(tmp_path, settings, users, api_for, open_2025):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    sids = [registry_student("017001", i) for i in range(3)]
    records = [r for sid in sids for r in (student_record(sid), course(sid, semester="Q9"),
                                            course(sid, code="120102", semester="Q8"))]
    lea = api_for(users["lea"])
    upload = _submit(lea, write(tmp_path / "e.txt", *records), mode="validate")
    url = f"uploads/{upload.pk}/errors/"
    everything = lea.get(url).json()
    assert everything["count"] == 6
    assert lea.get(url, {"state_id": sids[1].unique_id}).json()["count"] == 2
    assert lea.get(url, {"record_type": "020"}).json()["count"] == 0
    assert lea.get(url, {"code": "304", "record_type": "030"}).json()["count"] == 6
    first = lea.get(url, {"page_size": 4}).json()
    second = lea.client.get(first["next"], HTTP_AUTHORIZATION=f"Bearer {lea.raw}").json()
    assert len(first["results"]) == 4 and len(second["results"]) == 2 and second["next"] is None
    assert [r["line"] for r in first["results"] + second["results"]] == [e["line"] for e in everything["results"]]


def test_updated_since_returns_only_what_changed(batch, users, api_for):
    import datetime as dt

    from django.utils import timezone

    from transcripts.models import Student

    path, a, b, _c = batch
    lea = api_for(users["lea"])
    _submit(lea, path, mode="partial")
    Student.objects.update(updated_at=timezone.now() - dt.timedelta(days=2))
    Student.objects.filter(state_id=a.unique_id).update(updated_at=timezone.now())
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert [s["state_id"] for s in lea.get("students/", {"bssy": 2025, "updated_since": since}).json()["results"]] == [
        a.unique_id]


def test_edit_catalog_and_reference_tables(users, api_for):
    from transcripts.edits import CATALOG

    lea = api_for(users["lea"])
    edits = lea.get("edits/").json()
    assert [e["code"] for e in edits] == list(CATALOG)
    semester = next(e for e in edits if e["code"] == "304")
    assert semester["record_type"] == "030" and semester["field"] == "semester" and semester["length"] == 2
    assert semester["solution"] == CATALOG["304"].solution
    codes = lea.get("reference/course-codes/", {"bssy": 2025}).json()
    assert codes["count"] == len(codes["results"]) > 0 and all(
        c["first_bssy"] <= 2025 and (c["last_bssy"] is None or c["last_bssy"] >= 2025) for c in codes["results"])
    curricula = lea.get("reference/curricula/").json()["results"]
    assert curricula and all("categories" in c for c in curricula)
    assert any(s["course"] for c in curricula for cat in c["categories"] for s in cat["sets"])
    sites = {s["code"]: s for s in lea.get("reference/sites/").json()["results"]}
    assert sites["017001"]["name"] == "Demo High" and sites["017001"]["sponsor"] == "017"
    assert lea.get("reference/ibc-codes/").json()["count"] > 0
    assert lea.get("reference/students/").status_code == 404


def test_the_sites_table_gives_each_sites_postal_address_and_phone(users, api_for):
    from core_tables.models import Site

    Site.objects.filter(code="017001").update(address="12 Levee Walk", city="Baton Rouge", state="LA",
                                              zip_code="70802-1234", phone="(225) 555-0100")
    Site.objects.filter(code="017002").update(address="", city="", zip_code="", phone="")
    sites = {s["code"]: s for s in api_for(users["lea"]).get("reference/sites/").json()["results"]}
    assert {k: sites["017001"][k] for k in ("address", "city", "state", "zip_code", "phone")} == {
        "address": "12 Levee Walk", "city": "Baton Rouge", "state": "LA", "zip_code": "70802-1234",
        "phone": "(225) 555-0100"}
    assert (sites["017002"]["address"], sites["017002"]["phone"]) == ("", "")  # none on file: empty, never null


def test_reference_updated_since_follows_a_reference_load(users, api_for, tmp_path):
    import datetime as dt
    import shutil

    from django.utils import timezone

    from core_tables.loading import load_folder
    from core_tables.models import IbcCode
    from tests.conftest import REFERENCE_DIR

    IbcCode.objects.update(updated_at=timezone.now() - dt.timedelta(days=3))
    folder = tmp_path / "ref"
    folder.mkdir()
    shutil.copy(REFERENCE_DIR / "ibc_codes.csv", folder / "ibc_codes.csv")
    lines = (folder / "ibc_codes.csv").read_text().splitlines()
    header, first = lines[0], lines[1].split(",")
    first[1] = "Renamed certificate"
    (folder / "ibc_codes.csv").write_text("\n".join([header, ",".join(first), *lines[2:]]) + "\n")
    load_folder(folder)
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    changed = api_for(users["lea"]).get("reference/ibc-codes/", {"updated_since": since}).json()["results"]
    assert [(c["code"], c["name"]) for c in changed] == [(first[0], "Renamed certificate")]


def test_unknown_addresses_and_nul_bytes_answer_problem_details(users, api_for):
    lea = api_for(users["lea"])
    r = lea.get("nothing-here/")
    assert r.status_code == 404 and r["Content-Type"] == "application/problem+json"
    r = lea.get("students/", {"site": "017\x00001"})
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json" and "site" in r.json()["detail"]
    r = lea.client.post("/api/v1/uploads/", '{"mode": "partial"}', content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {lea.raw}")
    assert r.status_code == 415 and r.json()["status"] == 415


def test_a_zip_is_opened_and_a_closed_period_refuses_the_file_as_on_the_upload_page(batch, users, api_for, tmp_path):
    import zipfile

    from core_tables.models import CollectionPeriod

    path, a, _b, _c = batch
    lea = api_for(users["lea"])
    archive = tmp_path / "lea.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(path, "lea.txt")
    body = lea.get(f"uploads/{_submit(lea, archive, mode='partial', name='lea.zip').pk}/").json()
    assert body["status"] == "complete" and body["students"]["loaded"] == 2
    CollectionPeriod.objects.filter(bssy=2025).update(closed_for_maintenance=True, maintenance_message="closed today")
    body = lea.get(f"uploads/{_submit(lea, path, mode='partial').pk}/").json()
    assert body["status"] == "not_accepted" and body["accepted"] is False
    assert any("closed today" in e["message"] for e in body["file_errors"])
