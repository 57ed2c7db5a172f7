import datetime as dt

import pytest

from api.tokens import create_token


@pytest.fixture
def open_2025(db):
    """BSSY 2025 is current and open (the hand-built batch files are for 2025)."""
    from core_tables.models import CollectionPeriod

    CollectionPeriod.objects.update(is_current=False)
    CollectionPeriod.objects.update_or_create(bssy=2025, defaults={
        "opens": dt.date(2025, 12, 1), "closes": dt.date(2099, 1, 1), "is_current": True})


class Api:
    """The Django test client speaking to /api/v1/ with one user's token."""

    def __init__(self, client, user, name="test", **token_options):
        self.client, self.user = client, user
        self.token, self.raw = create_token(user, name, **token_options)

    def _headers(self, headers):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.raw}",
                **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in (headers or {}).items()}}

    def get(self, path, params=None, headers=None):
        return self.client.get("/api/v1/" + path, params or {}, **self._headers(headers))

    def post_file(self, path_or_bytes, *, mode="validate", bssy=2025, name="batch.txt", headers=None):
        from django.core.files.uploadedfile import SimpleUploadedFile

        content = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
        data = {"file": SimpleUploadedFile(name, content), "mode": mode}
        if bssy is not None:
            data["bssy"] = bssy
        return self.client.post("/api/v1/uploads/", data, **self._headers(headers))


@pytest.fixture
def api_for(client):
    def make(user, name="test", **options):
        from django.test import Client

        return Api(Client(), user, name, **options)
    return make


@pytest.fixture
def users(make_user):
    return {
        "ldoe": make_user("ELDOE01", "ldoe"),
        "lea": make_user("E017UPL", "lea-upload", "017"),
        "s1": make_user("E017SU1", "school-upload", "017", sites=["017001"]),
        "s2": make_user("E017SU2", "school-upload", "017", sites=["017002"]),
        "other": make_user("E036ALL", "lea-all", "036"),
        "inquiry": make_user("E017INQ", "lea-inquiry", "017"),
        "losfa": make_user("ELOSFA1", "losfa-inquiry"),
    }
