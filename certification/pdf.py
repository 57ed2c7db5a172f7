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
    return _verify_base(getattr(settings, "STS_PUBLIC_URL", "http://127.0.0.1:8000")) + (f"?code={code}" if code else "")


@lru_cache(maxsize=4)
def _verify_base(public_url: str) -> str:
    return public_url.rstrip("/") + reverse("verify:page")


def _gpa(value) -> str:
    shown = rounded_gpa(value)
    return "—" if shown is None else f"{shown:.3f}"


# The course lines: fixed columns in DejaVu Sans Mono. WeasyPrint lays out a table cell by cell
# (a 30-course transcript is ~300 cells); one preformatted line a course renders twice as fast
# and prints aligned in black and white.
NAME_WIDTH = 42
COURSE_HEADER = f"{'Sem':<4}{'Course':<8}{'Course name':<{NAME_WIDTH + 1}}{'Part':<5}{'Grd':<4}{'Attempted':>10}{'Earned':>8}{'Q.pts':>7}  Type"


def course_lines(year) -> list[str]:
    lines = []
    for c in year.courses:
        name = c.name or ""
        first, rest = name[:NAME_WIDTH], name[NAME_WIDTH:]
        lines.append(f"{c.semester:<4}{c.code:<8}{first:<{NAME_WIDTH + 1}}{c.part:<5}{c.grade:<4}{c.attempted:>10}"
                     f"{c.earned:>8}{c.quality_points:>7}  {c.course_type}")
        while rest:  # a long transcript course name continues under itself, never cut
            lines.append(" " * 12 + rest[:NAME_WIDTH])
            rest = rest[NAME_WIDTH:]
    return lines


def year_total(year) -> str:
    label = f"{year.label} totals"
    return f"{label:<{12 + NAME_WIDTH + 1 + 9}}{year.attempted:>10}{year.earned:>8}"


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
    })
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=_font_config())
    return document.write_pdf(), len(document.pages)


def issued(data: TranscriptData, *, version: int, certified_at: dt.datetime | None, certified_by: str, code: str,
           issued_at: dt.datetime) -> TranscriptData:
    """The data with what the official copy prints about its issue."""
    from dataclasses import replace

    return replace(data, official=True, version=version,
                   certified_at=certified_at and timezone.localtime(certified_at),  # None: nonpublic
                   certified_by=certified_by, issued_at=timezone.localtime(issued_at), code=code,
                   verify_url=verify_url())
