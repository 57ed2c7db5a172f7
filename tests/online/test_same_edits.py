"""THE SHARED MATRIX: the same bad values fed to a batch file (validate mode) and to the online
forms must give the same STS code, so online entry never accepts what batch rejects. The only
difference allowed is 350: CDV may only be entered online.

Each row is (record type, raw batch values, typed online values, expected code); the typed
values default to the raw ones (codes), and differ where the online format does (1.00 for "100",
05/20/2026 for "05202026").
"""
import re
from dataclasses import dataclass, field, replace

import pytest
from django.urls import reverse

from tests.batch import helpers as batch
from transcripts.models import Ibc, Student, Transcript
from transcripts.online import services as S
from transcripts.online.fields import raw_values
from uploads.pipeline import run_pipeline

from .helpers import BSSY, ibc_typed, registry_student, student_typed, transcript_typed

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    record_type: str
    raw: dict
    expected: str
    typed: dict = field(default_factory=dict)

    @property
    def online(self):
        return {**self.raw, **self.typed}

    def __str__(self):
        return f"{self.record_type} {self.raw} -> {self.expected}"


GRADUATE_12 = {"grade": "12", "grade9_entry": "2022"}

CASES = [
    # 020: the student fields entered online (public/charter demographics come from the registry)
    Case("020", {"state_id": "12345ABCDE"}, "U01"),
    Case("020", {"state_id": "9999999999"}, "U02"),
    Case("020", {"grade": "13"}, "208"),
    Case("020", {"grade9_entry": "2030"}, "209"),
    Case("020", {"grade9_entry": "24"}, "209"),
    Case("020", {"grade": "T9", "grade9_entry": "2025"}, "226"),
    Case("020", {**GRADUATE_12, "graduation_date": "13452026", "fafsa": "1", "gee_flag": "Y"}, "210",
         typed={"graduation_date": "13/45/2026"}),
    Case("020", {"graduation_date": "05202026", "fafsa": "1", "gee_flag": "Y"}, "214",
         typed={"graduation_date": "05/20/2026"}),
    Case("020", {**GRADUATE_12, "graduation_date": "05202025", "fafsa": "1", "gee_flag": "Y"}, "215",
         typed={"graduation_date": "05/20/2025"}),
    Case("020", {**GRADUATE_12, "graduation_date": "05202026", "gee_flag": "Y"}, "242",
         typed={"graduation_date": "05/20/2026"}),
    Case("020", {**GRADUATE_12, "graduation_date": "05202026", "fafsa": "1", "gee_flag": "Y", "diploma_path": "ND"},
         "228", typed={"graduation_date": "05/20/2026"}),
    Case("020", {"grade": "T9", "grade9_entry": "2026", "graduation_date": "05202026"}, "230",
         typed={"graduation_date": "05/20/2026"}),
    Case("020", {"career_option": "ZZZ"}, "212"),
    Case("020", {"career_option": "A01"}, "229"),
    Case("020", {"academic_endorsement": "A1"}, "221"),
    Case("020", {"biliteracy_seal": "D9"}, "221"),
    Case("020", {"career_endorsement": "X9"}, "225"),
    Case("020", {"gee_flag": "Z"}, "218"),
    Case("020", {"gee_flag": "Y", "eoc_ela": "P"}, "234"),
    Case("020", {"rank_position": "0012", "rank_size": "0010"}, "220",
         typed={"rank_position": "12", "rank_size": "10"}),
    Case("020", {"diploma_path": ""}, "224"),
    Case("020", {"diploma_path": "ZZ"}, "232"),
    Case("020", {"diploma_path": "C4"}, "231"),
    Case("020", {"diploma_path": "ND", "grade": "11", "grade9_entry": "2023"}, "233"),
    Case("020", {"diploma_path": "L1"}, "349"),
    Case("020", {"fafsa": "9"}, "241"),
    # 030
    Case("030", {"course_bssy": "2030"}, "301"),
    Case("030", {"course_code": "999999"}, "302"),
    Case("030", {"part": "3"}, "303"),
    Case("030", {"semester": "Q9"}, "304"),
    Case("030", {"grade": "X"}, "305"),
    Case("030", {"credit_attempted": "abc"}, "306"),
    Case("030", {"credit_earned": "200"}, "310", typed={"credit_earned": "2.00"}),
    Case("030", {"grade": "F", "quality_points": "000", "credit_earned": "100"}, "311", typed={"credit_earned": "1.00",
                                                                                             "quality_points": "0"}),
    Case("030", {"grade": "B", "quality_points": "300", "credit_earned": "050"}, "312",
         typed={"credit_earned": "0.50", "quality_points": "3.00"}),
    Case("030", {"grade_point_max": "ABC"}, "314"),
    Case("030", {"waiver": "X"}, "316"),
    Case("030", {"waiver": "Y"}, "318"),
    Case("030", {"course_sponsor": "ZZZ", "course_site": ""}, "319", typed={"course_site_name": "Elsewhere High"}),
    Case("030", {"course_sponsor": ""}, "320"),
    Case("030", {"course_site": "999999"}, "321"),
    Case("030", {"course_site": "036001"}, "322"),
    Case("030", {"course_code": "140901"}, "328"),
    Case("030", {"quality_points": "A00"}, "329"),
    Case("030", {"grade": "P", "quality_points": "100"}, "330", typed={"quality_points": "1.00"}),
    Case("030", {"grade": "B", "quality_points": "000"}, "331", typed={"quality_points": "0.00"}),
    Case("030", {"quality_points": "300"}, "332", typed={"quality_points": "3.00"}),
    Case("030", {"grade": "B", "quality_points": "400"}, "333", typed={"quality_points": "4.00"}),
    Case("030", {"course_type": "ZZ"}, "334"),
    Case("030", {"distance_learning": "09"}, "335"),
    Case("030", {"course_type": "DE", "course_sponsor": "P01", "course_site": "P01001", "de_secondary_site": "017001"},
         "339"),
    Case("030", {"de_credit_hours": "0300"}, "340", typed={"de_credit_hours": "3.00"}),
    Case("030", {"de_credit_hours": "ABCD"}, "341"),
    Case("030", {"de_secondary_site": "017001"}, "342"),
    Case("030", {"grade": "P", "part": "1", "quality_points": "000"}, "327", typed={"quality_points": "0"}),
    # 050
    Case("050", {"ibc_code": "ZZZ"}, "510"),
    Case("050", {"vendor": "ZZZ"}, "510"),
    Case("050", {"semester_earned": "9"}, "511"),
    Case("050", {"year_earned": "2030"}, "512"),
    Case("050", {"pass_fail": "X"}, "513"),
    Case("050", {"earned_sponsor": "ZZZ"}, "514"),
    Case("050", {"earned_site": "036001"}, "515"),
]


