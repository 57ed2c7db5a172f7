"""STSQ05 Manual GPA Recalculation from the web (issue 20, item 4)."""
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from transcripts.models import StudentProgress
from yearend.models import Recalculation, SponsorRecalculated

from .conftest import make_student

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("group,sponsor", [("lea-all", "017"), ("losfa-core-tables", None), ("bor-inquiry", None)])
def test_only_state_staff_reach_recalculation_and_rollover(client, make_user, open_period, group, sponsor):
    client.force_login(make_user(f"E{sponsor or 'LSF'}RC1", group, sponsor))
    for name in ("yearend:recalculate", "yearend:rollover"):
        assert client.get(reverse(name)).status_code == 403
        assert client.post(reverse(name), {"scope": "state", "from_bssy": "2025"}).status_code == 403
    assert client.post(reverse("yearend:rollover_undo"), {"sponsor": "017", "to_bssy": "2026"}).status_code == 403
    assert not Recalculation.objects.exists()


def test_bad_scope_is_a_400_naming_the_field(client, state_staff):
    client.force_login(state_staff)
    response = client.post(reverse("yearend:recalculate"), {"scope": "sponsor", "code": "ZZZ"})
    assert response.status_code == 400 and "Sponsor: there is no sponsor" in response.content.decode()
    response = client.post(reverse("yearend:recalculate"), {"scope": "site", "code": ""})
    assert response.status_code == 400 and "Site: enter a site code" in response.content.decode()
    assert not Recalculation.objects.exists()


def test_a_sponsor_recalculation_fans_out_refreshes_results_and_shows_when(client, state_staff, eager, settings,
                                                                         django_capture_on_commit_callbacks):
    settings.STS_RECALC_CHUNK = 2
    students = [make_student(i, "11") for i in range(5)]
    right = {p.student_id: p.overall_gpa for p in StudentProgress.objects.all()}
    StudentProgress.objects.update(overall_gpa="1.234")  # stale: computed before a core-table change
    client.force_login(state_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("yearend:recalculate"), {"scope": "sponsor", "code": "017"})
    job = Recalculation.objects.get()
    assert response.url == reverse("yearend:recalculate_status", args=[job.pk])
    assert (job.status, job.total, job.chunks) == ("done", 5, 3)
    assert [(p.index, len(p.student_ids), p.status) for p in job.parts.all()] == [(0, 2, "done"), (1, 2, "done"),
                                                                                 (2, 1, "done")]
    assert {p.student_id: p.overall_gpa for p in StudentProgress.objects.all()} == right
    assert len(right) == len(students)
    last = SponsorRecalculated.objects.get(sponsor__code="017", bssy=2025)
    assert last.by == "ELDOE01" and last.scope == "sponsor 017"
    page = client.get(reverse("yearend:recalculate")).content.decode()
    row = page[page.index('data-sponsor="017"'):].split("</tr>")[0]
    assert timezone.localtime(last.at).strftime("%m/%d/%Y %H:%M") in row and "sponsor 017" in row
    status = client.get(reverse("yearend:recalculate_status", args=[job.pk])).content.decode()
    assert "Recalculated 5 students in 3 tasks" in status


def test_sts_recompute_keeps_its_flags_and_goes_the_same_way(open_period, settings):
    settings.STS_RECALC_CHUNK = 2
    make_student(0, "11")
    make_student(1, "11")
    StudentProgress.objects.update(overall_gpa="1.234")
    out = io.StringIO()
    call_command("sts_recompute", "--bssy", "2025", "--sponsor", "017", stdout=out)
    assert "2 students recomputed" in out.getvalue()
    assert not StudentProgress.objects.filter(overall_gpa="1.234").exists()
    job = Recalculation.objects.get()
    assert (job.status, job.chunks, job.by, job.sponsor.code) == ("done", 1, "command", "017")
    assert SponsorRecalculated.objects.get(sponsor__code="017", bssy=2025).scope == "command (sponsor 017)"


def test_rollover_page_refuses_a_bad_year_or_sponsor_with_a_400_naming_the_field(client, state_staff):
    from yearend.models import Rollover

    client.force_login(state_staff)
    response = client.post(reverse("yearend:rollover"), {"from_bssy": "20x5"})
    assert response.status_code == 400 and "From BSSY: enter a year" in response.content.decode()
    response = client.post(reverse("yearend:rollover"), {"from_bssy": "2025", "sponsor": "ZZZ"})
    assert response.status_code == 400 and "Sponsor: there is no sponsor" in response.content.decode()
    response = client.post(reverse("yearend:rollover_undo"), {"sponsor": "017", "to_bssy": "2026"}, follow=True)
    assert "Sponsor 017 has no rollover into BSSY 2026 to undo" in response.content.decode()
    assert not Rollover.objects.exists()
