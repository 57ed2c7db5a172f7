"""Every exporter's parameters and every form's fields, with hostile values (issue 17, item 5).

test_fuzz.py reaches every URL pattern; this reaches what the requests carry:

- every registered exporter (`sts.exports.EXPORTERS`, every app's), each parameter it reads
  (found by running it once with a recording params dict, so a new parameter is fuzzed as soon as
  an exporter reads it), posted to /exports/new/ with hostile values: the answer is never a 500,
  a 400 names the parameter, and what the request accepted renders in the worker or fails with a
  message (never "the export failed; the error was logged");
- every form the pages render (harvested from the HTML as each role sees it, so a new form is
  fuzzed as soon as a page shows it), each field posted with hostile values: never a 500, and no
  user of sponsor 017 changes sponsor 036's records.
"""
import itertools
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import Resolver404, resolve, reverse

from sts.export_views import clean_params
from sts.exports import EXPORTERS

from .test_fuzz import POST_EXEMPT, ROLES, _body, _clients, _intact, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

# Values a hand-made or replayed request may carry. NUL has its own test (the middleware's 400).
HOSTILE = ["abc", "", " ", "-1", "1.5", "2147483648", "9" * 30, "NaN", "a" * 300, "é ü", "'; DROP TABLE x; --",
           "../../etc/passwd", "%", "036001", "9990000036", "2025-13-45"]
FORM_HOSTILE = ["abc", "", "-1", "2147483648", "9" * 30, "a" * 300, "<b>x</b>", "036001", "2025-13-45"]

CHEAP = ["csv", "txt", "xlsx", "docx", "pdf", "zip"]

# What a 400 about a parameter must mention (its name or the label the pages use).
NAMES = {"bssy": ("bssy", "school year"), "grad_year": ("graduation year", "grad_year", "year"),
         "user_id": ("user",), "superseded": ("superseded",), "q": ("search",), "sort": ("sort", "order")}


class Recording(dict):
    """Params that note every key an exporter reads."""

    def __init__(self, base, seen):
        super().__init__(base)
        self.seen = seen

    def get(self, key, default=None):
        self.seen.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.seen.add(key)
        return super().__contains__(key)


def _base(world):
    """Parameters every exporter accepts from E017ALL (each reads the ones it knows)."""
    return {"site": "017001", "bssy": "2025", "upload": str(world["upload_017"]), "list": "1", "element": "endorsement"}


def _read_keys(exporter, user, params, fmt, tmp_path):
    """The keys `exporter` reads while it checks, names and renders an export of `params`."""
    seen = set()
    bound = exporter.bind(user)
    for step in (lambda p: bound.check(user, p), bound.title, bound.count, lambda p: bound.download_name(fmt, p),
                 lambda p: bound.render(fmt, p, tmp_path / f"discover.{fmt}")):
        try:
            step(Recording(params, seen))
        except (BadRequest, PermissionDenied, Http404, NotImplementedError):
            pass  # refused (a statewide extract is a 404 to an LEA user): the keys read so far count
    return seen


def _message(response):
    """The message of a refusal page (its main text, without the page's shell)."""
    found = re.search(r'<div class="alert[^"]*">(.*?)</div>', _body(response), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1) if found else "").split())[:300]


def _mentions(message, key):
    text = message.lower()
    return any(word in text for word in (*NAMES.get(key, ()), key.replace("_", " "), key))


def _post(client, url, params, failures, what):
    """The response, or None with the failure noted (every failure of a sweep is listed at once)."""
    try:
        response = client.post(url, params)
    except Exception as exc:  # the test client re-raises what would be a 500
        failures.append((*what, f"{type(exc).__name__}: {exc}"[:300]))
        return None
    if response.status_code >= 500:
        failures.append((*what, response.status_code))
        return None
    return response


def _render_accepted(exporter, user, fmt, params, tmp_path):
    """What a worker does with an accepted request: the file, or a refusal with its message."""
    try:
        exporter.bind(user).render(fmt, params, tmp_path / f"render.{fmt}")
    except (BadRequest, PermissionDenied) as exc:
        assert str(exc), (exporter.name, params)


def test_every_exporters_parameters_with_hostile_values(world, tmp_path):
    clients = _clients(world)
    user = world["users"]["E017ALL"]
    base = _base(world)
    pool = HOSTILE + [str(world["other"].pk), str(world["upload_036"])]  # rows of sponsor 036
    accepted, refused, rendered, failures = 0, set(), set(), []
    assert len(EXPORTERS) >= 15  # every app's exporters are registered (a sweep of none proves nothing)
    for name, exporter in sorted(EXPORTERS.items()):
        for fmt in exporter.formats:  # each format is offered, with parameters that work
            response = clients["E017ALL"].post(reverse("export_request", args=[name, fmt]), base)
            assert response.status_code < 500, (name, fmt)
        fmt = min(exporter.formats, key=CHEAP.index)  # parameters are read alike in every format
        keys = _read_keys(exporter, user, base, fmt, tmp_path) | {"site", "bssy", "sponsor", "student"}
        for key, value in itertools.product(sorted(keys), pool):
            params = {**base, key: value}
            for uid in ("E017ALL", "E017SU1", "ELOSINQ") if value in HOSTILE[:3] else ("E017ALL",):
                response = _post(clients[uid], reverse("export_request", args=[name, fmt]), params, failures,
                                 (uid, name, key, value[:20]))
                if response is None:
                    continue
                if response.status_code == 400:
                    refused.add((name, key))
                    if not _mentions(_message(response), key):
                        failures.append((uid, name, key, value[:20], "400 not naming it", _message(response)))
                elif response.status_code == 302 and uid == "E017ALL":
                    accepted += 1
                    stored = tuple(sorted(clean_params(params).items()))
                    if (name, stored) not in rendered:
                        rendered.add((name, stored))
                        try:
                            _render_accepted(exporter, user, fmt, dict(stored), tmp_path)
                        except Exception as exc:
                            failures.append(("render", name, key, value[:20], f"{type(exc).__name__}: {exc}"[:300]))
    assert not failures, "\n".join(map(str, failures))
    # The sweep reached both sides: requests accepted and rendered, bad values refused by name.
    assert accepted > 100 and len(rendered) > 50
    assert {("nonofficial_transcripts", "student"), ("stsq11", "bssy"), ("upload_errors", "upload")} <= refused
    _intact(world)


