"""Journey: the Student List as a coordinator works it: sorted both ways with an indicator, paged
with a page-size choice that survives sorting and paging, searched by the start of a State ID or
a name, and told plainly when nothing matches."""
import re

import pytest
from playwright.sync_api import expect

from .helpers import load_generated, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _column(page, index):
    return page.locator(f"#student-table tbody tr td:nth-child({index})").all_inner_texts()


def test_sort_page_and_search_the_student_list(reference, live_server, page, make_user, tmp_path, settings):
    from transcripts.models import Student

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    make_user("E017UPL", "lea-upload", "017")
    load_generated(tmp_path, "017", 90, "E017UPL")
    at_site = Student.objects.filter(site__code="017001", bssy=2025)
    sign_in(page, live_server, make_user("E017INQ", "lea-inquiry", "017"))
    page.goto("/")
    page.click("nav .dropdown-toggle:has-text('Student Data')")
    page.click("nav .dropdown-item:has-text('Site List')")
    page.click("#site-list a:has-text('017001')")
    expect(page.locator(".sts-count")).to_contain_text(f"{at_site.count()} students")

    # Rows per page, then a sort both ways: the size, the sort and the filters ride along.
    page.select_option("#per_page-select", "25")
    expect(page.locator("#student-table tbody tr")).to_have_count(25)
    page.click("#student-table th[data-sort-key=state_id] a")
    expect(page.locator("#student-table th[data-sort-key=state_id]")).to_have_attribute("aria-sort", "ascending")
    first = _column(page, 1)
    assert first == sorted(first)
    page.click("#student-table th[data-sort-key=state_id] a")
    expect(page.locator("#student-table th[data-sort-key=state_id] .bi-caret-down-fill")).to_be_visible()
    down = _column(page, 1)
    assert down == sorted(down, reverse=True) and down[0] > first[-1]
    page.click(".sts-pager a[rel=next]")
    for kept in ("dir=desc", "page=2", "per_page=25", "sort=state_id"):
        expect(page).to_have_url(re.compile(kept))
    expect(page.locator("#student-table tbody tr")).to_have_count(min(25, at_site.count() - 25))
    assert _column(page, 1)[0] < down[-1]

    # Search from the start of a State ID, and of a name; nothing found is said so.
    prefix = at_site.order_by("state_id").first().state_id[:3]
    page.fill("#student-search input[name=q]", prefix)
    page.click("#student-search button")
    ids = _column(page, 1)
    assert ids and all(i.startswith(prefix) for i in ids)
    assert len(ids) == min(25, at_site.filter(state_id__startswith=prefix).count())
    last = at_site.order_by("last_name").first().last_name
    page.fill("#student-search input[name=q]", last[:2])
    page.click("#student-search button")
    assert all(n.upper().startswith(last[:2].upper()) for n in _column(page, 2))
    page.fill("#student-search input[name=q]", "Zzqx")
    page.click("#student-search button")
    expect(page.locator("#no-students")).to_have_text("No student matches “Zzqx” at this site in BSSY 2025-26.")
    page.click("#student-search a:has-text('Clear')")
    expect(page.locator(".sts-count")).to_contain_text(f"{at_site.count()} students")
    # The grade filter: only that grade.
    page.select_option("#student-search select[name=grade]", "12")
    page.click("#student-search button")
    assert set(_column(page, 3)) == {"12"}
