"""Extract IBCs (050), Extract All Records (020+030+050) and Extract 050 Records from History
(guide, "Print & Export"): the stored records written back in the batch layouts, CR LF, one file
per sponsor, so a file can be edited and uploaded again ("This file can be modified to upload
back into STS"). Uploading an extract in replace mode and extracting again gives the same bytes.

The records are built by `transcripts.recordmap` (stored rows -> records) and written by
`transcripts.layouts` (the layouts as data); nothing here knows a column. Students are read in
chunks with their transcripts and IBCs, transcripts as plain value rows, so a million records
stream in bounded memory.
"""
from types import SimpleNamespace

from core_tables.models import Sponsor
from sts.exports import register
from transcripts import records as R
from transcripts.ibc_history import history_of
from transcripts.layouts import format_fields, format_record
from transcripts.models import Ibc, Transcript
from transcripts.print_export import SelectionExporter
from transcripts.recordmap import ibc_record, student_record, transcript_record_fields

TERMINATOR = "\r\n"
CHUNK = 2000
TRANSCRIPT_COLUMNS = ("student_id", "course_bssy", "course_code", "part", "semester", "grade", "credit_attempted",
                      "credit_earned", "grade_point_max", "waiver", "course_sponsor", "course_site",
                      "course_site_name", "course_name", "quality_points", "course_type", "distance_learning",
                      "local_course_code", "de_credit_hours", "de_secondary_site")


class Extract(SelectionExporter):
    """The records of the students a list shows, in the batch layout of their sponsor."""

    formats = ("txt",)
    record_types = (R.STUDENT, R.TRANSCRIPT, R.IBC)
    from_history = False

    def count(self, params):
        return self.students(params).count()

    def rows(self, params):
        raise NotImplementedError("an extract is fixed-width text, not a table")

    def download_name(self, fmt, params):
        """Letters and digits only, so the file can be uploaded as it is: 017001all2025.txt."""
        sel = self.selection(params)
        what = "".join(ch for ch in f"{sel.site or sel.sponsor}{sel.grade}{self.short}{sel.student}" if ch.isalnum())
        return f"{what}{sel.bssy}.{fmt}"

    def render(self, fmt, params, path, progress=None):
        with open(path, "w", encoding="utf-8", newline="") as out:
            self.write(params, out, progress)
        return path

    def write(self, params, out, progress=None) -> int:
        """Write the extract to a text stream; returns the number of records."""
        total = self.count(params) if progress else None
        written = done = 0
        if progress:
            progress(0, total)
        buffer = []
        for students, lines in self.chunks(params):
            buffer.extend(lines)
            written += len(lines)
            done += students
            if len(buffer) >= 20_000:
                out.write(TERMINATOR.join(buffer) + TERMINATOR)
                buffer.clear()
            if progress:
                progress(done, total)
        if buffer:
            out.write(TERMINATOR.join(buffer) + TERMINATOR)
        return written

    def chunks(self, params):
        """(students, lines) per chunk of students, in State ID order."""
        sel = self.selection(params)
        layout = Sponsor.objects.get(code=sel.sponsor).layout
        students = self.students(params).order_by("state_id").select_related("sponsor", "site")
        chunk = []
        for student in students.iterator(chunk_size=CHUNK):
            chunk.append(student)
            if len(chunk) == CHUNK:
                yield len(chunk), self.lines(chunk, layout)
                chunk = []
        if chunk:
            yield len(chunk), self.lines(chunk, layout)

    def lines(self, students, layout) -> list[str]:
        ids = [s.pk for s in students]
        transcripts, ibcs = {}, {}
        if R.TRANSCRIPT in self.record_types:
            for t in Transcript.objects.filter(student_id__in=ids).order_by("student_id", "pk").values_list(
                    *TRANSCRIPT_COLUMNS, named=True).iterator(chunk_size=10_000):
                transcripts.setdefault(t.student_id, []).append(t)
        if self.from_history:
            history = history_of(s.state_id for s in students)
        elif R.IBC in self.record_types:
            for i in Ibc.objects.filter(student_id__in=ids).order_by("student_id", "pk"):
                ibcs.setdefault(i.student_id, []).append(i)
        out = []
        for s in students:
            if R.STUDENT in self.record_types:
                # A graduation date the upload's check removed is written as sent: loading the file
                # again removes it again (and lists the student on the Override Report) rather than
                # losing it.
                out.append(format_record(student_record(
                    s, layout, graduation_date=s.graduation_date or s.removed_graduation_date)))
            bssy = f"{s.bssy:04d}"
            for t in transcripts.get(s.pk, ()):
                out.append(format_fields(R.TRANSCRIPT, layout, transcript_record_fields(t, bssy, s.sponsor.code,
                                                                                        s.state_id)))
            if self.from_history:
                for h in history.get(s.state_id, ()):
                    # Sent by this student's current site, with where it was earned.
                    earned = SimpleNamespace(site=s.site.code, local_id=s.local_id, ibc_code=h.ibc_code,
                                             semester_earned=h.semester_earned, year_earned=h.year_earned,
                                             vendor=h.vendor, pass_fail=h.pass_fail, earned_sponsor=h.earned_sponsor,
                                             earned_site=h.earned_site)
                    out.append(format_record(ibc_record(earned, s, layout)))
            for i in ibcs.get(s.pk, ()):
                out.append(format_record(ibc_record(i, s, layout)))
        return out


@register
class ExtractAll(Extract):
    name = "extract_all"
    label = "Extract All Records"
    short = "all"


@register
class ExtractIbcs(Extract):
    name = "extract_ibc"
    label = "Extract IBC (050) Records"
    short = "ibc"
    record_types = (R.IBC,)


@register
class ExtractIbcHistory(Extract):
    name = "extract_ibc_history"
    label = "Extract 050 Records from History"
    short = "ibchistory"
    record_types = (R.IBC,)
    from_history = True
