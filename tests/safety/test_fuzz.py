"""Every URL pattern, as every role, with arguments and parameters from a hostile pool and from
hypothesis (issue 8, item 8): no response is a 500, no response to a user of sponsor 017 holds
sponsor 036's data, none to a school-level user holds another site's, none to LOSFA or the Board of
Regents holds a student without parental consent, and no POST of a user of another sponsor
changes sponsor 036's records.

The patterns are read from the URL resolver when the test runs, so a new page is fuzzed as soon
as it exists. Admin pages are left to Django's own tests except their index.
"""
import datetime as dt
import itertools
import random
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from core_tables.models import Site
from sts.models import ExportJob
from transcripts.models import Credential, Ibc, Student, Transcript
from uploads.models import Upload, UploadError

pytestmark = pytest.mark.django_db

# Text that must not reach the wrong eyes (see the module docstring).
OTHER_SPONSOR = ["Qzxjvq", "9990000036", "qzxjv036.txt", "Qzxjvdeleted"]
OTHER_SITE = ["Wqvbnz", "9990017002"]
NO_CONSENT = ["Kpzrtx", "9990000099"]

ROLES = {
    # user ID: (group, sponsor, sites, the sentinels it must never see)
    "E017ALL": ("lea-all", "017", [], OTHER_SPONSOR),
    "E017INQ": ("lea-inquiry", "017", [], OTHER_SPONSOR),
    "E017SU1": ("school-upload", "017", ["017001"], OTHER_SPONSOR + OTHER_SITE),
    "E017SC1": ("school-update", "017", ["017001"], OTHER_SPONSOR + OTHER_SITE),
    "ELOSINQ": ("losfa-inquiry", None, [], NO_CONSENT),
    "EBORINQ": ("bor-inquiry", None, [], NO_CONSENT),
    "ELDOE01": ("ldoe", None, [], []),
    None: (None, None, [], OTHER_SPONSOR + OTHER_SITE + NO_CONSENT),  # not signed in
}
STRINGS = ["017001", "017002", "036001", "N52001", "999999", "stsq08", "stsq11", "stsq12", "upload_errors",
           "csv", "xlsx", "pdf", "txt", "student", "transcript", "ibc", "", "..", "%2e%2e", "a" * 300, "é"]
PARAM_KEYS = ["page", "sort", "q", "grade", "code", "state_id", "site", "report", "bssy", "path", "part",
              "curriculum", "record_type", "mode", "upload", "next", "from_site", "from_sponsor", "to_site"]
# POSTs left out: reassignment legitimately copies another sponsor's student to the receiving
# school; signing out would end the role's session for the rest of the sweep.
POST_EXEMPT = {"reassign", "logout"}


def _patterns():
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("admin/"):
                    yield "admin/", "admin:index", {}
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.name, dict(p.pattern.converters)
    return list(walk(get_resolver().url_patterns))


PATTERNS = _patterns()


def _url(route, converters, values):
    def fill(match):
        name = match.group(2)
        return str(values[name])
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def _student(site_code, state_id, last_name, consent=True, **extra):
    site = Site.objects.select_related("sponsor").get(code=site_code)
    student = Student.objects.create(bssy=2025, sponsor=site.sponsor, site=site, state_id=state_id, local_id="L1",
                                     first_name="Sentinel", last_name=last_name, sex="F", grade="12",
                                     parental_consent=consent, diploma_path="TU", **extra)
    Transcript.objects.create(student=student, course_bssy=2024, course_code="120101", semester="Y1", grade="A",
                              credit_attempted=Decimal(1), credit_earned=Decimal(1), grade_point_max=Decimal(4),
                              quality_points=Decimal(4), course_type="RG", course_name=f"{last_name} COURSE")
    Ibc.objects.create(student=student, site=site_code, ibc_code="001", semester_earned="1", year_earned=2025,
                       pass_fail="P")
    return student