def batch_records(sid, case, ibc_code):
    """A student's 020 + 030 (+ 050) as a batch file carries them, with the case's bad values."""
    state = {"state_id": case.raw["state_id"]} if "state_id" in case.raw else {}
    rest = {k: v for k, v in case.raw.items() if k != "state_id"}
    student = batch.student_record(sid, **state, **(rest if case.record_type == "020" else {}))
    course = replace(batch.course(sid, **state), **(rest if case.record_type == "030" else {}))
    records = [student, course]
    if case.record_type == "050":
        records.append(batch.ibc(sid, ibc_code, **rest))
    return records


def batch_codes(tmp_path, user, today, students):
    """{state_id: codes} of one validate-mode run over every case's student."""
    path = batch.write(tmp_path / "matrix.txt", *[r for records in students for r in records])
    run = run_pipeline(path, path.name, mode="validate", today=today, user=user)
    codes = {}
    for e in run.errors:
        codes.setdefault(e["state_id"], set()).add(e["code"])
    return codes


def online_codes(response) -> set[str]:
    m = re.search(r'id="error-summary" data-codes="([^"]*)"', response.content.decode())
    return set(m.group(1).split()) if m else set()


def add_online_student(site, sid, today):
    raw, _ = raw_values("020", "public", student_typed(state_id=sid.unique_id))
    outcome = S.save_student(site=site, bssy=BSSY, raw=raw, by="E017UPD", today=today)
    assert outcome.saved, outcome.findings
    return outcome.student


def post_online(client, site, sid, case, ibc_code, today):
    if case.record_type == "020":
        state_id = case.online.get("state_id", sid.unique_id)
        typed = student_typed(**{**case.online, "state_id": state_id})
        return client.post(reverse("transcripts:add_student", args=[site.code]), typed)
    student = add_online_student(site, sid, today)
    if case.record_type == "030":
        return client.post(reverse("transcripts:add_transcript", args=[student.pk]), transcript_typed(**case.online))
    return client.post(reverse("transcripts:add_ibc", args=[student.pk]), ibc_typed(ibc_code, **case.online))


