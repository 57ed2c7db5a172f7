"""`sts_progress --json`: the contract shape and the same numbers as the stored result and the screen."""
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from transcripts.models import StudentProgress
from transcripts.progress.result import StudentProgress as Result
from transcripts.progress_store import recompute

from .helpers import BSSY, TU_COURSES, add_course, make_student

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("sts_progress", *args, stdout=out)
    return out.getvalue()


def progress_json(state_id="1000000001", *extra):
    return json.loads(run("--state-id", state_id, "--bssy", str(BSSY), "--json", *extra))


def test_json_has_exactly_the_contract_shape_and_the_hand_computed_numbers():
    make_student(courses=TU_COURSES)
    data = progress_json()
    assert set(data) == {"overall_gpa", "core_gpa", "tops_gpa", "total_credits", "pathway", "categories", "awards",
                         "graduation"}
    assert [c["code"] for c in data["categories"]] == ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10",
                                                      "11", "12", "13", "14", "15", "16", "17", "19", "20"]
    assert all(set(c) == {"code", "description", "required", "earned", "complete", "courses"}
               for c in data["categories"])
    assert all(set(u) == {"code", "name", "bssy", "grade", "units"} for c in data["categories"] for u in c["courses"])
    assert [set(a) for a in data["awards"]] == [{"code", "eligible", "gpa"}]
    assert set(data["graduation"]) == {"meets", "removal_reasons"}
    # 9 A, 4 B and 1 C, one unit each: 50 / 14 = 3.5714..., printed with 3 decimals.
    assert data["overall_gpa"] == data["core_gpa"] == data["tops_gpa"] == 3.571
    assert data["total_credits"] == 14.0 and data["pathway"] == "TU"
    by_code = {c["code"]: c for c in data["categories"]}
    assert by_code["01"]["complete"] and by_code["01"]["courses"] == [
        {"code": "120101", "name": by_code["01"]["courses"][0]["name"], "bssy": 2023, "grade": "A", "units": 1.0}]
    assert by_code["17"]["earned"] == 2.0 and by_code["17"]["complete"]
    assert [c for c in by_code if not by_code[c]["complete"]] == ["08", "11", "12", "15", "16", "20"]
    assert data["awards"] == [{"code": "TC", "eligible": False, "gpa": 3.571}]
    assert data["graduation"] == {"meets": False, "removal_reasons": ["2", "3"]}


def test_command_stored_result_and_screen_agree(client, lea_user):
    student = make_student(courses=TU_COURSES + [("190102", "B"), ("190100", "A")])  # Health & PE: 2 units
    add_course(student, "160351", "C")  # Math 4th unit
    recompute([student.pk])
    data = progress_json()

    stored = StudentProgress.objects.get(student=student)
    assert Result.from_dict(stored.result).to_json() == data
    assert stored.total_credits == Decimal(str(data["total_credits"])) == Decimal(17)
    assert stored.path_complete is False and stored.award_eligible is False
    assert stored.meets_graduation is data["graduation"]["meets"] is False

    client.force_login(lea_user)
    html = client.get(reverse("transcripts:progress", args=[student.pk])).content.decode()
    for key, field in (("overall", "overall_gpa"), ("core", "core_gpa"), ("tops", "tops_gpa")):
        assert re.search(rf'data-gpa="{key}">([^<]+)<', html).group(1) == f"{data[field]:.3f}"
    assert re.search(r"data-credits>([\d.]+)", html).group(1) == "17.00"
    for c in data["categories"]:
        row = re.search(rf'<tr class="([^"]*)" data-category="{c["code"]}">', html)
        assert ("missing" in row.group(1)) is (not c["complete"])


def test_what_if_path_switches_the_pathway_and_saves_nothing():
    student = make_student(courses=TU_COURSES)
    recompute([student.pk])
    before = StudentProgress.objects.get(student=student)
    data = progress_json("1000000001", "--path", "CA")
    assert data["pathway"] == "CA" and [a["code"] for a in data["awards"]] == ["TJ"]
    after = StudentProgress.objects.get(student=student)
    assert after.result == before.result and after.computed_at == before.computed_at
    assert after.result["pathway"]["code"] == "TU"


def test_human_summary_marks_missing_categories():
    make_student(courses=TU_COURSES)
    text = run("--state-id", "1000000001", "--bssy", str(BSSY))
    assert "Overall GPA 3.571" in text and "** 08" in text and "reason 3" in text


def test_unknown_student_names_state_id_and_bssy():
    with pytest.raises(CommandError, match="State ID 9999999999 in BSSY 2025"):
        run("--state-id", "9999999999", "--bssy", "2025", "--json")
    make_student()
    with pytest.raises(CommandError, match="BSSY 2024"):
        run("--state-id", "1000000001", "--bssy", "2024", "--json")


def test_state_id_at_several_sponsors_needs_sponsor():
    make_student(courses=[("120101", "A")])
    make_student(site="036001", courses=[("120101", "C")])
    with pytest.raises(CommandError, match=r"several sponsors .*\(017, 036\).*--sponsor"):
        progress_json()
    assert progress_json("1000000001", "--sponsor", "036")["overall_gpa"] == 2.0
    assert progress_json("1000000001", "--sponsor", "017")["overall_gpa"] == 4.0


def test_sts_recompute_refreshes_stale_stored_results():
    import io

    from django.core.management import call_command

    from transcripts.models import StudentProgress
    from transcripts.progress_store import recompute

    from .helpers import make_student

    student = make_student(courses=[("120101", "A")])
    recompute([student.pk])
    StudentProgress.objects.filter(student=student).update(overall_gpa="4.800")  # computed by an older rule
    out = io.StringIO()
    call_command("sts_recompute", "--bssy", str(student.bssy), "--sponsor", "017", stdout=out)
    assert "1 student recomputed" in out.getvalue()
    assert StudentProgress.objects.get(student=student).overall_gpa == 4
