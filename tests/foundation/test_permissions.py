"""The security matrix: who may do what where, through the one permission module and the pages."""
import pytest
from django.urls import reverse

from core_tables.models import Site
from sts.accounts.permissions import Action, can, sites_for
from transcripts.models import Student

pytestmark = pytest.mark.django_db

A = Action


@pytest.fixture
def users(make_user):
    return {
        "lea_inq": make_user("E017INQ", "lea-inquiry", "017"),
        "lea_upd": make_user("E017UPD", "lea-update", "017"),
        "lea_upl": make_user("E017UPL", "lea-upload", "017"),
        "lea_crt": make_user("E017CRT", "lea-gradcert", "017"),
        "lea_all": make_user("E017ALL", "lea-all", "017"),
        "school": make_user("E017SC1", "school-update", "017", sites=["017001"]),
        "school_up": make_user("E017SU2", "school-upload", "017", sites=["017002"]),
        "other_lea": make_user("E036ALL", "lea-all", "036"),
        "losfa": make_user("ELOSINQ", "losfa-inquiry"),
        "losfa_core": make_user("ELOSCOR", "losfa-core-tables"),
        "ldoe": make_user("ELDOE01", "ldoe"),
        "bor": make_user("EBORINQ", "bor-inquiry"),
    }


# (user, action, site) -> allowed
MATRIX = [
    ("lea_inq", A.VIEW, "017001", True), ("lea_inq", A.UPDATE, "017001", False),
    ("lea_upd", A.UPDATE, "017003", True), ("lea_upd", A.UPLOAD, "017003", False),
    ("lea_upl", A.UPLOAD, "017001", True), ("lea_upl", A.CERTIFY, "017001", False),
    ("lea_crt", A.CERTIFY, "017001", True), ("lea_crt", A.MANAGE_SITE_SECURITY, "017001", False),
    ("lea_all", A.MANAGE_SITE_SECURITY, "017001", True), ("lea_all", A.VIEW, "036001", False),
    ("lea_all", A.EDIT_REFERENCE, None, False),
    ("school", A.VIEW, "017001", True), ("school", A.UPDATE, "017001", True),
    ("school", A.VIEW, "017002", False), ("school", A.UPLOAD, "017001", False),
    ("school_up", A.UPLOAD, "017002", True), ("school_up", A.VIEW, "017001", False),
    ("other_lea", A.VIEW, "017001", False), ("other_lea", A.UPDATE, "036001", True),
    ("losfa", A.VIEW, "017001", True), ("losfa", A.VIEW, "N52001", True), ("losfa", A.UPDATE, "017001", False),
    ("losfa_core", A.EDIT_CORE_TABLES, None, True), ("losfa_core", A.EDIT_REFERENCE, None, False),
    ("ldoe", A.UPDATE, "N52001", True), ("ldoe", A.EDIT_REFERENCE, None, True),
    ("bor", A.VIEW, "W3B001", True), ("bor", A.UPLOAD, "W3B001", False),
]


@pytest.mark.parametrize("who,action,site,allowed", MATRIX)
def test_matrix(users, who, action, site, allowed):
    assert can(users[who], action, site=site) is allowed


def test_sponsor_and_site_must_agree(users):
    assert not can(users["lea_all"], A.VIEW, sponsor="017", site="036001")


def test_locked_or_inactive_users_may_do_nothing(users):
    user = users["ldoe"]
    user.locked = True
    assert not can(user, A.VIEW, site="017001")


def test_site_scopes(users):
    assert set(sites_for(users["school"]).values_list("code", flat=True)) == {"017001"}
    assert set(sites_for(users["lea_inq"]).values_list("code", flat=True)) == set(
        Site.objects.filter(sponsor__code="017", kind="school").values_list("code", flat=True))
    assert sites_for(users["lea_inq"], A.UPLOAD).count() == 0
    assert sites_for(users["bor"]).filter(sponsor__code="N52").exists()


