"""Accounts that help themselves (issue 22 item 4): password reset by email through a real local
SMTP server, the password history whatever the case, a refused page that counts down to the lock,
the Security screen's search, filters and group changes, and menus that offer only what opens."""
import html
import re
import socket
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sts.accounts.groups import GROUPS
from sts.accounts.models import User

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def text_of(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def smtp_server(settings):
    """aiosmtpd listening on a free local port; Django's SMTP backend sends to it."""
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf8", "replace")))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    yield inbox
    controller.stop()


def wait_for_mail(inbox, count=1):
    deadline = time.monotonic() + 10
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return inbox.messages


def reset_link(message_text):
    body = re.sub(r"=\r?\n", "", message_text)  # quoted-printable soft breaks
    return re.search(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)", body).group(1)


def test_a_forgotten_password_is_reset_by_email_through_a_real_smtp_server(make_user, smtp_server):
    user = make_user("E017UPD", "lea-update", "017")
    User.objects.filter(pk=user.pk).update(email="ann.lee@example.org", locked=True, failed_signins=5)
    client = Client()
    assert "Forgot your password?" in text_of(client.get(reverse("accounts:login")))
    response = client.post(reverse("accounts:password_reset"), {"email": "ann.lee@example.org"}, follow=True)
    assert "Check your email" in text_of(response)
    [(recipients, message)] = wait_for_mail(smtp_server)
    assert recipients == ["ann.lee@example.org"] and "E017UPD" in message
    # An unknown address gets the same page and no mail.
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in text_of(response)

    form_page = client.get(reset_link(message), follow=True)
    assert "Set a new password for E017UPD" in text_of(form_page)
    set_url = form_page.redirect_chain[-1][0]
    # The password standard holds, history included (any case).
    refused = client.post(set_url, {"new_password1": "tR4NSCRIPT!", "new_password2": "tR4NSCRIPT!"})
    assert "must differ from your last 5 passwords" in text_of(refused)
    done = client.post(set_url, {"new_password1": "Crawfish&Levee9", "new_password2": "Crawfish&Levee9"}, follow=True)
    assert "Your password was set" in text_of(done)
    user.refresh_from_db()
    # The link proved the mailbox: the lock from failed sign-ins is lifted, nothing to change first.
    assert not user.locked and user.failed_signins == 0 and not user.must_change_password
    signed = Client().post(reverse("accounts:login"), {"username": "E017UPD", "password": "Crawfish&Levee9"})
    assert signed.status_code == 302
    # The link works once.
    assert "This link does not work any more" in text_of(client.get(reset_link(message), follow=True))
    assert len(smtp_server.messages) == 1


def test_a_lock_from_refused_requests_outlives_a_self_service_reset(make_user, smtp_server):
    user = make_user("E017UPD", "lea-update", "017")
    User.objects.filter(pk=user.pk).update(email="ann.lee@example.org", locked=True, failed_signins=0)
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "ann.lee@example.org"})
    [(_to, message)] = wait_for_mail(smtp_server)
    set_url = client.get(reset_link(message), follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "Crawfish&Levee9", "new_password2": "Crawfish&Levee9"})
    user.refresh_from_db()
    assert user.check_password("Crawfish&Levee9") and user.locked


def test_the_password_history_holds_in_any_case(make_user):
    user = make_user("E017UPD", "lea-update", "017", password="Tr4nscript!")
    for same in ("Tr4nscript!", "tr4nscript!", "TR4NSCRIPT!"):
        with pytest.raises(ValidationError, match="last 5 passwords"):
            validate_password(same, user)
    validate_password("Tr4nscripts!", user)  # another password passes


def test_a_refused_page_counts_down_to_the_lock(make_user):
    user = make_user("E017INQ", "lea-inquiry", "017")
    client = signed_in(user)
    for number in range(1, 5):
        response = client.get(reverse("uploads:upload"))
        assert response.status_code == 403
        assert (f"This is refused request {number} of 5 in this session: after {5 - number} more, user ID "
                f"E017INQ is locked") in text_of(response)
    response = client.get(reverse("uploads:upload"))
    assert "was locked after 5 refused requests" in text_of(response)
    assert User.objects.get(pk=user.pk).locked


@pytest.fixture
def coordinator(make_user):
    return make_user("E017ALL", "lea-all", "017")


