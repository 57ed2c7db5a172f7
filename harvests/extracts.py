"""STSQ01 Student Transcript Detail Extract, STSQ02 Student TOPS GPA Extract and STSQ03 BOR
Extract: exporters of the export-job mechanism (progress bar, download), fixed-width .txt in the
layouts of `layouts` or .csv, from the live records or a snapshot, for the state, a sponsor or a
site (`sources.Source`).

Only students whose parental consent is Y are written (guide, Appendix J: "Only students with
consent will be submitted to LOSFA and BOR for TOPS"); the trailer record says how many were
held back. Ranks are computed over the whole class (every student counts in its size), as
STSQ11 does. Students are read in chunks and written as they come: memory stays flat statewide.
"""
import csv
from collections import defaultdict, namedtuple

from django.db import connection
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate

from sts.accounts import permissions
from sts.exports import Exporter, register
from transcripts.progress.rank import class_rank

from . import layouts as L
from .rules import award_standing, graduation_cohort, units
from .sources import PROGRESS, Source

CHUNK = 2000
TERMINATOR = "\r\n"
STUDENT_COLUMNS = ("key", "sponsor_code", "site_code", "bssy", "state_id", "local_id", "last_name", "first_name",
                   "middle_name", "suffix", "birth_date", "birth_day", "sex", "grade", "grade9_entry",
                   "graduation_date", "diploma_path", "career_option", "academic_endorsement", "career_endorsement",
                   "gee_flag", "eoc_ela", "eoc_math", "eoc_science", "eoc_social_studies", "community_service",
                   "biliteracy_seal", "fafsa", "parental_consent", *PROGRESS)
TRANSCRIPT_COLUMNS = ("key", "course_bssy", "course_code", "part", "semester", "grade", "credit_attempted",
                      "credit_earned", "grade_point_max", "quality_points", "waiver", "course_type",
                      "distance_learning", "course_sponsor", "course_site", "course_site_name", "course_name",
                      "local_course_code", "de_credit_hours", "de_secondary_site")


class RecordWriter:
    """Records to a text file: fixed width (txt) or CSV (a header line per record type first,
    "H" + the record type, then the field labels)."""

    def __init__(self, out, fmt, layouts):
        self.out, self.fmt, self.buffer = out, fmt, []
        if fmt == "csv":
            self.csv = csv.writer(out, lineterminator=TERMINATOR)
            for code, layout in layouts:
                self.csv.writerow(["H" + code, *(f.label for f in layout[1:])])

    def write_line(self, line):
        self.buffer.append(line)
        if len(self.buffer) >= 5000:
            self.flush()

    def write(self, layout, values):
        if self.fmt == "csv":
            self.csv.writerow(L.csv_values(layout, values))
            return
        self.buffer.append(L.format_record(layout, values))
        if len(self.buffer) >= 5000:
            self.flush()

    def flush(self):
        if self.buffer:
            self.out.write(TERMINATOR.join(self.buffer) + TERMINATOR)
            self.buffer.clear()


