"""State staff's own screens: who reads and edits which table, the change history, bad input,
the consequences of a change (one current year, progress recalculated), and the Django admin
kept for superusers."""
import datetime as dt
import re

import pytest
from django.urls import reverse

from core_tables.models import CollectionPeriod, Curriculum, IbcCode, SecureId, SecureIdChange, Site, Sponsor
from reference.models import TableChange
from transcripts.signals import reference_tables_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(make_user):
    return {
        "ldoe": make_user("ELDOE01", "ldoe"),
        "losfa_core": make_user("ELOSCOR", "losfa-core-tables"),
        "losfa": make_user("ELOSINQ", "losfa-inquiry"),
        "bor": make_user("EBORINQ", "bor-inquiry"),
        "lea_all": make_user("E017ALL", "lea-all", "017"),
        "school": make_user("E017SC1", "school-update", "017", sites=["017001"]),
    }


@pytest.fixture
def periods(db):
    CollectionPeriod.objects.update(is_current=False)
    p24, _ = CollectionPeriod.objects.update_or_create(bssy=2024, defaults={
        "opens": dt.date(2024, 12, 1), "closes": dt.date(2025, 9, 30)})
    p25, _ = CollectionPeriod.objects.update_or_create(bssy=2025, defaults={
        "opens": dt.date(2025, 12, 1), "closes": dt.date(2026, 9, 30), "is_current": True})
    return p24, p25


