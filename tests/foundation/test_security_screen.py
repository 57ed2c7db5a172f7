"""Security coordinators create, disable and reset users on a screen; school-level users without a
site are shown in red; five refused requests in a session lock the user ID (issue 9, item 6)."""
import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from sts.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user):
    return make_user("E017ALL", "lea-all", "017")


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_coordinator_creates_a_school_user_with_a_generated_initial_password(coordinator):
    client = _signed_in(coordinator)
    response = client.post(reverse("accounts:security"), {"user_id": "e017new", "group": "school-update",
                                                          "sites": ["017002"], "first_name": "Ann", "last_name": "Lee"},
                           follow=True)
    text = html.unescape(response.content.decode())
    assert "User E017NEW was created" in text
    password = re.search(r"Its initial password is (\S+) \(give it", text).group(1)
    user = User.objects.get(username="E017NEW")
    assert user.must_change_password and user.check_password(password)
    assert list(user.site_access.values_list("site__code", flat=True)) == ["017002"]
    # The first sign-in goes to the password change page.
    first = Client()
    response = first.post(reverse("accounts:login"), {"username": "E017NEW", "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:password_change")


@pytest.mark.parametrize("data,message", [
    ({"user_id": "E017NEW", "group": "school-update"}, "A school-level user needs at least one site"),
    ({"user_id": "E036NEW", "group": "lea-update"}, "must start with E017"),
    ({"user_id": "E017ALL", "group": "lea-update"}, "exists already"),
    ({"user_id": "ELDOE09", "group": "ldoe"}, "Select a valid choice"),  # an LEA gives no state group
    ({"user_id": "E017NEW", "group": "lea-update", "password": "Summer2025"}, "common word"),
])
def test_the_screen_refuses_what_the_service_refuses(coordinator, data, message):
    response = _signed_in(coordinator).post(reverse("accounts:security"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not User.objects.filter(username=data["user_id"], sts_group=data["group"]).exclude(
        username="E017ALL").exists()


def test_reset_and_disable_on_the_screen(coordinator, make_user):
    target = make_user("E017UPD", "lea-update", "017", password="Gumbo7$Levee")
    client = _signed_in(coordinator)
    text = html.unescape(client.post(reverse("accounts:reset_password", args=[target.pk]), follow=True).content.decode())
    password = re.search(r"new initial password: (\S+) ", text).group(1)
    target.refresh_from_db()
    assert target.check_password(password) and target.must_change_password
    client.post(reverse("accounts:set_active", args=[target.pk]), {"active": "0"})
    target.refresh_from_db()
    assert not target.is_active
    assert not Client().login(username="E017UPD", password=password)  # a disabled ID cannot sign in
    client.post(reverse("accounts:set_active", args=[target.pk]), {"active": "1"})
    assert Client().login(username="E017UPD", password=password)
    text = client.post(reverse("accounts:set_active", args=[coordinator.pk]), {"active": "0"}, follow=True)
    assert "cannot disable your own" in text.content.decode() and User.objects.get(pk=coordinator.pk).is_active


def test_another_leas_users_are_out_of_reach(coordinator, make_user):
    other = make_user("E036UPD", "lea-update", "036")
    client = _signed_in(coordinator)
    assert "E036UPD" not in client.get(reverse("accounts:security")).content.decode()
    assert client.post(reverse("accounts:reset_password", args=[other.pk])).status_code == 404
    assert client.post(reverse("accounts:set_active", args=[other.pk]), {"active": "0"}).status_code == 404
    assert User.objects.get(pk=other.pk).is_active


def test_a_school_user_left_without_a_site_is_shown_in_red(coordinator, make_user):
    user = make_user("E017SC1", "school-update", "017", sites=["017001"])
    user.site_access.all().delete()
    page = _signed_in(coordinator).get(reverse("accounts:security")).content.decode()
    assert 'id="users-without-sites"' in page and "E017SC1" in page.split('id="users-without-sites"')[1][:400]
    assert "No site: this user reaches nothing." in page


def test_the_school_inquiry_group_views_its_sites_only(make_user):
    from sts.accounts.permissions import Action, can

    viewer = make_user("E017SIQ", "school-inquiry", "017", sites=["017001"])
    assert can(viewer, Action.VIEW, site="017001") and not can(viewer, Action.VIEW, site="017002")
    assert not can(viewer, Action.UPDATE, site="017001")


def test_five_refused_requests_in_a_session_lock_the_user_id(make_user):
    user = make_user("E017SC1", "school-update", "017", sites=["017001"])
    client = _signed_in(user)
    other_site = reverse("transcripts:student_list", args=["017002"])
    for _ in range(4):
        assert client.get(other_site).status_code == 403
    assert not User.objects.get(pk=user.pk).locked
    response = client.get(other_site)
    assert response.status_code == 403 and 'id="denial-lock"' in response.content.decode()
    assert User.objects.get(pk=user.pk).locked
    assert client.get(reverse("home")).status_code == 302  # signed out


def test_a_closed_period_refusal_does_not_count_toward_the_lock(make_user, rf):
    from django.contrib.sessions.backends.db import SessionStore

    from sts.accounts.permissions import PeriodClosed
    from sts.accounts.services import note_denial

    user = make_user("E017UPD", "lea-update", "017")
    request = rf.get("/")
    request.user, request.session = user, SessionStore()
    for _ in range(10):
        assert not note_denial(request, PeriodClosed("closed"))
    assert not User.objects.get(pk=user.pk).locked
