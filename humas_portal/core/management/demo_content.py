"""Organisation and people of the demo data (``seed_demo``), on which
every app's demo module builds.

Everything here is invented for the demo: the codes follow the ministry's
pattern but the people and places are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass

from humas_portal.core.models import Role, UnitKind, UnitTimeZone


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    short_name: str
    kind: str
    slug: str
    parent: str | None
    timezone: str
    place: str  # the dateline
    head: str  # how the head of the unit is introduced in a quote
    head_name: str = ""
    address: str = ""


WIB, WITA = UnitTimeZone.WIB.value, UnitTimeZone.WITA.value

UNITS: tuple[DemoUnit, ...] = (
    DemoUnit(
        "KW35",
        "Kanwil Kemenag Provinsi Jawa Timur",
        "Kanwil Jatim",
        UnitKind.KANWIL,
        "kanwil-jatim",
        None,
        WIB,
        "Surabaya",
        "Kepala Kanwil Kemenag Provinsi Jawa Timur",
        "H. Moh. Syamsul Arifin",
        "Jl. Raya Juanda (alamat contoh), Sidoarjo",
    ),
    DemoUnit(
        "KK3514",
        "Kantor Kementerian Agama Kabupaten Pasuruan",
        "Kemenag Pasuruan",
        UnitKind.KANKEMENAG,
        "kemenag-pasuruan",
        "KW35",
        WIB,
        "Pasuruan",
        "Kepala Kantor Kementerian Agama Kabupaten Pasuruan",
        "Drs. Abdul Ghofur",
        "Jl. Contoh Raya No. 1, Bangil, Pasuruan",
    ),
    DemoUnit(
        "KUA351401",
        "KUA Kecamatan Bangil",
        "KUA Bangil",
        UnitKind.KUA,
        "kua-bangil",
        "KK3514",
        WIB,
        "Bangil",
        "Kepala KUA Kecamatan Bangil",
        "Ahmad Zainuri",
    ),
    DemoUnit(
        "KUA351402",
        "KUA Kecamatan Pandaan",
        "KUA Pandaan",
        UnitKind.KUA,
        "kua-pandaan",
        "KK3514",
        WIB,
        "Pandaan",
        "Kepala KUA Kecamatan Pandaan",
        "Imam Mustofa",
    ),
    DemoUnit(
        "MIN351401",
        "MIN 1 Pasuruan",
        "MIN 1 Pasuruan",
        UnitKind.MIN,
        "min-1-pasuruan",
        "KK3514",
        WIB,
        "Pasuruan",
        "Kepala MIN 1 Pasuruan",
        "Hj. Umi Kulsum",
    ),
    DemoUnit(
        "MTSN351401",
        "MTsN 1 Pasuruan",
        "MTsN 1 Pasuruan",
        UnitKind.MTSN,
        "mtsn-1-pasuruan",
        "KK3514",
        WIB,
        "Pasuruan",
        "Kepala MTsN 1 Pasuruan",
        "Nurul Hidayati",
    ),
    DemoUnit(
        "MAN351401",
        "MAN 1 Pasuruan",
        "MAN 1 Pasuruan",
        UnitKind.MAN,
        "man-1-pasuruan",
        "KK3514",
        WIB,
        "Pasuruan",
        "Kepala MAN 1 Pasuruan",
        "Khoirul Anam",
    ),
    DemoUnit(
        "MTSS351407",
        "MTs Miftahul Ulum Gempol",
        "MTs Miftahul Ulum",
        UnitKind.MADRASAH_SWASTA,
        "mts-miftahul-ulum-gempol",
        "KK3514",
        WIB,
        "Gempol",
        "Kepala MTs Miftahul Ulum Gempol",
        "Ahmad Mudzakir",
    ),
    DemoUnit(
        "PKJW3514",
        "Pokjawas Madrasah Kabupaten Pasuruan",
        "Pokjawas Pasuruan",
        UnitKind.POKJAWAS,
        "pokjawas-pasuruan",
        "KK3514",
        WIB,
        "Pasuruan",
        "Ketua Pokjawas Madrasah Kabupaten Pasuruan",
        "Siti Rofiah",
    ),
    DemoUnit(
        "PAI3514",
        "Penyuluh Agama Islam Kabupaten Pasuruan",
        "Penyuluh Pasuruan",
        UnitKind.PENYULUH,
        "penyuluh-pasuruan",
        "KK3514",
        WIB,
        "Pasuruan",
        "Koordinator Penyuluh Agama Islam Kabupaten Pasuruan",
        "Moh. Hasyim",
    ),
    # A second province in another time zone, so schedules and datelines
    # show WITA next to WIB.
    DemoUnit(
        "KW51",
        "Kanwil Kemenag Provinsi Bali",
        "Kanwil Bali",
        UnitKind.KANWIL,
        "kanwil-bali",
        None,
        WITA,
        "Denpasar",
        "Kepala Kanwil Kemenag Provinsi Bali",
        "I Nyoman Suwirta",
    ),
    DemoUnit(
        "KK5171",
        "Kantor Kementerian Agama Kota Denpasar",
        "Kemenag Denpasar",
        UnitKind.KANKEMENAG,
        "kemenag-denpasar",
        "KW51",
        WITA,
        "Denpasar",
        "Kepala Kantor Kementerian Agama Kota Denpasar",
        "I Wayan Sudarma",
    ),
    DemoUnit(
        "KUA517101",
        "KUA Kecamatan Denpasar Selatan",
        "KUA Denpasar Selatan",
        UnitKind.KUA,
        "kua-denpasar-selatan",
        "KK5171",
        WITA,
        "Denpasar",
        "Kepala KUA Kecamatan Denpasar Selatan",
        "Muhammad Sholeh",
    ),
    DemoUnit(
        "PAH5171",
        "Penyuluh Agama Hindu Kota Denpasar",
        "Penyuluh Hindu Denpasar",
        UnitKind.PENYULUH,
        "penyuluh-hindu-denpasar",
        "KK5171",
        WITA,
        "Denpasar",
        "Koordinator Penyuluh Agama Hindu Kota Denpasar",
        "Ni Made Sukerti",
    ),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str | None  # None: the superuser
    unit: str | None


USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Administrator Portal", None, None),
    DemoUser("kontributor", "Nur Aini (Kontributor KUA Bangil)", Role.KONTRIBUTOR, "KUA351401"),
    DemoUser("kontributor_madrasah", "Fathur Rohman (Kontributor MAN 1)", Role.KONTRIBUTOR, "MAN351401"),
    DemoUser("verifikator", "Ahmad Syaifuddin (Kasubbag TU)", Role.VERIFIKATOR, "KK3514"),
    DemoUser("admin_humas", "Ika Puspitasari (Pranata Humas)", Role.ADMIN_HUMAS, "KW35"),
    DemoUser("ppid", "Rina Marlina (PPID Pelaksana)", Role.PPID, "KK3514"),
    DemoUser("atasan_ppid", "Abdul Rahman (Kepala Kankemenag)", Role.ATASAN_PPID, "KK3514"),
    DemoUser("petugas_dumas", "Muhammad Rizal (Petugas Dumas)", Role.PETUGAS_DUMAS, "KK3514"),
    DemoUser("pimpinan", "Hasan Basri (Kepala Kanwil)", Role.PIMPINAN, "KW35"),
    DemoUser("verifikator_denpasar", "I Made Suarta (Kasubbag TU)", Role.VERIFIKATOR, "KK5171"),
)