class StateExtract(Exporter):
    formats = ("txt", "csv")
    label = ""
    layout = ()

    def check(self, user, params):
        # Who may run which extract: the permission module (404 for a user without the right).
        if user is not None:
            permissions.require_extract(user, self.name)
        Source.from_params(params)

    def title(self, params):
        """Shown on the job's page and in My downloads: it says how many are held back."""
        source = Source.from_params(params)
        held_back = source.students().filter(parental_consent=False).count()
        return (f"{self.label} - {source.describe()} - BSSY {params.get('bssy')} - {held_back} student"
                f"{'' if held_back == 1 else 's'} held back for consent")

    def download_name(self, fmt, params):
        source = Source.from_params(params)
        when = f"-{source.snapshot.name}" if source.snapshot else ""
        text = f"{self.name}-{source.scope}-{source.bssy}{when}"
        return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text) + f".{fmt}"

    def count(self, params):
        return Source.from_params(params).students().filter(parental_consent=True).count()

    def rows(self, params):
        raise NotImplementedError("an extract writes records (render)")

    def consent_counts(self, source) -> tuple[int, int]:
        """(students with consent Y, students held back) of the scope."""
        counts = source.students().order_by().aggregate(y=Count("key", filter=Q(parental_consent=True)),
                                                        n=Count("key", filter=Q(parental_consent=False)))
        return counts["y"], counts["n"]

    def render(self, fmt, params, path, progress=None):
        source = Source.from_params(params)
        written, held_back = self.consent_counts(source)
        with open(path, "w", encoding="utf-8", newline="") as out:
            writer = RecordWriter(out, fmt, self.record_layouts())
            records, done = 0, 0
            if progress:
                progress(0, written)
            for chunk in self.chunks(source, fmt):
                for record in chunk.records:
                    # A record is (layout, values), or a line the database already formatted.
                    writer.write_line(record) if isinstance(record, str) else writer.write(*record)
                    records += 1
                done += chunk.students
                if progress:
                    progress(done, written)
            writer.write(L.TRAILER, {"record_type": L.TRAILER_TYPE, "bssy": source.bssy, "extract": self.name.upper(),
                                     "scope": source.scope,
                                     "source": f"SNAPSHOT {source.snapshot.name}" if source.snapshot else "LIVE",
                                     "students": done, "records": records, "held_back": held_back})
            writer.flush()
        return path

    def record_layouts(self):
        return [(L.STUDENT_TYPE, self.layout), (L.TRAILER_TYPE, L.TRAILER)]

    # --- reading -----------------------------------------------------------------------------

    def consenting(self, source):
        return source.students().filter(parental_consent=True).order_by(
            "sponsor_code", "site_code", "state_id").values(*STUDENT_COLUMNS)

    def chunks(self, source, fmt="txt"):
        chunk = []
        for row in self.consenting(source).iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) == CHUNK:
                yield self.chunk(source, chunk, fmt)
                chunk = []
        if chunk:
            yield self.chunk(source, chunk, fmt)

    def chunk(self, source, students, fmt="txt"):
        return Chunk(len(students), [(self.layout, self.student_values(s)) for s in students])

    def student_values(self, s) -> dict:
        return {**s, "record_type": L.STUDENT_TYPE, "sponsor": s["sponsor_code"], "site": s["site_code"],
                "tops_core": s["award_code"], "core_units_earned": units(s["award_units_earned"]),
                "core_units_required": units(s["award_units_required"]),
                **award_standing(s["award_code"], s["award_eligible"], s["award_gpa"])}


class Chunk:
    __slots__ = ("students", "records")

    def __init__(self, students, records):
        self.students, self.records = students, records


class RankedExtract(StateExtract):
    """An extract that prints class ranks and the site certification date."""

    def render(self, fmt, params, path, progress=None):
        source = Source.from_params(params)
        self._ranks, self._certified = ranks(source), source.certified()
        try:
            return super().render(fmt, params, path, progress)
        finally:
            del self._ranks, self._certified

    def ranked(self, s) -> dict:
        rank = self._ranks.get(s["key"])
        values = {"site_certified": self._certified.get(s["site_code"])}
        if rank is not None:
            values.update(class_rank=rank.class_rank, class_size=rank.class_size, grad_class_rank=rank.grad_rank,
                          grad_class_size=rank.grad_size, class_percent=_percent(rank.class_percent),
                          grad_class_percent=_percent(rank.grad_percent))
        return values


def _percent(value):
    from transcripts.reports import _percent as percent  # STSQ11's rounding, half up
    return percent(value)


# A student's ranks as a plain tuple (a statewide extract holds 200,000 of them).
Rank = namedtuple("Rank", "class_rank class_size class_percent grad_rank grad_size grad_percent")


