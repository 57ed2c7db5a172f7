"""The statewide IBC history: every IBC loaded (batch or online) is recorded once per student,
credential, result and term; loading it again refreshes where it came from."""

from sts import clock

from .models import IbcHistory
from .recordmap import ibc_values

UPDATED = ["vendor", "earned_sponsor", "earned_site", "sponsor", "site", "bssy", "source", "last_loaded_at"]


def record_ibcs(loaded, *, sponsor: str, bssy: int, source: str) -> None:
    """`loaded`: (State ID, 050 record) pairs just written for `sponsor` and `bssy`."""
    now = clock.now()
    rows = {}
    for state_id, rec in loaded:
        v = ibc_values(rec)
        key = (state_id, v["ibc_code"], v["pass_fail"], v["year_earned"], v["semester_earned"])
        rows[key] = IbcHistory(
            state_id=state_id, ibc_code=v["ibc_code"], semester_earned=v["semester_earned"],
            year_earned=v["year_earned"], pass_fail=v["pass_fail"], vendor=v["vendor"],
            earned_sponsor=v["earned_sponsor"], earned_site=v["earned_site"], sponsor=sponsor, site=v["site"],
            bssy=bssy, source=source[:20], first_loaded_at=now, last_loaded_at=now)
    if rows:
        IbcHistory.objects.bulk_create(list(rows.values()), batch_size=2000, update_conflicts=True,
                                       unique_fields=["state_id", "ibc_code", "pass_fail", "year_earned",
                                                      "semester_earned"], update_fields=UPDATED)


def history_of(state_ids):
    """History rows of these students, by State ID (each list in the model's order)."""
    out = {}
    for row in IbcHistory.objects.filter(state_id__in=list(state_ids)):
        out.setdefault(row.state_id, []).append(row)
    return out

