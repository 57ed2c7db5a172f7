"""Journeys of accounts (issue 22 items 4 and 5): a coordinator finds a user and resets the password,
the user signs in with it; a user resets a forgotten password by email; the navbar fits 1366 px for
every role. Screenshots go to var/screens/ to be looked at."""
import html
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


def shot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def test_a_coordinator_resets_a_password_and_the_user_signs_in_with_it(reference, live_server, page, make_user):
    from sts.accounts.models import User

    coordinator = make_user("E017ALL", "lea-all", "017")
    user = make_user("E017UPD", "lea-update", "017")
    User.objects.filter(pk=user.pk).update(first_name="Ann", last_name="Leblanc", locked=True, failed_signins=5)
    make_user("E017INQ", "lea-inquiry", "017")
    sign_in(page, live_server, coordinator)
    page.goto("/")
    page.get_by_role("button", name="User menu of E017ALL").click()
    page.get_by_role("link", name="Security (users and site table)").click()
    expect(page.locator("#security-users")).to_contain_text("E017INQ")
    # Find her by name, among the locked users.
    page.get_by_role("searchbox", name="Search", exact=True).fill("leblanc")
    page.get_by_label("Status").select_option("locked")
    page.get_by_role("button", name="Find").click()
    rows = page.locator("#security-users tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ann Leblanc")
    expect(rows.first).to_contain_text("locked")
    shot(page, "security-search")
    page.once("dialog", lambda dialog: dialog.accept())
    rows.first.get_by_role("button", name="Reset password").click()
    message = page.locator("main .alert-success")
    expect(message).to_contain_text("E017UPD has a new initial password")
    password = re.search(r"initial password: (\S+) \(it must", html.unescape(message.inner_text())).group(1)

    # She signs in with it (unlocked) and must choose her own at once.
    page.context.clear_cookies()
    page.goto("/accounts/signin/")
    page.locator("#id_username").fill("E017UPD")
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/$"))
    page.locator("#id_old_password").fill(password)
    page.locator("#id_new_password1").fill("Crawfish&Levee9")
    page.locator("#id_new_password2").fill("Crawfish&Levee9")
    page.get_by_role("button", name=re.compile("Change", re.I)).click()
    expect(page.locator("main")).to_contain_text("Your password was changed.")


def test_a_user_resets_a_forgotten_password_by_email(reference, live_server, page, make_user, mailoutbox):
    from sts.accounts.models import User

    user = make_user("E017UPD", "lea-update", "017")
    User.objects.filter(pk=user.pk).update(email="ann.lee@example.org")
    page.goto("/accounts/signin/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("ann.lee@example.org")
    shot(page, "password-reset")
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator("#reset-sent")).to_contain_text("Check your email")
    [mail] = mailoutbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.body).group(1)
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("Set a new password for E017UPD")
    page.locator("#id_new_password1").fill("Tr4nscript!")  # her current one: refused
    page.locator("#id_new_password2").fill("Tr4nscript!")
    page.get_by_role("button", name="Set the password").click()
    expect(page.locator("form")).to_contain_text("must differ from your last 5 passwords")
    page.locator("#id_new_password1").fill("Crawfish&Levee9")
    page.locator("#id_new_password2").fill("Crawfish&Levee9")
    page.get_by_role("button", name="Set the password").click()
    expect(page.locator("#reset-complete")).to_contain_text("Your password was set")
    page.get_by_role("link", name="Sign in").click()
    page.locator("#id_username").fill("E017UPD")
    page.locator("#id_password").fill("Crawfish&Levee9")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")


@pytest.mark.parametrize("group, sponsor, sites", [("ldoe", None, ()), ("losfa-core-tables", None, ()),
                                                    ("lea-all", "017", ()), ("school-upload", "017", ("017002",))])
def test_the_navbar_fits_1366_pixels_for_every_role(reference, live_server, page, make_user, group, sponsor, sites):
    user = make_user("E017USR" if sponsor else "ESTATE1", group, sponsor, sites=sites)
    sign_in(page, live_server, user)
    page.goto("/")
    nav = page.locator("nav.sts-navbar")
    # One row: every menu, the BSSY selector, the search and the user menu share the navbar's line.
    assert nav.bounding_box()["height"] < 64, nav.bounding_box()
    tops = page.eval_on_selector_all(
        "nav.sts-navbar .nav-link, nav.sts-navbar select, nav.sts-navbar input, nav.sts-navbar .dropdown > .btn",
        "els => els.filter(e => e.getClientRects().length)"
        "  .map(e => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2))")
    assert max(tops) - min(tops) <= 4, tops
    # The BSSY selector shows its whole label ("BSSY 2025-26"), not "BSSY 202".
    fits = page.eval_on_selector("#bssy-select", """el => {
        const style = getComputedStyle(el), ctx = document.createElement("canvas").getContext("2d");
        ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const text = ctx.measureText(el.options[el.selectedIndex].text).width;
        const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return {text, room};
    }""")
    assert fits["text"] <= fits["room"], fits
    expect(page.locator("#bssy-select option:checked")).to_have_text("BSSY 2025-26")
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"navbar-{group}.png"), clip={"x": 0, "y": 0, "width": 1366, "height": 120})


def test_the_menus_work_from_the_keyboard_with_a_visible_focus(reference, live_server, page, make_user):
    sign_in(page, live_server, make_user("E017ALL", "lea-all", "017"))
    page.goto("/")
    focused = "() => document.activeElement"
    outline = "() => getComputedStyle(document.activeElement).outlineStyle"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to the page"
    assert page.evaluate(outline) != "none"
    assert page.locator(".sts-skip").is_visible()  # shown while it has the focus
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "nav-home"
    assert page.evaluate(outline) != "none"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Student Data"
    page.keyboard.press("Enter")
    expect(page.locator("nav .dropdown-item", has_text="Site List")).to_be_visible()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Site List"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/students/sites/$"))
    assert page.evaluate(focused) is not None
