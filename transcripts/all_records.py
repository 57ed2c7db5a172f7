"""Print or Export Transcript Records -> all records in Excel (guide: "export all records out in
excel format"): one row per 020, 030 and 050 record of the students a Student List shows, with
named columns (the record layouts' field names), numbers as numbers, written as it is read
(students in chunks, each chunk's 030s and 050s in one query each), so memory stays bounded."""
from sts.exports import register

from .models import Ibc, Student, Transcript
from .print_export import CHUNK, SelectionExporter

# Who the row is about, on every row; then each record type's own fields.
KEY = [("bssy", "BSSY"), ("sponsor__code", "Sponsor"), ("site__code", "Site"), ("state_id", "State ID"),
       ("local_id", "Local ID"), ("last_name", "Last Name"), ("first_name", "First Name")]
_KEYED = {"id", "bssy", "sponsor", "site", "state_id", "local_id", "last_name", "first_name", "updated_at",
          "updated_by", "removed_graduation_date", "grad_removal_reasons"}


def _label(field) -> str:
    text = str(field.verbose_name)
    return text[0].upper() + text[1:]


STUDENT_FIELDS = [f for f in Student._meta.concrete_fields if f.name not in _KEYED]
TRANSCRIPT_FIELDS = [f for f in Transcript._meta.concrete_fields if f.name not in ("id", "student")]
IBC_FIELDS = [f for f in Ibc._meta.concrete_fields if f.name not in ("id", "student", "site", "local_id")]
SECTIONS = (("020", STUDENT_FIELDS), ("030", TRANSCRIPT_FIELDS), ("050", IBC_FIELDS))


def header() -> list[str]:
    names = ["Record Type"] + [label for _, label in KEY]
    for record_type, fields in SECTIONS:
        names += [f"{record_type} {_label(f)}" for f in fields]
    return names


@register
class AllRecords(SelectionExporter):
    name = "all_records"
    label = "All records"
    formats = ("xlsx", "csv")

    def count(self, params):
        students = self.students(params)
        return (students.count() + Transcript.objects.filter(student__in=students.values("pk")).count()
                + Ibc.objects.filter(student__in=students.values("pk")).count())

    def rows(self, params):
        yield header()
        widths = [len(fields) for _, fields in SECTIONS]
        students = self.students(params).select_related("sponsor", "site")
        chunk = []
        for student in students.iterator(chunk_size=CHUNK):
            chunk.append(student)
            if len(chunk) == CHUNK:
                yield from self._chunk_rows(chunk, widths)
                chunk = []
        yield from self._chunk_rows(chunk, widths)

    def _chunk_rows(self, students, widths):
        if not students:
            return
        ids = [s.pk for s in students]
        courses, ibcs = {}, {}
        for t in Transcript.objects.filter(student_id__in=ids).order_by("student_id", "course_bssy", "course_code",
                                                                           "part", "semester", "pk"):
            courses.setdefault(t.student_id, []).append(t)
        for i in Ibc.objects.filter(student_id__in=ids).order_by("student_id", "year_earned", "ibc_code", "pk"):
            ibcs.setdefault(i.student_id, []).append(i)
        n020, n030, n050 = widths
        for s in students:
            key = [s.bssy, s.sponsor.code, s.site.code, s.state_id, s.local_id, s.last_name, s.first_name]
            yield ["020", *key, *(getattr(s, f.attname) for f in STUDENT_FIELDS), *[None] * (n030 + n050)]
            for t in courses.get(s.pk, ()):
                yield ["030", *key, *[None] * n020, *(getattr(t, f.attname) for f in TRANSCRIPT_FIELDS),
                       *[None] * n050]
            for i in ibcs.get(s.pk, ()):
                yield ["050", *key, *[None] * (n020 + n030), *(getattr(i, f.attname) for f in IBC_FIELDS)]
