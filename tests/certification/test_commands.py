"""The command-line contract (issue item 9): sts_certify, sts_ots, sts_verify."""
import io
import json

import pytest
from django.core.management import CommandError, call_command

from certification.models import OfficialTranscript

from .conftest import BSSY, make_graduate

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def certify(*extra):
    out, _err = run("sts_certify", "--sponsor", "017", "--site", "017001", "--bssy", str(BSSY), "--user", "E017GRD",
                    *extra, "--json")
    return json.loads(out)


def test_sts_certify_prints_the_contract_and_runs_synchronously(open_period, make_user):
    make_user("E017GRD", "lea-gradcert", "017")
    ready, not_ready = make_graduate(0), make_graduate(1, gee="N")
    result = certify()
    assert result == {"site": "017001", "bssy": BSSY, "state": "certified", "graduates": 2, "issued": 1,
                      "rejected": [{"state_id": not_ready.state_id, "reason": "Met GEE/EOC flag is not Y (it is 'N')"}]}
    assert OfficialTranscript.objects.get().state_id == ready.state_id
    result = certify("--uncertify")
    assert result == {"site": "017001", "bssy": BSSY, "state": "uncertified", "graduates": 2, "issued": 0,
                      "rejected": []}


def test_sts_certify_refuses_users_without_the_right_and_wrong_sites(open_period, make_user):
    make_user("E017UPL", "lea-upload", "017")
    make_graduate(0)
    with pytest.raises(CommandError, match="may not certify graduate transcripts"):
        run("sts_certify", "--sponsor", "017", "--site", "017001", "--bssy", str(BSSY), "--user", "E017UPL", "--json")
    with pytest.raises(CommandError, match="No site 017001 of sponsor 036"):
        run("sts_certify", "--sponsor", "036", "--site", "017001", "--bssy", str(BSSY), "--user", "E017UPL")
    with pytest.raises(CommandError, match="No STS user"):
        run("sts_certify", "--sponsor", "017", "--site", "017001", "--bssy", str(BSSY), "--user", "ENOBODY")


def test_sts_ots_lists_versions_and_writes_the_current_pdf(open_period, make_user, tmp_path, site):
    make_user("E017GRD", "lea-gradcert", "017")
    grad = make_graduate(0)
    certify()
    type(grad).objects.filter(pk=grad.pk).update(rank_position=2, rank_size=90)
    from transcripts.graduates import mark_graduate_change
    mark_graduate_change([site.pk], BSSY, by="E017UPD", source="online")
    certify()
    out, _ = run("sts_ots", "--state-id", grad.state_id, "--bssy", str(BSSY), "--json", "--pdf", str(tmp_path / "o.pdf"))
    versions = json.loads(out)["versions"]
    assert [(v["version"], v["status"], v["current"]) for v in versions] == [(1, "S", False), (2, "S", True)]
    assert set(versions[0]) == {"version", "status", "reason", "issued_at", "current"}
    current = OfficialTranscript.objects.get(state_id=grad.state_id, version=2)
    from certification.storage import file_of
    assert (tmp_path / "o.pdf").read_bytes() == file_of(current).read_bytes()


def test_sts_verify_exits_0_only_for_a_genuine_unaltered_pdf(open_period, make_user, tmp_path):
    make_user("E017GRD", "lea-gradcert", "017")
    grad = make_graduate(0)
    certify()
    t = OfficialTranscript.objects.get()
    from certification.storage import file_of
    out, _ = run("sts_verify", str(file_of(t)))
    assert json.loads(out) == {"genuine": True, "state_id": grad.state_id, "bssy": BSSY, "version": 1, "current": True}
    data = file_of(t).read_bytes()
    changed = tmp_path / "changed.pdf"
    position = data.index(b"stream\n") + 40
    changed.write_bytes(data[:position] + b"#" + data[position + 1:])
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("sts_verify", str(changed), stdout=out, stderr=io.StringIO())
    assert exit_info.value.code == 1
    assert json.loads(out.getvalue()) == {"genuine": False, "state_id": None, "bssy": None, "version": None,
                                          "current": None}
    out, _ = run("sts_verify", t.code)
    assert json.loads(out)["genuine"] is True
    with pytest.raises(SystemExit):
        run("sts_verify", "ABCDE-FGHJK")
