"""A configuration fault is not a student's fault (issue 17, item 7): with the signing key or
certificate missing or unreadable, certification stops before anything is certified or queued,
with a message for state staff; no graduate is rejected."""
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from certification.models import Certification, IssueBatch, OtsEntry
from certification.services import state_of

from .conftest import BSSY, make_graduate

pytestmark = pytest.mark.django_db


def _break(settings, signing, tmp_path, fault):
    if fault == "missing key":
        settings.STS_SIGNING_KEY = str(tmp_path / "no-such-key.pem")
    elif fault == "missing certificate":
        settings.STS_SIGNING_CERT = str(tmp_path / "no-such-cert.pem")
    elif fault == "unreadable key":
        (tmp_path / "garbage.pem").write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
        settings.STS_SIGNING_KEY = str(tmp_path / "garbage.pem")
    elif fault == "key is a folder":
        settings.STS_SIGNING_KEY = str(tmp_path)
    elif fault == "key of another certificate":
        settings.STS_SIGNING_KEY = str(signing["other_key"])


FAULTS = ["missing key", "missing certificate", "unreadable key", "key is a folder", "key of another certificate"]


def _nothing_written(site):
    assert not Certification.objects.exists() and not OtsEntry.objects.exists() and not IssueBatch.objects.exists()
    assert state_of(site.pk, BSSY).code == "never"  # never certified


@pytest.mark.parametrize("fault", FAULTS)
def test_the_certify_screen_stops_before_queuing_and_says_it_is_not_the_graduates_fault(
        fault, client, make_user, open_period, site, settings, signing, tmp_path, django_capture_on_commit_callbacks):
    make_graduate(0), make_graduate(1)
    _break(settings, signing, tmp_path, fault)
    client.force_login(make_user("E017GRD", "lea-gradcert", "017"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("certification:site", args=["017001"]), {"action": "certify"}, follow=True)
    assert response.status_code == 200 and callbacks == []  # nothing sent to the workers
    page = " ".join(response.content.decode().split())
    assert "Certification stopped before anything was certified or queued" in page
    assert "not a problem with your graduates&#x27; records" in page
    assert "STS_SIGNING_KEY" not in page and str(tmp_path) not in page  # the set-up is state staff's business
    _nothing_written(site)


def test_state_staff_read_what_to_fix(client, make_user, open_period, site, settings, signing, tmp_path):
    make_graduate(0)
    _break(settings, signing, tmp_path, "missing key")
    client.force_login(make_user("ELDOE01", "ldoe"))
    response = client.post(reverse("certification:site", args=["017001"]), {"action": "certify"}, follow=True)
    page = " ".join(response.content.decode().split())
    assert "Official transcripts cannot be signed: No signing certificate" in page
    assert "State staff: install a readable certificate and key (STS_SIGNING_CERT, STS_SIGNING_KEY" in page
    _nothing_written(site)


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("queue", [False, True])
def test_sts_certify_stops_before_queuing(fault, queue, make_user, open_period, site, settings, signing, tmp_path,
                                         django_capture_on_commit_callbacks):
    make_user("E017GRD", "lea-gradcert", "017")
    make_graduate(0)
    _break(settings, signing, tmp_path, fault)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(
            CommandError, match="Official transcripts cannot be signed: .* Nothing was queued."):
        call_command("sts_certify", "--sponsor", "017", "--site", "017001", "--bssy", str(BSSY), "--user", "E017GRD",
                     "--json", *(["--queue"] if queue else []))
    assert callbacks == []
    _nothing_written(site)


def test_with_the_key_restored_the_same_graduates_are_issued(make_user, open_period, site, settings, signing, tmp_path):
    """The stop left nothing behind that blocks the next try."""
    import io
    import json

    make_user("E017GRD", "lea-gradcert", "017")
    graduate = make_graduate(0)
    key = settings.STS_SIGNING_KEY
    _break(settings, signing, tmp_path, "missing key")
    args = ("sts_certify", "--sponsor", "017", "--site", "017001", "--bssy", str(BSSY), "--user", "E017GRD", "--json")
    with pytest.raises(CommandError):
        call_command(*args)
    settings.STS_SIGNING_KEY = key
    out = io.StringIO()
    call_command(*args, stdout=out)
    assert json.loads(out.getvalue())["issued"] == 1
    assert OtsEntry.objects.get().state_id == graduate.state_id
