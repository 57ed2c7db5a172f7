"""Who may do what: state staff define deadlines and take snapshots; LOSFA runs STSQ01/02, the
Board of Regents STSQ01/03; LEA and school users get none of the statewide functions (404)."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from harvests.models import Deadline, Snapshot
from transcripts.models import Student

from .conftest import BSSY, take

pytestmark = pytest.mark.django_db

ROLES = {"ELDOSTA": ("ldoe", None), "ELOSINQ": ("losfa-inquiry", None), "EBORINQ": ("bor-inquiry", None),
         "E017ALL": ("lea-all", "017"), "E017SCH": ("school-inquiry", "017")}
# page -> the roles that reach it
PAGES = {
    ("harvests:harvests", ()): {"ELDOSTA"},
    ("harvests:snapshot_table", ()): {"ELDOSTA"},
    ("harvests:dashboard", ()): {"ELDOSTA", "ELOSINQ", "EBORINQ"},
    ("harvests:figure_rows", ("students", "017")): {"ELDOSTA", "ELOSINQ", "EBORINQ"},
    ("harvests:report", ("stsq11",)): {"ELDOSTA", "ELOSINQ", "EBORINQ"},
    ("harvests:report", ("stsq13",)): {"ELDOSTA", "ELOSINQ", "EBORINQ"},
    ("harvests:extracts", ()): {"ELDOSTA", "ELOSINQ", "EBORINQ"},
}
EXTRACT_RIGHTS = {"stsq01": {"ELDOSTA", "ELOSINQ", "EBORINQ"}, "stsq02": {"ELDOSTA", "ELOSINQ"},
                  "stsq03": {"ELDOSTA", "EBORINQ"}, "stsq11_state": {"ELDOSTA", "ELOSINQ", "EBORINQ"},
                  "stsq13_state": {"ELDOSTA", "ELOSINQ", "EBORINQ"}}


@pytest.fixture
def users(make_user, state):
    out = {}
    for user_id, (group, sponsor) in ROLES.items():
        sites = ["017001"] if group.startswith("school") else ()
        out[user_id] = make_user(user_id, group, sponsor, sites=sites)
    return out


@pytest.mark.parametrize("user_id", list(ROLES))
def test_every_page_for_every_role(client, users, user_id, settings):
    settings.SECURE_SSL_REDIRECT = False
    client.force_login(users[user_id])
    for (name, args), allowed in PAGES.items():
        response = client.get(reverse(name, args=args))
        assert response.status_code == (200 if user_id in allowed else 404), (name, user_id)


@pytest.mark.parametrize("user_id", list(ROLES))
def test_every_export_job_for_every_role(client, users, user_id, settings):
    settings.SECURE_SSL_REDIRECT = False
    from sts.models import ExportJob

    client.force_login(users[user_id])
    for exporter, allowed in EXTRACT_RIGHTS.items():
        fmt = "csv"
        params = {"bssy": str(BSSY), **({"element": "endorsement"} if exporter == "stsq13_state" else {})}
        response = client.post(reverse("export_request", args=[exporter, fmt]), params)
        if user_id in allowed:
            assert response.status_code == 302, (exporter, user_id)
        else:
            assert response.status_code == 404, (exporter, user_id)
    assert ExportJob.objects.filter(user=users[user_id]).count() == sum(user_id in a for a in EXTRACT_RIGHTS.values())
    held_back = Student.objects.filter(bssy=BSSY, parental_consent=False).count()
    for job in ExportJob.objects.filter(user=users[user_id], exporter__in=["stsq01", "stsq02", "stsq03"]):
        assert job.title.endswith(f"{held_back} student{'' if held_back == 1 else 's'} held back for consent")


@pytest.mark.parametrize("user_id", list(ROLES))
def test_commands_for_every_role(users, user_id, tmp_path):
    with pytest.raises(CommandError) if user_id != "ELDOSTA" else _nothing():
        take("by-" + user_id, user=user_id)
    for extract, allowed in EXTRACT_RIGHTS.items():
        if not extract.startswith("stsq0"):
            continue
        args = ["sts_harvest", extract, "--bssy", str(BSSY), "--out", str(tmp_path / "x.txt"), "--user", user_id]
        if user_id in allowed:
            call_command(*args, stdout=io.StringIO())
        else:
            with pytest.raises(CommandError, match="may not run"):
                call_command(*args, stdout=io.StringIO())


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_state_staff_define_a_deadline_and_take_a_snapshot(client, users, settings, django_capture_on_commit_callbacks):
    settings.SECURE_SSL_REDIRECT = False
    client.force_login(users["ELDOSTA"])
    response = client.post(reverse("harvests:harvests"), {"name": "Spring check", "bssy": BSSY,
                                                          "due_at": "2026-04-01T12:00"})
    assert response.status_code == 302
    assert Deadline.objects.get(name="Spring check").created_by == "ELDOSTA"
    # Bad input: a clear message naming the field, nothing written.
    response = client.post(reverse("harvests:harvests"), {"name": "Bad", "bssy": BSSY, "due_at": "tomorrow"})
    assert response.status_code == 200 and "Due (Louisiana time)" in response.content.decode()
    assert not Deadline.objects.filter(name="Bad").exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("harvests:harvests"), {"take": "1", "name": "Ad hoc 1", "bssy": BSSY})
    assert response.status_code == 302 and len(callbacks) == 1
    snapshot = Snapshot.objects.get(name="Ad hoc 1")
    assert (snapshot.trigger, snapshot.requested_by, snapshot.status) == ("ad hoc", "ELDOSTA", "queued")
    response = client.post(reverse("harvests:harvests"), {"take": "1", "name": "Ad hoc 1", "bssy": BSSY})
    assert response.status_code == 200 and "already taken" in response.content.decode()
    assert Snapshot.objects.filter(name="Ad hoc 1").count() == 1


def test_the_admin_is_for_superusers_only_state_staff_use_the_harvests_page(client, users, settings):
    """Deadlines are state staff's daily work: on the Harvests page, not in the Django admin (which
    is for superusers only, issue 22)."""
    settings.SECURE_SSL_REDIRECT = False
    for user_id in ("ELDOSTA", "ELOSINQ"):
        client.force_login(users[user_id])
        assert client.get("/admin/harvests/deadline/").status_code in (302, 403)
    client.force_login(users["ELDOSTA"])
    assert client.get(reverse("harvests:harvests")).status_code == 200