@pytest.fixture
def world(make_user, tmp_path, settings):
    """Two sponsors with students, uploads, exports, credentials and deleted sets; a user per role."""
    from transcripts.online.services import delete_student

    from core_tables.models import CollectionPeriod

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # The lockout after five refused requests has its own test; here it would only end each role's
    # session after its fifth 403 and leave the rest of the sweep signed out.
    settings.STS_MAX_DENIALS = 10 ** 9
    CollectionPeriod.objects.create(bssy=2025, opens=dt.date(2025, 12, 1), closes=dt.date(2099, 1, 1), is_current=True)
    users = {uid: make_user(uid, group, sponsor, sites=sites) for uid, (group, sponsor, sites, _s) in ROLES.items()
             if uid}
    other_user = make_user("E036ALL", "lea-all", "036")
    mine = _student("017001", "9990000017", "Mineown", consent=True)
    other = _student("036001", "9990000036", "Qzxjvq")
    site2 = _student("017002", "9990017002", "Wqvbnz")
    no_consent = _student("017001", "9990000099", "Kpzrtx", consent=False)
    doomed = _student("036001", "9990000037", "Qzxjvdeleted")
    kept = delete_student(doomed, by="E036ALL")
    upload = Upload.objects.create(user=other_user, sponsor=other.sponsor, bssy=2025, mode="partial",
                                   original_name="qzxjv036.txt", stored_path=str(tmp_path / "qzxjv036.txt"),
                                   status="complete", finished_at=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc))
    (tmp_path / "qzxjv036.txt").write_text("STS0202025036 9990000036 Qzxjvq\r\n")
    error = UploadError.objects.create(upload=upload, line=1, record_type="020", state_id="9990000036", site="036001",
                                       code="304", message="INVALID SEMESTER CODE", record="STS020 Qzxjvq")
    site2_upload = Upload.objects.create(user=users["E017ALL"], sponsor=mine.sponsor, bssy=2025, mode="partial",
                                         original_name="mixed.txt", stored_path=str(tmp_path / "mixed.txt"),
                                         status="complete")
    (tmp_path / "mixed.txt").write_text("STS020 Wqvbnz 9990017002\r\n")
    UploadError.objects.create(upload=site2_upload, line=1, record_type="020", state_id="9990017002", site="017002",
                               code="304", message="INVALID SEMESTER CODE", record="STS020 Wqvbnz")
    job_file = tmp_path / "job.csv"
    job_file.write_text("Qzxjvq,9990000036\n")
    job = ExportJob.objects.create(user=other_user, exporter="upload_errors", fmt="csv", params={"upload": upload.pk},
                                   status="done", path=str(job_file), filename="job.csv", title="Qzxjvq errors")
    credential = Credential.objects.create(student=other, path="nowhere.pdf", original_name="Qzxjvq.pdf", size=1,
                                           sha256="0" * 64, uploaded_by="E036ALL")
    ints = sorted({0, 1, 2 ** 31, mine.pk, other.pk, site2.pk, no_consent.pk, kept.pk, upload.pk, error.pk,
                   site2_upload.pk, job.pk, credential.pk, other_user.pk,
                   *other.transcripts.values_list("pk", flat=True), *other.ibcs.values_list("pk", flat=True),
                   *site2.transcripts.values_list("pk", flat=True)})
    return {"users": users, "ints": ints, "other": other, "upload_017": site2_upload.pk, "upload_036": upload.pk,
            # Students first: a page of a student's record is reached by (student, record).
            "own_ints": list(dict.fromkeys([mine.pk, site2_upload.pk, kept.pk, *mine.transcripts.values_list("pk", flat=True),
                                            *mine.ibcs.values_list("pk", flat=True)])),
            "other_rows": (other.transcripts.count(), other.ibcs.count())}


def _body(response):
    if getattr(response, "streaming", False):
        data = b"".join(itertools.islice(response.streaming_content, 64))
    else:
        data = response.content
    return data.decode("utf-8", "replace")


