"""STSQ11 and STSQ13 for every sponsor (state staff and Board of Regents users), from the live
records or a snapshot: the guide's arrangement by sponsor, site and grade, one site at a time so
a statewide report streams (a site's class is all a rank needs). Rows are those the user may see
(LOSFA and BOR: consent-Y students, ranked within their whole class)."""
import dataclasses
import itertools

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count

from sts.accounts import permissions
from sts.accounts.permissions import Action
from sts.exports import EXPORTERS, Exporter, register
from transcripts.progress.rank import class_rank
from transcripts.reports import OverallGpaReport

from .sources import Source

PAGE_SIZE = 100
LIVE_COUNTS_SECONDS = 60  # how old the live page's per-site counts (its paging) may be
GRADE_ORDER = ("T9", "09", "10", "11", "12")


def _grade_order(grade):
    return GRADE_ORDER.index(grade) if grade in GRADE_ORDER else len(GRADE_ORDER)


class StatewideReport(Exporter):
    formats = ("xlsx", "pdf", "csv")
    label = ""

    def check(self, user, params):
        if user is not None:
            permissions.require_or_404(user, Action.STATEWIDE)
        Source.from_params(params)

    def title(self, params):
        return f"{self.label} - {Source.from_params(params).describe()} - BSSY {params.get('bssy')}"

    def visible(self, source):
        students = source.students()
        if self.user is not None and permissions.consent_only(self.user):
            students = students.filter(parental_consent=True)
        return students

    def sites(self, source):
        """(sponsor, site) of every site with students the user may see, in order."""
        return list(self.visible(source).order_by("sponsor_code", "site_code").values_list(
            "sponsor_code", "site_code").distinct())

    def rows(self, params):
        source = Source.from_params(params)
        yield self.header(params)
        for sponsor, site in self.sites(source):
            yield from self.site_rows(dataclasses.replace(source, sponsor=sponsor, site=site), params)


@register
class StatewideOverallGpa(StatewideReport):
    name = "stsq11_state"
    label = "STSQ11 Overall GPA Report (statewide)"

    def header(self, params):
        return OverallGpaReport.HEADER

    def count(self, params):
        return self.visible(Source.from_params(params)).count()

    def site_counts(self, source):
        """[(sponsor, site, rows)] in the report's order: a row a visible student, so a page can
        skip whole sites without ranking them. Counting the whole state reads every student (~50 ms
        of PostgreSQL at 200,000): a snapshot's counts are kept for good (it never changes), the
        live ones for LIVE_COUNTS_SECONDS (a site's rows themselves are always read live)."""
        consent_only = self.user is not None and permissions.consent_only(self.user)
        when = f"{source.snapshot.pk}-{source.snapshot.taken_at:%s}" if source.snapshot else "live"
        key = f"harvests:site-counts:{self.name}:{source.bssy}:{when}:{source.scope}:{int(consent_only)}"
        counts = cache.get(key)
        if counts is None:
            counts = list(self.visible(source).order_by("sponsor_code", "site_code").values_list(
                "sponsor_code", "site_code").annotate(n=Count("key")).values_list("sponsor_code", "site_code", "n"))
            cache.set(key, counts, None if source.snapshot else LIVE_COUNTS_SECONDS)
        return counts

    def rows(self, params):
        self._certified = Source.from_params(params).certified()  # every site's at once for a whole report
        return super().rows(params)

    def site_rows(self, source, params):
        from transcripts.reports import _gpa, _percent

        certified = self._certified if hasattr(self, "_certified") else source.certified()

        everyone = list(source.students().values_list("key", "state_id", "last_name", "first_name", "grade",
                                                      "graduation_date", "overall_gpa", "parental_consent"))
        ranks = class_rank((s[0], source.sponsor, source.site, s[4], s[6], s[5] is not None) for s in everyone)
        consent_only = self.user is not None and permissions.consent_only(self.user)
        for s, rank in sorted(zip(everyone, ranks), key=lambda line: (
                _grade_order(line[0][4]), line[0][4], line[1].class_rank is None, line[1].class_rank or 0,
                line[0][2], line[0][3], line[0][1])):
            if consent_only and not s[7]:
                continue
            yield [source.sponsor, source.site, s[4], s[1], f"{s[2]}, {s[3]}".strip(", "), _gpa(s[6]),
                   rank.class_rank, rank.class_size, _percent(rank.class_percent), rank.grad_rank, rank.grad_size,
                   _percent(rank.grad_percent), s[5], certified.get(source.site)]


