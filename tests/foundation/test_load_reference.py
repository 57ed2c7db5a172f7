import shutil

import pytest
from django.core.management import CommandError, call_command

from core_tables.csvspec import ReferenceLoadError
from core_tables.loading import load_folder
from core_tables.models import Category, CourseCode, Curriculum, SecureId, SecureIdChange, SetCourse, Site, Sponsor
from tests.conftest import REFERENCE_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref_copy(tmp_path):
    for f in REFERENCE_DIR.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def _rewrite(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_shipped_set_is_loaded_with_every_kind_of_table():
    assert set(Sponsor.objects.values_list("kind", flat=True)) == {"public", "charter", "nonpublic", "postsecondary"}
    assert Site.objects.filter(kind="school").count() >= 6
    assert CourseCode.objects.count() >= 150
    assert CourseCode.objects.filter(experience_only=True).exists()
    assert CourseCode.objects.filter(requires_course_name=True).exists()
    assert set(Curriculum.objects.values_list("code", flat=True)) >= {"TU", "CA", "L1", "TC", "TJ"}
    for code in ("TU", "CA", "L1", "TC", "TJ"):
        assert SetCourse.objects.filter(category__curriculum__code=code).exists(), code
    assert SecureId.objects.filter(sponsor__code="017").count() > 300


def test_reloading_the_same_files_changes_nothing(capsys):
    call_command("load_reference", str(REFERENCE_DIR))
    out = capsys.readouterr().out
    assert "sponsors.csv: 0 added, 0 updated" in out
    assert "set_courses.csv: 0 added, 0 updated" in out


def test_upsert_by_code_updates_and_records_secure_id_history(ref_copy, capsys):
    sid = SecureId.objects.filter(sponsor__code="017").first()
    _rewrite(ref_copy / "secure_ids.csv", f"{sid.unique_id},017,{sid.site.code},{sid.local_id},{sid.first_name},",
             f"{sid.unique_id},017,{sid.site.code},{sid.local_id},Zelda,")
    call_command("load_reference", str(ref_copy))
    assert "secure_ids.csv: 0 added, 1 updated" in capsys.readouterr().out
    sid.refresh_from_db()
    assert sid.first_name == "Zelda"
    change = SecureIdChange.objects.get(secure_id=sid)
    assert change.changes["first_name"][1] == "Zelda"


@pytest.mark.parametrize("file,old,new,expect", [
    ("sponsors.csv", None, None, "sponsors.csv, line 2, column 'kind': must be one of"),
    ("course_codes.csv", "code,name,first_bssy", "code,title,first_bssy", "course_codes.csv, line 1: header must be"),
    ("sites.csv", "017001,017,", "017001,036,", "sites.csv, line"),
])
def test_malformed_row_names_file_line_column_and_loads_nothing(ref_copy, file, old, new, expect):
    # A new sponsor in the first file proves the whole load is one transaction.
    with open(ref_copy / "sponsors.csv", "a") as f:
        f.write("Z99,New Sponsor,public\n")
    if old is None:  # the first data row's kind
        lines = (ref_copy / file).read_text().splitlines()
        lines[1] = lines[1].rsplit(",", 1)[0] + ",publik"
        (ref_copy / file).write_text("\n".join(lines) + "\n")
    else:
        _rewrite(ref_copy / file, old, new)
    with pytest.raises(CommandError) as info:
        call_command("load_reference", str(ref_copy))
    assert expect in str(info.value)
    assert "nothing was loaded" in str(info.value)
    assert not Sponsor.objects.filter(code="Z99").exists()


def test_sites_load_with_or_without_the_address_columns(tmp_path):
    sites = tmp_path / "sites.csv"
    sites.write_text("code,sponsor_code,name,kind,address,city,state,zip_code,phone\n"
                     "017001,017,Demo High,school,12 Levee Walk,Baton Rouge,,70802-1234,(225) 555-0100\n")
    load_folder(tmp_path)
    site = Site.objects.get(code="017001")
    assert (site.address, site.city, site.state, site.zip_code, site.phone) == (
        "12 Levee Walk", "Baton Rouge", "LA", "70802-1234", "(225) 555-0100")  # a blank state is Louisiana
    assert site.postal_address == "12 Levee Walk, Baton Rouge, LA 70802-1234"
    # A file written before the address columns (or with only some of them) still loads and keeps
    # the address on file.
    sites.write_text("code,sponsor_code,name,kind\n017001,017,Demo High Renamed,school\n")
    assert load_folder(tmp_path) == {"sites.csv": (0, 1)}
    sites.write_text("code,sponsor_code,name,kind,address\n017001,017,Demo High Renamed,school,14 Levee Walk\n")
    load_folder(tmp_path)
    site.refresh_from_db()
    assert (site.name, site.address, site.zip_code, site.phone) == (
        "Demo High Renamed", "14 Levee Walk", "70802-1234", "(225) 555-0100")
    sites.write_text("code,sponsor_code,name,kind,address,city,state,zip_code\n017001,017,Demo High,school,,,,708\n")
    with pytest.raises(ReferenceLoadError, match="sites.csv, line 2, column 'zip_code': must be a ZIP code"):
        load_folder(tmp_path)
    sites.write_text("code,sponsor_code,name,kind,city\n017001,017,Demo High,school,Baton Rouge\n")
    with pytest.raises(ReferenceLoadError, match="header must be code,sponsor_code,name,kind "
                                                 r"\(optionally followed by address,city"):
        load_folder(tmp_path)  # optional columns are left out from the right only


def test_unknown_course_in_a_set_is_reported_with_its_line(ref_copy):
    lines = (ref_copy / "set_courses.csv").read_text().splitlines()
    cols = lines[3].split(",")
    cols[3] = "999999"
    lines[3] = ",".join(cols)
    (ref_copy / "set_courses.csv").write_text("\n".join(lines) + "\n")
    before = SetCourse.objects.count()
    with pytest.raises(CommandError, match=r"set_courses.csv, line 4, column 'course_code': unknown course code '999999'"):
        call_command("load_reference", str(ref_copy))
    assert SetCourse.objects.count() == before


def test_duplicate_key_and_bad_date_are_rejected(ref_copy):
    lines = (ref_copy / "ibc_codes.csv").read_text().splitlines()
    (ref_copy / "ibc_codes.csv").write_text("\n".join(lines + [lines[1]]) + "\n")
    with pytest.raises(CommandError, match=rf"ibc_codes.csv, line {len(lines) + 1}, column 'code': duplicate of line 2"):
        call_command("load_reference", str(ref_copy))


def test_folder_without_reference_files_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="no reference files found"):
        call_command("load_reference", str(tmp_path))


def test_categories_of_the_guide_are_present():
    tu = {c.code: c for c in Category.objects.filter(curriculum__code="TU")}
    assert tu["01"].description.upper().startswith("ENGLISH I")
    assert sum(c.units_required for c in Category.objects.filter(curriculum__code="L1")) == 23
