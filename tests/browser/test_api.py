"""Journeys of the REST API's pages: a coordinator creates a token on the profile page (shown
once), a SIS uses it, it is revoked there or by the security coordinator on the Security screen;
state staff read the call log; the Swagger UI and Redoc render from local files under the CSP."""
import os
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("STS_SCREENSHOTS")  # a folder: keep a picture of each page for review


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _edits(live_server, token):
    return requests.get(f"{live_server.url}/api/v1/edits/", headers={"Authorization": f"Bearer {token}"}, timeout=30)


def test_a_token_is_created_shown_once_used_and_revoked(reference, live_server, page, make_user):
    user = make_user("E017UPL", "lea-upload", "017")
    sign_in(page, live_server, user)
    page.goto("/")
    page.locator("#menu-api-tokens").evaluate("a => a.click()")  # in the user menu
    expect(page.locator("h1")).to_have_text("API tokens")
    expect(page.locator("#no-tokens")).to_be_visible()
    page.fill("#id_name", "SIS nightly")
    page.fill("#id_days", "30")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_contain_text("it will not be shown again")
    token = page.locator("#new-token-value").input_value()
    _shot(page, "api-tokens-created")
    assert token.startswith("sts_") and _edits(live_server, token).status_code == 200

    page.goto("/api/tokens/")
    expect(page.locator("#new-token")).to_have_count(0)
    assert token not in page.content()
    row = page.locator("#my-tokens tr[data-token='SIS nightly']")
    expect(row).to_contain_text("active")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke").click()
    expect(page.locator("#my-tokens tr[data-token='SIS nightly']")).to_contain_text("revoked")
    _shot(page, "api-tokens-revoked")
    assert _edits(live_server, token).status_code == 401


def test_the_security_coordinator_revokes_a_users_token_and_state_staff_read_the_call_log(
        reference, live_server, page, make_user):
    from api.tokens import create_token

    _t, token = create_token(make_user("E017UPL", "lea-upload", "017"), "SIS nightly")
    _t, other = create_token(make_user("E036UPL", "lea-upload", "036"), "Other SIS")
    assert _edits(live_server, token).status_code == 200
    sign_in(page, live_server, make_user("E017ALL", "lea-all", "017"))
    page.goto("/accounts/security/")
    tokens = page.locator("#security-tokens")
    expect(tokens).to_contain_text("SIS nightly")
    expect(tokens).not_to_contain_text("Other SIS")
    page.once("dialog", lambda dialog: dialog.accept())
    tokens.locator("tr[data-token='SIS nightly']").get_by_role("button", name="Revoke").click()
    expect(page.locator(".alert-success")).to_contain_text("was revoked")
    expect(page.locator("#security-tokens tr[data-token='SIS nightly']")).to_contain_text("revoked")
    _shot(page, "api-security-tokens")
    assert _edits(live_server, token).status_code == 401
    assert _edits(live_server, other).status_code == 200

    sign_in(page, live_server, make_user("ELDOE01", "ldoe"))
    page.goto("/api/calls/")
    calls = page.locator("#api-calls")
    expect(calls).to_contain_text("E036UPL")
    expect(calls).to_contain_text("Other SIS")
    expect(calls.locator("tbody tr")).to_have_count(3)
    page.fill("input[name=status]", "401")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#api-calls tbody tr")).to_have_count(1)
    _shot(page, "api-call-log")


def test_swagger_ui_and_redoc_render_from_local_files(reference, live_server, page):
    page.goto("/api/v1/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=30_000)
    expect(page.locator(".swagger-ui")).to_contain_text("/api/v1/uploads/{id}/errors/")
    _shot(page, "api-swagger")
    page.goto("/api/v1/docs/redoc/")
    expect(page.locator("redoc")).to_contain_text("Submit a batch file", timeout=30_000)
    _shot(page, "api-redoc")