def _request(client, method, url, params, forbidden, uid, seen=None):
    response = client.get(url, params) if method == "GET" else client.post(url, params)
    assert response.status_code < 500, (uid, method, url, params)
    body = _body(response)
    sent = f"{url} {params}"  # what the request itself carries may be echoed back (a typed State ID)
    leaked = [s for s in forbidden if s in body and s not in sent]
    assert not leaked, (uid, method, url, params, leaked)
    if seen is not None:
        seen.setdefault(uid, set()).update(s for s in ("Mineown", "Qzxjvq", "Wqvbnz", "Kpzrtx") if s in body)
    return response


def _clients(world):
    clients = {}
    for uid in ROLES:
        client = Client()
        if uid:
            client.force_login(world["users"][uid])
            session = client.session
            session["bssy"] = 2025
            session.save()
        clients[uid] = client
    return clients


def _intact(world):
    other = Student.objects.filter(pk=world["other"].pk).first()
    assert other is not None and other.last_name == "Qzxjvq" and other.site.code == "036001"
    assert (other.transcripts.count(), other.ibcs.count()) == world["other_rows"]


def _sweep(world, seed=8):
    """(uid, url, forbidden) for each pattern with argument combinations drawn from the pool."""
    rng = random.Random(seed)
    for route, name, converters in PATTERNS:
        ints = [k for k, c in converters.items() if c.__class__.__name__ == "IntConverter"]
        strs = [k for k in converters if k not in ints]
        combos = [dict(zip(ints + strs, values)) for values in itertools.product(
            *([world["ints"]] * len(ints)), *([STRINGS[:8]] * len(strs)))] or [{}]
        for values in rng.sample(combos, min(len(combos), 24)):
            for uid, (_g, _s, _sites, forbidden) in ROLES.items():
                yield uid, name, _url(route, converters, values), forbidden


def test_every_pattern_as_every_role_with_the_hostile_pool(world):
    """The deterministic sweep: every page read by every role, then every form posted by every
    role but LDOE (whose POSTs may rightly change anything)."""
    clients = _clients(world)
    seen = {}
    for uid, _name, url, forbidden in _sweep(world):
        _request(clients[uid], "GET", url, {"bssy": "2025"}, forbidden, uid, seen)
    # The sweep reached real pages (a sweep of redirects and 404s would prove nothing).
    assert {"Mineown", "Wqvbnz", "Kpzrtx"} <= seen["E017ALL"]
    assert {"Mineown", "Kpzrtx"} <= seen["E017SU1"]
    assert {"Mineown", "Wqvbnz", "Qzxjvq"} <= seen["ELOSINQ"]
    assert {"Mineown", "Qzxjvq", "Wqvbnz", "Kpzrtx"} <= seen["ELDOE01"]
    for uid, name, url, forbidden in _sweep(world):
        if uid != "ELDOE01" and name not in POST_EXEMPT:
            _request(clients[uid], "POST", url, {"site": "036001", "upload": world["ints"][-1], "bssy": "2025",
                                                 "state_id": "9990000036"}, forbidden, uid)
    _intact(world)


@hsettings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
@given(data=st.data())
def test_random_requests_never_fail_or_leak(world, data):
    clients = _clients(world)
    route, name, converters = data.draw(st.sampled_from(PATTERNS), label="pattern")
    uid = data.draw(st.sampled_from(list(ROLES)), label="user")
    text = st.one_of(st.sampled_from(STRINGS), st.text(max_size=12), st.integers(-3, 10 ** 12).map(str),
                     st.sampled_from([str(i) for i in world["ints"]]))
    values = {k: data.draw(st.sampled_from(world["ints"]) if c.__class__.__name__ == "IntConverter" else
                           st.sampled_from(STRINGS[:12]), label=k) for k, c in converters.items()}
    params = data.draw(st.dictionaries(st.sampled_from(PARAM_KEYS), text, max_size=5), label="params")
    method = data.draw(st.sampled_from(["GET", "POST"]), label="method")
    if method == "POST" and (uid == "ELDOE01" or name in POST_EXEMPT):
        method = "GET"
    _request(clients[uid], method, _url(route, converters, values), params, ROLES[uid][3], uid)
    _intact(world)
