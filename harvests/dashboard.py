"""The statewide dashboard's figures per sponsor, from the live records or a snapshot, and the
rows behind each figure. Counts are GROUP BY queries (one scan of the BSSY's students); a
snapshot's figures never change, so they are cached for good, the live ones for a minute."""
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from transcripts.progress.engine import AWARDS_FOR_PATHWAY
from transcripts.progress.result import AWARD_LEVELS

from .sources import Source


def _judged(code):
    level = next(lv for lv in AWARD_LEVELS[code] if lv.judged)
    return level.minimum


# The TOPS levels STS judges (Opportunity: TC, Tech: TJ): an eligible award whose TOPS GPA reaches it.
def opportunity_q(frozen: bool) -> Q:
    return _level_q(frozen, "TC")


def tech_q(frozen: bool) -> Q:
    return _level_q(frozen, "TJ")


def _level_q(frozen, code):
    if frozen:
        return Q(award_code=code, award_eligible=True, tops_gpa__gte=_judged(code))
    # Live: from the stored columns, not the result's JSON (read for 200,000 students it is the
    # slow part): a stored result's award is the one of the declared diploma path.
    paths = [path for path, awards in AWARDS_FOR_PATHWAY.items() if code in awards]
    return Q(diploma_path__in=paths, progress__award_eligible=True, progress__tops_gpa__gte=_judged(code))


# What a figure counts: (label, the students it counts: a Q, frozen or live).
STUDENT_FIGURES = {
    "students": ("Students on file", lambda frozen: Q()),
    "graduates": ("Graduates on file", lambda frozen: Q(graduation_date__isnull=False)),
    "opportunity": ("TOPS Opportunity", opportunity_q),
    "tech": ("TOPS Tech", tech_q),
    "consent_n": ("Consent N", lambda frozen: Q(parental_consent=False)),
}
SITE_FIGURES = {"certified": "Sites certified", "needs_recertification": "Needing recertification",
                "never": "Never certified"}
UPLOAD_FIGURES = {"uploads": "Uploads (30 days)", "error_rate": "Students in error (30 days)"}


@dataclass
class Row:
    sponsor: str
    figures: dict


def figures(source: Source) -> dict[str, dict]:
    """{sponsor code: {figure: number}} for every sponsor with students in the source."""
    key = (f"harvest-dash-{source.snapshot.pk}" if source.snapshot else f"harvest-dash-live-{source.bssy}")
    found = cache.get(key)
    if found is not None:
        return found
    frozen = source.snapshot is not None
    counts = source.students().order_by().values("sponsor_code").annotate(
        **{name: Count("key", filter=make(frozen)) for name, (_, make) in STUDENT_FIGURES.items()})
    out = {row.pop("sponsor_code"): row for row in counts}
    for site, (sponsor, state) in source.certification_states().items():
        if sponsor in out:
            name = "certified" if state == "certified" else state if state in SITE_FIGURES else "never"
            out[sponsor][name] = out[sponsor].get(name, 0) + 1
    for sponsor, values in out.items():
        for name in SITE_FIGURES:
            values.setdefault(name, 0)
    if not frozen:
        for sponsor, (uploads, rate) in upload_figures(source.bssy).items():
            if sponsor in out:
                out[sponsor].update(uploads=uploads, error_rate=rate)
    cache.set(key, out, None if frozen else 60)
    return out


def upload_figures(bssy) -> dict:
    """{sponsor: (uploads in the last 30 days, share of their students in error, %)}."""
    from uploads.models import Upload

    since = timezone.now() - timezone.timedelta(days=30)
    seen, total, rejected = defaultdict(int), defaultdict(int), defaultdict(int)
    for sponsor, result in Upload.objects.filter(created_at__gte=since, bssy=bssy, sponsor__isnull=False).exclude(
            mode="validate").values_list("sponsor__code", "result"):
        seen[sponsor] += 1
        students = (result or {}).get("students") or {}
        total[sponsor] += students.get("total", 0) or 0
        rejected[sponsor] += students.get("rejected", 0) or 0
    return {s: (seen[s], round(100 * rejected[s] / total[s], 1) if total[s] else 0.0) for s in seen}


def totals(by_sponsor: dict) -> dict:
    out = defaultdict(int)
    for values in by_sponsor.values():
        for name, n in values.items():
            if name != "error_rate":
                out[name] += n
    return dict(out)


def change(before: dict, after: dict) -> dict:
    """{sponsor: {figure: after - before}} between two snapshots' figures."""
    out = {}
    for sponsor in sorted(set(before) | set(after)):
        a, b = before.get(sponsor, {}), after.get(sponsor, {})
        out[sponsor] = {k: b.get(k, 0) - a.get(k, 0) for k in set(a) | set(b) if k != "error_rate"}
    return out


def figure_students(source: Source, figure: str, sponsor: str):
    """The students behind a figure of a sponsor (every student: the view cuts to what the user sees)."""
    label, make = STUDENT_FIGURES[figure]
    return source.students().filter(make(source.snapshot is not None), sponsor_code=sponsor)
