import pytest
from transcripts.online import services as S
from transcripts.online.fields import raw_values, entry_fields
from tests.online.helpers import registry_student, student_typed, transcript_typed, ibc_typed, BSSY

pytestmark = pytest.mark.django_db

def raw(rt, layout, typed, registry=None):
    r, problems = raw_values(rt, layout, typed)
    assert not problems
    return r

def test_smoke(open_period, site, today, ibc_code):
    sid = registry_student()
    typed = student_typed(state_id=sid.unique_id)
    out = S.save_student(site=site, bssy=BSSY, raw=raw("020", "public", typed), by="E017UPD", today=today)
    print(out)
    assert out.saved
    st = out.student
    print(st.__dict__)
    out = S.save_transcript(st, raw("030", "public", transcript_typed()), by="x", today=today)
    print(out); assert out.saved
    out = S.save_transcript(st, raw("030", "public", transcript_typed(semester="Q9")), by="x", today=today)
    print(out); assert not out.saved
    out = S.save_ibc(st, raw("050", "public", ibc_typed(ibc_code)), by="x", today=today)
    print(out); assert out.saved
    out = S.save_ibc(st, raw("050", "public", ibc_typed(ibc_code)), by="x", today=today)
    print(out); assert not out.saved
    out = S.save_student(site=site, bssy=BSSY, raw=raw("020", "public", student_typed(grade="12", grade9_entry="2022", graduation_date="05/20/2026", fafsa="1", gee_flag="Y")), by="E017UPD", today=today, student=st)
    print(out)
    assert out.needs_override
    out = S.save_student(site=site, bssy=BSSY, raw=raw("020", "public", student_typed(grade="12", grade9_entry="2022", graduation_date="05/20/2026", fafsa="1", gee_flag="Y")), by="E017UPD", today=today, student=st, override_reason="waiver")
    print(out); assert out.saved
    kept = S.delete_student(st, by="x")
    st2 = S.restore_student(kept, by="y")
    print(st2.__dict__, st2.transcripts.count(), st2.ibcs.count(), st2.overrides.all())