def ranks(source) -> dict:
    """{student key: Rank} over every student of the scope's classes (consent or not), ranked one
    site at a time (a class is within a site) so memory holds the results only."""
    rows = source.students().order_by("sponsor_code", "site_code").values_list(
        "key", "sponsor_code", "site_code", "grade", "overall_gpa", "graduation_date")
    out = {}

    def rank_site(inputs):
        for r in class_rank(inputs):
            out[r.student] = Rank(r.class_rank, r.class_size, r.class_percent, r.grad_rank, r.grad_size,
                                  r.grad_percent)
    site, inputs = None, []
    for key, sponsor, site_code, grade, gpa, graduated in rows.iterator(chunk_size=CHUNK):
        if site_code != site and inputs:
            rank_site(inputs)
            inputs = []
        site = site_code
        inputs.append((key, sponsor, site_code, grade, gpa, graduated is not None))
    if inputs:
        rank_site(inputs)
    return out


@register
class TranscriptDetailExtract(RankedExtract):
    """STSQ01: every student (S record) followed by every one of its transcript records (T)."""
    name = "stsq01"
    label = "STSQ01 Student Transcript Detail Extract"
    layout = L.STUDENT

    def record_layouts(self):
        return [(L.STUDENT_TYPE, L.STUDENT), (L.TRANSCRIPT_TYPE, L.TRANSCRIPT), (L.TRAILER_TYPE, L.TRAILER)]

    format_in_database = True  # PostgreSQL formats the transcript records (tests compare both ways)

    def consenting(self, source):
        # In the order of the student's key: the transcripts of a chunk are then one range of the
        # frozen table's key (and of the live table's student index), read in order, not scattered.
        return super().consenting(source).order_by("key")

    def chunk(self, source, students, fmt="txt"):
        keys = [s["key"] for s in students]
        rows = source.transcripts(keys).filter(key__gte=keys[0], key__lte=keys[-1])
        order = ("key", "course_bssy", "course_code", "part", "semester", "row")
        courses = defaultdict(list)
        if fmt == "txt" and self.format_in_database and connection.vendor == "postgresql":
            # The records' tails (from the course BSSY on) formatted by the database; text in code
            # point order ("C"), as Python sorts it.
            tail = RawSQL(L.sql_expression(L.TRANSCRIPT[len(L.TRANSCRIPT_HEAD):], rows.model._meta.db_table), [])
            by = [Collate(k, "C") if k in ("course_code", "part", "semester") else k for k in order]
            for key, text in rows.annotate(tail=tail).order_by(*by).values_list("key", "tail"):
                courses[key].append(text)
        else:
            for t in sorted(rows.values(*TRANSCRIPT_COLUMNS, "row"), key=lambda t: tuple(t[k] for k in order)):
                courses[t["key"]].append(t)
        records = []
        for s in students:
            records.append((L.STUDENT, {**self.student_values(s), **self.ranked(s)}))
            head = {"record_type": L.TRANSCRIPT_TYPE, "bssy": s["bssy"], "sponsor": s["sponsor_code"],
                    "site": s["site_code"], "state_id": s["state_id"]}
            found = courses.pop(s["key"], ())
            if found and isinstance(found[0], str):
                prefix = L.format_record(L.TRANSCRIPT_HEAD, head)
                records.extend(prefix + text for text in found)
            else:
                records.extend((L.TRANSCRIPT, {**t, **head}) for t in found)
        return Chunk(len(students), records)


@register
class TopsGpaExtract(StateExtract):
    """STSQ02: per student the TOPS GPA, TOPS core units, pathway, the award levels STS judges,
    graduation date and cohort, and the FAFSA flag."""
    name = "stsq02"
    label = "STSQ02 Student TOPS GPA Extract"
    layout = L.TOPS_GPA

    def student_values(self, s) -> dict:
        values = super().student_values(s)
        values["pathway"] = s["pathway"] or s["diploma_path"]
        values["cohort"] = graduation_cohort(s["graduation_date"])
        return values


@register
class BorExtract(RankedExtract):
    """STSQ03: what STSQ11 shows (Overall GPA, class rank and grad class rank with size and percent,
    graduation date, site certification date) for every student."""
    name = "stsq03"
    label = "STSQ03 BOR Extract"
    layout = L.BOR

    def student_values(self, s) -> dict:
        return {**super().student_values(s), **self.ranked(s)}


EXTRACTS = ("stsq01", "stsq02", "stsq03")
