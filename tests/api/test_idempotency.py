"""Idempotency-Key: a retried submission returns the first upload, never a second one."""
import pytest

from uploads.models import Upload

from tests.batch.helpers import course, registry_student, student_record, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def path(tmp_path, settings, open_2025):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    sid = registry_student("017001")
    return write(tmp_path / "f.txt", student_record(sid), course(sid))


def test_the_same_key_returns_the_first_upload(path, users, api_for):
    lea = api_for(users["lea"])
    first = lea.post_file(path, mode="partial", headers={"Idempotency-Key": "batch-2026-03-02"})
    again = lea.post_file(path, mode="partial", headers={"Idempotency-Key": "batch-2026-03-02"})
    assert first.status_code == 202 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Upload.objects.count() == 1
    other_key = lea.post_file(path, mode="partial", headers={"Idempotency-Key": "batch-2026-03-03"})
    assert other_key.status_code == 202 and other_key.json()["id"] != first.json()["id"]
    no_key = lea.post_file(path, mode="partial")
    assert no_key.status_code == 202 and Upload.objects.count() == 3


def test_a_key_belongs_to_its_user(path, users, api_for, make_user):
    lea, peer = api_for(users["lea"]), api_for(make_user("E017UP2", "lea-upload", "017"))
    a = lea.post_file(path, mode="partial", headers={"Idempotency-Key": "k1"}).json()["id"]
    b = peer.post_file(path, mode="partial", headers={"Idempotency-Key": "k1"}).json()["id"]
    assert a != b and Upload.objects.count() == 2


def test_a_key_with_a_refused_submission_keeps_nothing(path, users, api_for):
    lea = api_for(users["lea"])
    bad = lea.post_file(path, mode="sometimes", headers={"Idempotency-Key": "k2"})
    assert bad.status_code == 400
    good = lea.post_file(path, mode="partial", headers={"Idempotency-Key": "k2"})
    assert good.status_code == 202 and Upload.objects.count() == 1
    assert lea.post_file(path, mode="partial", headers={"Idempotency-Key": "x" * 201}).status_code == 400
