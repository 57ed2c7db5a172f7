"""Withdrawing one official transcript (issue 20, item 3)."""
import pytest
from django.urls import reverse
from django.utils import timezone

from certification import services
from certification.models import OfficialTranscript
from certification.storage import file_of
from certification.verify import verify_code, verify_pdf
from tests.certification.conftest import make_graduate

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(open_period, site):
    make_graduate(0)
    make_graduate(1)
    services.certify_and_issue(site, 2025, by="E017GRD")
    assert OfficialTranscript.objects.count() == 2
    return OfficialTranscript.objects.select_related("student").order_by("state_id")[0]


@pytest.fixture
def site(db):
    from core_tables.models import Site

    return Site.objects.select_related("sponsor").get(code="017001")


@pytest.mark.parametrize("group,sponsor", [("lea-all", "017"), ("lea-gradcert", "017"), ("losfa-inquiry", None)])
def test_only_state_staff_withdraw(client, make_user, issued, group, sponsor):
    client.force_login(make_user(f"E{sponsor or 'LSF'}WH1", group, sponsor))
    response = client.post(reverse("certification:withdraw", args=[issued.pk]), {"reason": "sent in error"})
    assert response.status_code == 403
    issued.refresh_from_db()
    assert issued.current and not issued.withdrawn_at


def test_a_reason_is_required(client, make_user, issued):
    client.force_login(make_user("ELDOE01", "ldoe"))
    page = client.post(reverse("certification:withdraw", args=[issued.pk]), {"reason": "  "}, follow=True)
    assert "Reason: say why" in page.content.decode()
    issued.refresh_from_db()
    assert issued.current


def test_withdrawn_stays_in_history_verify_says_withdrawn_and_the_rest_of_the_site_is_untouched(client, make_user,
                                                                                                   issued):
    client.force_login(make_user("ELDOE01", "ldoe"))
    sites = client.get(reverse("transcripts:site_list")).content.decode()
    assert '<td class="text-end in-ots">2</td>' in sites
    response = client.post(reverse("certification:withdraw", args=[issued.pk]), {"reason": "Sent to OTS in error"},
                           follow=True)
    today = timezone.localdate().strftime("%m/%d/%Y")
    text = response.content.decode()
    assert f"Withdrawn on {today} by ELDOE01: Sent to OTS in error" in text  # the history box keeps it
    issued.refresh_from_db()
    assert not issued.current and issued.withdrawn_by == "ELDOE01"
    other = OfficialTranscript.objects.exclude(pk=issued.pk).get()
    assert other.current  # not the whole site
    for verdict in (verify_pdf(file_of(issued).read_bytes()), verify_code(issued.code)):
        assert verdict.genuine and verdict.transcript.withdrawn_at and verdict.current is False
        assert f"has been withdrawn by LDOE on {today}" in verdict.message
    client.logout()
    page = client.get(reverse("verify:page"), {"code": issued.code}).content.decode()
    assert "WITHDRAWN" in page and f"withdrawn by LDOE on {today}" in page and "alert-success" not in page
    client.force_login(make_user("ELDOE02", "ldoe"))
    assert '<td class="text-end in-ots">1</td>' in client.get(reverse("transcripts:site_list")).content.decode()
    again = client.post(reverse("certification:withdraw", args=[issued.pk]), {"reason": "twice"}, follow=True)
    assert "only the current transcript can be withdrawn" in again.content.decode()
