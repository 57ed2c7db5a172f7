"""Extract All Records / IBCs / IBC history: the batch layouts, CR LF, and extract -> upload in
replace mode -> extract gives the same bytes, through the real pipeline."""
import io
import pytest
from django.core.management import call_command

from transcripts.models import IbcHistory, Ibc, Student, Transcript
from transcripts.layouts import PARSERS

from .conftest import BSSY, generate, upload

pytestmark = pytest.mark.django_db


def extract(*args):
    out = io.StringIO()
    call_command("sts_extract", *args, stdout=out)
    return out.getvalue()


def records(text):
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text.split("\r\n")[:-1]


@pytest.mark.parametrize("sponsor,user_group", [("017", "lea-upload"), ("N52", "lea-upload")])
def test_extract_upload_extract_round_trips_byte_for_byte(sponsor, user_group, tmp_path, make_user, open_2025,
                                                          settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    user = f"E{sponsor}UPL"
    make_user(user, user_group, sponsor)
    result = upload(generate(tmp_path, sponsor, 80), user)
    assert result["accepted"] and result["students"]["loaded"] == 80, result
    first = extract("--sponsor", sponsor, "--bssy", str(BSSY))
    lines = records(first)
    kinds = {line[3:6] for line in lines}
    assert kinds == {"020", "030", "050"}
    assert sum(line[3:6] == "020" for line in lines) == 80
    # What the round trip must carry: part numbers, transfer courses, dual enrollment, IBCs.
    layout = "nonpublic" if sponsor == "N52" else "public"
    transcripts = [PARSERS["030", layout](line, 0) for line in lines if line[3:6] == "030"]
    assert any(t.part.strip() for t in transcripts)
    assert any(t.course_site_name.strip() and not t.course_site.strip() for t in transcripts)
    assert any(t.course_type in ("DE", "DA", "DI") and t.de_credit_hours.strip() for t in transcripts)
    assert all(len(line) == 200 for line in lines if line[3:6] != "050")
    assert all(len(line) == 63 for line in lines if line[3:6] == "050")
    before = (Transcript.objects.filter(student__sponsor__code=sponsor).count(),
              Ibc.objects.filter(student__sponsor__code=sponsor).count())

    path = tmp_path / f"{sponsor}extract.txt"
    path.write_bytes(first.encode())
    again = upload(path, user, mode="replace")
    assert again["accepted"] and again["students"]["loaded"] == 80 and again["students"]["rejected"] == 0, again
    assert (Transcript.objects.filter(student__sponsor__code=sponsor).count(),
            Ibc.objects.filter(student__sponsor__code=sponsor).count()) == before
    second = extract("--sponsor", sponsor, "--bssy", str(BSSY))
    assert second == first


def test_extracts_cut_by_site_grade_and_ibc_only(loaded_017):
    everything = records(extract("--sponsor", "017", "--bssy", str(BSSY)))
    site = Student.objects.filter(sponsor__code="017", bssy=BSSY).values_list("site__code", flat=True).first()
    at_site = records(extract("--sponsor", "017", "--bssy", str(BSSY), "--site", site))
    assert {line[32:38] for line in at_site if line[3:6] == "020"} == {site}
    twelfth = records(extract("--sponsor", "017", "--bssy", str(BSSY), "--grade", "12"))
    assert {line[100:102] for line in twelfth if line[3:6] == "020"} == {"12"}
    assert 0 < len(twelfth) < len(everything)
    ibcs = records(extract("--sponsor", "017", "--bssy", str(BSSY), "--ibc-only"))
    assert ibcs and {line[3:6] for line in ibcs} == {"050"}
    assert sorted(ibcs) == sorted(line for line in everything if line[3:6] == "050")


def test_history_follows_a_student_who_moves_to_another_lea(loaded_017, make_user):
    """The IBCs earned at 017 come out of the history for the student's new LEA (036), sent by the
    new site, with the sponsor and site where they were earned."""
    from core_tables.models import Site

    moved = Student.objects.filter(sponsor__code="017", bssy=BSSY, ibcs__pass_fail="P").distinct().first()
    earned = sorted(moved.ibcs.values_list("ibc_code", "earned_sponsor", "earned_site"))
    assert set(IbcHistory.objects.filter(state_id=moved.state_id).values_list("ibc_code", flat=True)) == {
        code for code, _, _ in earned}
    new_site = Site.objects.get(code="036001")
    moved.ibcs.all().delete()
    moved.sponsor, moved.site, moved.local_id = new_site.sponsor, new_site, "NEW123"
    moved.save()  # now a 036 student with no IBC on file this year
    assert extract("--sponsor", "036", "--bssy", str(BSSY), "--ibc-only") == ""  # nothing on file this year
    lines = records(extract("--sponsor", "036", "--bssy", str(BSSY), "--history"))
    assert lines and all(line[28:38] == moved.state_id for line in lines)
    assert sorted((line[42:45].strip(), line[54:57].strip(), line[57:63].strip()) for line in lines) == earned
    assert all(line[10:13] == "036" and line[13:19] == "036001" and line[19:28] == "NEW123   " for line in lines)


def test_history_records_ibcs_added_online(loaded_017, make_user):
    from core_tables.models import IbcCode
    from transcripts.online.services import save_ibc
    import datetime as dt

    student = Student.objects.filter(sponsor__code="017", bssy=BSSY, grade="12").first()
    code = IbcCode.objects.exclude(code__in=student.ibcs.values_list("ibc_code", flat=True)).order_by("code").first()
    outcome = save_ibc(student, {"ibc_code": code.code, "semester_earned": "1", "year_earned": str(BSSY),
                                 "pass_fail": "P", "vendor": "", "earned_sponsor": "017",
                                 "earned_site": student.site.code}, by="E017UPD", today=dt.date(2026, 3, 1))
    assert outcome.saved, outcome.findings
    row = IbcHistory.objects.get(state_id=student.state_id, ibc_code=code.code)
    assert row.source == "online" and row.sponsor == "017"


def test_bad_parameters_name_the_parameter(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No sponsor 'XYZ'"):
        extract("--sponsor", "XYZ", "--bssy", "2025")
    with pytest.raises(CommandError, match="No site '999999'"):
        extract("--sponsor", "017", "--bssy", "2025", "--site", "999999")
    with pytest.raises(CommandError, match="not a site of sponsor 036"):
        extract("--sponsor", "036", "--bssy", "2025", "--site", "017001")
