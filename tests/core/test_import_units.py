"""``manage.py import_units``: every row checked first, nothing half-imported."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from humas_portal.core.models import UnitKind, UnitTimeZone, WorkUnit

pytestmark = pytest.mark.django_db

HEADER = "code,name,short_name,kind,parent_code,timezone,slug,address,email,phone\n"
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "units-example.csv"


def write_csv(tmp_path, body, header=HEADER, name="units.csv"):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def run_import(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_units", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing_import(path, *args):
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_units", str(path), *args, stdout=io.StringIO(), stderr=err)
    return str(excinfo.value), err.getvalue()


def test_the_example_file_builds_the_hierarchy_with_zones_inherited_from_parents():
    out, _ = run_import(EXAMPLE)
    assert "8 unit dibuat" in out
    kanwil = WorkUnit.objects.get(code="KW35")
    kua = WorkUnit.objects.get(code="KUA351401")
    assert kua.kind == UnitKind.KUA
    assert kua.parent.code == "KK3514"
    assert kanwil.covers(kua)
    assert kua.slug == "kua-kecamatan-bangil"
    # Left empty in the file: the zone of the office above.
    assert WorkUnit.objects.get(code="KUA737101").timezone == UnitTimeZone.WITA
    assert kua.timezone == UnitTimeZone.WIB


def test_importing_the_same_file_twice_creates_nothing_new():
    run_import(EXAMPLE)
    paths = dict(WorkUnit.objects.values_list("code", "path"))
    out, _ = run_import(EXAMPLE)
    assert "0 unit dibuat, 0 diperbarui, 8 tidak berubah" in out
    assert WorkUnit.objects.count() == 8
    assert dict(WorkUnit.objects.values_list("code", "path")) == paths


def test_a_reimport_updates_units_by_code_and_moves_them(tmp_path):
    run_import(EXAMPLE)
    moved = write_csv(
        tmp_path,
        "KK3515,Kantor Kementerian Agama Kabupaten Sidoarjo,,kankemenag,KW35,WIB,,,,\n"
        "KUA351401,KUA Kecamatan Bangil Kota,,kua,KK3515,,,,kua.bangil@contoh.kemenag.go.id,\n",
    )
    out, _ = run_import(moved)
    assert "1 unit dibuat, 1 diperbarui" in out
    kua = WorkUnit.objects.get(code="KUA351401")
    assert kua.name == "KUA Kecamatan Bangil Kota"
    assert kua.email == "kua.bangil@contoh.kemenag.go.id"
    # The stored slug stays, so public links keep working.
    assert kua.slug == "kua-kecamatan-bangil"
    assert kua.parent.code == "KK3515"
    assert kua.path.startswith(WorkUnit.objects.get(code="KK3515").path)


def test_dry_run_reports_and_stores_nothing():
    out, _ = run_import(EXAMPLE, "--dry-run")
    assert "8 unit akan dibuat" in out
    assert "tidak ada yang disimpan" in out
    assert not WorkUnit.objects.exists()


def test_every_bad_row_is_reported_with_its_row_number_and_nothing_is_imported(tmp_path):
    path = write_csv(
        tmp_path,
        "KW35,Kanwil Kemenag Provinsi Jawa Timur,,kanwil,,WIB,,,,\n"  # row 2: fine
        "KK3514,Kemenag Pasuruan,,kantor,KW35,,,,,\n"  # row 3: unknown kind
        "KUA1,KUA Bangil,,kua,KK9999,,,,,\n"  # row 4: unknown parent
        "KUA2,KUA Beji,,kua,KW35,WITB,,,,\n"  # row 5: bad zone
        "KUA1,KUA Gempol,,kua,KW35,,,,,\n"  # row 6: duplicate code
        "KUA3,,,kua,KW35,,,,,\n"  # row 7: missing name
        "KUA4,KUA Rembang,,kua,KW35,,,,bukan-email,\n",  # row 8: bad email
    )
    message, err = run_failing_import(path)
    assert "Tidak ada unit yang diimpor: 6 baris bermasalah" in message
    lines = err.splitlines()
    assert lines[0].startswith("Baris 3: jenis unit “kantor” tidak dikenal")
    assert lines[1] == "Baris 4: kode induk KK9999 tidak ada di basis data maupun di baris sebelumnya."
    assert lines[2].startswith("Baris 5: zona waktu “WITB” tidak dikenal")
    assert lines[3] == "Baris 6: kode KUA1 sudah dipakai di baris 4."
    assert lines[4] == "Baris 7: kolom name (nama unit) wajib diisi."
    assert lines[5] == "Baris 8: alamat email “bukan-email” tidak valid."
    # Row 2 was valid, but the file goes in whole or not at all.
    assert not WorkUnit.objects.exists()


def test_a_parent_must_come_before_its_units(tmp_path):
    path = write_csv(
        tmp_path,
        "KUA1,KUA Bangil,,kua,KK3514,,,,,\nKK3514,Kemenag Pasuruan,,kankemenag,,,,,,\n",
    )
    _, err = run_failing_import(path)
    assert "Baris 2: unit induk KK3514 baru muncul di baris 3" in err
    assert not WorkUnit.objects.exists()


def test_a_parent_already_in_the_database_may_be_named(tmp_path):
    run_import(EXAMPLE)
    path = write_csv(tmp_path, "KUA351402,KUA Kecamatan Beji,KUA Beji,KUA,KK3514,wib,,,,\n")
    run_import(path)
    assert WorkUnit.objects.get(code="KUA351402").parent.code == "KK3514"


def test_zone_names_and_abbreviations_are_both_accepted(tmp_path):
    path = write_csv(
        tmp_path,
        "A,Kanwil Papua,,kanwil,,WIT,,,,\nB,Kanwil Bali,,Kantor Wilayah,,Asia/Makassar,,,,\n",
    )
    run_import(path)
    assert WorkUnit.objects.get(code="A").timezone == UnitTimeZone.WIT
    assert WorkUnit.objects.get(code="B").timezone == UnitTimeZone.WITA


def test_a_slug_used_by_another_unit_is_refused_and_a_derived_one_avoids_it(tmp_path):
    run_import(EXAMPLE)
    taken = write_csv(tmp_path, "X1,KUA Lain,,kua,KK3514,,kua-kecamatan-bangil,,,\n", name="taken.csv")
    _, err = run_failing_import(taken)
    assert "Baris 2: slug kua-kecamatan-bangil sudah dipakai unit KUA351401." in err
    same_name = write_csv(tmp_path, "X2,KUA Kecamatan Bangil,,kua,KK3514,,,,,\n", name="same.csv")
    run_import(same_name)
    assert WorkUnit.objects.get(code="X2").slug == "kua-kecamatan-bangil-x2"


def test_moving_a_unit_under_its_own_descendant_is_refused(tmp_path):
    run_import(EXAMPLE)
    path = write_csv(tmp_path, "KK3514,Kemenag Pasuruan,,kankemenag,KUA351401,,,,,\n")
    _, err = run_failing_import(path)
    assert "Baris 2: unit induk KUA351401 berada di bawah unit ini" in err
    assert WorkUnit.objects.get(code="KK3514").parent.code == "KW35"


def test_semicolon_separated_files_from_an_indonesian_spreadsheet_are_read(tmp_path):
    path = write_csv(tmp_path, "A;Kanwil Bali;;kanwil;;WITA;;;;\n", header=HEADER.replace(",", ";"))
    run_import(path)
    assert WorkUnit.objects.get(code="A").name == "Kanwil Bali"


def test_a_missing_or_misspelt_column_stops_before_any_row(tmp_path):
    missing = write_csv(tmp_path, "A,Kanwil Bali\n", header="code,name\n", name="missing.csv")
    message, _ = run_failing_import(missing)
    assert message == "Kolom wajib tidak ada di baris judul: kind."
    misspelt = write_csv(
        tmp_path, "A,Kanwil Bali,kanwil,\n", header="code,name,kind,parent\n", name="typo.csv"
    )
    message, _ = run_failing_import(misspelt)
    assert message.startswith("Kolom tidak dikenal: parent.")


def test_a_missing_file_is_reported(tmp_path):
    message, _ = run_failing_import(tmp_path / "tidak-ada.csv")
    assert "tidak ditemukan" in message