@pytest.fixture
def student(db):
    site = Site.objects.get(code="017001")
    return Student.objects.create(bssy=2025, sponsor=site.sponsor, site=site, state_id="1000000001", local_id="L1",
                                  first_name="J", last_name="DOE", sex="F", grade="10")


def _signin(client, user):
    client.force_login(user)
    return client


def test_other_lea_asking_for_a_site_by_url_gets_403(client, users):
    response = _signin(client, users["other_lea"]).get(reverse("transcripts:student_list", args=["017001"]))
    assert response.status_code == 403


def test_unknown_site_is_404(client, users):
    response = _signin(client, users["lea_all"]).get(reverse("transcripts:student_list", args=["017999"]))
    assert response.status_code == 404


def test_school_user_cannot_open_another_sites_student(client, users, student):
    student.site = Site.objects.get(code="017002")
    student.save()
    assert _signin(client, users["school"]).get(reverse("transcripts:student", args=[student.pk])).status_code == 403
    client.force_login(users["school_up"])
    assert client.get(reverse("transcripts:student", args=[student.pk])).status_code == 200


def test_site_list_shows_only_permitted_sites_with_counts(client, users, student):
    client.force_login(users["school"])
    page = client.get(reverse("transcripts:site_list")).content.decode()
    assert "017001" in page and "017002" not in page and "036001" not in page


def test_search_by_state_id_finds_only_visible_students(client, users, student):
    session_bssy = {"bssy": 2025}
    client.force_login(users["lea_inq"])
    client.post(reverse("select_bssy"), session_bssy)
    response = client.get(reverse("search_student"), {"state_id": student.state_id})
    assert response.status_code == 302 and response.url == reverse("transcripts:student", args=[student.pk])
    client.force_login(users["other_lea"])
    client.post(reverse("select_bssy"), session_bssy)
    response = client.get(reverse("search_student"), {"state_id": student.state_id}, follow=True)
    assert "No student matches" in response.content.decode()


@pytest.mark.parametrize("who", ["ldoe", "losfa_core", "lea_all", "bor"])
def test_the_admin_is_for_superusers_only(client, users, who):
    # State staff work on their own screens (tests/state_screens); the admin is a superuser's.
    client.force_login(users[who])
    assert client.get(reverse("admin:index")).status_code == 302


def test_school_user_refusal_names_no_other_site(client, users, student):
    student.site = Site.objects.get(code="017002")
    student.save()
    response = _signin(client, users["school"]).get(reverse("transcripts:student", args=[student.pk]))
    text = response.content.decode()
    assert response.status_code == 403
    assert "This student is at a site you do not have access to" in text and "017002" not in text


@pytest.mark.parametrize("who", ["losfa", "losfa_core", "bor"])
def test_losfa_and_regents_see_a_student_only_with_consent(client, users, student, who):
    from sts.accounts.permissions import can_see_student, scope_students

    user = users[who]
    assert not can_see_student(user, student)
    assert not scope_students(user, Student.objects.all()).exists()
    client.force_login(user)
    for name in ("transcripts:student", "transcripts:progress"):
        response = client.get(reverse(name, args=[student.pk]))
        assert response.status_code == 403 and "parental consent" in response.content.decode()
    client.post(reverse("select_bssy"), {"bssy": 2025})
    page = client.get(reverse("transcripts:student_list", args=["017001"])).content.decode()
    assert "1 student of this site without parental consent is not listed" in page
    assert student.state_id not in page
    student.parental_consent = True
    student.save()
    assert can_see_student(user, student) and scope_students(user, Student.objects.all()).count() == 1
    assert client.get(reverse("transcripts:student", args=[student.pk])).status_code == 200


def test_consent_rule_is_for_losfa_and_regents_only(users, student):
    from sts.accounts.permissions import can_see_student

    assert not student.parental_consent
    assert can_see_student(users["ldoe"], student) and can_see_student(users["lea_inq"], student)
    assert not can_see_student(users["school_up"], student)  # 017002 only
