"""Tokens: stored as a hash, shown once, expiring, revocable; a disabled or locked user's tokens
stop at once; throttled per token; every call logged for state staff; `sts_token`."""
import datetime as dt
import hashlib
import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone

from api.models import ApiCall, ApiToken

pytestmark = pytest.mark.django_db


def test_only_a_hash_of_the_token_is_stored(users, api_for):
    api = api_for(users["lea"])
    row = ApiToken.objects.values().get(pk=api.token.pk)
    assert row["digest"] == hashlib.sha256(api.raw.encode()).hexdigest()
    assert not any(api.raw in str(v) for v in row.values())
    assert api.get("edits/").status_code == 200


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer sts_not-a-token", "Basic dXNlcjpwYXNz", "Bearer a b"])
def test_no_or_a_wrong_token_is_401(users, client, header):
    r = client.get("/api/v1/edits/", **({"HTTP_AUTHORIZATION": header} if header else {}))
    assert r.status_code == 401 and r["Content-Type"] == "application/problem+json"
    assert r["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_at_once(users, api_for):
    from api.tokens import revoke

    api = api_for(users["lea"])
    assert api.get("edits/").status_code == 200
    revoke(api.token, by=users["lea"])
    r = api.get("edits/")
    assert r.status_code == 401 and "revoked" in r.json()["detail"]


def test_an_expired_token_stops(users, api_for):
    api = api_for(users["lea"], days=1)
    ApiToken.objects.filter(pk=api.token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.get("edits/").status_code == 401


@pytest.mark.parametrize("change", [{"is_active": False}, {"locked": True}])
def test_a_disabled_or_locked_users_tokens_stop_at_once(users, api_for, change):
    from sts.accounts.models import User

    api = api_for(users["lea"])
    assert api.get("uploads/").status_code == 200
    User.objects.filter(pk=users["lea"].pk).update(**change)
    r = api.get("uploads/")
    assert r.status_code == 401 and "disabled or locked" in r.json()["detail"]


def test_throttled_per_token_with_retry_after(users, api_for, settings):
    cache.clear()
    settings.STS_API_RATE = "3/min"
    first, second = api_for(users["lea"], "one"), api_for(users["lea"], "two")
    assert [first.get("edits/").status_code for _ in range(3)] == [200, 200, 200]
    r = first.get("edits/")
    assert r.status_code == 429 and r["Content-Type"] == "application/problem+json"
    assert 0 < int(r["Retry-After"]) <= 60
    assert second.get("edits/").status_code == 200  # another token has its own allowance


def test_every_call_is_logged_and_the_log_is_for_state_staff(users, api_for, client):
    api = api_for(users["lea"], "SIS nightly")
    api.get("uploads/", {"status": "complete"})
    api.get("uploads/999999/")
    client.get("/api/v1/edits/")  # no token
    calls = list(ApiCall.objects.order_by("id").values("user__username", "token_name", "method", "path", "status",
                                                      "duration_ms"))
    assert [(c["user__username"], c["token_name"], c["method"], c["path"], c["status"]) for c in calls] == [
        ("E017UPL", "SIS nightly", "GET", "/api/v1/uploads/?status=complete", 200),
        ("E017UPL", "SIS nightly", "GET", "/api/v1/uploads/999999/", 404),
        (None, "", "GET", "/api/v1/edits/", 401)]
    assert all(c["duration_ms"] >= 0 for c in calls)
    client.force_login(users["ldoe"])
    page = client.get("/api/calls/", {"user": "E017"})
    assert page.status_code == 200 and "/api/v1/uploads/999999/" in page.content.decode()
    assert "SIS nightly" in page.content.decode()
    client.force_login(users["lea"])
    assert client.get("/api/calls/").status_code == 403


def test_sts_token_create_list_revoke(users, client):
    out = io.StringIO()
    call_command("sts_token", "create", "--user", "E017UPL", "--name", "SIS", "--days", "30", stdout=out)
    raw = out.getvalue().split()[-1]
    assert raw.startswith("sts_")
    assert client.get("/api/v1/edits/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    token = ApiToken.objects.get(user=users["lea"], name="SIS")
    assert 29 <= (token.expires_at - timezone.now()).days <= 30
    out = io.StringIO()
    call_command("sts_token", "list", "--user", "E017UPL", stdout=out)
    assert "SIS" in out.getvalue() and "active" in out.getvalue() and raw not in out.getvalue()
    with pytest.raises(CommandError, match="already has an active token"):
        call_command("sts_token", "create", "--user", "E017UPL", "--name", "SIS", stdout=io.StringIO())
    call_command("sts_token", "revoke", "--user", "E017UPL", "--name", "SIS", stdout=io.StringIO())
    assert client.get("/api/v1/edits/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    with pytest.raises(CommandError, match="no active token"):
        call_command("sts_token", "revoke", "--user", "E017UPL", "--name", "SIS", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No user"):
        call_command("sts_token", "list", "--user", "ENOBODY", stdout=io.StringIO())
    with pytest.raises(CommandError, match="1 to 366 days"):
        call_command("sts_token", "create", "--user", "E017UPL", "--name", "X", "--days", "0", stdout=io.StringIO())


def test_the_profile_page_shows_a_new_token_once_and_revokes_it(users, client):
    client.force_login(users["lea"])
    page = client.post("/api/tokens/", {"name": "SIS nightly", "days": "30"}).content.decode()
    token = ApiToken.objects.get(user=users["lea"], name="SIS nightly")
    raw = page.split('id="new-token-value" readonly value="')[1].split('"')[0]
    assert hashlib.sha256(raw.encode()).hexdigest() == token.digest
    again = client.get("/api/tokens/").content.decode()
    assert "SIS nightly" in again and raw not in again and token.prefix in again
    assert client.get("/api/v1/edits/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    client.post(f"/api/tokens/{token.pk}/revoke/")
    assert client.get("/api/v1/edits/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert "revoked" in client.get("/api/tokens/").content.decode()


def test_a_callback_url_must_be_https(users, client):
    client.force_login(users["lea"])
    page = client.post("/api/tokens/", {"name": "hook", "days": "30", "callback_url": "http://sis.example/hook"})
    assert "must start with https://" in page.content.decode()
    assert not ApiToken.objects.filter(name="hook").exists()


def test_the_security_screen_lists_and_revokes_the_tokens_of_the_coordinators_users(users, make_user, client,
                                                                                   api_for):
    coordinator = make_user("E017ALL", "lea-all", "017")
    mine, theirs = api_for(users["lea"], "SIS nightly"), api_for(users["other"], "Other SIS")
    client.force_login(coordinator)
    page = client.get("/accounts/security/").content.decode()
    assert "SIS nightly" in page and "Other SIS" not in page
    assert client.post(f"/api/tokens/{theirs.token.pk}/revoke/").status_code == 404
    assert theirs.get("edits/").status_code == 200
    r = client.post(f"/api/tokens/{mine.token.pk}/revoke/")
    assert r.status_code == 302 and r["Location"].endswith("/accounts/security/")
    assert mine.get("edits/").status_code == 401
    client.force_login(users["ldoe"])
    page = client.get("/accounts/security/").content.decode()
    assert "SIS nightly" in page and "Other SIS" in page
    client.force_login(users["s1"])  # a school user may not revoke another user's token
    assert client.post(f"/api/tokens/{theirs.token.pk}/revoke/").status_code == 404
