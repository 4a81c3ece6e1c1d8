"""Shared fixtures: a small organisation with named people.

``org`` is one Kanwil with two Kankemenag; the first has a KUA and a MAN,
the second a KUA. Named users hold one role each, the way the offices work:

- ``kontributor``: Kontributor at KUA Bangil (under Kankemenag Pasuruan)
- ``kontributor_man``: Kontributor at MAN 1 Pasuruan
- ``verifikator``: Verifikator (Kasubbag TU) at Kankemenag Pasuruan
- ``verifikator_lain``: Verifikator at the other Kankemenag (no access)
- ``admin_humas``: Admin Humas at Kankemenag Pasuruan
- ``outsider``: logged in, no role anywhere
"""

import copy
import uuid
from types import SimpleNamespace

import pytest
from django.utils import translation

from humas_portal.core.models import Role, UnitKind

from .factories import UserFactory, WorkUnitFactory, grant


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Give every test its own cache key space.

    The cache is Redis, shared by parallel test workers, so clearing it would
    flush the others' keys; a fresh prefix per test keeps cached counts and
    rate-limit counters of one test from leaking into the next.
    """
    caches = copy.deepcopy(settings.CACHES)
    prefix = caches["default"].get("KEY_PREFIX", "")
    caches["default"]["KEY_PREFIX"] = f"{prefix}-{uuid.uuid4().hex[:12]}"
    settings.CACHES = caches


@pytest.fixture(autouse=True)
def default_language():
    """Start every test in Indonesian.

    A request through the test client activates its language in the test's
    thread and leaves it active; without this an English page visited by one
    test would turn the next test's messages English.
    """
    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture
def org(db):
    kanwil = WorkUnitFactory(
        name="Kanwil Kemenag Provinsi Jawa Timur", code="KW15", slug="kanwil-jatim", kind=UnitKind.KANWIL
    )
    pasuruan = WorkUnitFactory(
        name="Kankemenag Kabupaten Pasuruan",
        code="KK1514",
        slug="kemenag-pasuruan",
        kind=UnitKind.KANKEMENAG,
        parent=kanwil,
    )
    kua_bangil = WorkUnitFactory(
        name="KUA Kecamatan Bangil", code="KUA151401", slug="kua-bangil", kind=UnitKind.KUA, parent=pasuruan
    )
    man_pasuruan = WorkUnitFactory(
        name="MAN 1 Pasuruan", code="MAN151401", slug="man-1-pasuruan", kind=UnitKind.MAN, parent=pasuruan
    )
    sidoarjo = WorkUnitFactory(
        name="Kankemenag Kabupaten Sidoarjo",
        code="KK1515",
        slug="kemenag-sidoarjo",
        kind=UnitKind.KANKEMENAG,
        parent=kanwil,
    )
    kua_sidoarjo = WorkUnitFactory(
        name="KUA Kecamatan Sidoarjo",
        code="KUA151501",
        slug="kua-sidoarjo",
        kind=UnitKind.KUA,
        parent=sidoarjo,
    )
    for unit in (kanwil, pasuruan, kua_bangil, man_pasuruan, sidoarjo, kua_sidoarjo):
        unit.refresh_from_db()
    return SimpleNamespace(
        kanwil=kanwil,
        pasuruan=pasuruan,
        kua_bangil=kua_bangil,
        man_pasuruan=man_pasuruan,
        sidoarjo=sidoarjo,
        kua_sidoarjo=kua_sidoarjo,
    )


@pytest.fixture
def people(org):
    def person(username, role=None, unit=None):
        user = UserFactory(username=username, full_name=username.replace("_", " ").title())
        if role:
            grant(user, role, unit)
        return user

    return SimpleNamespace(
        kontributor=person("kontributor", Role.KONTRIBUTOR, org.kua_bangil),
        kontributor_man=person("kontributor_man", Role.KONTRIBUTOR, org.man_pasuruan),
        verifikator=person("verifikator", Role.VERIFIKATOR, org.pasuruan),
        verifikator_lain=person("verifikator_lain", Role.VERIFIKATOR, org.sidoarjo),
        admin_humas=person("admin_humas", Role.ADMIN_HUMAS, org.pasuruan),
        outsider=person("outsider"),
    )