# --- every rendered form ---------------------------------------------------------------------------

class Forms(HTMLParser):
    """The POST forms of a page: action, fields (name -> candidate values) and file fields."""

    def __init__(self, page):
        super().__init__()
        self.page, self.forms, self.form, self.select, self.textarea = page, [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "option" and self.select is not None:
            self.select.append(a.get("value") or "")
            return
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.form = {"action": a.get("action") or self.page, "fields": {}, "files": set()}
            self.forms.append(self.form)
        elif tag == "form":
            self.form = None
        if self.form is None or not a.get("name"):
            return
        fields = self.form["fields"].setdefault(a["name"], [])
        if tag == "input" and a.get("type") == "file":
            self.form["files"].add(a["name"])
            del self.form["fields"][a["name"]]
        elif tag in ("input", "button"):
            fields.append(a.get("value") or "")
        elif tag == "select":
            self.select = fields
        elif tag == "textarea":
            self.textarea = fields
            fields.append("")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None and data.strip():
            self.textarea[-1] = data.strip()


def _forms_of(page, html):
    parser = Forms(page)
    parser.feed(html)
    return parser.forms


HARVEST_STRINGS = ["017001", "017", "stsq11", "036001", "transcript", "ibc", "stsq08", "stsq13"]
HARVEST_ROLES = ("E017ALL", "E017SU1", None, "ELDOE01")  # a form is posted by the first role shown it


def _harvest(world, clients):
    """Every distinct POST form the pages show: (url name, fields, files) -> (uid, action, field
    values, file fields). Each pattern is filled with values that reach real pages of sponsor 017
    (and the deleted set of 036 for LDOE); the first page that answers 200 stands for the pattern."""
    from .test_fuzz import PATTERNS, _url

    found = {}
    for route, _name, converters in PATTERNS:
        ints = [k for k, c in converters.items() if c.__class__.__name__ == "IntConverter"]
        strs = [k for k in converters if k not in ints]
        pools = [world["own_ints"]] * len(ints) + [HARVEST_STRINGS] * len(strs)
        # The first values of each pool first (a student and its first record; a site and a report).
        indexes = sorted(itertools.product(*[range(len(p)) for p in pools]), key=sum)[:16]
        combos = [[p[i] for p, i in zip(pools, index)] for index in indexes]
        for uid in HARVEST_ROLES:
            for values in combos:
                url = _url(route, converters, dict(zip(ints + strs, values)))
                response = clients[uid].get(url)
                if response.status_code != 200 or "html" not in response.get("Content-Type", "") or getattr(
                        response, "streaming", False):
                    continue
                for form in _forms_of(url, response.content.decode("utf-8", "replace")):
                    action = urlsplit(form["action"]).path
                    try:
                        url_name = resolve(action).view_name
                    except Resolver404:
                        continue
                    key = (url_name, tuple(sorted(form["fields"])), tuple(sorted(form["files"])))
                    found.setdefault(key, (uid, action, form["fields"], form["files"]))
                break
    return found


def test_every_forms_fields_with_hostile_values(world, settings):
    settings.STS_UPLOAD_MAX_BYTES = 10_000
    clients = _clients(world)
    forms = _harvest(world, clients)
    names = {url_name for (url_name, _f, _files) in forms}
    # The harvest reached the real forms (one posting nothing would prove nothing).
    assert {"export_request", "select_bssy", "uploads:upload", "certification:site", "certification:list_export",
            "transcripts:delete_student", "accounts:password_change"} <= names, sorted(names)
    posted, failures = 0, []
    for (url_name, _fields, _files), (uid, action, fields, files) in sorted(
            forms.items(), key=lambda f: (f[1][0] == "ELDOE01", str(f[0]))):
        if url_name.split(":")[-1] in POST_EXEMPT:
            continue
        forbidden = ROLES[uid][3]
        valid = {k: (v[0] if v else "") for k, v in fields.items() if k != "csrfmiddlewaretoken"}
        for key in [*valid, *files]:
            # The form's own values too (a button's action, an option), but not every option of a
            # long list (IBC codes, sites): those are valid values, and hundreds of them.
            own = sorted(set(fields.get(key, [])) - {""})
            for value in FORM_HOSTILE + own[:3] + own[-1:]:
                params = {**valid, key: value}
                for f in files:
                    params[f] = SimpleUploadedFile("../../x.txt" if f == key else "x.txt",
                                                   value.encode() if f == key else b"STS020 garbage\r\n")
                response = _post(clients[uid], action, params, failures, (uid, action, key, value[:20]))
                posted += 1
                if response is None:
                    continue
                body = _body(response)
                sent = f"{action} {params}"
                leaked = [s for s in forbidden if s in body and s not in sent]
                if leaked:
                    failures.append((uid, action, key, value[:20], "leaked", leaked))
        if uid != "ELDOE01":
            _intact(world)
    assert not failures, "\n".join(map(str, failures))
    assert posted > 200
