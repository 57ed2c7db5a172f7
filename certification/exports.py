"""Transcript exports rendered by workers (the export framework, `sts/exports.py`):

- ``ots_bulk``: the official transcripts of an OTS search, a site, or the graduates shown on the
  Student List: a .zip of the signed PDFs as issued with a signed manifest.
- ``nonofficial_transcripts``: NOT OFFICIAL transcripts of a whole grade (or one student), merged.
- ``ots_rejections``: the graduates whose latest OTS entry is R, with the reason (.xlsx, PDF, CSV).
- ``no_pii``: "No PII found for Students": public students whose registry entry lacks a name,
  birth date or SSN, a check mark or question mark per item (.xlsx, PDF, CSV).

Rows depend on who asks (sites, LOSFA/BOR consent): the requesting view puts the user's id in
the params and `check` refuses a job whose params name another user, so `rows`/`render` (which
the framework calls without the user) scope by it.
"""
from __future__ import annotations

import hashlib
import tempfile
import zipfile
from pathlib import Path

from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core_tables.models import SecureId
from core_tables.periods import fmt_bssy
from sts.accounts import permissions
from sts.accounts.permissions import Action
from sts.exports import Exporter, register
from transcripts.models import Student
from transcripts.queries import Selection, param_bssy
from transcripts.reports import param_site  # the reports' parameter checks

from . import pdf
from .models import OfficialTranscript, OtsEntry
from .queries import SEARCH_FIELDS, search_transcripts
from .signing import MANIFEST_FIELD, sign_pdf
from .storage import file_of
from .transcript import Gatherer, students_for_transcripts

CHECK, QUESTION = "✓", "?"


def _local(moment):
    """A time as the coordinator reads it (Louisiana), without a zone: spreadsheets keep none."""
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None)


class UserScoped(Exporter):
    """Transcript exports: rows scoped to the user the framework binds (`self.user`)."""

    def check(self, user, params):
        if params.get("user_id") not in (None, "", str(user.pk), user.pk):
            raise PermissionDenied("This export belongs to another user.")  # a forged request
        if params.get("site"):
            permissions.require(user, Action.VIEW, site=param_site(params))
        elif not permissions.can(user, Action.VIEW):
            raise PermissionDenied("You are not allowed to see official transcripts.")

    def students(self, params):
        """The Student List's students (site, BSSY, its search and grade filter), scoped to the user."""
        return Selection.from_params(params).students(self.user)


def _merge(path, title, sources, total, progress):
    """Write the sources' PDFs (callables returning a path or a binary file) merged into `path`."""
    done = 0
    if progress:
        progress(0, total)
    with open(path, "wb") as out:
        from .merge import StreamingMerger  # pypdf (~28 MB) only where a merged PDF is written

        merger = StreamingMerger(out, title)
        for source in sources:
            merger.append(source)
            done += 1
            if progress and done % 10 == 0:
                progress(done, total)
        merger.close()
    if progress:
        progress(done, total)
    if not done:
        raise BadRequest("No transcripts to print.")


@register
class OfficialTranscriptsZip(UserScoped):
    """Official transcripts of an OTS search, or of the Student List's graduates: a .zip of the
    signed PDFs exactly as issued (each verifies on its own) and a signed manifest listing every
    file with its SHA-256. Not one merged PDF: a signature covers one file's bytes, and a college
    must be able to check each transcript it receives (docs/decisions.md)."""
    name = "ots_bulk"
    formats = ("zip",)

    def transcripts(self, params):
        if params.get("list") == "1":  # the graduates displayed on the Student List
            return (OfficialTranscript.objects.filter(student__in=self.students(params), superseded_at__isnull=True)
                    .select_related("site").order_by("display_name", "state_id"))
        return search_transcripts(self.user, {k: params.get(k, "") for k in SEARCH_FIELDS})

    def title(self, params):
        if params.get("list") == "1":
            return f"Official transcripts - {params.get('site')} - BSSY {fmt_bssy(param_bssy(params))}"
        what = ", ".join(f"{k} {params[k]}" for k in SEARCH_FIELDS if params.get(k) and k != "superseded")
        return f"Official transcripts - {what or 'search'}"

    def count(self, params):
        return self.transcripts(params).count()

    def render(self, fmt, params, path, progress=None):
        transcripts = self.transcripts(params)
        total = transcripts.count()
        if not total:
            raise BadRequest("No official transcripts to download.")
        out = Path(path).with_suffix(".zip")
        partial = out.with_name(out.name + ".part")
        entries = []
        if progress:
            progress(0, total)
        try:
            # Stored, not deflated: PDFs are compressed already.
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as zf:
                for t in transcripts.iterator(chunk_size=200):
                    data = file_of(t).read_bytes()
                    if hashlib.sha256(data).hexdigest() != t.sha256:
                        raise RuntimeError(f"official transcript {t.pk}: the stored file is not the one issued")
                    name = f"{len(entries) + 1:04d}-{t.state_id}-{t.bssy}-v{t.version}.pdf"
                    zf.writestr(name, data)
                    entries.append({"file": name, "name": t.display_name, "state_id": t.state_id,
                                    "version": t.version, "issued_at": timezone.localtime(t.issued_at),
                                    "code": t.code, "sha256": t.sha256})
                    if progress and len(entries) % 20 == 0:
                        progress(len(entries), total)
                zf.writestr("MANIFEST.pdf", signed_manifest(self.title(params), entries))
            partial.replace(out)
        finally:
            partial.unlink(missing_ok=True)
        if progress:
            progress(len(entries), total)
        return out