def test_a_coordinator_changes_a_users_group_within_the_sponsor_only(coordinator, make_user):
    target = make_user("E017UPD", "lea-update", "017")
    school = make_user("E017SCH", "school-update", "017", sites=["017002"])
    other = make_user("E036UPD", "lea-update", "036")
    client = signed_in(coordinator)
    response = client.post(reverse("accounts:set_group", args=[target.pk]), {"group": "lea-upload"}, follow=True)
    assert "E017UPD is now in LEA with update and upload" in text_of(response)
    assert User.objects.get(pk=target.pk).sts_group == "lea-upload"
    # Not a statewide group, not another sponsor's user (404), not oneself.
    response = client.post(reverse("accounts:set_group", args=[target.pk]), {"group": "ldoe"}, follow=True)
    assert "Choose a security group you may give" in text_of(response)
    assert User.objects.get(pk=target.pk).sts_group == "lea-upload"
    assert client.post(reverse("accounts:set_group", args=[other.pk]), {"group": "lea-inquiry"}).status_code == 404
    assert User.objects.get(pk=other.pk).sts_group == "lea-update"
    client.post(reverse("accounts:set_group", args=[coordinator.pk]), {"group": "lea-inquiry"})
    assert User.objects.get(pk=coordinator.pk).sts_group == "lea-all"
    # School -> LEA level leaves the site table (LEA users have every site).
    client.post(reverse("accounts:set_group", args=[school.pk]), {"group": "lea-inquiry"})
    assert not User.objects.get(pk=school.pk).site_access.exists()
    # A user without the right is refused.
    assert signed_in(target).post(reverse("accounts:set_group", args=[school.pk]),
                                  {"group": "lea-upload"}).status_code == 403


def users_listed(response):
    return re.findall(r'data-user="(E\w{6})"', response.content.decode())


def test_the_security_screen_searches_and_filters_with_names_and_last_sign_in(coordinator, make_user):
    ann = make_user("E017ANN", "lea-update", "017")
    User.objects.filter(pk=ann.pk).update(first_name="Ann", last_name="Leblanc", email="ann@example.org")
    make_user("E017SCH", "school-update", "017", sites=["017002"])
    locked = make_user("E017LCK", "lea-inquiry", "017")
    User.objects.filter(pk=locked.pk).update(locked=True)
    make_user("E036UPD", "lea-update", "036")
    Client().post(reverse("accounts:login"), {"username": "E017ANN", "password": "Tr4nscript!"})
    client = signed_in(coordinator)
    url = reverse("accounts:security")
    everyone = client.get(url)
    assert users_listed(everyone) == ["E017ALL", "E017ANN", "E017LCK", "E017SCH"]  # never another sponsor's
    page = text_of(everyone)
    assert "Ann Leblanc" in page and "never" in page
    assert re.search(r'data-user="E017ANN".*?\d\d/\d\d/\d{4} \d\d:\d\d', everyone.content.decode(), re.S)
    assert 'name="sponsor"' not in page  # an LEA's coordinator has one sponsor
    assert users_listed(client.get(url, {"q": "leblanc"})) == ["E017ANN"]
    assert users_listed(client.get(url, {"q": "ann@example"})) == ["E017ANN"]
    assert users_listed(client.get(url, {"status": "locked"})) == ["E017LCK"]
    assert users_listed(client.get(url, {"group": "school-update"})) == ["E017SCH"]
    assert users_listed(client.get(url, {"site": "017002"})) == ["E017SCH"]
    make_user("EDOE001", "ldoe")
    state = signed_in(User.objects.get(username="EDOE001"))
    assert users_listed(state.get(url, {"sponsor": "036"})) == ["E036UPD"]
    disabled = User.objects.get(username="E036UPD")
    disabled.is_active = False
    disabled.save()
    assert users_listed(state.get(url, {"status": "disabled"})) == ["E036UPD"]


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_no_menu_offers_a_link_its_user_would_be_refused(group, make_user):
    scope = GROUPS[group].scope
    user = make_user("E017USR" if scope != "state" else "ESTATE1", group, "017" if scope != "state" else None,
                     sites=["017002"] if scope == "school" else ())
    client = signed_in(user)
    home = client.get("/")
    assert home.status_code == 200
    nav = re.search(r"<nav.*?</nav>", home.content.decode(), re.S).group(0)
    links = {html.unescape(h) for h in re.findall(r'<a [^>]*href="(/[^"#]*)"', nav)}
    assert len(links) >= 5
    refused = []
    for link in sorted(links):
        response = client.get(link)
        if response.status_code == 403:
            refused.append(link)
    assert not refused, f"{group} is offered links it is refused: {refused}"
    assert not User.objects.get(pk=user.pk).locked
