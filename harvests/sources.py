"""Where the state's extracts and reports read: the live records or a snapshot's frozen ones,
through the same column names, so one extract serves both.

`students()` yields rows with `key` (the student's key: its pk, or the pk it had when frozen),
the sponsor and site codes, the 020 fields and the stored progress figures; `transcripts()` the
030 rows with `key`.
"""
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.db.models import F
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone

from core_tables.models import Site
from transcripts import extensions
from transcripts.models import Student, Transcript
from transcripts.queries import param_bssy, sponsor_and_site

from .models import FrozenCertification, FrozenStudent, FrozenTranscript, Snapshot

PROGRESS = ("overall_gpa", "core_gpa", "tops_gpa", "total_credits", "pathway", "pathway_complete", "award_code",
            "award_eligible", "award_gpa", "award_units_earned", "award_units_required")


def _result(*path):
    """A value inside the stored progress result, as text (a flag reads 'true'/'false' on
    PostgreSQL, 1/0 on SQLite: `rules.flag` reads both)."""
    value = "progress__result"
    for step in path[:-1]:
        value = KeyTransform(step, value)
    return KeyTextTransform(path[-1], value)


@dataclass(frozen=True)
class Source:
    """The live records of a BSSY or a snapshot's, cut to a sponsor or a site (or the state)."""
    bssy: int
    snapshot: Snapshot | None = None
    sponsor: str = ""
    site: str = ""

    @classmethod
    def from_params(cls, params) -> "Source":
        """From an export's or a command's params (bssy, snapshot name, sponsor, site), checked with a
        message naming the bad one."""
        bssy = param_bssy(params)
        snapshot = None
        if name := str(params.get("snapshot", "")).strip():
            snapshot = Snapshot.objects.filter(name=name).first()
            if snapshot is None or snapshot.status != Snapshot.DONE:
                raise BadRequest(f"No snapshot {name!r} taken." if snapshot is None else
                                 f"Snapshot {name!r} is not taken yet ({snapshot.get_status_display()}).")
            if snapshot.bssy != bssy:
                raise BadRequest(f"Snapshot {name!r} is of BSSY {snapshot.bssy}, not {bssy}.")
        sponsor, site = sponsor_and_site(params, required=False)
        return cls(bssy=bssy, snapshot=snapshot, sponsor=sponsor, site=site)

    @property
    def scope(self) -> str:
        return self.site or self.sponsor or "STATE"

    def describe(self) -> str:
        where = f"site {self.site}" if self.site else f"sponsor {self.sponsor}" if self.sponsor else "the state"
        when = f"snapshot {self.snapshot.name}" if self.snapshot else "live data"
        return f"{where}, {when}"

    def as_params(self) -> dict:
        return {k: v for k, v in (("bssy", str(self.bssy)), ("snapshot", self.snapshot.name if self.snapshot else ""),
                                  ("sponsor", "" if self.site else self.sponsor), ("site", self.site)) if v}

    # --- rows ---------------------------------------------------------------------------------

    def students(self):
        """Every student of the scope (consent or not), with `key`, `sponsor_code`, `site_code`
        and the progress figures as columns."""
        if self.snapshot:
            rows = FrozenStudent.objects.filter(snapshot=self.snapshot).annotate(key=F("student_id"))
            if self.site:
                return rows.filter(site_code=self.site)
            return rows.filter(sponsor_code=self.sponsor) if self.sponsor else rows
        rows = Student.objects.filter(bssy=self.bssy).annotate(
            key=F("pk"), sponsor_code=F("sponsor__code"), site_code=F("site__code"),
            overall_gpa=F("progress__overall_gpa"), core_gpa=F("progress__core_gpa"),
            tops_gpa=F("progress__tops_gpa"), total_credits=F("progress__total_credits"),
            pathway=_result("pathway", "code"), pathway_complete=_result("pathway", "complete"),
            award_code=_result("awards", "0", "code"), award_eligible=_result("awards", "0", "eligible"),
            award_gpa=_result("awards", "0", "gpa"),
            award_units_earned=_result("awards", "0", "progress", "units_earned"),
            award_units_required=_result("awards", "0", "progress", "units_required"))
        if self.site:
            return rows.filter(site__code=self.site)
        return rows.filter(sponsor__code=self.sponsor) if self.sponsor else rows

    def transcripts(self, keys):
        """The 030 rows of these students (keys), with `key` and `row` (the record's pk, live then)."""
        if self.snapshot:
            return FrozenTranscript.objects.filter(snapshot=self.snapshot, student_id__in=keys).annotate(
                key=F("student_id"), row=F("row_id"))
        return Transcript.objects.filter(student_id__in=keys).annotate(key=F("student_id"), row=F("pk"))

    def certified(self) -> dict:
        """{site code: date its graduates were certified} for the scope's certified sites."""
        if self.snapshot:
            rows = self._frozen_certifications().filter(certified_at__isnull=False)
            return {code: timezone.localtime(at).date() for code, at in rows.values_list("site_code", "certified_at")}
        ids = dict(self._sites_with_students().values_list("pk", "code"))
        states = extensions.call(extensions.SITE_CERTIFICATIONS, list(ids), self.bssy, default={})
        return {ids[pk]: timezone.localtime(s.certified_at).date() for pk, s in states.items()
                if s.is_certified and s.certified_at}

    def certification_states(self) -> dict:
        """{site code: (sponsor code, state code)} for the scope's sites with students."""
        if self.snapshot:
            return {code: (sponsor, state) for code, sponsor, state in self._frozen_certifications().values_list(
                "site_code", "sponsor_code", "state")}
        info = {pk: (code, sponsor) for pk, code, sponsor in self._sites_with_students().values_list(
            "pk", "code", "sponsor__code")}
        states = extensions.call(extensions.SITE_CERTIFICATIONS, list(info), self.bssy, default={})
        return {code: (sponsor, states[pk].code if pk in states else "never") for pk, (code, sponsor) in info.items()}

    def _frozen_certifications(self):
        rows = FrozenCertification.objects.filter(snapshot=self.snapshot)
        if self.site:
            return rows.filter(site_code=self.site)
        return rows.filter(sponsor_code=self.sponsor) if self.sponsor else rows

    def _sites_with_students(self):
        sites = Site.objects.filter(students__bssy=self.bssy).distinct()
        if self.site:
            return sites.filter(code=self.site)
        return sites.filter(sponsor__code=self.sponsor) if self.sponsor else sites
