"""The transcript PDF (WeasyPrint): one template for the official and the non-official transcript.

Letter paper, DejaVu fonts installed on the machine (no remote fonts or URLs), page n of m, the
verification code and the verification page's URL on every page of an official transcript.
One document per call: WeasyPrint's memory grows with the document (ENGINEERING-NOTES).
"""
from __future__ import annotations

import datetime as dt
import secrets
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from transcripts.progress.result import rounded_gpa

from .transcript import TranscriptData

# Verification codes: 20 characters of an alphabet without look-alikes (0/O, 1/I/L), 99 random
# bits: unguessable, so the public page can look a code up without a sign-in.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 20


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 5] for i in range(0, CODE_LENGTH, 5))


def normalise_code(text: str) -> str:
    """A typed code as stored: upper case, groups of 5 joined by hyphens; spaces and hyphens ignored."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())[:CODE_LENGTH * 2]
    return "-".join(raw[i:i + 5] for i in range(0, len(raw), 5))


def verify_url(code: str = "") -> str:
    return _verify_base(settings.STS_PUBLIC_URL) + (f"?code={code}" if code else "")


@lru_cache(maxsize=4)
def _verify_base(public_url: str) -> str:
    return public_url.rstrip("/") + reverse("verify:page")


def _gpa(value) -> str:
    shown = rounded_gpa(value)
    return "—" if shown is None else f"{shown:.3f}"


# The course lines: fixed columns in DejaVu Sans Mono. WeasyPrint lays out a table cell by cell
# (a 30-course transcript is ~300 cells); one preformatted line a course renders twice as fast
# and prints aligned in black and white. Every figure a GPA counted is on the line.
NAME_WIDTH = 34
COURSE_HEADER = (f"  {'Sem':<4}{'Course':<7}{'Course name':<{NAME_WIDTH + 1}}{'Pt':<3}{'Grd':<4}{'Att':>5}{'Earn':>6}"
                 f"{'QP/Max':>10}{'GPA pts':>8}{'Core u×pts':>12}{'TOPS u×pts':>12}  Type")
MARKS = {"R": "dropped by the repeat/delete rule (a better attempt of the course counts): no GPA counts this line",
         "X": "experience-only course (NO CREDIT): no GPA counts it",
         "*": "course on the state's 5.0 list: its Core and TOPS points stay on the 5.0 scale"}


def _num(value, places=2) -> str:
    return f"{value:.{places}f}"


def _used(pair) -> str:
    return "—" if pair is None else f"{pair[0]:.2f}×{pair[1]:.3f}"  # a dash: always one token a column


def _five_scale(c) -> bool:
    """Core/TOPS points kept on a scale above 4.00 (a 5.0-list course reported over 5)."""
    return c.five_point and bool(c.core or c.tops) and c.grade_point_max > 4


def course_lines(year) -> list[str]:
    lines = []
    for c in year.courses:
        name = c.name or ""
        first, rest = name[:NAME_WIDTH], name[NAME_WIDTH:]
        mark = "R" if c.dropped else "X" if c.no_credit else " "
        star = "*" if _five_scale(c) else " "
        qp = f"{_num(c.quality_points)}/{c.grade_point_max.normalize():f}" if c.grade in "ABCDF" else "—"
        pts = "—" if c.gpa_points is None else _num(c.gpa_points, 3)
        lines.append(f"{mark}{star}{c.semester:<4}{c.code:<7}{first:<{NAME_WIDTH + 1}}{c.part or '':<3}{c.grade:<4}"
                     f"{_num(c.attempted):>5}{_num(c.earned):>6}{qp:>10}{pts:>8}{_used(c.core):>12}{_used(c.tops):>12}"
                     f"  {c.course_type}".rstrip())
        while rest:  # a long transcript course name continues under itself, never cut
            lines.append(" " * 13 + rest[:NAME_WIDTH])
            rest = rest[NAME_WIDTH:]
    return lines


def year_total(year) -> str:
    label = f"{year.label} totals (every line)"
    return f"{label:<{13 + NAME_WIDTH + 1 + 7}}{_num(year.attempted):>5}{_num(year.earned):>6}"


def gpa_workings(data: TranscriptData) -> list[dict]:
    """Each GPA with the rule that made it and its sums, from the course lines alone."""
    lines = [c for y in data.years for c in y.courses]

    def sums(pairs):
        pairs = [(p, u) for p, u in pairs if p is not None and u > 0]
        return sum((p * u for p, u in pairs), 0), sum((u for _p, u in pairs), 0)

    overall = sums((c.gpa_points, c.attempted) for c in lines)
    core = sums((c.core[1], c.core[0]) for c in lines if c.core)
    tops = sums((c.tops[1], c.tops[0]) for c in lines if c.tops)
    return [
        {"name": "Overall GPA", "value": _gpa(data.overall_gpa), "sums": overall,
         "rule": "GPA pts × Att, summed, ÷ the Att of those lines. Every graded course on the 4.00 scale "
                 "(QP × 4 ÷ Max; F = 0); P and E carry no points; lines marked R or X are not counted."},
        {"name": f"Core GPA ({data.core_name or 'no core'})", "value": _gpa(data.core_gpa), "sums": core,
         "rule": "units × points of the Core column, summed, ÷ its units: the courses placed in the diploma "
                 "pathway's core categories (5.0-list courses, marked *, on the 5.0 scale; others on 4.00)."},
        {"name": f"TOPS GPA ({data.tops_name or 'no TOPS core'})", "value": _gpa(data.tops_gpa), "sums": tops,
         "rule": "the same over the TOPS column: the courses placed in the TOPS award core's categories."},
    ]


def legend(data: TranscriptData) -> list[tuple[str, str]]:
    """Each code used on the page, explained (semesters, grades, course types, marks)."""
    from core_tables.codelists import CODE_LISTS

    lines = [c for y in data.years for c in y.courses]
    used = []
    for list_name, values, label in (("semester", {c.semester for c in lines}, "Sem"),
                                     ("letter_grade", {c.grade for c in lines}, "Grd"),
                                     ("course_type", {c.course_type for c in lines}, "Type")):
        names = {code.code: code.name for code in CODE_LISTS[list_name]}
        shown = [f"{v} {names[v]}" if names.get(v, v) != v else v for v in sorted(values) if v]
        if shown:
            used.append((label, "; ".join(shown)))
    if any(c.part for c in lines):
        used.append(("Pt", "1 and 2: the halves of a one-unit course (combined for the GPAs)"))
    for mark, text in MARKS.items():
        if any((c.dropped if mark == "R" else c.no_credit if mark == "X" else _five_scale(c))
               for c in lines):
            used.append((mark, text))
    used.append(("Columns", "Att/Earn units attempted/earned; QP/Max quality points as reported over the course's "
                            "grade point maximum (5 = 5.0 scale); GPA pts the points the Overall GPA counts (4.00 "
                            "scale); Core/TOPS units × points those GPAs count"))
    return used


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render(data: TranscriptData) -> tuple[bytes, int]:
    """(PDF bytes, page count) of one transcript."""
    from weasyprint import HTML

    html = render_to_string("certification/transcript_pdf.html", {
        "t": data, "bssy_label": f"{data.bssy}-{(data.bssy + 1) % 100:02d}",
        "gpas": {"overall": _gpa(data.overall_gpa), "core": _gpa(data.core_gpa), "tops": _gpa(data.tops_gpa)},
        "printed_at": timezone.localtime(), "course_header": COURSE_HEADER,
        "years": [(y.label, "\n".join(course_lines(y)), year_total(y)) for y in data.years],
        "workings": gpa_workings(data), "legend": legend(data),
    })
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=_font_config())
    return document.write_pdf(), len(document.pages)


def issued(data: TranscriptData, *, version: int, certified_at: dt.datetime | None, certified_by: str, code: str,
           issued_at: dt.datetime) -> TranscriptData:
    """The data with what the official copy prints about its issue."""
    from dataclasses import replace

    from .transcript import certifier_name

    return replace(data, official=True, version=version,
                   certified_at=certified_at and timezone.localtime(certified_at),  # None: nonpublic
                   certified_by=certifier_name(certified_by) if certified_by else "",
                   issued_at=timezone.localtime(issued_at), code=code,
                   verify_url=verify_url())