def test_batch_and_online_report_the_same_code(tmp_path, client, make_user, editor, site, today, ibc_code):
    uploader = make_user("E017UPL", "lea-upload", "017")
    students = [registry_student(index=i) for i in range(len(CASES))]
    expected_ids = [case.raw.get("state_id", sid.unique_id) for case, sid in zip(CASES, students)]
    batch = batch_codes(tmp_path, uploader, today,
                        [batch_records(sid, case, ibc_code) for sid, case in zip(students, CASES)])
    client.force_login(editor)
    mismatches = []
    for case, sid, state_id in zip(CASES, students, expected_ids):
        in_batch = batch.get(state_id, set())
        response = post_online(client, site, sid, case, ibc_code, today)
        online = online_codes(response)
        if case.expected not in in_batch or case.expected not in online or response.status_code != 200:
            mismatches.append(f"{case}: batch {sorted(in_batch)}, online {sorted(online)} ({response.status_code})")
    assert not mismatches, "\n".join(mismatches)
    # Nothing the batch rejected was stored online.
    assert not Transcript.objects.exists() and not Ibc.objects.exists()
    assert Student.objects.count() == sum(1 for c in CASES if c.record_type != "020")


def test_a_clean_record_set_passes_both_ways(tmp_path, client, make_user, editor, site, today, ibc_code):
    """The matrix's baseline: without a bad value both accept (so each row tests its value)."""
    uploader = make_user("E017UPL", "lea-upload", "017")
    sid = registry_student(index=0)
    base = Case("050", {}, "")
    assert batch_codes(tmp_path, uploader, today, [batch_records(sid, base, ibc_code)]) == {}
    client.force_login(editor)
    response = client.post(reverse("transcripts:add_student", args=[site.code]), student_typed(state_id=sid.unique_id))
    assert response.status_code == 302
    student = Student.objects.get(state_id=sid.unique_id)
    assert client.post(reverse("transcripts:add_transcript", args=[student.pk]), transcript_typed()).status_code == 302
    assert client.post(reverse("transcripts:add_ibc", args=[student.pk]), ibc_typed(ibc_code)).status_code == 302


def test_duplicates_within_the_record_set_are_326_and_513_both_ways(tmp_path, client, make_user, editor, site, today,
                                                                     ibc_code):
    uploader = make_user("E017UPL", "lea-upload", "017")
    sid = registry_student(index=0)
    path = batch.write(tmp_path / "dup.txt", batch.student_record(sid), batch.course(sid), batch.course(sid),
                       batch.ibc(sid, ibc_code), batch.ibc(sid, ibc_code))
    run = run_pipeline(path, path.name, mode="validate", today=today, user=uploader)
    assert {"326", "513"} <= {e["code"] for e in run.errors}
    client.force_login(editor)
    student = add_online_student(site, sid, today)
    url = reverse("transcripts:add_transcript", args=[student.pk])
    assert client.post(url, transcript_typed()).status_code == 302
    assert "326" in online_codes(client.post(url, transcript_typed()))
    url = reverse("transcripts:add_ibc", args=[student.pk])
    assert client.post(url, ibc_typed(ibc_code)).status_code == 302
    assert "513" in online_codes(client.post(url, ibc_typed(ibc_code)))
    assert client.post(url, ibc_typed(ibc_code, pass_fail="F")).status_code == 302  # one pass and one fail


def test_cdv_is_online_only(tmp_path, client, make_user, editor, site, today):
    """350: batch refuses career option CDV; online entry accepts it for a CD student."""
    uploader = make_user("E017UPL", "lea-upload", "017")
    sid = registry_student(index=0)
    cd = {"diploma_path": "CD", "career_option": "CDV", "grade": "12", "grade9_entry": "2013"}
    path = batch.write(tmp_path / "cdv.txt", batch.student_record(sid, **cd), batch.course(sid))
    run = run_pipeline(path, path.name, mode="validate", today=today, user=uploader)
    assert "350" in {e["code"] for e in run.errors}
    client.force_login(editor)
    response = client.post(reverse("transcripts:add_student", args=[site.code]),
                           student_typed(state_id=sid.unique_id, **cd))
    assert response.status_code == 302, online_codes(response)
    assert Student.objects.get(state_id=sid.unique_id).career_option == "CDV"