def signed_manifest(title, entries) -> bytes:
    """The manifest of a download (WeasyPrint), signed like a transcript but in a field of its own,
    so the verification page tells a manifest from a transcript."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from sts.exports import font_config

    html = render_to_string("certification/manifest_pdf.html", {
        "title": title, "entries": entries, "written_at": timezone.localtime(), "verify_url": pdf.verify_url()})
    body = HTML(string=html).write_pdf(font_config=font_config())
    return sign_pdf(body, reason=f"Manifest: {title}", field_name=MANIFEST_FIELD)


@register
class NonOfficialTranscriptsPdf(UserScoped):
    """NOT OFFICIAL transcripts of a grade of a site (or of one student) printed in bulk."""
    name = "nonofficial_transcripts"
    formats = ("pdf",)

    def student_id(self, params) -> int | None:
        """The one student to print (its number, as the Student List posts it), or None: a grade."""
        value = str(params.get("student") or "").strip()
        if not value:
            return None
        if not value.isascii() or not value.isdigit() or len(value) > 18:
            raise BadRequest(f"No student {value[:20]!r}: the student parameter is a student's number.")
        return int(value)

    def query(self, params):
        if self.student_id(params) is not None:
            students = permissions.scope_students(self.user, Student.objects.filter(pk=self.student_id(params)))
        else:
            students = self.students(params)
        return students.order_by("grade", "last_name", "first_name", "state_id")

    def check(self, user, params):
        super().check(user, params)
        if self.student_id(params) is not None:
            student = Student.objects.select_related("site").filter(pk=self.student_id(params)).first()
            if student is None:
                raise BadRequest("No such student.")
            permissions.require_student(user, student)

    def title(self, params):
        if params.get("student"):
            return f"Non-official transcript - student {params['student']}"
        grade = params.get("grade") or "all grades"
        return f"Non-official transcripts - {params.get('site')} - grade {grade} - BSSY {fmt_bssy(param_bssy(params))}"

    def count(self, params):
        return self.query(params).count()

    def render(self, fmt, params, path, progress=None):
        gatherer = Gatherer()
        ids = list(self.query(params).values_list("pk", flat=True))

        def sources():
            for start in range(0, len(ids), 50):
                for student in students_for_transcripts(Student.objects.filter(pk__in=ids[start:start + 50])).order_by(
                        "grade", "last_name", "first_name", "state_id"):
                    body, _pages = pdf.render(gatherer.data(student, official=False))
                    part = tempfile.TemporaryFile()
                    part.write(body)
                    part.seek(0)
                    yield part
        _merge(path, self.title(params), sources(), len(ids), progress)


@register
class OtsRejections(UserScoped):
    """Graduates of a site whose latest OTS entry is R (rejected), with the reason."""
    name = "ots_rejections"
    formats = ("xlsx", "pdf", "csv")
    HEADER = ["State ID", "Name", "Grade", "Graduation Date", "Certified", "Certified By", "Rejected", "Reason"]

    def title(self, params):
        site = param_site(params)
        return f"OTS rejections - {site.code} {site.name} - BSSY {fmt_bssy(param_bssy(params))}"

    def rows(self, params):
        latest = OtsEntry.objects.filter(sponsor_id=OuterRef("sponsor_id"), state_id=OuterRef("state_id"),
                                         bssy=OuterRef("bssy")).order_by("-queued_at", "-id")
        students = self.students(params).annotate(latest=Subquery(latest.values("pk")[:1])).exclude(latest=None)
        entries = {e.pk: e for e in OtsEntry.objects.filter(pk__in=[s.latest for s in students], status="R")
                   .select_related("certification")}
        yield self.HEADER
        for s in students.order_by("last_name", "first_name", "state_id"):
            e = entries.get(s.latest)
            if e is not None:
                yield [s.state_id, s.display_name, s.grade, s.graduation_date or s.removed_graduation_date,
                       _local(e.certification.at) if e.certification else "",
                       e.certification.by if e.certification else "nonpublic", _local(e.processed_at), e.reason]


@register
class NoPiiReport(UserScoped):
    """'No PII found for Students': "LOSFA and BOR must have these 3 pieces of information to link
    records for college enrollment and TOPS scholarships". A student without a registry entry
    lacks all three; the SSN itself is never stored, only whether eScholar has one."""
    name = "no_pii"
    formats = ("xlsx", "pdf", "csv")
    HEADER = ["State ID", "Local ID", "Name", "Grade", "Name in registry", "Birth date in registry",
              "SSN in registry", "Missing"]

    def title(self, params):
        site = param_site(params)
        return f"No PII found for Students - {site.code} {site.name} - BSSY {fmt_bssy(param_bssy(params))}"

    def check(self, user, params):
        super().check(user, params)
        if param_site(params).sponsor.kind == "nonpublic":
            raise BadRequest("Nonpublic students carry their own PII in STS: the No PII report is for public and "
                             "charter schools.")

    def rows(self, params):
        students = list(self.students(params).order_by("last_name", "first_name", "state_id").values_list(
            "state_id", "local_id", "last_name", "first_name", "grade"))
        registry = {r[0]: r for r in SecureId.objects.filter(unique_id__in=[s[0] for s in students]).values_list(
            "unique_id", "first_name", "last_name", "birth_date", "ssn_on_file")}
        yield self.HEADER
        for state_id, local_id, last, first, grade in students:
            entry = registry.get(state_id)
            has = {"Name": bool(entry and entry[1].strip() and entry[2].strip()),
                   "Birth date": bool(entry and entry[3]), "SSN": bool(entry and entry[4])}
            missing = [item for item, ok in has.items() if not ok]
            if missing:
                yield [state_id, local_id, f"{last}, {first}".strip(", "), grade,
                       *(CHECK if ok else QUESTION for ok in has.values()),
                       ("not in the registry" if entry is None else ", ".join(missing))]
