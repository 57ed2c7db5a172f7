"""Students of site 017001 in BSSY 2025 (graduates and not) for the year-end tests."""
import pytest

from tests.certification.conftest import add_ibc, make_graduate, signing, signing_pair  # noqa: F401
from tests.online.conftest import open_period, state_staff  # noqa: F401
from transcripts.models import Student


def make_student(index, placement="11", **fields):
    """A student of 017001 with 24 passing courses; a non-graduate unless a graduation date is given."""
    fields.setdefault("graduation_date", None)
    student = make_graduate(index, **fields)
    Student.objects.filter(pk=student.pk).update(grade=placement)
    student.refresh_from_db()
    return student


@pytest.fixture
def year(db, open_period):
    """Two non-graduates (grades 11 and T9, consent Y, one with an IBC) and a graduate of 017001."""
    junior = make_student(1, "11")
    add_ibc(junior, "001")
    t9 = make_student(2, "T9")
    senior = make_graduate(0)
    return {"junior": junior, "t9": t9, "graduate": senior}
