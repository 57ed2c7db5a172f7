"""Journey: an LDOE staff member changes when a collection period closes on the application's own
screens (never the Django admin): a wrong date is refused naming the field, the right one is saved
and the change shows in the period's history."""
import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_state_staff_edit_a_collection_period(reference, live_server, page, make_user, watch):
    from core_tables.models import CollectionPeriod
    from reference.models import TableChange

    CollectionPeriod.objects.update_or_create(bssy=2024, defaults={
        "opens": dt.date(2024, 12, 1), "closes": dt.date(2025, 9, 30), "is_current": False})
    staff = make_user("ELDOE01", "ldoe")
    sign_in(page, live_server, staff)
    watch.allow(r"Failed to load resource: the server responded with a status of 400")

    page.goto("/")
    expect(page.locator("nav a[href='/admin/']")).to_have_count(0)
    page.click("nav #state-menu")
    page.click("#nav-state-staff")
    expect(page.locator("h1")).to_contain_text("State staff")
    expect(page.locator("#table-registry")).to_be_visible()
    shot(page, "state-staff-index")
    page.click("#table-periods")
    expect(page.locator("h1")).to_have_text("Collection periods")
    row = page.locator("#reference-table tr", has_text="2024")
    expect(row).to_contain_text("09/30/2025")
    shot(page, "state-staff-periods")
    row.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("2024-25")
    expect(page.locator("#id_bssy")).to_be_disabled()

    # Closing before it opens: refused, the field named, nothing saved.
    page.fill("#id_closes", "2024-11-01")
    page.click("#row-form button[type=submit]")
    expect(page.locator("#form-errors")).to_contain_text("Closes: Closes must be on or after Opens.")
    shot(page, "state-staff-period-error")
    assert CollectionPeriod.objects.get(bssy=2024).closes == dt.date(2025, 9, 30)

    page.fill("#id_closes", "2026-01-31")
    page.click("#row-form button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("Collection period 2024-25 saved.")
    expect(page.locator("#reference-table tr", has_text="2024")).to_contain_text("01/31/2026")
    assert CollectionPeriod.objects.get(bssy=2024).closes == dt.date(2026, 1, 31)

    page.locator("#reference-table tr", has_text="2024").get_by_role("link").click()
    history = page.locator("#row-history")
    expect(history).to_contain_text("ELDOE01")
    expect(history).to_contain_text("Closes: 09/30/2025 → 01/31/2026")
    shot(page, "state-staff-period-history")
    page.goto("/reference/periods/history/")
    expect(page.locator("#row-history")).to_contain_text("2024-25")
    assert TableChange.objects.filter(table="periods").count() == 1


def test_losfa_core_table_user_keeps_the_core_tables_and_never_reaches_the_registry(reference, live_server, page,
                                                                                      make_user, watch):
    from core_tables.models import Curriculum, Sponsor

    sign_in(page, live_server, make_user("ELOSCOR", "losfa-core-tables"))
    watch.allow(r"Failed to load resource: the server responded with a status of 403")
    page.goto("/")
    page.click("nav #state-menu")
    page.click("#nav-state-staff")
    expect(page.locator("#table-curricula")).to_be_visible()
    expect(page.locator("#table-registry")).to_have_count(0)
    page.click("#table-curricula")
    tu = Curriculum.objects.get(code="TU")
    expect(page.locator(f"#reference-table a[href='/reference/curricula/{tu.pk}/']")).to_be_visible()
    expect(page.locator("main")).to_contain_text("A change here recalculates every student's stored Core Progress.")
    shot(page, "state-staff-curricula-losfa")
    page.goto("/reference/sponsors/")
    sponsor = Sponsor.objects.get(code="017")
    expect(page.locator(f"#reference-table tr[data-pk='{sponsor.pk}']")).to_contain_text("017")
    expect(page.locator("#reference-table tbody a")).to_have_count(0)  # read only: no row opens for editing
    expect(page.locator("#add-row")).to_have_count(0)
    assert page.goto("/reference/registry/").status == 403
    expect(page.locator("main .alert-danger")).to_contain_text("may not open the Secure ID registry")


def test_ldoe_searches_the_registry(reference, live_server, page, make_user):
    from core_tables.models import SecureId

    entry = SecureId.objects.order_by("unique_id").first()
    sign_in(page, live_server, make_user("ELDOE01", "ldoe"))
    page.goto("/reference/")
    page.click("#table-registry")
    page.fill("#table-q", entry.last_name)
    page.click("#table-search button")
    expect(page).to_have_url(re.compile(r"[?&]q="))
    matches = SecureId.objects.filter(last_name__istartswith=entry.last_name).count()
    expect(page.locator("#reference-table tbody tr")).to_have_count(matches)
    expect(page.locator(f"#reference-table tr[data-pk='{entry.pk}']")).to_contain_text(entry.first_name)
    shot(page, "state-staff-registry")
    page.locator(f"#reference-table tr[data-pk='{entry.pk}'] a").click()
    expect(page.locator("h1")).to_contain_text(entry.unique_id)
    expect(page.locator("#id_birth_date")).to_have_value(entry.birth_date.isoformat())
    shot(page, "state-staff-registry-entry")