def period_post(period, **changes):
    data = {"bssy": period.bssy, "opens": period.opens.isoformat(), "closes": period.closes.isoformat(),
            "maintenance_message": period.maintenance_message}
    if period.is_current:
        data["is_current"] = "on"
    if period.closed_for_maintenance:
        data["closed_for_maintenance"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# (user, table, may read, may edit)
MATRIX = [
    ("ldoe", "periods", True, True), ("ldoe", "registry", True, True), ("ldoe", "curricula", True, True),
    ("losfa_core", "periods", True, False), ("losfa_core", "curricula", True, True),
    ("losfa_core", "set-courses", True, True), ("losfa_core", "sponsors", True, False),
    ("losfa_core", "registry", False, False), ("losfa", "registry", False, False), ("bor", "registry", False, False),
    ("bor", "announcements", True, False), ("losfa", "course-codes", True, False),
    ("lea_all", "periods", False, False), ("lea_all", "sites", False, False), ("lea_all", "registry", False, False),
    ("lea_all", "course-codes", True, False), ("school", "code-values", True, False),
]


@pytest.mark.parametrize("who,slug,reads,edits", MATRIX)
def test_who_reads_and_edits_each_table(client, users, periods, who, slug, reads, edits):
    from core_tables.models import Announcement
    from reference.tables import TABLES

    Announcement.objects.create(title="Harvest next week", body="Certify by Friday.")

    client.force_login(users[who])
    listing = client.get(reverse("reference:table", args=[slug]))
    assert listing.status_code == (200 if reads else 403)
    html = listing.content.decode()
    pk = int(re.search(r'data-pk="(\d+)"', html).group(1)) if reads else TABLES[slug].model.objects.first().pk
    assert client.get(reverse("reference:edit", args=[slug, pk])).status_code == (200 if edits else 403)
    assert (reverse("reference:edit", args=[slug, pk]) in html) is (reads and edits)


def test_only_ldoe_sees_the_registry_on_the_index(client, users):
    client.force_login(users["ldoe"])
    assert reverse("reference:table", args=["registry"]) in client.get(reverse("reference:index")).content.decode()
    client.force_login(users["losfa_core"])
    page = client.get(reverse("reference:index")).content.decode()
    assert reverse("reference:table", args=["registry"]) not in page
    assert reverse("reference:table", args=["curricula"]) in page


def test_editing_a_period_records_who_changed_what(client, users, periods):
    p24, _ = periods
    client.force_login(users["ldoe"])
    response = client.post(reverse("reference:edit", args=["periods", p24.pk]),
                           period_post(p24, closes="2026-01-31"))
    assert response.status_code == 302
    p24.refresh_from_db()
    assert p24.closes == dt.date(2026, 1, 31)
    change = TableChange.objects.get(table="periods", object_pk=p24.pk)
    assert change.changed_by == users["ldoe"] and change.action == "changed"
    assert change.changes == {"Closes": ["09/30/2025", "01/31/2026"]}
    page = client.get(reverse("reference:edit", args=["periods", p24.pk])).content.decode()
    assert "ELDOE01" in page and "09/30/2025" in page and "01/31/2026" in page
    # Saving unchanged records nothing more.
    client.post(reverse("reference:edit", args=["periods", p24.pk]), period_post(p24))
    assert TableChange.objects.filter(table="periods").count() == 1


@pytest.mark.parametrize("changes,field,message", [
    ({"closes": "2024-11-30"}, "Closes", "Closes must be on or after Opens."),
    ({"opens": "31/12/2024"}, "Opens", "Enter a valid date."),
    ({"closed_for_maintenance": "on", "maintenance_message": ""}, "Maintenance message", "Say why"),
])
def test_bad_period_input_is_refused_naming_the_field_and_nothing_is_written(client, users, periods, changes,
                                                                            field, message):
    p24, _ = periods
    client.force_login(users["ldoe"])
    response = client.post(reverse("reference:edit", args=["periods", p24.pk]), period_post(p24, **changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert f"{field}:" in html and message in html
    fresh = CollectionPeriod.objects.get(pk=p24.pk)
    assert (fresh.opens, fresh.closes, fresh.closed_for_maintenance) == (p24.opens, p24.closes, False)
    assert not TableChange.objects.exists()


def test_marking_a_year_current_unmarks_the_other_and_records_both(client, users, periods):
    p24, p25 = periods
    client.force_login(users["ldoe"])
    assert client.post(reverse("reference:edit", args=["periods", p24.pk]),
                       period_post(p24, is_current="on")).status_code == 302
    assert list(CollectionPeriod.objects.filter(is_current=True).values_list("bssy", flat=True)) == [2024]
    recorded = {c.object_pk: c.changes for c in TableChange.objects.filter(table="periods")}
    assert recorded == {p24.pk: {"Current year": ["No", "Yes"]}, p25.pk: {"Current year": ["Yes", "No"]}}


def test_the_bssy_of_a_period_is_fixed_once_added(client, users, periods):
    p24, _ = periods
    client.force_login(users["ldoe"])
    client.post(reverse("reference:edit", args=["periods", p24.pk]), period_post(p24, bssy=2030))
    assert CollectionPeriod.objects.filter(pk=p24.pk, bssy=2024).exists()


def test_adding_a_period_records_every_value(client, users, periods):
    client.force_login(users["ldoe"])
    # The form starts as the year after the latest, in the normal December-September window.
    form = client.get(reverse("reference:add", args=["periods"])).content.decode()
    assert 'value="2026"' in form and 'value="2026-12-01"' in form and 'value="2027-09-30"' in form
    response = client.post(reverse("reference:add", args=["periods"]),
                           {"bssy": 2026, "opens": "2026-12-01", "closes": "2027-09-30"})
    assert response.status_code == 302
    added = CollectionPeriod.objects.get(bssy=2026)
    change = TableChange.objects.get(object_pk=added.pk)
    assert change.action == "added" and change.changes["School year (BSSY)"] == ["", "2026"]


def test_a_core_table_change_recalculates_stored_progress_and_a_code_table_change_does_not(
        client, users, django_capture_on_commit_callbacks):
    sent = []

    def listener(sender, **kwargs):
        sent.append(sender)
    reference_tables_changed.connect(listener)
    try:
        client.force_login(users["losfa_core"])
        tu = Curriculum.objects.get(code="TU")
        data = {"code": "TU", "name": "Renamed TU", "kind": tu.kind, "units_required": str(tu.units_required),
                "min_gpa": str(tu.min_gpa or ""), "first_grad_bssy": tu.first_grad_bssy,
                "last_grad_bssy": tu.last_grad_bssy or ""}
        assert client.post(reverse("reference:edit", args=["curricula", tu.pk]), data).status_code == 302
        assert sent == [Curriculum]
        assert TableChange.objects.get(table="curricula").changes == {"Name": [tu.name, "Renamed TU"]}
        client.force_login(users["ldoe"])
        ibc = IbcCode.objects.order_by("pk").first()
        assert client.post(reverse("reference:edit", args=["ibc-codes", ibc.pk]),
                           {"code": ibc.code, "name": "Renamed"}).status_code == 302
        assert sent == [Curriculum]
    finally:
        reference_tables_changed.disconnect(listener)


def test_losfa_core_table_user_cannot_change_sponsors(client, users):
    sponsor = Sponsor.objects.get(code="017")
    client.force_login(users["losfa_core"])
    response = client.post(reverse("reference:edit", args=["sponsors", sponsor.pk]),
                           {"code": "017", "name": "Renamed", "kind": "public"})
    assert response.status_code == 403
    sponsor.refresh_from_db()
    assert sponsor.name != "Renamed" and not TableChange.objects.exists()


def test_ldoe_edits_a_sites_address_and_the_change_is_recorded(client, users):
    site = Site.objects.get(code="017002")
    client.force_login(users["ldoe"])
    data = {"code": site.code, "sponsor": site.sponsor_id, "name": site.name, "kind": site.kind,
            "address": "77 Old Levee Rd", "city": "Port Allen", "state": "LA", "zip_code": "70767", "phone": site.phone}
    assert client.post(reverse("reference:edit", args=["sites", site.pk]), data).status_code == 302
    old = site
    site = Site.objects.get(pk=site.pk)
    assert site.postal_address == "77 Old Levee Rd, Port Allen, LA 70767"
    assert TableChange.objects.get(table="sites", object_pk=site.pk).changes == {
        "Street address": [old.address, "77 Old Levee Rd"], "City": [old.city, "Port Allen"],
        "ZIP code": [old.zip_code, "70767"]}
    form = client.get(reverse("reference:edit", args=["sites", site.pk])).content.decode()
    assert 'value="77 Old Levee Rd"' in form and old.address in form  # the field and the history
    bad = client.post(reverse("reference:edit", args=["sites", site.pk]), {**data, "zip_code": "7076"})
    assert bad.status_code == 400 and "ZIP code:" in bad.content.decode()
    assert Site.objects.get(pk=site.pk).zip_code == "70767"


def test_a_registry_change_is_kept_in_the_registrys_own_history_too(client, users):
    entry = SecureId.objects.select_related("sponsor", "site").order_by("pk").first()
    client.force_login(users["ldoe"])
    data = {f: getattr(entry, f) for f in ("local_id", "first_name", "last_name", "sex")}
    data.update(sponsor=entry.sponsor_id, site=entry.site_id, birth_date=entry.birth_date.isoformat(),
                first_name="Zelda",
                ssn_on_file={None: "unknown", True: "true", False: "false"}[entry.ssn_on_file])
    for flag in ("hispanic", "american_indian", "asian", "black", "pacific_islander", "white", "laa1", "act833"):
        if getattr(entry, flag):
            data[flag] = "on"
    assert client.post(reverse("reference:edit", args=["registry", entry.pk]), data).status_code == 302
    assert SecureIdChange.objects.get(secure_id=entry).changes == {"first_name": [entry.first_name, "Zelda"]}
    assert TableChange.objects.get(table="registry").changes == {"First name": [entry.first_name, "Zelda"]}
    # No student is added to the registry here (it comes from eScholar's files).
    assert client.get(reverse("reference:add", args=["registry"])).status_code == 403


def test_unknown_tables_and_rows_are_404(client, users):
    client.force_login(users["ldoe"])
    assert client.get("/reference/nothing/").status_code == 404
    assert client.get(reverse("reference:edit", args=["periods", 999999])).status_code == 404


@pytest.mark.parametrize("who,status", [("ldoe", 302), ("losfa_core", 302), ("lea_all", 302)])
def test_the_django_admin_is_for_superusers_only(client, users, who, status):
    client.force_login(users[who])
    assert client.get(reverse("admin:index")).status_code == status


def test_a_superuser_has_the_admin_but_no_bulk_delete(client, make_user):
    root = make_user("EROOT01", "ldoe")
    root.is_superuser = True
    root.save()
    client.force_login(root)
    assert client.get(reverse("admin:index")).status_code == 200
    page = client.get(reverse("admin:core_tables_collectionperiod_changelist")).content.decode()
    assert "delete_selected" not in page
    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "delete_selected" not in page


def test_a_prior_period_decision_is_recorded(client, users):
    from core_tables.models import PriorPeriodRequest

    req = PriorPeriodRequest.objects.create(
        sponsor=Sponsor.objects.get(code="017"), bssy=2023, requested_by=users["lea_all"], coordinator_name="C",
        school_names="017001", student_ids="1000000001", reason="Late grades")
    client.force_login(users["ldoe"])
    response = client.post(reverse("core_tables:decide_prior_request", args=[req.pk]),
                           {"decision": "approved", "access_until": "2026-01-15"})
    assert response.status_code == 302
    change = TableChange.objects.get(table="prior-requests", object_pk=req.pk)
    assert change.action == "decided" and change.changed_by == users["ldoe"]
    assert change.changes == {"Status": ["Pending", "Approved"], "Open until": ["", "01/15/2026"]}
    assert "by ELDOE01" in client.get(reverse("core_tables:prior_requests")).content.decode()


def test_a_sites_state_cannot_be_cleared(client, users):
    site = Site.objects.get(code="017002")
    client.force_login(users["ldoe"])
    data = {"code": site.code, "sponsor": site.sponsor_id, "name": site.name, "kind": site.kind,
            "address": "77 Old Levee Rd", "city": "Port Allen", "state": "", "zip_code": "70767", "phone": ""}
    response = client.post(reverse("reference:edit", args=["sites", site.pk]), data)
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert Site.objects.get(pk=site.pk).address == site.address and not TableChange.objects.exists()
