"""Journey: a coordinator signs in and lands on the current year; a prior year is one choice
away and the way back is one click."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_land_on_the_current_year(reference, live_server, page, make_user, watch):
    make_user("E017UPL", "lea-upload", "017", password="Tr4nscript!")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/signin/"))
    expect(page).to_have_title("Sign in · Student Transcript System")
    page.fill("#id_username", "E017UPL")
    page.fill("#id_password", "not the password")
    page.click("button[type=submit]")
    expect(page.locator("form")).to_contain_text("User ID or password is not correct")  # said plainly
    page.fill("#id_username", "E017UPL")
    page.fill("#id_password", "Tr4nscript!")
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page).to_have_title("Home · Student Transcript System")
    expect(page.locator("#bssy-select")).to_have_value("2025")
    expect(page.locator("main")).not_to_contain_text("not the current year")
    # Another year is a choice in the selector; the page says so and offers the way back.
    page.select_option("#bssy-select", "2024")
    expect(page.locator("main .alert-warning").first).to_contain_text("You are working in BSSY 2024-25, not the "
                                                                      "current year")
    page.click("text=Return to the current year")
    expect(page.locator("#bssy-select")).to_have_value("2025")
    expect(page.locator("main")).not_to_contain_text("not the current year")
    # The menus a coordinator works from.
    for menu in ("Student Data", "Update", "Upload", "Reports", "Help"):
        expect(page.locator("nav .nav-link.dropdown-toggle", has_text=menu)).to_be_visible()
    assert len(watch.pages) >= 4
