"""Journey: a user of another sponsor reaches none of sponsor 017's pages, by menu, by search or
by typing the address, and no refusal names a site or sponsor of 017."""
import re

import pytest
from playwright.sync_api import expect

from .helpers import load_generated, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_second_sponsors_user_is_refused_the_first_sponsors_pages(reference, live_server, page, make_user, tmp_path,
                                                                      settings, watch):
    from transcripts.models import Student
    from uploads.models import Upload

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    make_user("E017UPL", "lea-upload", "017")
    load_generated(tmp_path, "017", 12, "E017UPL")
    student = Student.objects.filter(sponsor__code="017").order_by("state_id").first()
    upload = Upload.objects.get()
    names = list(Student.objects.filter(sponsor__code="017").values_list("last_name", flat=True))
    coordinator, inquiry = make_user("E036ALL", "lea-all", "036"), make_user("E036INQ", "lea-inquiry", "036")
    sign_in(page, live_server, coordinator)
    watch.allow(r"Failed to load resource: the server responded with a status of 40[34]")

    page.goto("/students/sites/")
    expect(page.locator("#site-list")).to_contain_text("036001")
    expect(page.locator("#site-list")).not_to_contain_text("017001")
    page.fill("nav input[name=q]", student.state_id)
    page.keyboard.press("Enter")
    expect(page.locator("#no-match")).to_contain_text(f"No student matches “{student.state_id}”")

    # Four refusals each (a fifth in one session locks a user ID, as five failed sign-ins do).
    refused = {coordinator: {
        "/students/sites/017001/": "This page is for a site you do not have access to.",
        f"/students/{student.pk}/": "This student is at a site you do not have access to.",
        f"/students/{student.pk}/progress/": "This student is at a site you do not have access to.",
        "/students/reports/sponsor/017/stsq13/": "This page is for a sponsor you do not have access to.",
    }, inquiry: {
        f"/students/{student.pk}/edit/": "This student is at a site you do not have access to.",
        "/students/sites/017001/new/": "may not update student records.",
        "/students/reports/017001/stsq11/": "This page is for a site you do not have access to.",
    }}
    for user, pages in refused.items():
        sign_in(page, live_server, user)
        for url, message in pages.items():
            response = page.goto(url)
            assert response.status == 403, url
            alert = page.locator("main .alert-danger")
            expect(alert).to_contain_text("You are not allowed to see this page")
            expect(alert).to_contain_text(message)
            text = alert.inner_text()
            assert not re.search(r"\b017\d{0,3}\b", text), (url, text)
            body = page.locator("main").inner_text()
            assert student.state_id not in body and not any(f" {n}," in body for n in names), url
    # An upload of 017 does not even exist for this user.
    for url in (f"/upload/{upload.pk}/", f"/upload/{upload.pk}/original/"):
        assert page.goto(url).status == 404
        expect(page.locator("main")).not_to_contain_text(upload.original_name)