def test_each_catalog_record_code_of_the_online_fields_is_in_the_matrix():
    """A new edit on a field entered online needs its row here (or a reason it cannot apply)."""
    from transcripts.edits import CATALOG

    covered = {c.expected for c in CASES + NONPUBLIC_CASES} | {"326", "513", "350"}
    not_online = {
        "200", "211", "300",  # record-set composition of a batch file (online: always on file / one 020)
        "201", "202", "213",  # the site is fixed by the page and checked by permissions
        "U03", "U04", "U05", "U06", "U07", "U08",  # public demographics come from the registry itself
        "223",  # graduation check: override dialog (test_views)
        "500", "503", "504", "507",  # the 050's head is built from the student
    }
    record_codes = {code for code, e in CATALOG.items() if e.record_type in ("020", "030", "050", "secure_id")}
    assert record_codes - covered - not_online == set()


# --- nonpublic: the demographics are entered online, so they are in the matrix too ----------------

NONPUBLIC_CASES = [
    Case("020", {"first_name": ""}, "203"),
    Case("020", {"last_name": ""}, "204"),
    Case("020", {"birth_date": "02302010"}, "205", typed={"birth_date": "02/30/2010"}),
    Case("020", {"white": "N"}, "206", typed={"white": ""}),
    Case("020", {"sex": "X"}, "207"),
    Case("020", {"local_id": "SAME"}, "227"),
    Case("020", {"state_id": "912345678"}, "U01"),
    Case("020", {"grade": "07", "grade9_entry": ""}, "208"),
    Case("030", {"semester": "Q9"}, "304"),
]


def nonpublic_student(state_id, raw):
    from transcripts.records import StudentRecord

    values = {"bssy": str(BSSY), "sponsor": "N52", "state_id": state_id, "local_id": "NP" + state_id[-4:],
              "site": "N52001", "first_name": "Marie", "last_name": "Thibodeaux", "birth_date": "02142010",
              "sex": "F", "grade": "10", "grade9_entry": str(BSSY - 1), "hispanic": "N", "american_indian": "N",
              "asian": "N", "black": "N", "pacific_islander": "N", "white": "Y", "diploma_path": "TU",
              "parental_consent": "Y", **raw}
    if values["local_id"] == "SAME":
        values["local_id"] = values["state_id"]
    return StudentRecord(layout="nonpublic", **values)


def nonpublic_typed(student):
    from transcripts.online.fields import display_values, entry_fields

    typed = display_values(student, entry_fields("020", "nonpublic"))
    return {k: ("on" if v is True else "" if v is False else v) for k, v in typed.items()}


def test_nonpublic_demographics_give_the_batch_codes_online(tmp_path, client, make_user, open_period, today):
    from transcripts.records import TranscriptRecord

    uploader = make_user("EN52UPL", "lea-upload", "N52")
    cases = [(case, f"{100000001 + i}") for i, case in enumerate(NONPUBLIC_CASES)]
    records = []
    for case, state_id in cases:
        student = nonpublic_student(state_id, case.raw if case.record_type == "020" else {})
        course = replace(TranscriptRecord(layout="nonpublic", **{
            k: v for k, v in vars(batch.course(registry_student())).items()
            if k not in ("layout", "line", "system", "record_type")}), sponsor="N52", state_id=student.state_id,
            course_sponsor="N52", course_site="N52001", **(case.raw if case.record_type == "030" else {}))
        records.append([student, course])
    in_batch = batch_codes(tmp_path, uploader, today, records)
    client.force_login(make_user("EN52UPD", "lea-update", "N52"))
    mismatches = []
    for (case, state_id), (student, _course) in zip(cases, records):
        if case.record_type == "020":
            typed = {**nonpublic_typed(student), **case.typed}
            response = client.post(reverse("transcripts:add_student", args=["N52001"]), typed)
        else:
            clean = nonpublic_student(state_id, {})
            assert client.post(reverse("transcripts:add_student", args=["N52001"]),
                               nonpublic_typed(clean)).status_code == 302
            pk = Student.objects.get(state_id=state_id).pk
            response = client.post(reverse("transcripts:add_transcript", args=[pk]),
                                   transcript_typed(course_sponsor="N52", course_site="N52001", **case.online))
        online = online_codes(response)
        codes = in_batch.get(student.state_id.strip(), set())
        if case.expected not in codes or case.expected not in online:
            mismatches.append(f"{case}: batch {sorted(codes)}, online {sorted(online)}")
    assert not mismatches, "\n".join(mismatches)