@register
class StatewideDataElement(StatewideReport):
    name = "stsq13_state"
    label = "STSQ13 Selected Data Element Report (statewide)"

    def element(self, params):
        return EXPORTERS["stsq13"].element(params)

    def check(self, user, params):
        self.element(params)
        super().check(user, params)

    def title(self, params):
        return f"{super().title(params)} - {self.element(params).label}"

    def header(self, params):
        return EXPORTERS["stsq13"].header(params)

    def count(self, params):
        source, element = Source.from_params(params), self.element(params)
        students = self.visible(source)
        if element.students is not None:
            return students.filter(element.students).count()
        return source.transcripts(students.values("key")).filter(element.courses).count()

    def sites(self, source):
        return list(self.visible(source).order_by("sponsor_code", "site_code").values_list(
            "sponsor_code", "site_code").annotate(n=Count("key")).values_list("sponsor_code", "site_code"))

    def site_rows(self, source, params):
        from core_tables.codelists import CODE_LISTS
        from transcripts.progress_store import load_core_tables

        element, code = self.element(params), str(params.get("element"))
        students = self.visible(source).order_by("last_name", "first_name", "state_id")
        head = ("sponsor_code", "site_code", "state_id", "last_name", "first_name", "grade", "diploma_path")

        def head_of(h):
            sponsor, site, state_id, last, first, grade, path = h
            return [sponsor, site, state_id, f"{last}, {first}".strip(", "), grade, path]
        if element.students is not None:
            names = {lst: {c.code: c.name for c in CODE_LISTS[lst]}
                     for lst in ("academic_endorsement", "career_endorsement", "career_option")}
            if code == "endorsement":
                for *h, a, c, grad in students.filter(element.students).values_list(
                        *head, "academic_endorsement", "career_endorsement", "graduation_date"):
                    yield [*head_of(h), a, names["academic_endorsement"].get(a, ""), c,
                           names["career_endorsement"].get(c, ""), grad]
            else:
                for *h, option in students.filter(element.students).values_list(*head, "career_option"):
                    yield [*head_of(h), option, names["career_option"].get(option, "")]
            return
        tables = load_core_tables() if not hasattr(self, "_tables") else self._tables
        self._tables = tables
        info = {s[0]: s[1:] for s in students.values_list("key", *head)}
        order = {key: i for i, key in enumerate(info)}
        courses = source.transcripts(list(info)).filter(element.courses).values_list(
            "key", "course_bssy", "course_code", "course_name", "part", "semester", "grade", "credit_earned",
            "course_type", "distance_learning", "course_sponsor", "course_site", "de_credit_hours",
            "de_secondary_site")
        for key, bssy, course, name, *rest in sorted(courses, key=lambda c: (order[c[0]], c[1], c[2], c[4], c[5])):
            state_name = tables.courses[course].name if course in tables.courses else ""
            yield [*head_of(info[key]), bssy, course, name or state_name, *rest]


REPORTS = {"stsq11": "stsq11_state", "stsq13": "stsq13_state"}


def page(exporter, params, number):
    """(header, the page's rows, paginator, page) of a statewide report. Where the report knows
    its rows per site (STSQ11), only the sites on the page are read and ranked; otherwise the
    rows up to the page are made (the first page reads the first sites only)."""
    if hasattr(exporter, "site_counts"):
        return _page_of_sites(exporter, params, number)
    rows = exporter.rows(params)
    header = next(rows)
    paginator = Paginator(range(exporter.count(params)), PAGE_SIZE)
    current = paginator.get_page(number)
    start = (current.number - 1) * PAGE_SIZE
    return header, list(itertools.islice(rows, start, start + PAGE_SIZE)), paginator, current


def _page_of_sites(exporter, params, number):
    source = Source.from_params(params)
    sites = exporter.site_counts(source)
    paginator = Paginator(range(sum(n for _sponsor, _site, n in sites)), PAGE_SIZE)
    current = paginator.get_page(number)
    start, rows, before = (current.number - 1) * PAGE_SIZE, [], 0
    for sponsor, site, n in sites:
        if before + n > start and len(rows) < PAGE_SIZE:
            site_rows = exporter.site_rows(dataclasses.replace(source, sponsor=sponsor, site=site), params)
            skip = max(0, start - before)
            rows.extend(itertools.islice(site_rows, skip, skip + PAGE_SIZE - len(rows)))
        before += n
    return exporter.header(params), rows, paginator, current
